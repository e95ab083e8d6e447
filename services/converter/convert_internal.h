/* Internals shared by the converter's files: input opening, decoding pump,
 * video filter graphs and the individual output steps. */
#ifndef ISIM_CONVERT_INTERNAL_H
#define ISIM_CONVERT_INTERNAL_H

#include <stdint.h>
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>

#include "convert.h"

/* Threads per decoder and per H.264 encoder: two cores' worth of speed, and
 * a bound on memory whatever the machine's core count (each thread holds
 * frames of its own): a 10-minute 1080p transcode peaks under 200 MB. */
#define CONV_DECODE_THREADS 2
#define CONV_ENCODE_THREADS 3

#define CONV_E_UNREADABLE "The uploaded file is not a video or audio recording we can read."

void conv_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What a step that failed with the FFmpeg error averr returns:
 * CONVERT_E_NO_SPACE when it is a lack of space (ENOSPC, EDQUOT), else -1. */
int conv_fail_code(int averr);

/* convert_probe_file that also reports the video's pixel format (or AV_PIX_FMT_NONE). */
int conv_probe(const char *path, convert_probe *p, int *pix_fmt, char *err, size_t errlen);
/* 0 within limits, else -1 and err says which limit and by how much. */
int conv_check_limits(const convert_probe *p, const convert_limits *lim, char *err, size_t errlen);

/* Opens and probes an input; on failure err gets a candidate-readable reason. */
int conv_open_input(const char *path, AVFormatContext **out, char *err, size_t errlen);
/* Best audio / video stream index or -1; cover art does not count as video. */
int conv_find_stream(AVFormatContext *fmt, enum AVMediaType type);
/* Closes an output file opened with avio_open and frees its muxer; NULL-safe. */
void conv_close_output(AVFormatContext **out);
int conv_open_decoder(AVFormatContext *fmt, int idx, AVCodecContext **out, char *err, size_t errlen);
/* Clockwise degrees (0/90/180/270) from the stream's display matrix. */
int conv_stream_rotation(const AVStream *st);
/* Time origin shared by all outputs, in AV_TIME_BASE units. */
int64_t conv_origin(const AVFormatContext *fmt);
/* Upright output size: rotation applied, the shorter side at most max_side, even. */
void conv_output_size(int w, int h, int rotation, int max_side, int *ow, int *oh);

/* Sends pkt (NULL flushes) and hands every decoded frame to on_frame. Invalid
 * data is counted in *bad and skipped, as players do with a glitch. */
typedef int (*conv_frame_fn)(void *ctx, AVFrame *frame);
int conv_decode(AVCodecContext *dec, const AVPacket *pkt, AVFrame *frame, int *bad,
                conv_frame_fn on_frame, void *ctx);

typedef struct conv_vgraph {
    AVFilterGraph *graph;
    AVFilterContext *src, *sink;
    int in_w, in_h, in_fmt;
} conv_vgraph;
/* buffer (shaped like frame) -> rotation -> scale=ow:oh -> format=pix_fmt -> buffersink */
int conv_vgraph_open(conv_vgraph *g, const AVFrame *frame, AVRational tb, int rotation,
                     int ow, int oh, const char *pix_fmt);
/* Whether frame still matches the graph's input (size, pixel format). */
int conv_vgraph_matches(const conv_vgraph *g, const AVFrame *frame);
void conv_vgraph_free(conv_vgraph *g);

/* The steps; each writes out_path (a temporary name chosen by convert_run)
 * and returns 0, or with err filled -1 or, for lack of space, CONVERT_E_NO_SPACE. */
int conv_extract_audio(const char *in_path, const char *out_path, char *err, size_t errlen);
int conv_remux(const char *in_path, const char *out_path, const char *format, int faststart,
               char *err, size_t errlen);
int conv_transcode(const char *in_path, const char *out_path, int rotation, int max_side,
                   char *err, size_t errlen);
int conv_poster(const char *in_path, const char *out_path, int rotation, int max_side,
                double at_s, char *err, size_t errlen);

#endif

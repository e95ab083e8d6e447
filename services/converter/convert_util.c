/* Shared converter helpers: error text, opening inputs and decoders, the
 * rotation of a stream, output sizing and the decode pump. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include <libavutil/display.h>

#include "convert_internal.h"

/* Only containers a recorder makes; this also keeps playlist formats (hls,
 * concat) from reading other files on the worker. */
#define CONV_FORMATS "matroska,webm,mov,mp4,avi,wav,w64,ogg,mp3,flac,aac,mpegts,mpeg,flv,asf,caf,aiff,amr"

void conv_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

int conv_fail_code(int averr)
{
    return averr == AVERROR(ENOSPC) || averr == AVERROR(EDQUOT) ? CONVERT_E_NO_SPACE : -1;
}

int conv_open_input(const char *path, AVFormatContext **out, char *err, size_t errlen)
{
    AVFormatContext *fmt = avformat_alloc_context();
    AVDictionary *opts = NULL;
    int ret = -1;

    *out = NULL;
    if (!fmt) {
        conv_err(err, errlen, "The converter ran out of memory.");
        return -1;
    }
    av_dict_set(&opts, "format_whitelist", CONV_FORMATS, 0);
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    if (avformat_open_input(&fmt, path, NULL, &opts) < 0) {
        fmt = NULL; /* freed by avformat_open_input */
        conv_err(err, errlen, CONV_E_UNREADABLE);
        goto out;
    }
    if (avformat_find_stream_info(fmt, NULL) < 0) {
        conv_err(err, errlen, CONV_E_UNREADABLE);
        goto out;
    }
    *out = fmt;
    fmt = NULL;
    ret = 0;
out:
    av_dict_free(&opts);
    avformat_close_input(&fmt);
    return ret;
}

static int stream_usable(const AVStream *st, enum AVMediaType type)
{
    const AVCodecParameters *par = st->codecpar;
    if (par->codec_type != type || !avcodec_find_decoder(par->codec_id))
        return 0;
    if (type == AVMEDIA_TYPE_VIDEO)
        return !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) && par->width > 0 && par->height > 0;
    return par->sample_rate > 0 && par->ch_layout.nb_channels > 0;
}

void conv_close_output(AVFormatContext **out)
{
    if (!*out)
        return;
    avio_closep(&(*out)->pb);
    avformat_free_context(*out);
    *out = NULL;
}

int conv_find_stream(AVFormatContext *fmt, enum AVMediaType type)
{
    int best = av_find_best_stream(fmt, type, -1, -1, NULL, 0);
    if (best >= 0 && stream_usable(fmt->streams[best], type))
        return best;
    for (unsigned i = 0; i < fmt->nb_streams; i++)
        if (stream_usable(fmt->streams[i], type))
            return (int)i;
    return -1;
}

int conv_open_decoder(AVFormatContext *fmt, int idx, AVCodecContext **out, char *err, size_t errlen)
{
    AVStream *st = fmt->streams[idx];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    AVCodecContext *dec = NULL;
    int ret = -1;

    *out = NULL;
    if (!codec) {
        conv_err(err, errlen, "The recording uses a %s format we cannot decode.",
                 avcodec_get_name(st->codecpar->codec_id));
        goto out;
    }
    dec = avcodec_alloc_context3(codec);
    if (!dec || avcodec_parameters_to_context(dec, st->codecpar) < 0) {
        conv_err(err, errlen, "The converter ran out of memory.");
        goto out;
    }
    dec->pkt_timebase = st->time_base;
    dec->thread_count = CONV_DECODE_THREADS;
    if (avcodec_open2(dec, codec, NULL) < 0) {
        conv_err(err, errlen, "The recording uses a %s format we cannot decode.", codec->name);
        goto out;
    }
    *out = dec;
    dec = NULL;
    ret = 0;
out:
    avcodec_free_context(&dec);
    return ret;
}

int conv_stream_rotation(const AVStream *st)
{
    const uint8_t *m = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, NULL);
    if (!m)
        return 0;
    /* av_display_rotation_get is counter-clockwise; NaN for a degenerate matrix. */
    double ccw = av_display_rotation_get((const int32_t *)m);
    if (isnan(ccw))
        return 0;
    long cw = lround(-ccw / 90.0) * 90;
    cw %= 360;
    if (cw < 0)
        cw += 360;
    return (int)cw;
}

int64_t conv_origin(const AVFormatContext *fmt)
{
    return fmt->start_time == AV_NOPTS_VALUE ? 0 : fmt->start_time;
}

void conv_output_size(int w, int h, int rotation, int max_side, int *ow, int *oh)
{
    if (rotation == 90 || rotation == 270) {
        int t = w;
        w = h;
        h = t;
    }
    if (max_side <= 0)
        max_side = 720;
    int shorter = w < h ? w : h;
    if (shorter > max_side) {
        double s = (double)max_side / shorter;
        w = (int)lround(w * s / 2.0) * 2;
        h = (int)lround(h * s / 2.0) * 2;
    }
    *ow = w < 2 ? 2 : w & ~1;
    *oh = h < 2 ? 2 : h & ~1;
}

int conv_decode(AVCodecContext *dec, const AVPacket *pkt, AVFrame *frame, int *bad,
                conv_frame_fn on_frame, void *ctx)
{
    int ret = avcodec_send_packet(dec, pkt);
    if (ret == AVERROR(ENOMEM))
        return ret;
    if (ret < 0 && ret != AVERROR_EOF) {
        (*bad)++; /* a damaged packet: skip it */
        return 0;
    }
    for (;;) {
        ret = avcodec_receive_frame(dec, frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret == AVERROR(ENOMEM))
            return ret;
        if (ret < 0) {
            (*bad)++;
            return 0;
        }
        ret = on_frame(ctx, frame);
        av_frame_unref(frame);
        if (ret != 0)
            return ret; /* < 0 error, > 0 the caller has what it needs */
    }
}

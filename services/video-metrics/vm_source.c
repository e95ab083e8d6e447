/* Streaming demux + decode of one video stream (bounded memory: one packet and
 * the decoder's own frame-thread queue at a time). */
#include "vm_source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

struct vm_source {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    int stream;          /* -1: no video */
    AVRational tb;
    int64_t start;       /* stream start in tb, AV_NOPTS_VALUE until known */
    int64_t interval;    /* one frame interval in tb, for packets without duration */
    int64_t packets_end; /* max pts + duration of video packets, in tb */
    double last_t;
    long frames;
    long decode_errors;
    bool draining;
};

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

/* The largest video stream that is a real track (not cover art). */
static int pick_video_stream(const AVFormatContext *fmt)
{
    int best = -1;
    int64_t best_area = -1;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO ||
            (st->disposition & AV_DISPOSITION_ATTACHED_PIC))
            continue;
        int64_t area = (int64_t)st->codecpar->width * st->codecpar->height;
        if (area > best_area) {
            best_area = area;
            best = (int)i;
        }
    }
    return best;
}

static int open_decoder(vm_source *src, double sample_fps, char *err, size_t errlen)
{
    int rc = -1;
    AVStream *st = src->fmt->streams[src->stream];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) {
        if (err && errlen)
            snprintf(err, errlen, "The video is in a format (%s) that we cannot decode.",
                     avcodec_get_name(st->codecpar->codec_id));
        goto out;
    }
    src->dec = avcodec_alloc_context3(codec);
    if (!src->dec || avcodec_parameters_to_context(src->dec, st->codecpar) < 0) {
        set_err(err, errlen, "The video could not be prepared for analysis (out of memory).");
        goto out;
    }
    src->dec->pkt_timebase = st->time_base;
    src->dec->thread_count = 0; /* auto: one per core */
    src->dec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    AVRational fr = av_guess_frame_rate(src->fmt, st, NULL);
    if (sample_fps > 0 && fr.num > 0 && fr.den > 0 && av_q2d(fr) >= 2 * sample_fps)
        src->dec->skip_frame = AVDISCARD_NONREF;
    if (avcodec_open2(src->dec, codec, NULL) < 0) {
        set_err(err, errlen, "The video could not be decoded: its picture format is not supported.");
        goto out;
    }
    rc = 0;
out:
    return rc;
}

static void init_timing(vm_source *src)
{
    AVStream *st = src->fmt->streams[src->stream];
    src->tb = st->time_base;
    src->start = st->start_time;
    src->packets_end = AV_NOPTS_VALUE;
    AVRational fr = av_guess_frame_rate(src->fmt, st, NULL);
    if (fr.num <= 0 || fr.den <= 0)
        fr = (AVRational){30, 1};
    src->interval = av_rescale_q(1, av_inv_q(fr), src->tb);
    if (src->interval <= 0)
        src->interval = 1;
}

int vm_source_open(vm_source **out, const char *path, double sample_fps, char *err, size_t errlen)
{
    int rc = -1;
    vm_source *src = calloc(1, sizeof(*src));
    *out = NULL;
    if (!src) {
        set_err(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    src->stream = -1;
    int ret = avformat_open_input(&src->fmt, path, NULL, NULL);
    if (ret == AVERROR(ENOENT)) {
        set_err(err, errlen, "The recording could not be found.");
        goto out;
    }
    /* Low probe scores are guesses on unknown bytes, not recognised media. */
    if (ret < 0 || src->fmt->probe_score <= AVPROBE_SCORE_RETRY) {
        set_err(err, errlen,
                "The recording could not be read: it is not a video or audio file we recognise.");
        goto out;
    }
    if (avformat_find_stream_info(src->fmt, NULL) < 0) {
        set_err(err, errlen, "The recording is damaged and could not be read.");
        goto out;
    }
    src->stream = pick_video_stream(src->fmt);
    for (unsigned i = 0; i < src->fmt->nb_streams; i++)
        if ((int)i != src->stream)
            src->fmt->streams[i]->discard = AVDISCARD_ALL;
    if (src->stream >= 0) {
        if (open_decoder(src, sample_fps, err, errlen) < 0)
            goto out;
        init_timing(src);
        src->pkt = av_packet_alloc();
        if (!src->pkt) {
            set_err(err, errlen, "The video could not be analysed (out of memory).");
            goto out;
        }
    }
    *out = src;
    src = NULL;
    rc = 0;
out:
    vm_source_close(src);
    return rc;
}

void vm_source_close(vm_source *src)
{
    if (!src)
        return;
    av_packet_free(&src->pkt);
    avcodec_free_context(&src->dec);
    avformat_close_input(&src->fmt);
    free(src);
}

bool vm_source_has_video(const vm_source *src)
{
    return src->stream >= 0;
}

double vm_source_header_duration(const vm_source *src)
{
    const AVFormatContext *fmt = src->fmt;
    /* A bitrate estimate is a guess, not a header value. */
    if (fmt->duration_estimation_method == AVFMT_DURATION_FROM_BITRATE)
        return -1;
    if (src->stream >= 0) {
        const AVStream *st = fmt->streams[src->stream];
        if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
            return st->duration * av_q2d(st->time_base);
    }
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        return fmt->duration / (double)AV_TIME_BASE;
    return -1;
}

double vm_source_packets_end(const vm_source *src)
{
    if (src->stream < 0 || src->packets_end == AV_NOPTS_VALUE)
        return 0;
    int64_t start = src->start == AV_NOPTS_VALUE ? 0 : src->start;
    double end = (src->packets_end - start) * av_q2d(src->tb);
    return end > 0 ? end : 0;
}

static void note_packet(vm_source *src, const AVPacket *pkt)
{
    if (pkt->pts == AV_NOPTS_VALUE)
        return;
    int64_t end = pkt->pts + (pkt->duration > 0 ? pkt->duration : src->interval);
    if (src->packets_end == AV_NOPTS_VALUE || end > src->packets_end)
        src->packets_end = end;
}

static double frame_time(vm_source *src, const AVFrame *frame)
{
    int64_t pts = frame->best_effort_timestamp;
    double t;
    if (pts == AV_NOPTS_VALUE) {
        t = src->frames ? src->last_t + src->interval * av_q2d(src->tb) : 0;
    } else {
        if (src->start == AV_NOPTS_VALUE)
            src->start = pts;
        t = (pts - src->start) * av_q2d(src->tb);
    }
    if (t < 0)
        t = 0;
    src->last_t = t;
    return t;
}

/* Reads the next video packet into the decoder, or starts draining at the end.
 * Returns 0 or -1 with err. */
static int feed(vm_source *src, char *err, size_t errlen)
{
    for (;;) {
        int ret = av_read_frame(src->fmt, src->pkt);
        /* A truncated upload ends in garbage: keep what was decoded. */
        if (ret == AVERROR_EOF || (ret == AVERROR_INVALIDDATA && src->frames > 0)) {
            src->draining = true;
            avcodec_send_packet(src->dec, NULL);
            return 0;
        }
        if (ret < 0) {
            set_err(err, errlen, "The recording could not be read to the end: the file is damaged.");
            return -1;
        }
        if (src->pkt->stream_index != src->stream) {
            av_packet_unref(src->pkt);
            continue;
        }
        note_packet(src, src->pkt);
        ret = avcodec_send_packet(src->dec, src->pkt);
        av_packet_unref(src->pkt);
        if (ret == AVERROR_INVALIDDATA) {
            src->decode_errors++;
            continue;
        }
        if (ret < 0) {
            set_err(err, errlen, "The video could not be decoded.");
            return -1;
        }
        return 0;
    }
}

int vm_source_next(vm_source *src, AVFrame *frame, double *t, char *err, size_t errlen)
{
    if (src->stream < 0)
        return 0;
    av_frame_unref(frame);
    for (;;) {
        int ret = avcodec_receive_frame(src->dec, frame);
        if (ret == 0) {
            *t = frame_time(src, frame);
            src->frames++;
            return 1;
        }
        if (ret == AVERROR_EOF || (ret == AVERROR(EAGAIN) && src->draining))
            break;
        if (ret == AVERROR_INVALIDDATA) {
            src->decode_errors++; /* a damaged frame: skip it */
            continue;
        }
        if (ret != AVERROR(EAGAIN)) {
            set_err(err, errlen, "The video could not be decoded.");
            return -1;
        }
        if (feed(src, err, errlen) < 0)
            return -1;
    }
    if (src->frames == 0 && src->decode_errors > 0) {
        set_err(err, errlen, "The video is damaged: none of its pictures could be decoded.");
        return -1;
    }
    return 0;
}

#include "vm_audio.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#define VMA_CHUNK 4096

typedef struct reader {
    AVFormatContext *fmt;
    AVCodecContext *dec;
    SwrContext *swr;
    AVPacket *pkt;
    AVFrame *frame;
    float *buf;
    int stream, rate;
} reader;

static void reader_close(reader *r)
{
    swr_free(&r->swr);
    avcodec_free_context(&r->dec);
    avformat_close_input(&r->fmt);
    av_packet_free(&r->pkt);
    av_frame_free(&r->frame);
    av_free(r->buf);
}

static int open_reader(reader *r, const char *path, char *err, size_t errlen)
{
    int ret = avformat_open_input(&r->fmt, path, NULL, NULL);
    if (ret < 0 || r->fmt->probe_score <= AVPROBE_SCORE_RETRY) {
        snprintf(err, errlen, ret == AVERROR(ENOENT) ? "The sound track could not be found."
                                                     : "The sound track is not audio we can read.");
        return -1;
    }
    if (avformat_find_stream_info(r->fmt, NULL) < 0) {
        snprintf(err, errlen, "The sound track is damaged and could not be read.");
        return -1;
    }
    r->stream = av_find_best_stream(r->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (r->stream < 0)
        return 0;
    AVStream *st = r->fmt->streams[r->stream];
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    r->dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (!r->dec || avcodec_parameters_to_context(r->dec, st->codecpar) < 0 ||
        avcodec_open2(r->dec, codec, NULL) < 0) {
        snprintf(err, errlen, "The sound track is in a format we cannot decode.");
        return -1;
    }
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO, in = r->dec->ch_layout;
    if (in.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in, in.nb_channels);
    if (swr_alloc_set_opts2(&r->swr, &mono, AV_SAMPLE_FMT_FLT, r->rate, &in, r->dec->sample_fmt,
                            r->dec->sample_rate, 0, NULL) < 0 ||
        swr_init(r->swr) < 0) {
        snprintf(err, errlen, "The sound track could not be converted for analysis.");
        return -1;
    }
    r->pkt = av_packet_alloc();
    r->frame = av_frame_alloc();
    r->buf = av_malloc(sizeof(float) * VMA_CHUNK);
    if (!r->pkt || !r->frame || !r->buf) {
        snprintf(err, errlen, "The sound could not be analysed (out of memory).");
        return -1;
    }
    return 1;
}

/* Converts one decoded frame (or flushes with NULL) and hands it on. */
static int convert(reader *r, const AVFrame *f, vm_audio_cb cb, void *user)
{
    const uint8_t **in = f ? (const uint8_t **)f->extended_data : NULL;
    int n_in = f ? f->nb_samples : 0;
    for (;;) {
        uint8_t *out = (uint8_t *)r->buf;
        int n = swr_convert(r->swr, &out, VMA_CHUNK, in, n_in);
        if (n < 0)
            return -1;
        if (n > 0) {
            int stop = cb(r->buf, n, user);
            if (stop)
                return stop;
        }
        in = NULL;
        n_in = 0;
        if (n < VMA_CHUNK)
            return 0;
    }
}

static int drain(reader *r, vm_audio_cb cb, void *user)
{
    int ret;
    while ((ret = avcodec_receive_frame(r->dec, r->frame)) == 0) {
        int c = convert(r, r->frame, cb, user);
        av_frame_unref(r->frame);
        if (c)
            return c;
    }
    return ret == AVERROR(EAGAIN) || ret == AVERROR_EOF || ret == AVERROR_INVALIDDATA ? 0 : -1;
}

int vm_audio_read(const char *path, int rate, vm_audio_cb cb, void *user, int *has_audio,
                  char *err, size_t errlen)
{
    int rc = -1;
    reader r = {.stream = -1, .rate = rate};
    *has_audio = 0;
    int opened = open_reader(&r, path, err, errlen);
    if (opened < 0)
        goto out;
    if (opened == 0) {
        rc = 0;
        goto out;
    }
    *has_audio = 1;
    for (;;) {
        int ret = av_read_frame(r.fmt, r.pkt);
        if (ret < 0)
            break; /* end, or a truncated tail: keep what was read */
        if (r.pkt->stream_index == r.stream)
            avcodec_send_packet(r.dec, r.pkt); /* a damaged packet is skipped */
        av_packet_unref(r.pkt);
        int d = drain(&r, cb, user);
        if (d) {
            rc = d;
            if (d < 0)
                snprintf(err, errlen, "The sound track could not be decoded.");
            goto out;
        }
    }
    avcodec_send_packet(r.dec, NULL);
    int d = drain(&r, cb, user);
    if (!d)
        d = convert(&r, NULL, cb, user);
    if (d) {
        rc = d;
        if (d < 0)
            snprintf(err, errlen, "The sound track could not be decoded.");
        goto out;
    }
    rc = 0;
out:
    reader_close(&r);
    return rc;
}

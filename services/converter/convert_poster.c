/* Poster: the first frame at or after at_s (or the last one of a shorter
 * recording), upright and scaled like the video, as a JPEG (mjpeg encoder). */
#include <errno.h>
#include <stdio.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>

#include "convert_internal.h"

typedef struct poster_job {
    AVFormatContext *in;
    AVCodecContext *dec, *enc;
    conv_vgraph vg;
    AVFrame *frame, *best, *upright;
    AVPacket *pkt;
    int vi;
    double at_s, origin_s;
} poster_job;

static int on_frame(void *ctx, AVFrame *f)
{
    poster_job *j = ctx;
    double t = f->best_effort_timestamp == AV_NOPTS_VALUE
                   ? 0
                   : f->best_effort_timestamp * av_q2d(j->in->streams[j->vi]->time_base) - j->origin_s;
    av_frame_unref(j->best);
    av_frame_move_ref(j->best, f);
    return t >= j->at_s ? 1 : 0;
}

static int pick_frame(poster_job *j)
{
    int bad = 0, ret = 0;
    while (ret == 0 && av_read_frame(j->in, j->pkt) >= 0) {
        if (j->pkt->stream_index == j->vi)
            ret = conv_decode(j->dec, j->pkt, j->frame, &bad, on_frame, j);
        av_packet_unref(j->pkt);
    }
    if (ret == 0)
        ret = conv_decode(j->dec, NULL, j->frame, &bad, on_frame, j);
    if (ret < 0)
        return ret;
    return j->best->data[0] ? 0 : AVERROR_INVALIDDATA;
}

static int make_upright(poster_job *j, int rotation, int max_side)
{
    int ow, oh, ret;
    conv_output_size(j->best->width, j->best->height, rotation, max_side, &ow, &oh);
    j->best->pts = 0;
    if ((ret = conv_vgraph_open(&j->vg, j->best, j->in->streams[j->vi]->time_base, rotation, ow, oh,
                                "yuvj420p")) < 0 ||
        (ret = av_buffersrc_add_frame(j->vg.src, j->best)) < 0 ||
        (ret = av_buffersrc_add_frame(j->vg.src, NULL)) < 0)
        return ret;
    return av_buffersink_get_frame(j->vg.sink, j->upright);
}

static int write_jpeg(poster_job *j, const char *path)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    AVPacket *pkt = j->pkt;
    FILE *fp = NULL;
    int ret;

    if (!codec)
        return AVERROR_ENCODER_NOT_FOUND;
    if (!(j->enc = avcodec_alloc_context3(codec)))
        return AVERROR(ENOMEM);
    j->enc->width = j->upright->width;
    j->enc->height = j->upright->height;
    j->enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    j->enc->time_base = (AVRational){1, 25};
    j->enc->flags |= AV_CODEC_FLAG_QSCALE;
    j->enc->global_quality = FF_QP2LAMBDA * 3;
    j->upright->quality = j->enc->global_quality;
    j->upright->pict_type = AV_PICTURE_TYPE_NONE;
    if ((ret = avcodec_open2(j->enc, codec, NULL)) < 0 ||
        (ret = avcodec_send_frame(j->enc, j->upright)) < 0 ||
        (ret = avcodec_send_frame(j->enc, NULL)) < 0 ||
        (ret = avcodec_receive_packet(j->enc, pkt)) < 0)
        return ret;
    ret = 0;
    /* The system's reason (a full disk above all) rather than EIO. */
    errno = 0;
    if (!(fp = fopen(path, "wb")) || fwrite(pkt->data, 1, (size_t)pkt->size, fp) != (size_t)pkt->size)
        ret = AVERROR(errno ? errno : EIO);
    if (fp && fclose(fp) != 0 && ret == 0)
        ret = AVERROR(errno ? errno : EIO);
    av_packet_unref(pkt);
    return ret;
}

int conv_poster(const char *in_path, const char *out_path, int rotation, int max_side,
                double at_s, char *err, size_t errlen)
{
    poster_job j = {.at_s = at_s};
    int ret = -1, r;

    if (conv_open_input(in_path, &j.in, err, errlen) < 0)
        goto out;
    if ((j.vi = conv_find_stream(j.in, AVMEDIA_TYPE_VIDEO)) < 0) {
        conv_err(err, errlen, "The recording has no picture.");
        goto out;
    }
    if (conv_open_decoder(j.in, j.vi, &j.dec, err, errlen) < 0)
        goto out;
    j.origin_s = (double)conv_origin(j.in) / AV_TIME_BASE;
    j.frame = av_frame_alloc();
    j.best = av_frame_alloc();
    j.upright = av_frame_alloc();
    j.pkt = av_packet_alloc();
    if (!j.frame || !j.best || !j.upright || !j.pkt) {
        conv_err(err, errlen, "The converter ran out of memory.");
        goto out;
    }
    if (pick_frame(&j) < 0) {
        conv_err(err, errlen, "The picture of the recording could not be decoded.");
        goto out;
    }
    if ((r = make_upright(&j, rotation, max_side)) < 0 || (r = write_jpeg(&j, out_path)) < 0) {
        conv_err(err, errlen, "The poster image could not be made (%s).", av_err2str(r));
        ret = conv_fail_code(r);
        goto out;
    }
    ret = 0;
out:
    conv_vgraph_free(&j.vg);
    avcodec_free_context(&j.enc);
    avcodec_free_context(&j.dec);
    av_frame_free(&j.frame);
    av_frame_free(&j.best);
    av_frame_free(&j.upright);
    av_packet_free(&j.pkt);
    avformat_close_input(&j.in);
    return ret;
}

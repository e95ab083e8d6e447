/* Transcode to a browser-playable MP4: H.264 (libx264, veryfast, crf 23)
 * yuv420p, upright and scaled down, plus AAC; moov moved to the front. Frames
 * stream through decoder, filter graph and encoder one at a time. */
#include <stdio.h>

#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/opt.h>

#include "convert_internal.h"

typedef struct tc_job {
    AVFormatContext *in, *out;
    int vi, ai;              /* input streams; output: video 0, audio 1 */
    AVCodecContext *vdec, *adec, *venc, *aenc;
    conv_vgraph vg;
    AVFilterGraph *ag;
    AVFilterContext *asrc, *asink;
    AVFrame *frame, *filt;
    AVPacket *pkt, *opkt;
    int rotation, ow, oh;
    int64_t vorigin, aorigin; /* time origin in each input stream's time base */
    int64_t vnext, anext;     /* smallest pts the encoders accept next */
    long vframes;
} tc_job;

static int write_packets(tc_job *j, AVCodecContext *enc, int ost, const AVFrame *f)
{
    int ret = avcodec_send_frame(enc, f);
    while (ret >= 0) {
        ret = avcodec_receive_packet(enc, j->opkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            break;
        j->opkt->stream_index = ost;
        /* libx264 gives no packet duration; without one the MP4's last frame
         * has none and the video ends a frame early. */
        if (ost == 0 && j->opkt->duration <= 0)
            j->opkt->duration = av_rescale_q(1, av_inv_q(enc->framerate), enc->time_base);
        av_packet_rescale_ts(j->opkt, enc->time_base, j->out->streams[ost]->time_base);
        ret = av_interleaved_write_frame(j->out, j->opkt);
    }
    return ret;
}

/* Pulls what the sink has; encoders need strictly increasing timestamps. */
static int drain_sink(tc_job *j, AVFilterContext *sink, AVCodecContext *enc, int ost, int64_t *next)
{
    for (;;) {
        int ret = av_buffersink_get_frame(sink, j->filt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            return ret;
        if (j->filt->pts == AV_NOPTS_VALUE || j->filt->pts < *next)
            j->filt->pts = *next;
        *next = j->filt->pts + (ost == 0 ? 1 : j->filt->nb_samples);
        j->filt->pict_type = AV_PICTURE_TYPE_NONE;
        if (ost == 0)
            j->vframes++;
        ret = write_packets(j, enc, ost, j->filt);
        av_frame_unref(j->filt);
        if (ret < 0)
            return ret;
    }
}

static int flush_vgraph(tc_job *j)
{
    int ret = 0;
    if (j->vg.graph && (ret = av_buffersrc_add_frame(j->vg.src, NULL)) >= 0)
        ret = drain_sink(j, j->vg.sink, j->venc, 0, &j->vnext);
    conv_vgraph_free(&j->vg);
    return ret;
}

static int on_video(void *ctx, AVFrame *f)
{
    tc_job *j = ctx;
    int ret;
    /* A browser may change the picture size mid-recording: rebuild the graph. */
    if (!conv_vgraph_matches(&j->vg, f)) {
        if ((ret = flush_vgraph(j)) < 0)
            return ret;
        ret = conv_vgraph_open(&j->vg, f, j->in->streams[j->vi]->time_base, j->rotation, j->ow,
                               j->oh, "yuv420p");
        if (ret < 0)
            return ret;
    }
    f->pts = f->best_effort_timestamp == AV_NOPTS_VALUE ? AV_NOPTS_VALUE
                                                         : f->best_effort_timestamp - j->vorigin;
    if ((ret = av_buffersrc_add_frame(j->vg.src, f)) < 0)
        return ret;
    return drain_sink(j, j->vg.sink, j->venc, 0, &j->vnext);
}

static int on_audio(void *ctx, AVFrame *f)
{
    tc_job *j = ctx;
    int ret;
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        int n = f->ch_layout.nb_channels;
        av_channel_layout_uninit(&f->ch_layout);
        av_channel_layout_default(&f->ch_layout, n);
    }
    if (f->best_effort_timestamp != AV_NOPTS_VALUE)
        f->pts = av_rescale_q(f->best_effort_timestamp - j->aorigin, j->in->streams[j->ai]->time_base,
                              (AVRational){1, j->adec->sample_rate});
    else
        f->pts = AV_NOPTS_VALUE;
    if ((ret = av_buffersrc_add_frame(j->asrc, f)) < 0)
        return ret;
    return drain_sink(j, j->asink, j->aenc, 1, &j->anext);
}

static int aac_rate(int rate)
{
    static const int ok[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (ok[i] == rate)
            return rate;
    return 48000;
}

static int open_audio_graph(tc_job *j)
{
    AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
    AVChannelLayout in_layout = {0};
    char layout[64], args[256], chain[192];
    int ret = AVERROR(ENOMEM);

    if (!outputs || !inputs || !(j->ag = avfilter_graph_alloc()))
        goto out;
    av_channel_layout_default(&in_layout, j->adec->ch_layout.nb_channels);
    if (j->adec->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC &&
        (ret = av_channel_layout_copy(&in_layout, &j->adec->ch_layout)) < 0)
        goto out;
    av_channel_layout_describe(&in_layout, layout, sizeof(layout));
    snprintf(args, sizeof(args), "time_base=1/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
             j->adec->sample_rate, j->adec->sample_rate, av_get_sample_fmt_name(j->adec->sample_fmt),
             layout);
    if ((ret = avfilter_graph_create_filter(&j->asrc, avfilter_get_by_name("abuffer"), "in", args,
                                            NULL, j->ag)) < 0 ||
        (ret = avfilter_graph_create_filter(&j->asink, avfilter_get_by_name("abuffersink"), "out",
                                            NULL, NULL, j->ag)) < 0)
        goto out;
    snprintf(chain, sizeof(chain), "aresample=%d,aformat=sample_fmts=fltp:sample_rates=%d:channel_layouts=%s",
             j->aenc->sample_rate, j->aenc->sample_rate, j->aenc->ch_layout.nb_channels == 1 ? "mono" : "stereo");
    outputs->name = av_strdup("in");
    outputs->filter_ctx = j->asrc;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = j->asink;
    if ((ret = avfilter_graph_parse_ptr(j->ag, chain, &inputs, &outputs, NULL)) < 0 ||
        (ret = avfilter_graph_config(j->ag, NULL)) < 0)
        goto out;
    av_buffersink_set_frame_size(j->asink, j->aenc->frame_size);
out:
    av_channel_layout_uninit(&in_layout);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    return ret;
}

static int add_encoder(tc_job *j, AVCodecContext *enc, AVDictionary **opts)
{
    AVStream *st = avformat_new_stream(j->out, NULL);
    int ret;
    if (!st)
        return AVERROR(ENOMEM);
    if (j->out->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if ((ret = avcodec_open2(enc, enc->codec, opts)) < 0)
        return ret;
    st->time_base = enc->time_base;
    return avcodec_parameters_from_context(st->codecpar, enc);
}

static int open_video_encoder(tc_job *j)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    AVStream *ist = j->in->streams[j->vi];
    AVRational fr = av_guess_frame_rate(j->in, ist, NULL);
    AVRational sar = av_guess_sample_aspect_ratio(j->in, ist, NULL);
    AVDictionary *opts = NULL;
    int ret;

    if (!codec)
        return AVERROR_ENCODER_NOT_FOUND;
    if (!(j->venc = avcodec_alloc_context3(codec)))
        return AVERROR(ENOMEM);
    j->venc->width = j->ow;
    j->venc->height = j->oh;
    j->venc->pix_fmt = AV_PIX_FMT_YUV420P;
    j->venc->thread_count = CONV_ENCODE_THREADS;
    j->venc->time_base = ist->time_base;
    j->venc->framerate = fr.num > 0 && fr.den > 0 ? fr : (AVRational){30, 1};
    if (sar.num > 0 && sar.den > 0)
        j->venc->sample_aspect_ratio = j->rotation % 180 ? av_inv_q(sar) : sar;
    av_dict_set(&opts, "preset", "veryfast", 0);
    av_dict_set(&opts, "crf", "23", 0);
    ret = add_encoder(j, j->venc, &opts);
    av_dict_free(&opts);
    return ret;
}

static int open_audio_encoder(tc_job *j)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    int channels = j->adec->ch_layout.nb_channels == 1 ? 1 : 2;
    int ret;
    if (!codec)
        return AVERROR_ENCODER_NOT_FOUND;
    if (!(j->aenc = avcodec_alloc_context3(codec)))
        return AVERROR(ENOMEM);
    j->aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    j->aenc->sample_rate = aac_rate(j->adec->sample_rate);
    j->aenc->time_base = (AVRational){1, j->aenc->sample_rate};
    j->aenc->bit_rate = channels == 1 ? 64000 : 128000;
    av_channel_layout_default(&j->aenc->ch_layout, channels);
    if ((ret = add_encoder(j, j->aenc, NULL)) < 0)
        return ret;
    return open_audio_graph(j);
}

static int open_output(tc_job *j, const char *path)
{
    AVDictionary *opts = NULL;
    int ret = avformat_alloc_output_context2(&j->out, NULL, "mp4", path);
    if (ret < 0 || (ret = open_video_encoder(j)) < 0 || (j->ai >= 0 && (ret = open_audio_encoder(j)) < 0))
        return ret;
    if ((ret = avio_open(&j->out->pb, path, AVIO_FLAG_WRITE)) < 0)
        return ret;
    av_dict_set(&opts, "movflags", "+faststart", 0);
    ret = avformat_write_header(j->out, &opts);
    av_dict_free(&opts);
    return ret;
}

static int run(tc_job *j)
{
    int bad = 0, ret = 0;
    /* A read error past the start is a cut-off tail: keep what came before. */
    while (ret >= 0 && av_read_frame(j->in, j->pkt) >= 0) {
        if (j->pkt->stream_index == j->vi)
            ret = conv_decode(j->vdec, j->pkt, j->frame, &bad, on_video, j);
        else if (j->pkt->stream_index == j->ai)
            ret = conv_decode(j->adec, j->pkt, j->frame, &bad, on_audio, j);
        av_packet_unref(j->pkt);
    }
    if (ret < 0 || (ret = conv_decode(j->vdec, NULL, j->frame, &bad, on_video, j)) < 0 ||
        (ret = flush_vgraph(j)) < 0 || (ret = write_packets(j, j->venc, 0, NULL)) < 0)
        return ret;
    if (j->aenc) {
        if ((ret = conv_decode(j->adec, NULL, j->frame, &bad, on_audio, j)) < 0 ||
            (ret = av_buffersrc_add_frame(j->asrc, NULL)) < 0 ||
            (ret = drain_sink(j, j->asink, j->aenc, 1, &j->anext)) < 0 ||
            (ret = write_packets(j, j->aenc, 1, NULL)) < 0)
            return ret;
    }
    if (j->vframes == 0)
        return AVERROR_INVALIDDATA;
    return av_write_trailer(j->out);
}

int conv_transcode(const char *in_path, const char *out_path, int rotation, int max_side,
                   char *err, size_t errlen)
{
    tc_job j = {.rotation = rotation, .ai = -1};
    int ret = -1, r;

    if (conv_open_input(in_path, &j.in, err, errlen) < 0)
        goto out;
    j.ai = conv_find_stream(j.in, AVMEDIA_TYPE_AUDIO);
    if ((j.vi = conv_find_stream(j.in, AVMEDIA_TYPE_VIDEO)) < 0) {
        conv_err(err, errlen, "The recording has no picture.");
        goto out;
    }
    if (conv_open_decoder(j.in, j.vi, &j.vdec, err, errlen) < 0 ||
        (j.ai >= 0 && conv_open_decoder(j.in, j.ai, &j.adec, err, errlen) < 0))
        goto out;
    conv_output_size(j.vdec->width, j.vdec->height, rotation, max_side, &j.ow, &j.oh);
    j.vorigin = av_rescale_q(conv_origin(j.in), AV_TIME_BASE_Q, j.in->streams[j.vi]->time_base);
    if (j.ai >= 0)
        j.aorigin = av_rescale_q(conv_origin(j.in), AV_TIME_BASE_Q, j.in->streams[j.ai]->time_base);
    j.frame = av_frame_alloc();
    j.filt = av_frame_alloc();
    j.pkt = av_packet_alloc();
    j.opkt = av_packet_alloc();
    if (!j.frame || !j.filt || !j.pkt || !j.opkt) {
        conv_err(err, errlen, "The converter ran out of memory.");
        goto out;
    }
    if ((r = open_output(&j, out_path)) < 0) {
        conv_err(err, errlen, "The video could not be prepared for conversion (%s).", av_err2str(r));
        ret = conv_fail_code(r);
        goto out;
    }
    if ((r = run(&j)) < 0) {
        if (j.vframes == 0)
            conv_err(err, errlen, "The picture of the recording could not be decoded.");
        else
            conv_err(err, errlen, "The video could not be converted (%s).", av_err2str(r));
        ret = j.vframes == 0 ? -1 : conv_fail_code(r);
        goto out;
    }
    ret = 0;
out:
    conv_close_output(&j.out);
    conv_vgraph_free(&j.vg);
    avfilter_graph_free(&j.ag);
    avcodec_free_context(&j.venc);
    avcodec_free_context(&j.aenc);
    avcodec_free_context(&j.vdec);
    avcodec_free_context(&j.adec);
    av_frame_free(&j.frame);
    av_frame_free(&j.filt);
    av_packet_free(&j.pkt);
    av_packet_free(&j.opkt);
    avformat_close_input(&j.in);
    return ret;
}

/* Audio extraction for speech recognition: the best audio stream decoded,
 * resampled by libswresample to 16 kHz mono s16 and written as a WAV by
 * libavformat. Gaps in the recording's timestamps become silence, so a time
 * in the WAV is the same time in the video. */
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "convert_internal.h"

#define WAV_RATE 16000
#define GAP_SAMPLES (WAV_RATE / 50) /* gaps under 20 ms are jitter, not silence */
#define SILENCE_CHUNK 4096

typedef struct wav_job {
    AVFormatContext *in, *out;
    AVCodecContext *dec, *enc;
    SwrContext *swr;
    AVFrame *frame, *res;
    AVPacket *pkt;
    int ai;
    int64_t origin;  /* in the input stream's time base */
    int64_t written; /* samples at 16 kHz handed to the encoder */
    int in_rate, in_fmt;
    AVChannelLayout in_layout;
} wav_job;

static int open_output(wav_job *j, const char *path)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PCM_S16LE);
    AVStream *st;
    int ret = avformat_alloc_output_context2(&j->out, NULL, "wav", path);
    if (ret < 0)
        return ret;
    j->enc = avcodec_alloc_context3(codec);
    if (!j->enc)
        return AVERROR(ENOMEM);
    j->enc->sample_rate = WAV_RATE;
    j->enc->sample_fmt = AV_SAMPLE_FMT_S16;
    j->enc->time_base = (AVRational){1, WAV_RATE};
    av_channel_layout_default(&j->enc->ch_layout, 1);
    if ((ret = avcodec_open2(j->enc, codec, NULL)) < 0)
        return ret;
    if (!(st = avformat_new_stream(j->out, NULL)))
        return AVERROR(ENOMEM);
    st->time_base = j->enc->time_base;
    if ((ret = avcodec_parameters_from_context(st->codecpar, j->enc)) < 0)
        return ret;
    if ((ret = avio_open(&j->out->pb, path, AVIO_FLAG_WRITE)) < 0)
        return ret;
    return avformat_write_header(j->out, NULL);
}

static int encode(wav_job *j, AVFrame *f)
{
    int ret = avcodec_send_frame(j->enc, f);
    while (ret >= 0) {
        ret = avcodec_receive_packet(j->enc, j->pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return 0;
        if (ret < 0)
            break;
        j->pkt->stream_index = 0;
        av_packet_rescale_ts(j->pkt, j->enc->time_base, j->out->streams[0]->time_base);
        ret = av_write_frame(j->out, j->pkt);
        av_packet_unref(j->pkt);
    }
    return ret;
}

static int new_res_frame(wav_job *j, int nb_samples)
{
    av_frame_unref(j->res);
    j->res->format = AV_SAMPLE_FMT_S16;
    j->res->sample_rate = WAV_RATE;
    j->res->nb_samples = nb_samples;
    av_channel_layout_default(&j->res->ch_layout, 1);
    return av_frame_get_buffer(j->res, 0);
}

static int write_silence(wav_job *j, int64_t n)
{
    while (n > 0) {
        int chunk = n > SILENCE_CHUNK ? SILENCE_CHUNK : (int)n;
        int ret = new_res_frame(j, chunk);
        if (ret < 0)
            return ret;
        av_samples_set_silence(j->res->data, 0, chunk, 1, AV_SAMPLE_FMT_S16);
        j->res->pts = j->written;
        j->written += chunk;
        if ((ret = encode(j, j->res)) < 0)
            return ret;
        n -= chunk;
    }
    return 0;
}

/* Resamples in (NULL drains the resampler) and encodes the result. */
static int convert_samples(wav_job *j, const AVFrame *in)
{
    int max = swr_get_out_samples(j->swr, in ? in->nb_samples : 0);
    int ret;
    if (max <= 0)
        return max;
    if ((ret = new_res_frame(j, max)) < 0)
        return ret;
    int n = swr_convert(j->swr, j->res->data, max, in ? (const uint8_t **)in->extended_data : NULL,
                        in ? in->nb_samples : 0);
    if (n <= 0)
        return n;
    j->res->nb_samples = n;
    j->res->pts = j->written;
    j->written += n;
    return encode(j, j->res);
}

/* (Re)configures the resampler for the frame's format; browsers can change it mid-stream. */
static int setup_swr(wav_job *j, const AVFrame *f)
{
    AVChannelLayout out_layout, in_layout = {0};
    int ret;
    if (j->swr && f->sample_rate == j->in_rate && f->format == j->in_fmt &&
        !av_channel_layout_compare(&f->ch_layout, &j->in_layout))
        return 0;
    if (j->swr && (ret = convert_samples(j, NULL)) < 0)
        return ret;
    swr_free(&j->swr);
    av_channel_layout_uninit(&j->in_layout);
    if ((ret = av_channel_layout_copy(&j->in_layout, &f->ch_layout)) < 0)
        return ret;
    j->in_rate = f->sample_rate;
    j->in_fmt = f->format;
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in_layout, f->ch_layout.nb_channels);
    else if ((ret = av_channel_layout_copy(&in_layout, &f->ch_layout)) < 0)
        return ret;
    av_channel_layout_default(&out_layout, 1);
    ret = swr_alloc_set_opts2(&j->swr, &out_layout, AV_SAMPLE_FMT_S16, WAV_RATE, &in_layout,
                              f->format, f->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in_layout);
    if (ret < 0)
        return ret;
    return swr_init(j->swr);
}

static int on_frame(void *ctx, AVFrame *f)
{
    wav_job *j = ctx;
    int ret = setup_swr(j, f);
    if (ret < 0)
        return ret;
    if (f->best_effort_timestamp != AV_NOPTS_VALUE) {
        AVRational tb = j->in->streams[j->ai]->time_base;
        int64_t at = av_rescale_q(f->best_effort_timestamp - j->origin, tb, (AVRational){1, WAV_RATE});
        int64_t next = j->written + swr_get_delay(j->swr, WAV_RATE);
        if (at - next > GAP_SAMPLES && (ret = write_silence(j, at - next)) < 0)
            return ret;
    }
    return convert_samples(j, f);
}

static int run(wav_job *j, const char *out_path, char *err, size_t errlen)
{
    int bad = 0, ret;
    AVRational tb = j->in->streams[j->ai]->time_base;

    j->origin = av_rescale_q(conv_origin(j->in), AV_TIME_BASE_Q, tb);
    if ((ret = open_output(j, out_path)) < 0) {
        conv_err(err, errlen, "The sound track could not be written (%s).", av_err2str(ret));
        return conv_fail_code(ret);
    }
    /* A read error past the start is a cut-off tail: keep what came before. */
    while (av_read_frame(j->in, j->pkt) >= 0) {
        ret = 0;
        if (j->pkt->stream_index == j->ai)
            ret = conv_decode(j->dec, j->pkt, j->frame, &bad, on_frame, j);
        av_packet_unref(j->pkt);
        if (ret < 0)
            goto fail;
    }
    if ((ret = conv_decode(j->dec, NULL, j->frame, &bad, on_frame, j)) < 0)
        goto fail;
    if (!j->swr) {
        conv_err(err, errlen, "The sound of the recording could not be decoded.");
        return -1;
    }
    if ((ret = convert_samples(j, NULL)) < 0 || (ret = encode(j, NULL)) < 0 ||
        (ret = av_write_trailer(j->out)) < 0)
        goto fail;
    return 0;
fail:
    conv_err(err, errlen, "The sound track could not be converted (%s).", av_err2str(ret));
    return conv_fail_code(ret);
}

int conv_extract_audio(const char *in_path, const char *out_path, char *err, size_t errlen)
{
    wav_job j = {0};
    int ret = -1;

    if (conv_open_input(in_path, &j.in, err, errlen) < 0)
        goto out;
    if ((j.ai = conv_find_stream(j.in, AVMEDIA_TYPE_AUDIO)) < 0) {
        conv_err(err, errlen, "The recording has no sound.");
        goto out;
    }
    if (conv_open_decoder(j.in, j.ai, &j.dec, err, errlen) < 0)
        goto out;
    j.frame = av_frame_alloc();
    j.res = av_frame_alloc();
    j.pkt = av_packet_alloc();
    if (!j.frame || !j.res || !j.pkt) {
        conv_err(err, errlen, "The converter ran out of memory.");
        goto out;
    }
    ret = run(&j, out_path, err, errlen);
out:
    conv_close_output(&j.out);
    avcodec_free_context(&j.enc);
    avcodec_free_context(&j.dec);
    swr_free(&j.swr);
    av_channel_layout_uninit(&j.in_layout);
    av_frame_free(&j.frame);
    av_frame_free(&j.res);
    av_packet_free(&j.pkt);
    avformat_close_input(&j.in);
    return ret;
}

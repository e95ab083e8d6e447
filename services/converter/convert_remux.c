/* Remux without re-encoding, for a recording browsers already play: the best
 * video and audio streams copied packet by packet, timestamps rebased so the
 * output starts at 0. */
#include "convert_internal.h"

typedef struct remux_job {
    AVFormatContext *in, *out;
    AVPacket *pkt;
    int map[2];      /* input stream index of output stream 0 / 1, -1 if none */
    int nb_out;
    long video_pkts;
} remux_job;

static int add_stream(remux_job *j, int in_idx)
{
    AVStream *ist = j->in->streams[in_idx], *ost = avformat_new_stream(j->out, NULL);
    int ret;
    if (!ost)
        return AVERROR(ENOMEM);
    if ((ret = avcodec_parameters_copy(ost->codecpar, ist->codecpar)) < 0)
        return ret;
    ost->codecpar->codec_tag = 0; /* let the muxer pick its own tag */
    ost->time_base = ist->time_base;
    j->map[j->nb_out++] = in_idx;
    return 0;
}

static int open_output(remux_job *j, const char *path, const char *format, int faststart)
{
    AVDictionary *opts = NULL;
    int vi = conv_find_stream(j->in, AVMEDIA_TYPE_VIDEO), ai = conv_find_stream(j->in, AVMEDIA_TYPE_AUDIO);
    int ret = avformat_alloc_output_context2(&j->out, NULL, format, path);
    if (ret < 0)
        return ret;
    /* The same input gives the same bytes: Matroska's track UIDs are random
     * otherwise, and a redelivered upload would store another file. */
    j->out->flags |= AVFMT_FLAG_BITEXACT;
    if (vi < 0)
        return AVERROR_STREAM_NOT_FOUND;
    if ((ret = add_stream(j, vi)) < 0 || (ai >= 0 && (ret = add_stream(j, ai)) < 0))
        return ret;
    if ((ret = avio_open(&j->out->pb, path, AVIO_FLAG_WRITE)) < 0)
        return ret;
    if (faststart)
        av_dict_set(&opts, "movflags", "+faststart", 0);
    ret = avformat_write_header(j->out, &opts);
    av_dict_free(&opts);
    return ret;
}

static int out_index(const remux_job *j, int in_idx)
{
    for (int i = 0; i < j->nb_out; i++)
        if (j->map[i] == in_idx)
            return i;
    return -1;
}

static int copy_packets(remux_job *j)
{
    int64_t origin = conv_origin(j->in);
    int ret;
    /* A read error past the start is a cut-off tail: keep what came before. */
    while (av_read_frame(j->in, j->pkt) >= 0) {
        int oi = out_index(j, j->pkt->stream_index);
        if (oi < 0) {
            av_packet_unref(j->pkt);
            continue;
        }
        AVRational itb = j->in->streams[j->pkt->stream_index]->time_base;
        int64_t shift = av_rescale_q(origin, AV_TIME_BASE_Q, itb);
        if (j->pkt->pts != AV_NOPTS_VALUE)
            j->pkt->pts -= shift;
        if (j->pkt->dts != AV_NOPTS_VALUE)
            j->pkt->dts -= shift;
        av_packet_rescale_ts(j->pkt, itb, j->out->streams[oi]->time_base);
        j->pkt->stream_index = oi;
        j->pkt->pos = -1;
        if (oi == 0)
            j->video_pkts++;
        if ((ret = av_interleaved_write_frame(j->out, j->pkt)) < 0)
            return ret;
    }
    return av_write_trailer(j->out);
}

int conv_remux(const char *in_path, const char *out_path, const char *format, int faststart,
               char *err, size_t errlen)
{
    remux_job j = {.map = {-1, -1}};
    int ret = -1, r;

    if (conv_open_input(in_path, &j.in, err, errlen) < 0)
        goto out;
    if (!(j.pkt = av_packet_alloc())) {
        conv_err(err, errlen, "The converter ran out of memory.");
        goto out;
    }
    if ((r = open_output(&j, out_path, format, faststart)) < 0 || (r = copy_packets(&j)) < 0) {
        conv_err(err, errlen, "The video could not be copied (%s).", av_err2str(r));
        ret = conv_fail_code(r);
        goto out;
    }
    if (j.video_pkts == 0) {
        conv_err(err, errlen, "The recording's picture is empty.");
        goto out;
    }
    ret = 0;
out:
    conv_close_output(&j.out);
    av_packet_free(&j.pkt);
    avformat_close_input(&j.in);
    return ret;
}

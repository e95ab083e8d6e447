/* Probing an upload: container, codecs, duration, picture size and rotation. */
#include <string.h>
#include <sys/stat.h>

#include "convert_internal.h"

static int is_webm_codec(const char *name)
{
    static const char *const ok[] = {"", "vp8", "vp9", "av1", "opus", "vorbis"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (!strcmp(name, ok[i]))
            return 1;
    return 0;
}

static void container_name(const AVFormatContext *fmt, convert_probe *p)
{
    const char *name = fmt->iformat->name;
    if (!strncmp(name, "matroska", 8)) {
        name = is_webm_codec(p->video_codec) && is_webm_codec(p->audio_codec) ? "webm" : "matroska";
    } else if (!strncmp(name, "mov,", 4)) {
        const AVDictionaryEntry *brand = av_dict_get(fmt->metadata, "major_brand", NULL, 0);
        name = brand && !strncmp(brand->value, "qt", 2) ? "mov" : "mp4";
    }
    snprintf(p->container, sizeof(p->container), "%.*s", (int)strcspn(name, ","), name);
}

/* A recorder that cannot seek back (a browser's MediaRecorder) writes no
 * duration in the header: read the packets to find where the last one ends. */
static double scan_duration(AVFormatContext *fmt, int vi, int ai)
{
    AVPacket *pkt = av_packet_alloc();
    int64_t first = INT64_MAX, last = INT64_MIN;
    if (!pkt)
        return 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == vi || pkt->stream_index == ai) {
            AVRational tb = fmt->streams[pkt->stream_index]->time_base;
            int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
            if (ts != AV_NOPTS_VALUE) {
                int64_t start = av_rescale_q(ts, tb, AV_TIME_BASE_Q);
                int64_t end = av_rescale_q(ts + pkt->duration, tb, AV_TIME_BASE_Q);
                first = start < first ? start : first;
                last = end > last ? end : last;
            }
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    if (last == INT64_MIN)
        return 0;
    if (fmt->start_time != AV_NOPTS_VALUE && fmt->start_time < first)
        first = fmt->start_time;
    return (double)(last - first) / AV_TIME_BASE;
}

static void probe_streams(AVFormatContext *fmt, int vi, int ai, convert_probe *p, int *pix_fmt)
{
    if (vi >= 0) {
        AVStream *st = fmt->streams[vi];
        *pix_fmt = st->codecpar->format;
        AVRational fr = av_guess_frame_rate(fmt, st, NULL);
        p->has_video = 1;
        p->width = st->codecpar->width;
        p->height = st->codecpar->height;
        p->fps = fr.num > 0 && fr.den > 0 ? av_q2d(fr) : 0;
        p->rotation = conv_stream_rotation(st);
        snprintf(p->video_codec, sizeof(p->video_codec), "%s", avcodec_get_name(st->codecpar->codec_id));
    }
    if (ai >= 0) {
        p->has_audio = 1;
        snprintf(p->audio_codec, sizeof(p->audio_codec), "%s",
                 avcodec_get_name(fmt->streams[ai]->codecpar->codec_id));
    }
}

/* Index of a stream of this type that no decoder here can read, or -1.
 * Cover art does not count as a picture. */
static int undecodable_stream(const AVFormatContext *fmt, enum AVMediaType type)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type == type && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC) &&
            !avcodec_find_decoder(st->codecpar->codec_id))
            return (int)i;
    }
    return -1;
}

/* A picture or sound we cannot decode fails the upload rather than being
 * dropped: a report without the candidate's video (or voice) would mislead. */
static int check_decodable(const AVFormatContext *fmt, int vi, int ai, char *err, size_t errlen)
{
    int u = vi < 0 ? undecodable_stream(fmt, AVMEDIA_TYPE_VIDEO) : -1;
    const char *what = "picture";
    if (u < 0 && ai < 0) {
        u = undecodable_stream(fmt, AVMEDIA_TYPE_AUDIO);
        what = "sound";
    }
    if (u < 0)
        return 0;
    const AVCodecParameters *par = fmt->streams[u]->codecpar;
    char tag[AV_FOURCC_MAX_STRING_SIZE] = "";
    if (par->codec_id == AV_CODEC_ID_NONE)
        av_fourcc_make_string(tag, par->codec_tag);
    conv_err(err, errlen,
             "The recording's %s is in a format we cannot read (%s). Please record again in the browser, "
             "or upload an MP4 or WebM file.",
             what, par->codec_id == AV_CODEC_ID_NONE ? tag : avcodec_get_name(par->codec_id));
    return -1;
}

/* A track declared as sound or picture that cannot be read (no sample rate,
 * no size) marks a damaged file, or noise a demuxer mistook for a container,
 * not a recording that is silent and blank. */
static const char *no_media_reason(const AVFormatContext *fmt)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        enum AVMediaType type = st->codecpar->codec_type;
        if (type == AVMEDIA_TYPE_AUDIO || (type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC)))
            return CONV_E_UNREADABLE;
    }
    return fmt->nb_streams ? "The recording has neither sound nor picture." : CONV_E_UNREADABLE;
}

int convert_probe_file(const char *in_path, convert_probe *p, char *err, size_t errlen)
{
    int pix_fmt;
    return conv_probe(in_path, p, &pix_fmt, err, errlen);
}

int conv_probe(const char *in_path, convert_probe *p, int *pix_fmt, char *err, size_t errlen)
{
    AVFormatContext *fmt = NULL;
    struct stat sb;
    int ret = -1;

    memset(p, 0, sizeof(*p));
    *pix_fmt = AV_PIX_FMT_NONE;
    if (stat(in_path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        conv_err(err, errlen, "The uploaded file could not be found.");
        goto out;
    }
    p->size_bytes = (long long)sb.st_size;
    if (sb.st_size == 0) {
        conv_err(err, errlen, "The uploaded file is empty.");
        goto out;
    }
    if (conv_open_input(in_path, &fmt, err, errlen) < 0)
        goto out;
    int vi = conv_find_stream(fmt, AVMEDIA_TYPE_VIDEO), ai = conv_find_stream(fmt, AVMEDIA_TYPE_AUDIO);
    if (check_decodable(fmt, vi, ai, err, errlen) < 0)
        goto out;
    if (vi < 0 && ai < 0) {
        conv_err(err, errlen, "%s", no_media_reason(fmt));
        goto out;
    }
    probe_streams(fmt, vi, ai, p, pix_fmt);
    container_name(fmt, p);
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        p->duration_s = (double)fmt->duration / AV_TIME_BASE;
    else
        p->duration_s = scan_duration(fmt, vi, ai);
    if (p->duration_s <= 0) {
        conv_err(err, errlen, "The recording is empty: it holds no sound or picture.");
        goto out;
    }
    p->bit_rate = fmt->bit_rate > 0 ? fmt->bit_rate : (long long)(p->size_bytes * 8 / p->duration_s);
    ret = 0;
out:
    avformat_close_input(&fmt);
    return ret;
}

json_t *convert_probe_to_json(const convert_probe *p)
{
    return json_pack("{s:f, s:b, s:b, s:i, s:i, s:f, s:i, s:I, s:I, s:s, s:s, s:s}",
                     "duration_s", p->duration_s, "has_video", p->has_video, "has_audio",
                     p->has_audio, "width", p->width, "height", p->height, "fps", p->fps,
                     "rotation", p->rotation, "bit_rate", (json_int_t)p->bit_rate, "size_bytes",
                     (json_int_t)p->size_bytes, "container", p->container, "video_codec",
                     p->video_codec, "audio_codec", p->audio_codec);
}

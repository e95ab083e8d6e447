/* Converter stage: media with known ground truth is made by the ffmpeg
 * program (test media only), converted by the stage, and its outputs are
 * checked by opening them with libavformat, never by trusting convert_result. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>

#include "convert.h"

#define FF TS_FFMPEG
#define VP8 "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 300k "
#define X264 "-c:v libx264 -preset ultrafast -pix_fmt yuv420p "

static char tmp[256], out_dir[PATH_MAX];

static void setup(void)
{
    ts_dir_new("isim-conv", tmp, sizeof(tmp));
    snprintf(out_dir, sizeof(out_dir), "%s/out", tmp);
    av_log_set_level(AV_LOG_ERROR);
}

static void teardown(void)
{
    ts_dir_free(tmp);
}

/* Generous: a run takes seconds, but under valgrind the transcodes take minutes. */
TestSuite(converter, .init = setup, .fini = teardown, .timeout = 600);

static const char *in_tmp(const char *name)
{
    static char buf[4][PATH_MAX + 64];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmp, name);
    return buf[i];
}

static const char *in_out(const char *name)
{
    static char buf[4][PATH_MAX + 64];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof(buf[i]), "%s/%s", out_dir, name);
    return buf[i];
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static int count_entries(const char *dir, char *names, size_t len)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    names[0] = '\0';
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        n++;
        strncat(names, e->d_name, len - strlen(names) - 2);
        strcat(names, " ");
    }
    closedir(d);
    return n;
}

/* What an output really holds, read back through libavformat. */
typedef struct minfo {
    char format[64];
    int has_video, has_audio;
    enum AVCodecID vcodec, acodec;
    int width, height, rotation;   /* of the first decoded frame / stream */
    int sample_rate, channels, sample_fmt;
    double duration, start;
    double top_luma, bottom_luma;  /* first frame, top and bottom quarter */
    double rms;                    /* pcm_s16le only, 0..32767 */
} minfo;

static void luma_of_first_frame(AVFormatContext *fmt, int vi, minfo *m)
{
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[vi]->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    int got = 0;
    cr_assert(dec && pkt && f);
    avcodec_parameters_to_context(dec, fmt->streams[vi]->codecpar);
    cr_assert_eq(avcodec_open2(dec, codec, NULL), 0);
    while (!got) {
        int eof = av_read_frame(fmt, pkt) < 0;
        if (!eof && pkt->stream_index != vi) {
            av_packet_unref(pkt);
            continue;
        }
        avcodec_send_packet(dec, eof ? NULL : pkt);
        av_packet_unref(pkt);
        if (avcodec_receive_frame(dec, f) == 0)
            got = 1;
        else if (eof)
            break;
    }
    cr_assert(got, "no video frame could be decoded");
    m->width = f->width;
    m->height = f->height;
    double top = 0, bottom = 0;
    int rows = f->height / 4;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < f->width; x++) {
            top += f->data[0][y * f->linesize[0] + x];
            bottom += f->data[0][(f->height - 1 - y) * f->linesize[0] + x];
        }
    m->top_luma = top / ((double)rows * f->width);
    m->bottom_luma = bottom / ((double)rows * f->width);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
}

static void pcm_rms(AVFormatContext *fmt, int ai, minfo *m)
{
    AVPacket *pkt = av_packet_alloc();
    double sum = 0;
    long long n = 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == ai)
            for (int i = 0; i + 1 < pkt->size; i += 2) {
                int16_t s = (int16_t)(pkt->data[i] | (pkt->data[i + 1] << 8));
                sum += (double)s * s;
                n++;
            }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    m->rms = n ? sqrt(sum / n) : 0;
}

static minfo inspect(const char *path)
{
    AVFormatContext *fmt = NULL;
    minfo m = {0};
    cr_assert_eq(avformat_open_input(&fmt, path, NULL, NULL), 0, "cannot open %s", path);
    cr_assert_geq(avformat_find_stream_info(fmt, NULL), 0);
    snprintf(m.format, sizeof(m.format), "%s", fmt->iformat->name);
    m.duration = fmt->duration == AV_NOPTS_VALUE ? -1 : (double)fmt->duration / AV_TIME_BASE;
    m.start = fmt->start_time == AV_NOPTS_VALUE ? 0 : (double)fmt->start_time / AV_TIME_BASE;
    int vi = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int ai = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (ai >= 0) {
        AVCodecParameters *par = fmt->streams[ai]->codecpar;
        m.has_audio = 1;
        m.acodec = par->codec_id;
        m.sample_rate = par->sample_rate;
        m.channels = par->ch_layout.nb_channels;
        m.sample_fmt = par->format;
    }
    if (vi >= 0) {
        const uint8_t *dm = av_stream_get_side_data(fmt->streams[vi], AV_PKT_DATA_DISPLAYMATRIX, NULL);
        m.has_video = 1;
        m.vcodec = fmt->streams[vi]->codecpar->codec_id;
        m.rotation = dm ? (int)lround(-av_display_rotation_get((const int32_t *)dm)) : 0;
        luma_of_first_frame(fmt, vi, &m);
    } else if (ai >= 0 && m.acodec == AV_CODEC_ID_PCM_S16LE) {
        pcm_rms(fmt, ai, &m);
    }
    avformat_close_input(&fmt);
    return m;
}

/* Offset of a top-level MP4 box, or -1: faststart puts moov before mdat. */
static long box_offset(const char *path, const char *type)
{
    FILE *fp = fopen(path, "rb");
    unsigned char h[16];
    long off = 0, found = -1;
    cr_assert_not_null(fp);
    while (fseek(fp, off, SEEK_SET) == 0 && fread(h, 1, 8, fp) == 8) {
        unsigned long long size = ((unsigned long long)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
        if (!memcmp(h + 4, type, 4)) {
            found = off;
            break;
        }
        if (size == 1 && fread(h + 8, 1, 8, fp) == 8) {
            size = 0;
            for (int i = 8; i < 16; i++)
                size = size << 8 | h[i];
        }
        if (size < 8)
            break;
        off += (long)size;
    }
    fclose(fp);
    return found;
}

static void check_wav(const char *path, double want_s)
{
    minfo a = inspect(path);
    cr_assert_str_eq(a.format, "wav");
    cr_assert_eq(a.acodec, AV_CODEC_ID_PCM_S16LE);
    cr_assert_eq(a.sample_rate, 16000);
    cr_assert_eq(a.channels, 1);
    cr_assert_eq(a.sample_fmt, AV_SAMPLE_FMT_S16);
    cr_assert(fabs(a.duration - want_s) < 0.1, "audio.wav lasts %.3f s, want %.3f s", a.duration, want_s);
    cr_assert_gt(a.rms, 300, "audio.wav is silent (rms %.1f)", a.rms);
}

static minfo check_poster(const convert_result *r)
{
    cr_assert_str_eq(r->poster_path, in_out("poster.jpg"));
    minfo p = inspect(r->poster_path);
    cr_assert_eq(p.vcodec, AV_CODEC_ID_MJPEG);
    return p;
}

static double wav_duration(const char *path)
{
    AVFormatContext *fmt = NULL;
    cr_assert_eq(avformat_open_input(&fmt, path, NULL, NULL), 0);
    cr_assert_geq(avformat_find_stream_info(fmt, NULL), 0);
    double d = (double)fmt->duration / AV_TIME_BASE;
    avformat_close_input(&fmt);
    return d;
}

static const char *sample_dir(void)
{
    const char *d = getenv("ISIM_TEST_MEDIA_DIR");
    return d && *d ? d : "/tmp/isim-test-media";
}

/* The first run makes the 25 s sample, cached in the media dir. */
Test(converter, sample_webm_is_remuxed)
{
    char in[PATH_MAX + 32], ref[PATH_MAX + 32], err[256] = "";
    convert_result r;
    ts_sh("%s/tests/media/make_sample.sh '%s'", ISIM_SOURCE_DIR, sample_dir());
    snprintf(in, sizeof(in), "%s/sample.webm", sample_dir());
    snprintf(ref, sizeof(ref), "%s/sample.wav", sample_dir());
    double truth = wav_duration(ref);

    cr_assert_eq(convert_run(in, out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(r.probe.container, "webm");
    cr_assert_str_eq(r.probe.video_codec, "vp8");
    cr_assert_str_eq(r.probe.audio_codec, "opus");
    cr_assert_eq(r.probe.width, 640);
    cr_assert_eq(r.probe.height, 360);
    cr_assert(fabs(r.probe.fps - 30) < 0.01);
    cr_assert(fabs(r.probe.duration_s - truth) < 0.1, "probe %.3f vs %.3f", r.probe.duration_s, truth);
    cr_assert_eq(r.remuxed, 1);
    cr_assert_str_eq(r.video_name, "video.webm");
    cr_assert_str_eq(r.video_path, in_out("video.webm"));

    minfo v = inspect(r.video_path);
    cr_assert_str_eq(v.format, "matroska,webm");
    cr_assert_eq(v.vcodec, AV_CODEC_ID_VP8);
    cr_assert_eq(v.acodec, AV_CODEC_ID_OPUS);
    cr_assert_eq(v.width, 640);
    cr_assert_eq(v.height, 360);
    cr_assert(fabs(v.duration - truth) < 0.1, "video.webm lasts %.3f s, want %.3f", v.duration, truth);
    cr_assert(fabs(v.start) < 0.05, "video.webm starts at %.3f s", v.start);
    check_wav(r.audio_path, truth);
    minfo p = check_poster(&r);
    cr_assert_eq(p.width, 640);
    cr_assert_eq(p.height, 360);
    char names[512];
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 3, "out_dir holds: %s", names);
}

/* A browser's MediaRecorder cannot seek back: no duration in the header. */
Test(converter, streamed_webm_duration_is_computed)
{
    char err[256] = "";
    convert_result r;
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=3 -f lavfi -i sine=duration=3 " VP8
          "-c:a libopus -f webm pipe:1 > '%s'", in_tmp("rec.webm"));
    convert_probe p;
    cr_assert_eq(convert_probe_file(in_tmp("rec.webm"), &p, err, sizeof(err)), 0, "%s", err);
    cr_assert(fabs(p.duration_s - 3.0) < 0.1, "probe duration %.3f", p.duration_s);
    cr_assert_eq(p.has_audio, 1);
    cr_assert_eq(p.has_video, 1);

    cr_assert_eq(convert_run(in_tmp("rec.webm"), out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(r.remuxed, 1);
    minfo v = inspect(r.video_path);
    cr_assert(fabs(v.duration - 3.0) < 0.1, "video.webm lasts %.3f s", v.duration);
    check_wav(r.audio_path, 3.0);
}

typedef struct seen {
    char kinds[64];
} seen;

static void on_output(const char *kind, const char *path, void *ud)
{
    seen *s = ud;
    cr_assert(exists(path), "announced %s does not exist", path);
    strcat(s->kinds, kind);
    strcat(s->kinds, " ");
}

Test(converter, mp4_h264_aac_is_remuxed_with_faststart)
{
    char err[256] = "";
    convert_result r;
    seen s = {""};
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 -f lavfi -i sine=duration=2 " X264
          "-c:a aac '%s'", in_tmp("in.mp4"));
    cr_assert_gt(box_offset(in_tmp("in.mp4"), "moov"), box_offset(in_tmp("in.mp4"), "mdat"));

    cr_assert_eq(convert_run_notify(in_tmp("in.mp4"), out_dir, NULL, &r, on_output, &s, err, sizeof(err)), 0,
                 "%s", err);
    cr_assert_str_eq(s.kinds, "audio video poster ");
    cr_assert_str_eq(r.probe.container, "mp4");
    cr_assert_eq(r.remuxed, 1);
    cr_assert_str_eq(r.video_name, "video.mp4");
    minfo v = inspect(r.video_path);
    cr_assert_eq(v.vcodec, AV_CODEC_ID_H264);
    cr_assert_eq(v.acodec, AV_CODEC_ID_AAC);
    cr_assert_eq(v.width, 320);
    cr_assert_eq(v.height, 240);
    cr_assert(fabs(v.duration - 2.0) < 0.1, "video.mp4 lasts %.3f s", v.duration);
    long moov = box_offset(r.video_path, "moov"), mdat = box_offset(r.video_path, "mdat");
    cr_assert(moov >= 0 && mdat > moov, "moov at %ld, mdat at %ld: not faststart", moov, mdat);
    check_wav(r.audio_path, 2.0);
    check_poster(&r);
}

/* ffmpeg 5.1 has no -display_rotation and its mov muxer ignores a "rotate"
 * tag, so the phone's rotation is added by copying the streams with a
 * display matrix, as a phone writes it. */
static void add_rotation(const char *in, const char *out, int clockwise)
{
    AVFormatContext *ic = NULL, *oc = NULL;
    AVPacket *pkt = av_packet_alloc();
    cr_assert_eq(avformat_open_input(&ic, in, NULL, NULL), 0);
    cr_assert_geq(avformat_find_stream_info(ic, NULL), 0);
    cr_assert_geq(avformat_alloc_output_context2(&oc, NULL, "mp4", out), 0);
    for (unsigned i = 0; i < ic->nb_streams; i++) {
        AVStream *os = avformat_new_stream(oc, NULL);
        cr_assert_geq(avcodec_parameters_copy(os->codecpar, ic->streams[i]->codecpar), 0);
        os->codecpar->codec_tag = 0;
        os->time_base = ic->streams[i]->time_base;
        if (os->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
            int32_t *m = (int32_t *)av_stream_new_side_data(os, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t));
            cr_assert_not_null(m);
            av_display_rotation_set(m, clockwise); /* clockwise; _get reads it back counter-clockwise */
        }
    }
    cr_assert_geq(avio_open(&oc->pb, out, AVIO_FLAG_WRITE), 0);
    cr_assert_geq(avformat_write_header(oc, NULL), 0);
    while (av_read_frame(ic, pkt) >= 0) {
        av_packet_rescale_ts(pkt, ic->streams[pkt->stream_index]->time_base,
                             oc->streams[pkt->stream_index]->time_base);
        pkt->pos = -1;
        cr_assert_geq(av_interleaved_write_frame(oc, pkt), 0);
    }
    cr_assert_geq(av_write_trailer(oc), 0);
    avio_closep(&oc->pb);
    avformat_free_context(oc);
    avformat_close_input(&ic);
    av_packet_free(&pkt);
}

/* A phone holds the camera upright but stores landscape frames with a
 * rotation: the left half of the stored frame is the top of the picture. */
Test(converter, rotated_phone_video_is_transcoded_upright)
{
    char err[256] = "";
    convert_result r;
    ts_sh(FF "-f lavfi -i color=c=black:s=640x360:r=15:d=2,drawbox=x=0:y=0:w=320:h=360:color=white:t=fill "
          "-f lavfi -i sine=duration=2 " X264 "-c:a aac '%s'",
       in_tmp("landscape.mp4"));
    add_rotation(in_tmp("landscape.mp4"), in_tmp("phone.mp4"), 90);

    cr_assert_eq(convert_run(in_tmp("phone.mp4"), out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(r.probe.rotation, 90);
    cr_assert_eq(r.probe.width, 640);
    cr_assert_eq(r.remuxed, 0);
    cr_assert_str_eq(r.video_name, "video.mp4");
    minfo v = inspect(r.video_path);
    cr_assert_eq(v.vcodec, AV_CODEC_ID_H264);
    cr_assert_eq(v.acodec, AV_CODEC_ID_AAC);
    cr_assert_eq(v.rotation, 0, "output still carries a rotation of %d", v.rotation);
    cr_assert_eq(v.width, 360);
    cr_assert_eq(v.height, 640);
    cr_assert_gt(v.top_luma, 200, "top is not white (%.0f): rotated the wrong way", v.top_luma);
    cr_assert_lt(v.bottom_luma, 50, "bottom is not black (%.0f)", v.bottom_luma);
    cr_assert(fabs(v.duration - 2.0) < 0.15, "video.mp4 lasts %.3f s", v.duration);
    cr_assert_gt(box_offset(r.video_path, "mdat"), box_offset(r.video_path, "moov"));
    minfo p = check_poster(&r);
    cr_assert_eq(p.width, 360);
    cr_assert_eq(p.height, 640);
    cr_assert_gt(p.top_luma, 200);
    cr_assert_lt(p.bottom_luma, 50);
    check_wav(r.audio_path, 2.0);
}

Test(converter, other_codec_is_transcoded_and_scaled)
{
    char err[256] = "";
    convert_result r;
    convert_limits lim = {.max_height = 360};
    ts_sh(FF "-f lavfi -i testsrc2=size=1280x720:rate=15:duration=2 -f lavfi -i sine=duration=2 "
          "-c:v mpeg4 -q:v 5 -c:a libmp3lame '%s'", in_tmp("old.avi"));

    cr_assert_eq(convert_run(in_tmp("old.avi"), out_dir, &lim, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(r.probe.container, "avi");
    cr_assert_str_eq(r.probe.video_codec, "mpeg4");
    cr_assert_str_eq(r.probe.audio_codec, "mp3");
    cr_assert_eq(r.remuxed, 0);
    minfo v = inspect(r.video_path);
    cr_assert_str_eq(v.format, "mov,mp4,m4a,3gp,3g2,mj2");
    cr_assert_eq(v.vcodec, AV_CODEC_ID_H264);
    cr_assert_eq(v.acodec, AV_CODEC_ID_AAC);
    cr_assert_eq(v.width, 640);
    cr_assert_eq(v.height, 360);
    cr_assert(fabs(v.duration - 2.0) < 0.15, "video.mp4 lasts %.3f s", v.duration);
    minfo p = check_poster(&r);
    cr_assert_eq(p.width, 640);
    cr_assert_eq(p.height, 360);
    check_wav(r.audio_path, 2.0);
}

Test(converter, audio_only_wav_gives_audio_only)
{
    char err[256] = "", names[512];
    convert_result r;
    ts_sh(FF "-f lavfi -i sine=frequency=300:sample_rate=44100:duration=2 -ac 2 '%s'", in_tmp("voice.wav"));

    cr_assert_eq(convert_run(in_tmp("voice.wav"), out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(r.probe.has_video, 0);
    cr_assert_str_eq(r.video_path, "");
    cr_assert_str_eq(r.poster_path, "");
    cr_assert_str_eq(r.video_name, "");
    check_wav(r.audio_path, 2.0);
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 1, "out_dir holds: %s", names);
}

Test(converter, audio_only_opus_webm_gives_audio_only)
{
    char err[256] = "", names[512];
    convert_result r;
    ts_sh(FF "-f lavfi -i sine=frequency=300:duration=2 -c:a libopus '%s'", in_tmp("voice.webm"));

    cr_assert_eq(convert_run(in_tmp("voice.webm"), out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_str_eq(r.probe.container, "webm");
    cr_assert_str_eq(r.probe.audio_codec, "opus");
    cr_assert_str_eq(r.video_path, "");
    check_wav(r.audio_path, 2.0);
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 1, "out_dir holds: %s", names);
}

Test(converter, video_without_audio_has_no_wav)
{
    char err[256] = "", names[512];
    convert_result r;
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 " VP8 "-an '%s'", in_tmp("mute.webm"));

    cr_assert_eq(convert_run(in_tmp("mute.webm"), out_dir, NULL, &r, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(r.probe.has_audio, 0);
    cr_assert_str_eq(r.audio_path, "");
    cr_assert_eq(r.remuxed, 1);
    minfo v = inspect(r.video_path);
    cr_assert_eq(v.has_audio, 0);
    cr_assert_eq(v.vcodec, AV_CODEC_ID_VP8);
    cr_assert(fabs(v.duration - 2.0) < 0.1, "video.webm lasts %.3f s", v.duration);
    check_poster(&r);
    cr_assert(!exists(in_out("audio.wav")));
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 2, "out_dir holds: %s", names);
}

static void expect_failure(const char *in, const convert_limits *lim, const char *want_err)
{
    char err[256] = "", names[512];
    convert_result r;
    mkdir(out_dir, 0755);
    cr_assert_eq(convert_run(in, out_dir, lim, &r, err, sizeof(err)), -1, "%s was accepted", in);
    cr_assert_str_eq(err, want_err);
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 0, "left in out_dir: %s", names);
    cr_assert_str_eq(r.audio_path, "");
    cr_assert_str_eq(r.video_path, "");
    cr_assert_str_eq(r.poster_path, "");
}

#define UNREADABLE "The uploaded file is not a video or audio recording we can read."

Test(converter, bad_inputs_fail_with_a_reason_and_leave_nothing)
{
    FILE *fp = fopen(in_tmp("empty.webm"), "wb");
    cr_assert_not_null(fp);
    fclose(fp);
    expect_failure(in_tmp("empty.webm"), NULL, "The uploaded file is empty.");

    ts_sh("head -c 65536 /dev/urandom > '%s'", in_tmp("noise.webm"));
    expect_failure(in_tmp("noise.webm"), NULL, UNREADABLE);

    fp = fopen(in_tmp("notes.webm"), "w");
    cr_assert_not_null(fp);
    for (int i = 0; i < 200; i++)
        fprintf(fp, "Line %d: this is a text file, not a recording.\n", i);
    fclose(fp);
    expect_failure(in_tmp("notes.webm"), NULL, UNREADABLE);

    expect_failure(in_tmp("missing.webm"), NULL, "The uploaded file could not be found.");

    /* An MP4 cut in half loses its index (moov, written last). */
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 -f lavfi -i sine=duration=2 " X264
          "-c:a aac '%s'", in_tmp("cut.mp4"));
    struct stat sb;
    cr_assert_eq(stat(in_tmp("cut.mp4"), &sb), 0);
    cr_assert_eq(truncate(in_tmp("cut.mp4"), sb.st_size / 2), 0);
    expect_failure(in_tmp("cut.mp4"), NULL, UNREADABLE);

    /* A WebM cut right after its header holds no frame at all. */
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 " VP8 "-an '%s'", in_tmp("cut.webm"));
    cr_assert_eq(truncate(in_tmp("cut.webm"), 400), 0);
    expect_failure(in_tmp("cut.webm"), NULL, UNREADABLE);
}

Test(converter, a_later_failure_removes_earlier_outputs)
{
    char err[256] = "", names[512];
    convert_result r;
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=1 -f lavfi -i sine=duration=1 " VP8
          "-c:a libopus '%s'", in_tmp("rec.webm"));
    /* A directory where the video goes makes the video step fail after the audio one. */
    cr_assert_eq(mkdir(out_dir, 0755), 0);
    cr_assert_eq(mkdir(in_out("video.webm"), 0755), 0);

    cr_assert_eq(convert_run(in_tmp("rec.webm"), out_dir, NULL, &r, err, sizeof(err)), -1);
    cr_assert(strstr(err, "could not store its video output"), "err: %s", err);
    cr_assert_eq(count_entries(out_dir, names, sizeof(names)), 1, "left in out_dir: %s", names);
    cr_assert(!exists(in_out("audio.wav")));
    cr_assert_str_eq(r.audio_path, "");
}

Test(converter, over_the_limits_fails_with_the_reason)
{
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=3 -f lavfi -i sine=duration=3 " VP8
          "-c:a libopus '%s'", in_tmp("long.webm"));
    convert_limits lim = {.max_duration_s = 1};
    expect_failure(in_tmp("long.webm"), &lim, "The recording is 3 seconds long; the limit is 1 second.");
    lim = (convert_limits){.max_bytes = 1000};
    char want[128];
    struct stat sb;
    cr_assert_eq(stat(in_tmp("long.webm"), &sb), 0);
    snprintf(want, sizeof(want), "The file is %.1f MB; the limit is 0.0 MB.", ceil(sb.st_size / 1e5) / 10);
    expect_failure(in_tmp("long.webm"), &lim, want);
}

Test(converter, probe_to_json_has_every_field)
{
    convert_probe p = {.duration_s = 24.5, .has_video = 1, .has_audio = 0, .width = 1280, .height = 720,
                       .fps = 30, .rotation = 90, .bit_rate = 800000, .size_bytes = 2450000};
    snprintf(p.container, sizeof(p.container), "mp4");
    snprintf(p.video_codec, sizeof(p.video_codec), "h264");
    json_t *j = convert_probe_to_json(&p);
    cr_assert_not_null(j);
    cr_assert_float_eq(json_real_value(json_object_get(j, "duration_s")), 24.5, 1e-9);
    cr_assert(json_is_true(json_object_get(j, "has_video")));
    cr_assert(json_is_false(json_object_get(j, "has_audio")));
    cr_assert_eq(json_integer_value(json_object_get(j, "width")), 1280);
    cr_assert_eq(json_integer_value(json_object_get(j, "height")), 720);
    cr_assert_float_eq(json_real_value(json_object_get(j, "fps")), 30, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(j, "rotation")), 90);
    cr_assert_eq(json_integer_value(json_object_get(j, "bit_rate")), 800000);
    cr_assert_eq(json_integer_value(json_object_get(j, "size_bytes")), 2450000);
    cr_assert_str_eq(json_string_value(json_object_get(j, "container")), "mp4");
    cr_assert_str_eq(json_string_value(json_object_get(j, "video_codec")), "h264");
    cr_assert_str_eq(json_string_value(json_object_get(j, "audio_codec")), "");
    cr_assert_eq(json_object_size(j), 12);
    json_decref(j);
}

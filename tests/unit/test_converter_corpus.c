/* The converter's test corpus: every kind of recording a candidate can make,
 * and the bad files they upload by mistake. Media with known ground truth is
 * made by the ffmpeg program (test media only) and cached in
 * $ISIM_TEST_MEDIA_DIR/converter-corpus, so a rerun only converts. Each
 * accepted file must come out playable (decoded to its end without an error),
 * with the right duration (within 0.1 s), size and orientation; each bad one
 * must fail with a sentence a candidate understands and leave no file. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
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
#define PICTURE "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 "
#define TONE "-f lavfi -i sine=frequency=440:duration=2 "
#define VP8 "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 300k "
#define X264 "-c:v libx264 -preset ultrafast -pix_fmt yuv420p "
/* The corpus's cache folder name: change it when a recipe changes. */
#define CORPUS "converter-corpus-v1"
#define PATHLEN 1536 /* corpus_dir() and a file name */
#define UNREADABLE "The uploaded file is not a video or audio recording we can read."

static char tmp[256], out_dir[PATH_MAX];

static void setup(void)
{
    ts_dir_new("isim-corpus", tmp, sizeof(tmp));
    snprintf(out_dir, sizeof(out_dir), "%s/out", tmp);
    av_log_set_level(AV_LOG_QUIET);
}

static void teardown(void)
{
    ts_dir_free(tmp);
}

/* Under valgrind the in-process transcodes take a minute or more each. */
TestSuite(corpus, .init = setup, .fini = teardown, .timeout = 900);

static const char *corpus_dir(void)
{
    static char dir[1024];
    const char *base = getenv("ISIM_TEST_MEDIA_DIR");
    snprintf(dir, sizeof(dir), "%.900s/" CORPUS, base && *base ? base : "/tmp/isim-test-media");
    return dir;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Path of a corpus file; made by recipe (a shell command, %s = where to
 * write, the name's extension kept) when not cached. Made under a temporary
 * name and renamed, as tests run in parallel. */
static const char *corpus_file(char *buf, const char *name, const char *recipe)
{
    char part[PATHLEN];
    ts_sh("mkdir -p '%s'", corpus_dir());
    snprintf(buf, PATHLEN, "%s/%.200s", corpus_dir(), name);
    if (exists(buf))
        return buf;
    snprintf(part, sizeof(part), "%s/part-%d-%s", corpus_dir(), (int)getpid(), name);
    ts_sh(recipe, part);
    cr_assert_eq(rename(part, buf), 0, "rename %s: %s", part, strerror(errno));
    return buf;
}

static int list_dir(const char *dir, char *names, size_t len)
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

/* ffmpeg 5.1 cannot write a display matrix, so a phone's rotation is added
 * by copying the streams into a new MP4 with one, as a phone writes it. */
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
            av_display_rotation_set(m, clockwise);
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

/* What an output holds, read back by decoding every packet of it. */
typedef struct played {
    char format[64];
    enum AVCodecID vcodec, acodec;
    int width, height;         /* every decoded frame has this size */
    int rotation;              /* display matrix left in the file */
    int sample_rate, channels, sample_fmt;
    long frames, errors;       /* decoded video frames / audio frames; decode errors */
    double container_s;        /* the duration the container announces */
    double video_end_s, audio_end_s;
    double top_luma, bottom_luma; /* first frame, top and bottom quarter */
    double rms;                /* of the decoded audio, s16 only */
} played;

static void first_frame_luma(const AVFrame *f, played *p)
{
    double top = 0, bottom = 0;
    int rows = f->height / 4;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < f->width; x++) {
            top += f->data[0][y * f->linesize[0] + x];
            bottom += f->data[0][(f->height - 1 - y) * f->linesize[0] + x];
        }
    p->top_luma = top / ((double)rows * f->width);
    p->bottom_luma = bottom / ((double)rows * f->width);
}

static void take_frame(played *p, const AVStream *st, const AVFrame *f, double *sum, long long *n)
{
    double tb = av_q2d(st->time_base);
    int64_t ts = f->best_effort_timestamp;
    if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
        if (p->frames == 0) {
            p->width = f->width;
            p->height = f->height;
            first_frame_luma(f, p);
        } else if (f->width != p->width || f->height != p->height) {
            p->errors++;
        }
        p->frames++;
        double end = (ts + f->pkt_duration) * tb;
        if (ts != AV_NOPTS_VALUE && end > p->video_end_s)
            p->video_end_s = end;
        return;
    }
    if (ts != AV_NOPTS_VALUE && ts * tb + (double)f->nb_samples / f->sample_rate > p->audio_end_s)
        p->audio_end_s = ts * tb + (double)f->nb_samples / f->sample_rate;
    if (f->format == AV_SAMPLE_FMT_S16)
        for (int i = 0; i < f->nb_samples * f->ch_layout.nb_channels; i++) {
            double s = ((const int16_t *)f->data[0])[i];
            *sum += s * s;
            (*n)++;
        }
}

static void drain(played *p, AVCodecContext *dec, const AVStream *st, const AVPacket *pkt, AVFrame *f,
                  double *sum, long long *n)
{
    if (avcodec_send_packet(dec, pkt) < 0) {
        p->errors++;
        return;
    }
    int ret;
    while ((ret = avcodec_receive_frame(dec, f)) == 0) {
        take_frame(p, st, f, sum, n);
        av_frame_unref(f);
    }
    if (ret != AVERROR(EAGAIN) && ret != AVERROR_EOF)
        p->errors++;
}

static played play(const char *path)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec[2] = {NULL, NULL};
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    played p = {0};
    double sum = 0;
    long long n = 0;

    cr_assert(pkt && f);
    cr_assert_eq(avformat_open_input(&fmt, path, NULL, NULL), 0, "cannot open %s", path);
    cr_assert_geq(avformat_find_stream_info(fmt, NULL), 0);
    snprintf(p.format, sizeof(p.format), "%s", fmt->iformat->name);
    p.container_s = fmt->duration == AV_NOPTS_VALUE ? -1 : (double)fmt->duration / AV_TIME_BASE;
    int idx[2] = {av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0),
                  av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0)};
    for (int k = 0; k < 2; k++) {
        if (idx[k] < 0)
            continue;
        AVCodecParameters *par = fmt->streams[idx[k]]->codecpar;
        const AVCodec *codec = avcodec_find_decoder(par->codec_id);
        cr_assert_not_null(codec);
        dec[k] = avcodec_alloc_context3(codec);
        cr_assert_not_null(dec[k]);
        cr_assert_geq(avcodec_parameters_to_context(dec[k], par), 0);
        dec[k]->pkt_timebase = fmt->streams[idx[k]]->time_base;
        cr_assert_eq(avcodec_open2(dec[k], codec, NULL), 0);
        if (k == 0) {
            const uint8_t *dm = av_stream_get_side_data(fmt->streams[idx[k]], AV_PKT_DATA_DISPLAYMATRIX, NULL);
            p.vcodec = par->codec_id;
            p.rotation = dm ? (int)lround(-av_display_rotation_get((const int32_t *)dm)) : 0;
        } else {
            p.acodec = par->codec_id;
            p.sample_rate = par->sample_rate;
            p.channels = par->ch_layout.nb_channels;
            p.sample_fmt = par->format;
        }
    }
    while (av_read_frame(fmt, pkt) >= 0) {
        for (int k = 0; k < 2; k++)
            if (dec[k] && pkt->stream_index == idx[k])
                drain(&p, dec[k], fmt->streams[idx[k]], pkt, f, &sum, &n);
        av_packet_unref(pkt);
    }
    for (int k = 0; k < 2; k++)
        if (dec[k])
            drain(&p, dec[k], fmt->streams[idx[k]], NULL, f, &sum, &n);
    p.rms = n ? sqrt(sum / n) : 0;
    for (int k = 0; k < 2; k++)
        avcodec_free_context(&dec[k]);
    av_frame_free(&f);
    av_packet_free(&pkt);
    avformat_close_input(&fmt);
    return p;
}

/* What a good recording must come out as. */
typedef struct want {
    double duration_s;
    const char *container;   /* as the probe names it */
    int has_video, has_audio;
    int width, height;       /* upright output size */
    int remuxed;
    enum AVCodecID vcodec;   /* of video.*, when remuxed */
    int rotation;            /* in the input */
    int white_on_top;        /* portrait clip: the top of the picture is white */
} want;

static void expect_close(const char *what, double have, double truth)
{
    cr_assert(fabs(have - truth) <= 0.1, "%s lasts %.3f s, the recording %.3f s", what, have, truth);
}

static void check_video(const convert_result *r, const want *w)
{
    played v = play(r->video_path);
    cr_assert_eq(v.errors, 0, "%s: %ld decode errors", r->video_path, v.errors);
    cr_assert_gt(v.frames, 0);
    cr_assert_eq(v.width, w->width, "width %d, want %d", v.width, w->width);
    cr_assert_eq(v.height, w->height, "height %d, want %d", v.height, w->height);
    cr_assert_eq(v.rotation, 0, "the output still needs a rotation of %d", v.rotation);
    expect_close("video (container)", v.container_s, w->duration_s);
    expect_close("video (last frame)", v.video_end_s, w->duration_s);
    if (w->remuxed) {
        cr_assert_eq(v.vcodec, w->vcodec);
    } else {
        cr_assert_str_eq(r->video_name, "video.mp4");
        cr_assert_eq(v.vcodec, AV_CODEC_ID_H264);
    }
    if (w->has_audio) {
        cr_assert_neq(v.acodec, AV_CODEC_ID_NONE, "the video lost its sound");
        expect_close("video's sound", v.audio_end_s, w->duration_s);
    } else {
        cr_assert_eq(v.acodec, AV_CODEC_ID_NONE);
    }
    if (w->white_on_top) {
        cr_assert_gt(v.top_luma, 200, "top is not white (%.0f): not upright", v.top_luma);
        cr_assert_lt(v.bottom_luma, 50, "bottom is not black (%.0f)", v.bottom_luma);
    }

    played poster = play(r->poster_path);
    cr_assert_eq(poster.vcodec, AV_CODEC_ID_MJPEG);
    cr_assert_eq(poster.width, w->width);
    cr_assert_eq(poster.height, w->height);
    if (w->white_on_top)
        cr_assert(poster.top_luma > 200 && poster.bottom_luma < 50, "poster not upright");
}

static void check_wav(const char *path, double truth)
{
    played a = play(path);
    cr_assert_str_eq(a.format, "wav");
    cr_assert_eq(a.errors, 0);
    cr_assert_eq(a.acodec, AV_CODEC_ID_PCM_S16LE);
    cr_assert_eq(a.sample_rate, 16000);
    cr_assert_eq(a.channels, 1);
    cr_assert_eq(a.sample_fmt, AV_SAMPLE_FMT_S16);
    expect_close("audio.wav", a.container_s, truth);
    expect_close("audio.wav (samples)", a.audio_end_s, truth);
    cr_assert_gt(a.rms, 1000, "audio.wav lost the tone (rms %.0f)", a.rms);
}

static void expect_converted(const char *in, const want *w)
{
    char err[256] = "", names[512];
    convert_result r;
    cr_assert_eq(convert_run(in, out_dir, NULL, &r, err, sizeof(err)), 0, "%s: %s", in, err);
    cr_assert_str_eq(r.probe.container, w->container);
    cr_assert_eq(r.probe.has_video, w->has_video);
    cr_assert_eq(r.probe.has_audio, w->has_audio);
    cr_assert_eq(r.probe.rotation, w->rotation);
    expect_close("the probe", r.probe.duration_s, w->duration_s);
    cr_assert_eq(r.remuxed, w->remuxed, "remuxed %d, want %d", r.remuxed, w->remuxed);
    int files = 0;
    if (w->has_audio) {
        check_wav(r.audio_path, w->duration_s);
        files++;
    } else {
        cr_assert_str_eq(r.audio_path, "");
    }
    if (w->has_video) {
        check_video(&r, w);
        files += 2;
    } else {
        cr_assert_str_eq(r.video_path, "");
        cr_assert_str_eq(r.poster_path, "");
    }
    /* Nothing else: no temporary file is left beside the outputs. */
    cr_assert_eq(list_dir(out_dir, names, sizeof(names)), files, "out_dir holds: %s", names);
}

static void expect_failure(const char *in, const convert_limits *lim, const char *want_err)
{
    char err[256] = "", names[512];
    convert_result r;
    cr_assert_eq(mkdir(out_dir, 0755), 0);
    cr_assert_eq(convert_run(in, out_dir, lim, &r, err, sizeof(err)), -1, "%s was accepted", in);
    cr_assert_str_eq(err, want_err);
    cr_assert_eq(list_dir(out_dir, names, sizeof(names)), 0, "left in out_dir: %s", names);
}

/* ---- accepted recordings ---- */

/* Chrome's MediaRecorder: VP8/Opus, streamed (no duration, no cues), and a
 * variable frame rate (frames dropped under load). */
Test(corpus, chrome_webm_vp8_opus_streamed_vfr)
{
    char in[PATHLEN];
    corpus_file(in, "chrome-vp8-opus.webm",
                FF PICTURE TONE "-vf \"select='not(eq(mod(n\\,5)\\,2))'\" -fps_mode vfr " VP8
                   "-c:a libopus -f webm pipe:1 > '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "webm", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_VP8});
}

Test(corpus, chrome_webm_vp9_opus)
{
    char in[PATHLEN];
    corpus_file(in, "chrome-vp9-opus.webm",
                FF PICTURE TONE "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "webm", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_VP9});
}

Test(corpus, firefox_webm_vp8_vorbis)
{
    char in[PATHLEN];
    corpus_file(in, "firefox-vp8-vorbis.webm", FF PICTURE TONE VP8 "-c:a libvorbis -f webm pipe:1 > '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "webm", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_VP8});
}

Test(corpus, mp4_h264_aac)
{
    char in[PATHLEN];
    corpus_file(in, "h264-aac.mp4", FF PICTURE TONE X264 "-c:a aac '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mp4", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_H264});
}

Test(corpus, iphone_mov_h264_aac)
{
    char in[PATHLEN];
    corpus_file(in, "iphone-h264-aac.mov", FF PICTURE TONE X264 "-c:a aac '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mov", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_H264});
}

/* Browsers other than Safari do not all play HEVC: transcoded. */
Test(corpus, mp4_hevc_aac)
{
    char in[PATHLEN];
    corpus_file(in, "hevc-aac.mp4",
                FF PICTURE TONE "-c:v libx265 -preset ultrafast -x265-params log-level=error "
                   "-tag:v hvc1 -pix_fmt yuv420p -c:a aac '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mp4", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240});
}

/* A phone held upright stores landscape frames and a rotation of 270
 * degrees: the right half of the stored frame is the top of the picture. */
Test(corpus, portrait_phone_mp4_comes_out_upright)
{
    char land[PATHLEN], in[PATHLEN];
    corpus_file(land, "phone-landscape.mp4",
                FF "-f lavfi -i color=c=black:s=640x360:r=15:d=2,drawbox=x=320:y=0:w=320:h=360:color=white:t=fill "
                   TONE X264 "-c:a aac '%s'");
    snprintf(in, sizeof(in), "%s/phone-portrait.mp4", corpus_dir());
    if (!exists(in)) {
        char part[PATHLEN];
        snprintf(part, sizeof(part), "%s/part-%d-phone-portrait.mp4", corpus_dir(), (int)getpid());
        add_rotation(land, part, 270);
        cr_assert_eq(rename(part, in), 0);
    }
    expect_converted(in, &(want){.duration_s = 2, .container = "mp4", .has_video = 1, .has_audio = 1,
                                 .width = 360, .height = 640, .rotation = 270, .white_on_top = 1});
}

Test(corpus, mkv_h264_flac)
{
    char in[PATHLEN];
    corpus_file(in, "obs-h264-flac.mkv", FF PICTURE TONE X264 "-c:a flac '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "matroska", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240});
}

Test(corpus, avi_mpeg4_mp3)
{
    char in[PATHLEN];
    corpus_file(in, "camera-mpeg4-mp3.avi", FF PICTURE TONE "-c:v mpeg4 -q:v 5 -c:a libmp3lame '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "avi", .has_video = 1, .has_audio = 1,
                                 .width = 320, .height = 240});
}

Test(corpus, video_without_sound)
{
    char in[PATHLEN];
    corpus_file(in, "mute-h264.mp4", FF PICTURE X264 "-an '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mp4", .has_video = 1, .width = 320,
                                 .height = 240, .remuxed = 1, .vcodec = AV_CODEC_ID_H264});
}

Test(corpus, audio_only_webm_opus)
{
    char in[PATHLEN];
    corpus_file(in, "voice-opus.webm", FF TONE "-c:a libopus -f webm pipe:1 > '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "webm", .has_audio = 1});
}

Test(corpus, audio_only_m4a)
{
    char in[PATHLEN];
    corpus_file(in, "voice-aac.m4a", FF TONE "-c:a aac '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mp4", .has_audio = 1});
}

Test(corpus, audio_only_mp3)
{
    char in[PATHLEN];
    corpus_file(in, "voice.mp3", FF TONE "-c:a libmp3lame -b:a 64k '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "mp3", .has_audio = 1});
}

Test(corpus, audio_only_wav_44k_stereo)
{
    char in[PATHLEN];
    corpus_file(in, "voice-44k-stereo.wav", FF "-f lavfi -i sine=frequency=440:sample_rate=44100:duration=2 -ac 2 '%s'");
    expect_converted(in, &(want){.duration_s = 2, .container = "wav", .has_audio = 1});
}

/* An upload cut off mid-stream is a shorter recording: what arrived is kept. */
Test(corpus, webm_cut_mid_stream_keeps_what_arrived)
{
    char whole[PATHLEN], in[PATHLEN], err[256] = "";
    convert_probe p;
    corpus_file(whole, "streamed-4s.webm",
                FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=4 -f lavfi -i sine=duration=4 " VP8
                   "-c:a libopus -f webm pipe:1 > '%s'");
    snprintf(in, sizeof(in), "%s/cut.webm", tmp);
    struct stat sb;
    cr_assert_eq(stat(whole, &sb), 0);
    ts_sh("head -c %lld '%s' > '%s'", (long long)sb.st_size / 2, whole, in);
    cr_assert_eq(convert_probe_file(in, &p, err, sizeof(err)), 0, "%s", err);
    cr_assert(p.duration_s > 0.5 && p.duration_s < 3.5, "a half file lasts %.3f s", p.duration_s);
    /* The truth is what the cut file decodes to. */
    played src = play(in);
    expect_converted(in, &(want){.duration_s = src.video_end_s, .container = "webm", .has_video = 1,
                                 .has_audio = 1, .width = 320, .height = 240, .remuxed = 1,
                                 .vcodec = AV_CODEC_ID_VP8});
}

/* ---- bad uploads ---- */

Test(corpus, zero_bytes)
{
    char in[PATHLEN];
    corpus_file(in, "empty.webm", ": > '%s'");
    expect_failure(in, NULL, "The uploaded file is empty.");
}

Test(corpus, random_bytes)
{
    char in[PATHLEN];
    uint64_t x = 0x9e3779b97f4a7c15u; /* xorshift64, seeded: every run meets the same bytes */
    snprintf(in, sizeof(in), "%s/random.webm", tmp);
    FILE *fp = fopen(in, "wb");
    cr_assert_not_null(fp);
    for (int i = 0; i < 200000 / 8; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        cr_assert_eq(fwrite(&x, sizeof(x), 1, fp), 1);
    }
    cr_assert_eq(fclose(fp), 0);
    expect_failure(in, NULL, UNREADABLE);
}

/* What random bytes met in CI once: a transport stream whose tables declare a
 * sound track that never comes (no sample rate, no channels). That is an
 * unreadable file, not a silent recording. */
Test(corpus, declared_track_without_data)
{
    char in[PATHLEN];
    corpus_file(in, "tables-only.ts",
                "{ " FF "-f lavfi -i sine=duration=1 -c:a mp2 -f mpegts pipe:1 2>/dev/null | head -c 564; i=0; "
                "while [ $i -lt 200 ]; do printf '\\107\\037\\377\\020'; "
                "head -c 184 /dev/zero | tr '\\000' '\\377'; i=$((i+1)); done; } > '%s'");
    expect_failure(in, NULL, UNREADABLE);
}

Test(corpus, subtitles_only)
{
    char in[PATHLEN];
    corpus_file(in, "subtitles-only.mkv",
                "printf '1\\n00:00:00,000 --> 00:00:01,500\\nHello.\\n\\n' | "
                FF "-f srt -i pipe:0 -c:s srt -f matroska '%s'");
    expect_failure(in, NULL, "The recording has neither sound nor picture.");
}

Test(corpus, text_named_webm)
{
    char in[PATHLEN];
    corpus_file(in, "notes.webm", "for i in $(seq 200); do echo \"Line $i: my notes for the interview.\"; done > '%s'");
    expect_failure(in, NULL, UNREADABLE);
}

Test(corpus, png_named_webm)
{
    char in[PATHLEN];
    corpus_file(in, "picture.webm", FF "-f lavfi -i testsrc2=size=320x240 -frames:v 1 -c:v png -f image2pipe pipe:1 > '%s'");
    expect_failure(in, NULL, UNREADABLE);
}

Test(corpus, mp4_cut_before_its_index)
{
    char whole[PATHLEN], in[PATHLEN];
    corpus_file(whole, "h264-aac.mp4", FF PICTURE TONE X264 "-c:a aac '%s'");
    snprintf(in, sizeof(in), "%s/cut.mp4", tmp);
    struct stat sb;
    cr_assert_eq(stat(whole, &sb), 0);
    ts_sh("head -c %lld '%s' > '%s'", (long long)sb.st_size * 2 / 3, whole, in);
    expect_failure(in, NULL, UNREADABLE);
}

Test(corpus, webm_with_corrupt_header)
{
    char whole[PATHLEN], in[PATHLEN];
    corpus_file(whole, "chrome-vp9-opus.webm",
                FF PICTURE TONE "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus '%s'");
    snprintf(in, sizeof(in), "%s/corrupt.webm", tmp);
    /* The EBML header and the segment's first elements overwritten. */
    ts_sh("cp '%s' '%s' && head -c 256 /dev/zero | dd of='%s' bs=1 seek=0 conv=notrunc status=none", whole, in, in);
    expect_failure(in, NULL, UNREADABLE);
}

/* An AVI whose picture is in a codec nobody here decodes (FourCC ZZZZ). */
Test(corpus, unsupported_codec)
{
    char in[PATHLEN];
    corpus_file(in, "unknown-codec.avi", FF PICTURE TONE "-c:v mpeg4 -tag:v ZZZZ -strict -1 -c:a libmp3lame '%s'");
    expect_failure(in, NULL,
                   "The recording's picture is in a format we cannot read (ZZZZ). Please record again in the "
                   "browser, or upload an MP4 or WebM file.");
}

Test(corpus, too_long)
{
    char in[PATHLEN];
    corpus_file(in, "chrome-vp9-opus.webm",
                FF PICTURE TONE "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus '%s'");
    expect_failure(in, &(convert_limits){.max_duration_s = 1},
                   "The recording is 2 seconds long; the limit is 1 second.");
}

Test(corpus, too_large)
{
    char in[PATHLEN], want_err[128];
    corpus_file(in, "h264-aac.mp4", FF PICTURE TONE X264 "-c:a aac '%s'");
    struct stat sb;
    cr_assert_eq(stat(in, &sb), 0);
    cr_assert_gt(sb.st_size, 20000);
    snprintf(want_err, sizeof(want_err), "The file is %.1f MB; the limit is 0.0 MB.", ceil(sb.st_size / 1e5) / 10);
    expect_failure(in, &(convert_limits){.max_bytes = 10000}, want_err);
}

/* convert_run: probe, check limits, then the outputs in the order the
 * pipeline needs them: audio first (transcription waits for it), then the
 * video (remuxed when browsers already play it, else transcoded), then the
 * poster. Each output is written under a temporary name and renamed when
 * complete; a failed run removes every output it made. A step that failed
 * for lack of space makes the run return CONVERT_E_NO_SPACE. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert_internal.h"

#define POSTER_AT_S 1.0

typedef struct run_ctx {
    const char *in_path, *out_dir;
    convert_result *res;
    convert_output_fn on_output;
    void *ud;
    char part[PATH_MAX];
} run_ctx;

static int out_path(const char *dir, const char *prefix, const char *name, const char *suffix,
                    char *buf, char *err, size_t errlen)
{
    int n = snprintf(buf, PATH_MAX, "%s/%s%s%s", dir, prefix, name, suffix);
    if (n < 0 || n >= PATH_MAX) {
        conv_err(err, errlen, "The converter's output folder name is too long.");
        return -1;
    }
    return 0;
}

/* Renames the finished temporary file to dir/name and announces it. */
static int publish(run_ctx *c, const char *kind, const char *name, char *final, char *err, size_t errlen)
{
    if (out_path(c->out_dir, "", name, "", final, err, errlen) < 0)
        return -1;
    if (rename(c->part, final) != 0) {
        int e = errno;
        conv_err(err, errlen, "The converter could not store its %s output (%s).", kind, strerror(e));
        final[0] = '\0';
        return conv_fail_code(AVERROR(e));
    }
    if (c->on_output)
        c->on_output(kind, final, c->ud);
    return 0;
}

static int make_audio(run_ctx *c, char *err, size_t errlen)
{
    int ret;
    if (out_path(c->out_dir, ".", "audio.wav", ".part", c->part, err, errlen) < 0)
        return -1;
    if ((ret = conv_extract_audio(c->in_path, c->part, err, errlen)) < 0)
        return ret;
    return publish(c, "audio", "audio.wav", c->res->audio_path, err, errlen);
}

static int pix_420(int pix_fmt)
{
    return pix_fmt == AV_PIX_FMT_YUV420P || pix_fmt == AV_PIX_FMT_YUVJ420P;
}

/* Which output container a browser already plays this recording in, or NULL. */
static const char *playable_as(const convert_probe *p, int pix_fmt)
{
    if (p->rotation != 0 || !pix_420(pix_fmt))
        return NULL;
    if (!strcmp(p->container, "webm") && (!strcmp(p->video_codec, "vp8") || !strcmp(p->video_codec, "vp9")) &&
        (!p->has_audio || !strcmp(p->audio_codec, "opus") || !strcmp(p->audio_codec, "vorbis")))
        return "webm";
    if ((!strcmp(p->container, "mp4") || !strcmp(p->container, "mov")) && !strcmp(p->video_codec, "h264") &&
        (!p->has_audio || !strcmp(p->audio_codec, "aac")))
        return "mp4";
    return NULL;
}

static int make_video(run_ctx *c, const convert_limits *lim, int pix_fmt, char *err, size_t errlen)
{
    convert_result *r = c->res;
    const char *remux_fmt = playable_as(&r->probe, pix_fmt);
    int ret;

    snprintf(r->video_name, sizeof(r->video_name), "video.%s", remux_fmt ? remux_fmt : "mp4");
    if (out_path(c->out_dir, ".", r->video_name, ".part", c->part, err, errlen) < 0)
        return -1;
    if (remux_fmt)
        ret = conv_remux(c->in_path, c->part, remux_fmt, !strcmp(remux_fmt, "mp4"), err, errlen);
    else
        ret = conv_transcode(c->in_path, c->part, r->probe.rotation, lim->max_height, err, errlen);
    if (ret < 0)
        return ret;
    r->remuxed = remux_fmt != NULL;
    return publish(c, "video", r->video_name, r->video_path, err, errlen);
}

static int make_poster(run_ctx *c, const convert_limits *lim, char *err, size_t errlen)
{
    double at = c->res->probe.duration_s * 0.1;
    if (at > POSTER_AT_S)
        at = POSTER_AT_S;
    int ret;
    if (out_path(c->out_dir, ".", "poster.jpg", ".part", c->part, err, errlen) < 0)
        return -1;
    if ((ret = conv_poster(c->in_path, c->part, c->res->probe.rotation, lim->max_height, at, err, errlen)) < 0)
        return ret;
    return publish(c, "poster", "poster.jpg", c->res->poster_path, err, errlen);
}

static void remove_outputs(convert_result *r)
{
    char *paths[] = {r->audio_path, r->video_path, r->poster_path};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        if (paths[i][0])
            unlink(paths[i]);
        paths[i][0] = '\0';
    }
    r->video_name[0] = '\0';
    r->remuxed = 0;
}

int convert_run_notify(const char *in_path, const char *out_dir, const convert_limits *lim,
                       convert_result *res, convert_output_fn on_output, void *ud,
                       char *err, size_t errlen)
{
    run_ctx c = {.in_path = in_path, .out_dir = out_dir, .res = res, .on_output = on_output, .ud = ud};
    convert_limits l = lim ? *lim : (convert_limits){0};
    int pix_fmt, ret = -1;

    memset(res, 0, sizeof(*res));
    if (l.max_height <= 0)
        l.max_height = 720;
    if (conv_probe(in_path, &res->probe, &pix_fmt, err, errlen) < 0 ||
        conv_check_limits(&res->probe, &l, err, errlen) < 0)
        goto out;
    if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
        int e = errno;
        conv_err(err, errlen, "The converter could not create its output folder (%s).", strerror(e));
        ret = conv_fail_code(AVERROR(e));
        goto out;
    }
    if (res->probe.has_audio && (ret = make_audio(&c, err, errlen)) < 0)
        goto out;
    if (res->probe.has_video &&
        ((ret = make_video(&c, &l, pix_fmt, err, errlen)) < 0 || (ret = make_poster(&c, &l, err, errlen)) < 0))
        goto out;
    ret = 0;
out:
    if (c.part[0])
        unlink(c.part); /* the step that failed, if any; a published part is gone already */
    if (ret < 0)
        remove_outputs(res);
    return ret;
}

int convert_run(const char *in_path, const char *out_dir, const convert_limits *lim,
                convert_result *res, char *err, size_t errlen)
{
    return convert_run_notify(in_path, out_dir, lim, res, NULL, NULL, err, errlen);
}

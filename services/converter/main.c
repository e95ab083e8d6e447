/* converter: interview.uploaded -> normalised media in S3 -> interview.converted */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "isim_log.h"
#include "isim_util.h"
#include "service_main.h"
#include "stage_io.h"

/* The message whose audio was announced last. The worker tries a message
 * again in-process when a later step fails for a while (storage away): the
 * retry must not announce the audio again, or the transcriber would
 * transcribe the same answer once per try. */
typedef struct converter_stage {
    char topic[128];
    int partition;
    long long offset; /* -1: nothing announced yet */
} converter_stage;

static int converter_announced(const converter_stage *st, const kw_message *m)
{
    return st->offset >= 0 && st->offset == m->offset && st->partition == m->partition &&
           strcmp(st->topic, m->topic) == 0;
}

/* Announces audio.wav as soon as it exists, so transcription (the slow path)
 * never waits for a video transcode (DESIGN principle 8). */
typedef struct audio_announce {
    kafka_worker *w;
    const kw_message *m;
    service_ctx *ctx;
    convert_result *res;
    int done;          /* announced, by this try or an earlier one */
    kw_result failure; /* KW_OK, or why announcing failed */
    char err[512];
} audio_announce;

static kw_result converter_announce_audio(audio_announce *a, const char *path)
{
    converter_stage *st = a->ctx->stage;
    char key[128];
    json_t *msg = json_pack("{s:o}", "probe", convert_probe_to_json(&a->res->probe));
    kw_result r = KW_OK;
    if (path) {
        snprintf(key, sizeof(key), "media/%s/audio.wav", a->m->interview_id);
        r = stage_upload(a->ctx, key, path, "audio/wav", a->err, sizeof(a->err));
        json_object_set_new(msg, "audio_key", r == KW_OK ? json_string(key) : json_null());
    } else {
        json_object_set_new(msg, "audio_key", json_null());
    }
    if (r == KW_OK && kafka_worker_emit(a->w, a->m, KW_TOPIC_AUDIO_EXTRACTED, msg, a->err, sizeof(a->err)) != 0)
        r = KW_RETRY;
    json_decref(msg);
    a->done = r == KW_OK;
    if (a->done) {
        snprintf(st->topic, sizeof(st->topic), "%s", a->m->topic);
        st->partition = a->m->partition;
        st->offset = a->m->offset;
    }
    return r;
}

static void converter_on_output(const char *kind, const char *path, void *ud)
{
    audio_announce *a = ud;
    if (strcmp(kind, "audio") == 0 && a->failure == KW_OK && !a->done)
        a->failure = converter_announce_audio(a, path);
}

static kw_result converter_handle(kafka_worker *w, const kw_message *m, void *user, char *err,
                                  size_t errlen)
{
    service_ctx *ctx = user;
    kw_result r = KW_FAIL;
    char dir[4096] = "", input[4200], key[256];
    convert_result res;
    json_t *out = NULL;
    const char *raw_key = json_string_value(json_object_get(m->body, "raw_key"));
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "raw/%s/", m->interview_id);
    if (!raw_key || strncmp(raw_key, prefix, strlen(prefix)) != 0 || strstr(raw_key, "..")) {
        snprintf(err, errlen, "The upload reference is invalid.");
        goto out;
    }
    if (util_tempdir_new(ctx->cfg.work_dir, dir, sizeof(dir), err, errlen) != 0) {
        r = KW_RETRY;
        dir[0] = '\0';
        goto out;
    }
    snprintf(input, sizeof(input), "%s/input", dir);
    /* Exactly the object the gateway checked (its ETag), not one written over it since. */
    const char *etag = json_string_value(json_object_get(m->body, "raw_etag"));
    r = stage_download_if(ctx, raw_key, input, ctx->cfg.max_upload_bytes, etag, "recording", err, errlen);
    if (r != KW_OK)
        goto out;

    convert_limits lim = {.max_bytes = ctx->cfg.max_upload_bytes,
                          .max_duration_s = ctx->cfg.max_duration_s, .max_height = 720};
    memset(&res, 0, sizeof(res));
    converter_stage *st = ctx->stage;
    audio_announce ann = {.w = w, .m = m, .ctx = ctx, .res = &res, .failure = KW_OK,
                          .done = converter_announced(st, m)};
    int crc = convert_run_notify(input, dir, &lim, &res, converter_on_output, &ann, err, errlen);
    if (crc == CONVERT_E_NO_SPACE) {
        /* A full work disk is ours, not the recording's: try again later. */
        log_warn("work folder %s is full: %s", ctx->cfg.work_dir, err);
        snprintf(err, errlen, "The converter ran out of disk space for the recording; please try again later.");
        r = KW_RETRY;
        goto out;
    }
    if (crc != 0) {
        r = KW_FAIL;
        goto out;
    }
    if (ann.failure == KW_OK && !ann.done) /* no sound track: say so, transcription ends quickly */
        ann.failure = converter_announce_audio(&ann, NULL);
    if (ann.failure != KW_OK) {
        snprintf(err, errlen, "%s", ann.err);
        r = ann.failure;
        goto out;
    }
    out = json_pack("{s:o}", "probe", convert_probe_to_json(&res.probe));
    json_object_set_new(out, "remuxed", json_boolean(res.remuxed));
    struct { const char *path, *name, *type, *field; } parts[] = {
        {res.audio_path, "audio.wav", "audio/wav", "audio_key"},
        {res.video_path, res.video_name, strstr(res.video_name, "webm") ? "video/webm" : "video/mp4", "video_key"},
        {res.poster_path, "poster.jpg", "image/jpeg", "poster_key"},
    };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!parts[i].path[0]) {
            json_object_set_new(out, parts[i].field, json_null());
            continue;
        }
        snprintf(key, sizeof(key), "media/%s/%s", m->interview_id, parts[i].name);
        /* The audio was stored when it was announced: not sent twice. */
        if (i == 0 && ann.done) {
            json_object_set_new(out, parts[i].field, json_string(key));
            continue;
        }
        r = stage_upload(ctx, key, parts[i].path, parts[i].type, err, errlen);
        if (r != KW_OK)
            goto out;
        json_object_set_new(out, parts[i].field, json_string(key));
    }
    if (kafka_worker_emit(w, m, KW_TOPIC_CONVERTED, out, err, errlen) != 0) {
        r = KW_RETRY;
        goto out;
    }
    log_info("converted: %.2f s, video %s, audio %s, %s", res.probe.duration_s,
             res.probe.video_codec, res.probe.audio_codec, res.remuxed ? "remuxed" : "transcoded");
    r = KW_OK;
out:
    json_decref(out);
    if (dir[0])
        util_tempdir_free(dir);
    return r;
}

static int converter_init(service_ctx *ctx, char *err, size_t errlen)
{
    converter_stage *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    st->offset = -1;
    ctx->stage = st;
    return 0;
}

static void converter_release(service_ctx *ctx)
{
    free(ctx->stage);
    ctx->stage = NULL;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_UPLOADED, NULL};
    service_def def = {.name = "converter", .stage = "converter", .default_port = 9101,
                       .topics = topics, .needs_s3 = 1, .handler = converter_handle,
                       .init = converter_init, .release = converter_release};
    return service_main(&def);
}

/* transcriber: interview.audio-extracted (audio.wav) -> interview.transcribed */
#include <stdio.h>
#include <stdlib.h>

#include "isim_log.h"
#include "isim_util.h"
#include "service_main.h"
#include "stage_io.h"
#include "transcribe.h"
#include "transcribe_langs.h"

/* The engine stays loaded between messages (pocketsphinx decoders). */
typedef struct transcriber_stage {
    transcribe_opts opts;
    transcriber *tr;
    transcribe_langs *langs;
} transcriber_stage;

static int transcriber_init(service_ctx *ctx, char *err, size_t errlen)
{
    const isim_config *c = &ctx->cfg;
    transcriber_stage *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    st->opts = transcribe_opts_from_config(c);
    if (transcribe_langs_load(c->data_dir, c->transcribe_prompt, &st->langs, err, errlen) < 0 ||
        transcriber_new(&st->opts, &st->tr, err, errlen) < 0) {
        transcribe_langs_free(st->langs);
        free(st);
        return -1;
    }
    ctx->stage = st;
    const char *url = st->opts.url && st->opts.url[0] ? st->opts.url : NULL;
    log_info("transcription engine %s%s%s", transcriber_engine_name(&st->opts), url ? " at " : "", url ? url : "");
    return 0;
}

static void transcriber_release(service_ctx *ctx)
{
    transcriber_stage *st = ctx->stage;
    if (!st)
        return;
    transcriber_free(st->tr);
    transcribe_langs_free(st->langs);
    free(st);
    ctx->stage = NULL;
}

static kw_result transcriber_handle(kafka_worker *w, const kw_message *m, void *user, char *err,
                                    size_t errlen)
{
    service_ctx *ctx = user;
    kw_result r = KW_FAIL;
    char dir[4096] = "", wav_buf[4200];
    json_t *transcript = NULL, *out = NULL;
    const char *wav = NULL;
    transcriber_stage *st = ctx->stage;
    const char *asked = json_string_value(json_object_get(m->body, "language"));
    transcribe_call call;
    if (transcribe_langs_call(st->langs, asked, &call, err, errlen) != 0)
        return KW_FAIL;
    if (util_tempdir_new(ctx->cfg.work_dir, dir, sizeof(dir), err, errlen) != 0) {
        dir[0] = '\0';
        r = KW_RETRY;
        goto out;
    }
    r = stage_fetch_media(ctx, m, "audio_key", dir, "audio.wav", "audio track", wav_buf,
                          sizeof(wav_buf), &wav, err, errlen);
    if (r != KW_OK)
        goto out;
    r = KW_FAIL;
    if (!wav) {
        /* No sound track: an empty transcript, and the report says so. */
        double d = json_number_value(json_object_get(json_object_get(m->body, "probe"), "duration_s"));
        transcript = json_pack("{s:s, s:f, s:s, s:[], s:s}", "engine", "none", "duration_s", d,
                               "text", "", "words", "note", "The recording has no sound track.");
        json_object_set_new(transcript, "segments", json_array());
    } else if (transcriber_run_call(st->tr, wav, &call, &transcript, err, errlen) != 0) {
        goto out;
    }
    if (transcribe_langs_finish(st->langs, asked, transcript) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    out = json_pack("{s:O}", "transcript", transcript);
    if (kafka_worker_emit(w, m, KW_TOPIC_TRANSCRIBED, out, err, errlen) != 0) {
        r = KW_RETRY;
        goto out;
    }
    log_info("transcribed %zu words in %s with %s",
             json_array_size(json_object_get(transcript, "words")),
             json_string_value(json_object_get(transcript, "language")),
             json_string_value(json_object_get(transcript, "engine")));
    r = KW_OK;
out:
    json_decref(transcript);
    json_decref(out);
    if (dir[0])
        util_tempdir_free(dir);
    return r;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_AUDIO_EXTRACTED, NULL};
    service_def def = {.name = "transcriber", .stage = "transcriber", .default_port = 9102,
                       .topics = topics, .needs_s3 = 1, .handler = transcriber_handle,
                       .init = transcriber_init, .release = transcriber_release};
    return service_main(&def);
}

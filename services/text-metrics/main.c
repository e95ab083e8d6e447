/* text-metrics: interview.transcribed -> interview.text-metrics */
#include <stdio.h>

#include "isim_log.h"
#include "service_main.h"
#include "tm_languages.h"
#include "tmetrics.h"

static kw_result text_metrics_handle(kafka_worker *w, const kw_message *m, void *user, char *err,
                                     size_t errlen)
{
    const tm_languages *langs = ((service_ctx *)user)->stage;
    kw_result r = KW_FAIL;
    json_t *metrics = NULL, *out = NULL;
    const json_t *transcript = json_object_get(m->body, "transcript");
    const tm_lexicon *lex = tm_languages_pick(langs, transcript, err, errlen);
    if (!lex || tmetrics_compute(lex, transcript, &metrics, err, errlen) != 0)
        goto out;
    out = json_pack("{s:O}", "metrics", metrics);
    if (kafka_worker_emit(w, m, KW_TOPIC_TEXT_METRICS, out, err, errlen) != 0) {
        r = KW_RETRY;
        goto out;
    }
    log_info("text metrics (%s): %.0f wpm", lex->lang, json_number_value(json_object_get(metrics, "wpm")));
    r = KW_OK;
out:
    json_decref(metrics);
    json_decref(out);
    return r;
}

static int text_metrics_init(service_ctx *ctx, char *err, size_t errlen)
{
    tm_languages *langs = NULL;
    if (tm_languages_load(ctx->cfg.data_dir, &langs, err, errlen) != 0)
        return -1;
    ctx->stage = langs;
    return 0;
}

static void text_metrics_release(service_ctx *ctx)
{
    tm_languages_free(ctx->stage);
    ctx->stage = NULL;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_TRANSCRIBED, NULL};
    service_def def = {.name = "text-metrics", .stage = "text-metrics", .default_port = 9104,
                       .topics = topics, .needs_s3 = 0, .handler = text_metrics_handle,
                       .init = text_metrics_init, .release = text_metrics_release};
    return service_main(&def);
}

/* text-metrics: interview.transcribed -> interview.text-metrics */
#include <stdio.h>

#include "isim_log.h"
#include "service_main.h"
#include "tmetrics.h"

static kw_result text_metrics_handle(kafka_worker *w, const kw_message *m, void *user, char *err,
                                     size_t errlen)
{
    (void)user;
    kw_result r = KW_FAIL;
    json_t *metrics = NULL, *out = NULL;
    const json_t *transcript = json_object_get(m->body, "transcript");
    if (tmetrics_compute(transcript, &metrics, err, errlen) != 0)
        goto out;
    out = json_pack("{s:O}", "metrics", metrics);
    if (kafka_worker_emit(w, m, KW_TOPIC_TEXT_METRICS, out, err, errlen) != 0) {
        r = KW_RETRY;
        goto out;
    }
    log_info("text metrics: %.0f wpm", json_number_value(json_object_get(metrics, "wpm")));
    r = KW_OK;
out:
    json_decref(metrics);
    json_decref(out);
    return r;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_TRANSCRIBED, NULL};
    service_def def = {.name = "text-metrics", .stage = "text-metrics", .default_port = 9104,
                       .topics = topics, .needs_s3 = 0, .handler = text_metrics_handle};
    return service_main(&def);
}

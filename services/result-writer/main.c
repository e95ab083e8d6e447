/* result-writer: every result topic and the status topic -> PostgreSQL rows,
 * the assembled report, and live progress on Redis pub/sub. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_params.h"
#include "isim_log.h"
#include "llm_review.h"
#include "relevance_semantic.h"
#include "pg_db.h"
#include "report.h"
#include "report_langs.h"
#include "report_score.h"
#include "redis_pub.h"
#include "rw_store.h"
#include "service_main.h"

typedef struct rw_state {
    PGconn *db;
    redis_pub *redis;
    json_t *rubric;
    report_langs *langs;
    llm_opts llm;
    embed_opts embed;
    rw_report_cfg report;
} rw_state;

static void rw_publish(rw_state *s, const kw_message *m, const char *event)
{
    char status[32] = "", reason[1024] = "", err[512];
    if (rw_store_status_of(s->db, m->interview_id, status, sizeof(status), reason, sizeof(reason),
                           err, sizeof(err)) != RW_OK)
        return;
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "interview_id", m->interview_id, "event", event,
                          "status", status, "topic", m->topic);
    if (reason[0])
        json_object_set_new(j, "reason", json_string(reason));
    const char *stage = json_string_value(json_object_get(m->body, "stage"));
    const char *state = json_string_value(json_object_get(m->body, "state"));
    if (stage && state) {
        json_object_set_new(j, "stage", json_string(stage));
        json_object_set_new(j, "state", json_string(state));
    }
    char *text = json_dumps(j, JSON_COMPACT);
    char channel[80];
    snprintf(channel, sizeof(channel), "interview:%s", m->interview_id);
    if (text && redis_pub_publish(s->redis, channel, text, err, sizeof(err)) != 0)
        log_warn("progress not published: %s", err); /* best effort: Redis holds no record */
    free(text);
    json_decref(j);
}

static kw_result rw_handle(kafka_worker *w, const kw_message *m, void *user, char *err, size_t errlen)
{
    (void)w;
    rw_state *s = ((service_ctx *)user)->stage;
    const char *id = m->interview_id;
    int rc = RW_ERR, completed = 0;
    const char *event = "progress";

    if (strcmp(m->topic, KW_TOPIC_STATUS) == 0) {
        const char *stage = json_string_value(json_object_get(m->body, "stage"));
        const char *state = json_string_value(json_object_get(m->body, "state"));
        const char *reason = json_string_value(json_object_get(m->body, "reason"));
        if (!stage || !state || (strcmp(state, "started") && strcmp(state, "finished") && strcmp(state, "failed"))) {
            snprintf(err, errlen, "status message without a valid stage and state");
            return KW_FAIL;
        }
        int failed_now = 0;
        rc = rw_store_status(s->db, id, stage, state, reason, &failed_now, err, errlen);
        if (failed_now) /* as "complete": once, when this message ended the interview */
            event = "failed";
    } else if (strcmp(m->topic, KW_TOPIC_CONVERTED) == 0) {
        rc = rw_store_converted(s->db, id, m->body, err, errlen);
    } else if (strcmp(m->topic, KW_TOPIC_TRANSCRIBED) == 0) {
        rc = rw_store_transcript(s->db, id, json_object_get(m->body, "transcript"), err, errlen);
    } else if (strcmp(m->topic, KW_TOPIC_VIDEO_METRICS) == 0) {
        rc = rw_store_metrics(s->db, id, "video", json_object_get(m->body, "metrics"), err, errlen);
    } else if (strcmp(m->topic, KW_TOPIC_TEXT_METRICS) == 0) {
        rc = rw_store_metrics(s->db, id, "text", json_object_get(m->body, "metrics"), err, errlen);
    }
    if (rc == RW_GONE) {
        log_warn("interview %s no longer exists; %s ignored", id, m->topic);
        return KW_OK;
    }
    if (rc == RW_OK && strcmp(m->topic, KW_TOPIC_STATUS) != 0)
        rc = rw_store_try_complete(s->db, id, &s->report, &completed, err, errlen);
    if (rc == RW_ERR)
        return KW_RETRY; /* the database is the only thing that can fail here */
    if (completed) {
        event = "complete";
        log_info("report stored; interview complete");
    }
    rw_publish(s, m, event);
    return KW_OK;
}

/* A message of ours that cannot be used (dead-lettered by the worker): the
 * result-writer sends no status events, so it marks the interview failed
 * itself, as a "result-writer" stage, and says so on the progress channel. */
static int rw_on_failed(kafka_worker *w, const kw_message *m, void *user, const char *reason, char *err,
                        size_t errlen)
{
    (void)w;
    rw_state *s = ((service_ctx *)user)->stage;
    int failed_now = 0;
    int rc = rw_store_status(s->db, m->interview_id, "result-writer", "failed", reason, &failed_now, err, errlen);
    if (rc == RW_ERR)
        return -1;
    if (failed_now)
        rw_publish(s, m, "failed");
    return 0;
}

static int rw_init(service_ctx *ctx, char *err, size_t errlen)
{
    rw_state *s = calloc(1, sizeof(*s));
    if (!s)
        return -1;
    ctx->stage = s;
    if (score_rubric_load(ctx->cfg.rubric_path, &s->rubric, err, errlen) != 0 ||
        report_langs_load(ctx->cfg.data_dir, &s->langs, err, errlen) != 0 ||
        report_langs_check_rubric(s->langs, s->rubric, err, errlen) != 0)
        return -1;
    s->llm = (llm_opts){.url = ctx->cfg.llm_url, .model = ctx->cfg.llm_model,
                        .api_key = ctx->cfg.llm_api_key, .timeout_s = ctx->cfg.llm_timeout_s,
                        .retries = ctx->cfg.llm_retries};
    s->embed = (embed_opts){.url = ctx->cfg.embed_url, .model = ctx->cfg.embed_model,
                            .timeout_s = ctx->cfg.embed_timeout_s};
    s->report = (rw_report_cfg){.rubric = s->rubric, .langs = s->langs, .llm = &s->llm, .embed = &s->embed};
    if (s->llm.url[0])
        log_info("AI review on: %s model %s, timeout %d s", s->llm.url, s->llm.model, s->llm.timeout_s);
    if (s->embed.url[0])
        log_info("semantic relevance on: %s, timeout %d s", s->embed.url, s->embed.timeout_s);
    s->db = pg_connect(ctx->cfg.pg_dsn, 60, err, errlen);
    if (!s->db)
        return -1;
    redis_params rp = config_redis_params(&ctx->cfg);
    s->redis = redis_pub_new(&rp);
    return 0;
}

static void rw_release(service_ctx *ctx)
{
    rw_state *s = ctx->stage;
    if (!s)
        return;
    if (s->db)
        PQfinish(s->db);
    redis_pub_free(s->redis);
    json_decref(s->rubric);
    report_langs_free(s->langs);
    free(s);
    ctx->stage = NULL;
}

static int rw_ready(service_ctx *ctx)
{
    rw_state *s = ctx->stage;
    return s && s->db && PQstatus(s->db) == CONNECTION_OK;
}

int main(void)
{
    static const char *const topics[] = {KW_TOPIC_STATUS, KW_TOPIC_CONVERTED, KW_TOPIC_TRANSCRIBED,
                                         KW_TOPIC_VIDEO_METRICS, KW_TOPIC_TEXT_METRICS, NULL};
    service_def def = {.name = "result-writer", .stage = NULL, .default_port = 9105,
                       .topics = topics, .needs_s3 = 0, .handler = rw_handle, .init = rw_init,
                       .release = rw_release, .ready = rw_ready, .on_failed = rw_on_failed};
    return service_main(&def);
}

/* Interviews: create, list (cursor pagination, filters), get, mark uploaded;
 * delete is gw_erase.c, the history of scores and figures gw_history.c. Every
 * query names the user: another user's interview does not exist (404). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_access.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_log.h"
#include "isim_util.h"
#include "kafka_worker.h"
#include "pg_db.h"
#include "question.h"

#define GW_QUESTION_MAX 2000
#define GW_LIST_DEFAULT 20
#define GW_LIST_MAX 100

void gw_interview_create(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"question", "question_id", "size_bytes", "language", NULL};
    char id[ISIM_UUID_LEN + 1], key[128], err[512];
    s3_client *s3 = NULL;
    PGresult *qr = NULL;
    char *url = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    json_t *jq = json_object_get(body, "question"), *jqid = json_object_get(body, "question_id");
    const char *question = json_string_value(jq), *question_id = json_string_value(jqid);
    if ((jq != NULL) == (jqid != NULL)) {
        gw_send_error(conn, 422, "invalid_question",
                      "Give either \"question\" (the question as text) or \"question_id\" (from /v1/questions).");
        goto out;
    }
    if (jq && (!question || !*question || gw_utf8_len(question) > GW_QUESTION_MAX)) {
        gw_send_error(conn, 422, "invalid_question",
                      "\"question\" must be the interview question as text of 1 to %d characters.",
                      GW_QUESTION_MAX);
        goto out;
    }
    if (jqid) {
        const char *qp[] = {question_id, u->id};
        if (!question_id || !question_id_valid(question_id)) {
            gw_send_error(conn, 422, "unknown_question", "\"question_id\" must name a question of /v1/questions.");
            goto out;
        }
        if (gw_db_query(app, "SELECT text, retired_at IS NOT NULL, language FROM questions q WHERE id = $1 AND "
                             GW_SQL_OFFERED("$2::uuid", "q"), 2, qp, &qr,
                        err, sizeof(err)) != 0) {
            gw_db_unavailable(conn, err);
            goto out;
        }
        if (PQntuples(qr) == 0) {
            gw_send_error(conn, 422, "unknown_question", "No question has the id \"%s\".", question_id);
            goto out;
        }
        if (strcmp(PQgetvalue(qr, 0, 1), "t") == 0) {
            gw_send_error(conn, 422, "retired_question", "The question \"%s\" has been retired; pick another.",
                          question_id);
            goto out;
        }
        question = PQgetvalue(qr, 0, 0);
    }
    /* The language asked for; else the question's (a bank question in a
     * language no longer listed falls back to the default); else the default. */
    json_t *jlang = json_object_get(body, "language");
    const lang_entry *le = NULL;
    const char *language = app->langs.v[0].code;
    if (jlang) {
        const char *asked = json_string_value(jlang);
        le = lang_find(&app->langs, asked);
        if (!le && !(asked && strcmp(asked, LANG_AUTO) == 0)) {
            char codes[256];
            lang_list_codes(&app->langs, codes, sizeof(codes));
            gw_send_error(conn, 422, "unsupported_language",
                          "\"language\" must be one of %s, or auto to detect it from the answer (GET /v1/languages).",
                          codes);
            goto out;
        }
        language = le ? le->code : LANG_AUTO;
    } else if (qr && (le = lang_find(&app->langs, PQgetvalue(qr, 0, 2)))) {
        language = le->code;
    }
    /* The upload URL is bound to the size given here (a signed Content-Length):
     * without it there is none, and the recording goes through the gateway,
     * which bounds what it takes. */
    json_t *jsize = json_object_get(body, "size_bytes");
    if (jsize && (!json_is_integer(jsize) || json_integer_value(jsize) < 1 ||
                  json_integer_value(jsize) > app->cfg.max_upload_bytes)) {
        gw_send_error(conn, 422, "invalid_size", "\"size_bytes\" must be the recording's size, 1 byte to %lld MB.",
                      app->cfg.max_upload_bytes >> 20);
        goto out;
    }
    if (util_uuid_v4(id) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    snprintf(key, sizeof(key), "raw/%s/recording", id);
    s3 = jsize ? s3_client_new(&app->s3p, err, sizeof(err)) : NULL;
    url = s3 ? s3_presign_put(s3, key, json_integer_value(jsize), app->cfg.presign_expires_s, err, sizeof(err)) : NULL;
    if (jsize && !url) {
        gw_log(ISIM_LOG_ERROR, "presign: %s", err);
        gw_send_error(conn, 503, "storage_unavailable", "Storage is not available right now.");
        goto out;
    }
    char trace[56];
    util_traceparent_new(trace);
    const char *p[] = {id, question, key, trace, question_id, u->id, language};
    if (gw_db_query(app, "INSERT INTO interviews (id, question, raw_key, trace_id, question_id, user_id, language) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7)", 7, p, NULL, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    log_set_trace_context(trace, id);
    gw_log(ISIM_LOG_INFO, "interview created");
    char length[24];
    snprintf(length, sizeof(length), "%lld", jsize ? (long long)json_integer_value(jsize) : 0LL);
    json_t *upload = url ? json_pack("{s:s, s:s, s:s, s:i, s:{s:s}}", "method", "PUT", "url", url, "key", key,
                                     "expires_in", app->cfg.presign_expires_s, "headers", "Content-Length", length)
                         : json_null();
    json_t *resp = json_pack("{s:s, s:s, s:s, s:o}", "id", id, "status", "created", "question", question, "upload",
                             upload);
    json_object_set_new(resp, "question_id", question_id ? json_string(question_id) : json_null());
    json_object_set_new(resp, "language", json_string(language));
    gw_send_json(conn, 201, resp);
out:
    free(url);
    s3_client_free(s3);
    PQclear(qr);
    json_decref(body);
}

/* Fills *why; returns -1 so that a refusal is one statement. */
static int gw_refuse(gw_refusal *why, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int gw_refuse(gw_refusal *why, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    why->status = status;
    why->code = code;
    vsnprintf(why->message, sizeof(why->message), fmt, ap);
    va_end(ap);
    return -1;
}

void gw_refusal_send(struct mg_connection *conn, const gw_refusal *why)
{
    gw_send_error(conn, why->status, why->code, "%s", why->message);
}

int gw_recording_submit(gw_app *app, const char *id, const char *raw_key, const char *question,
                        const char *language, const char *trace, const char *missing, gw_refusal *why)
{
    char err[512];
    int rc = -1;
    s3_client *s3 = s3_client_new(&app->s3p, err, sizeof(err));
    json_t *msg = NULL;
    long long size = -1;
    char etag[S3_ETAG_MAX] = "";
    int hrc = s3 ? s3_head(s3, raw_key, &size, etag, err, sizeof(err)) : S3_ERR_TRANSIENT;
    if (hrc == S3_NOT_FOUND) {
        gw_refuse(why, 409, "upload_missing", "%s", missing);
        goto out;
    }
    if (hrc != S3_OK) {
        gw_log(ISIM_LOG_ERROR, "head %s: %s", raw_key, err);
        gw_refuse(why, 503, "storage_unavailable", "Storage is not available right now.");
        goto out;
    }
    if (size == 0) {
        gw_refuse(why, 422, "upload_empty", "The uploaded file is empty: please record and upload your answer again.");
        goto out;
    }
    if (size > app->cfg.max_upload_bytes) {
        gw_refuse(why, 413, "upload_too_large", "The uploaded file is %lld MB; the limit is %lld MB.", size >> 20,
                  app->cfg.max_upload_bytes >> 20);
        goto out;
    }
    msg = json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "version", 1, "interview_id", id, "raw_key", raw_key,
                    "question", question, "size_bytes", (json_int_t)size, "language", language);
    /* The converter takes exactly the object checked here: one written over
     * it afterwards (the upload URL lives on) has another ETag. */
    if (msg && etag[0])
        json_object_set_new(msg, "raw_etag", json_string(etag));
    if (kafka_producer_send(app->kafka, KW_TOPIC_UPLOADED, id, msg, trace, NULL, 10000, err, sizeof(err)) != 0) {
        gw_log(ISIM_LOG_ERROR, "%s", err);
        gw_refuse(why, 503, "queue_unavailable", "The processing queue is not available right now; try again.");
        goto out;
    }
    gw_log(ISIM_LOG_INFO, "recording of %lld bytes sent for processing", size);
    rc = 0;
out:
    json_decref(msg);
    s3_client_free(s3);
    return rc;
}

void gw_interview_uploaded(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id, u->id};
    if (gw_db_query(app, "SELECT status, raw_key, question, trace_id, language FROM interviews WHERE id = $1 AND user_id = $2",
                    2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    const char *status = PQgetvalue(r, 0, 0), *raw_key = PQgetvalue(r, 0, 1);
    const char *trace = PQgetvalue(r, 0, 3);
    log_set_trace_context(trace, id);
    if (strcmp(status, "created") != 0) {
        /* Already submitted: answering the same again makes the call idempotent. */
        gw_send_json(conn, 202, json_pack("{s:s, s:s}", "id", id, "status", status));
        goto out;
    }
    gw_refusal why;
    if (gw_recording_submit(app, id, raw_key, PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 4), trace,
                            "No recording has been uploaded for this interview yet: PUT it to the upload URL first.",
                            &why) != 0) {
        gw_refusal_send(conn, &why);
        goto out;
    }
    if (gw_db_query(app, "UPDATE interviews SET status = 'uploaded', updated_at = now() "
                         "WHERE id = $1 AND status = 'created'", 1, p, NULL, err, sizeof(err)) != 0)
        gw_log(ISIM_LOG_WARN, "status not updated (processing continues): %s", err);
    gw_send_json(conn, 202, json_pack("{s:s, s:s}", "id", id, "status", "uploaded"));
out:
    PQclear(r);
}

void gw_interview_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    s3_client *s3 = NULL;
    const char *p[] = {id, u->id};
    if (gw_db_pool_exec_prepared(app->db, GW_STMT_INTERVIEW_GET,
                    "SELECT json_build_object('id', i.id, 'user', json_build_object('id', i.user_id, "
                    "    'name', (SELECT name FROM users WHERE id = i.user_id)), "
                    "  'question', i.question, 'question_id', i.question_id, "
                    "  'status', i.status, 'failure_reason', i.failure_reason, 'created_at', i.created_at, "
                    "  'updated_at', i.updated_at, 'completed_at', i.completed_at, 'language', i.language, "
                    "  'detected_language', CASE WHEN i.language = 'auto' THEN t.language END, "
                    "  'language_probability', CASE WHEN i.language = 'auto' THEN t.language_probability END, "
                    "  'stages', COALESCE((SELECT json_object_agg(stage, json_build_object('state', state, "
                    "      'reason', reason, 'started_at', started_at, 'finished_at', finished_at, "
                    "      'duration_s', extract(epoch FROM finished_at - started_at)::float8)) "
                    "    FROM stage_events WHERE interview_id = i.id), '{}'::json), "
                    "  'report', (SELECT report FROM reports WHERE interview_id = i.id), "
                    /* Every answer of this person to the same question (this one
                     * too), oldest first, for comparing retakes side by side. */
                    "  'attempts', (SELECT json_agg(json_build_object('id', e.id, 'created_at', e.created_at, "
                    "      'status', e.status, 'score', er.report->'score') ORDER BY e.created_at, e.id) "
                    "    FROM (SELECT * FROM interviews e WHERE e.user_id = i.user_id AND "
                    "      ((i.question_id IS NOT NULL AND e.question_id = i.question_id) OR "
                    "       (i.question_id IS NULL AND e.question_id IS NULL AND e.question = i.question)) "
                    "      ORDER BY e.created_at DESC LIMIT 10) e LEFT JOIN reports er ON er.interview_id = e.id))::text, "
                    "  i.video_key, i.poster_key "
                    "FROM interviews i LEFT JOIN transcripts t ON t.interview_id = i.id "
                    "WHERE i.id = $1 AND " GW_SQL_SEES("$2::uuid", "i.user_id"),
                    2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    json_t *j = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    if (!j) {
        gw_send_error(conn, 500, "internal", "stored interview could not be read");
        goto out;
    }
    const char *fields[][2] = {{"video_url", PQgetvalue(r, 0, 1)}, {"poster_url", PQgetvalue(r, 0, 2)}};
    if (*fields[0][1] || *fields[1][1])
        s3 = s3_client_new(&app->s3p, err, sizeof(err));
    for (int i = 0; i < 2; i++) {
        char *url = s3 && *fields[i][1] ? s3_presign_get(s3, fields[i][1], app->cfg.presign_expires_s, err, sizeof(err)) : NULL;
        json_object_set_new(j, fields[i][0], url ? json_string(url) : json_null());
        free(url);
    }
    gw_send_json(conn, 200, j);
out:
    s3_client_free(s3);
    PQclear(r);
}

/* Cursor: "<created_at in µs since the epoch>.<id>" of the last item shown. */
static int gw_cursor_parse(const char *s, char us[24], char id[ISIM_UUID_LEN + 1])
{
    const char *dot = strchr(s, '.');
    size_t n = dot ? (size_t)(dot - s) : 0;
    if (n == 0 || n > 18 || strlen(dot + 1) != ISIM_UUID_LEN || !util_uuid_valid(dot + 1))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    memcpy(us, s, n);
    us[n] = '\0';
    memcpy(id, dot + 1, ISIM_UUID_LEN + 1);
    return 0;
}

void gw_interview_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char err[512], status[32] = "", qid[QUESTION_ID_MAX + 2] = "", cursor[128] = "", limit_s[16] = "";
    char cur_us[24] = "", cur_id[ISIM_UUID_LEN + 1] = "", limit_sql[16], owner[ISIM_UUID_LEN + 1];
    PGresult *r = NULL;
    int limit = GW_LIST_DEFAULT;
    int has_status = gw_query_param(conn, "status", status, sizeof(status));
    int has_qid = gw_query_param(conn, "question_id", qid, sizeof(qid));
    int has_cursor = gw_query_param(conn, "cursor", cursor, sizeof(cursor));
    int has_limit = gw_query_param(conn, "limit", limit_s, sizeof(limit_s));
    /* A coach lists a member's interviews; anyone else's are no one's to list. */
    if (gw_list_owner(conn, app, u, owner) != 0)
        goto out;
    static const char *const statuses[] = {"created", "uploaded", "processing", "complete", "failed"};
    int status_ok = 0;
    for (size_t i = 0; i < 5 && has_status == 1; i++)
        status_ok |= strcmp(status, statuses[i]) == 0;
    if (has_status && !status_ok) {
        gw_send_error(conn, 422, "invalid_parameter",
                      "\"status\" must be one of created, uploaded, processing, complete, failed.");
        goto out;
    }
    if (has_qid && (has_qid < 0 || !question_id_valid(qid))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"question_id\" is not a question id.");
        goto out;
    }
    if (has_cursor && (has_cursor < 0 || gw_cursor_parse(cursor, cur_us, cur_id) != 0)) {
        gw_send_error(conn, 422, "invalid_parameter", "\"cursor\" must be a next_cursor from a previous page.");
        goto out;
    }
    if (has_limit) {
        char *end = NULL;
        long v = has_limit > 0 ? strtol(limit_s, &end, 10) : 0;
        if (has_limit < 0 || !end || *end || end == limit_s || v < 1 || v > GW_LIST_MAX) {
            gw_send_error(conn, 422, "invalid_parameter", "\"limit\" must be a number from 1 to %d.", GW_LIST_MAX);
            goto out;
        }
        limit = (int)v;
    }
    snprintf(limit_sql, sizeof(limit_sql), "%d", limit + 1);
    /* gw_list_owner has checked that u may see owner's interviews. */
    const char *p[] = {owner, has_status ? status : NULL, has_qid ? qid : NULL,
                       has_cursor ? cur_us : NULL, has_cursor ? cur_id : NULL, limit_sql};
    if (gw_db_query(app,
                    "SELECT json_build_object('id', id, 'question', question, 'question_id', question_id, "
                    "  'status', status, 'failure_reason', failure_reason, 'created_at', created_at, "
                    "  'completed_at', completed_at, 'language', language)::text, "
                    "  (extract(epoch FROM created_at) * 1000000)::bigint || '.' || id "
                    "FROM interviews WHERE user_id = $1 "
                    "  AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR question_id = $3) "
                    "  AND ($4::bigint IS NULL OR (created_at, id) < "
                    "       ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::uuid)) "
                    "ORDER BY created_at DESC, id DESC LIMIT $6::int",
                    6, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    int rows = PQntuples(r);
    json_t *list = json_array();
    for (int i = 0; i < rows && i < limit; i++) {
        json_t *item = json_loads(PQgetvalue(r, i, 0), 0, NULL);
        if (item)
            json_array_append_new(list, item);
    }
    json_t *next = rows > limit ? json_string(PQgetvalue(r, limit - 1, 1)) : json_null();
    gw_send_json(conn, 200, json_pack("{s:o, s:o}", "interviews", list, "next_cursor", next));
out:
    PQclear(r);
}

#include "gw_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_http.h"
#include "isim_log.h"
#include "isim_util.h"
#include "kafka_worker.h"
#include "pg_db.h"

#define GW_QUESTION_MAX 2000

static int gw_db_query(gw_app *app, const char *sql, int n, const char *const *params,
                       PGresult **out, char *err, size_t errlen)
{
    PGconn *c = gw_db_pool_acquire(app->db);
    int rc = pg_exec(c, sql, n, params, out, err, errlen);
    gw_db_pool_release(app->db, c);
    return rc;
}

static void gw_create(struct mg_connection *conn, gw_app *app)
{
    char id[ISIM_UUID_LEN + 1], key[128], err[512];
    s3_client *s3 = NULL;
    char *url = NULL;
    json_t *body = gw_read_json(conn);
    if (!body)
        return;
    const char *question = json_string_value(json_object_get(body, "question"));
    if (!question || !*question || strlen(question) > GW_QUESTION_MAX) {
        gw_send_error(conn, 422, "invalid_question",
                      "\"question\" must be the interview question as text of 1 to %d characters.",
                      GW_QUESTION_MAX);
        goto out;
    }
    if (util_uuid_v4(id) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    snprintf(key, sizeof(key), "raw/%s/recording", id);
    s3 = s3_client_new(&app->s3p, err, sizeof(err));
    url = s3 ? s3_presign_put(s3, key, app->cfg.presign_expires_s, err, sizeof(err)) : NULL;
    if (!url) {
        log_error("presign: %s", err);
        gw_send_error(conn, 503, "storage_unavailable", "Storage is not available right now.");
        goto out;
    }
    char trace[56], trace_id[33];
    util_traceparent_new(trace);
    util_traceparent_trace_id(trace, trace_id);
    const char *p[] = {id, question, key, trace};
    if (gw_db_query(app, "INSERT INTO interviews (id, question, raw_key, trace_id) VALUES ($1, $2, $3, $4)",
                    4, p, NULL, err, sizeof(err)) != 0) {
        log_error("%s", err);
        gw_send_error(conn, 503, "database_unavailable", "The database is not available right now.");
        goto out;
    }
    log_set_context(trace_id, id);
    log_info("interview created");
    gw_send_json(conn, 201,
                 json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:i}}", "id", id, "status", "created",
                           "question", question, "upload", "method", "PUT", "url", url, "key", key,
                           "expires_in", app->cfg.presign_expires_s));
out:
    log_clear_context();
    free(url);
    s3_client_free(s3);
    json_decref(body);
}

static void gw_uploaded(struct mg_connection *conn, gw_app *app, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    s3_client *s3 = NULL;
    json_t *msg = NULL;
    const char *p[] = {id};
    if (gw_db_query(app, "SELECT status, raw_key, question, trace_id FROM interviews WHERE id = $1",
                    1, p, &r, err, sizeof(err)) != 0) {
        log_error("%s", err);
        gw_send_error(conn, 503, "database_unavailable", "The database is not available right now.");
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    const char *status = PQgetvalue(r, 0, 0), *raw_key = PQgetvalue(r, 0, 1);
    const char *trace = PQgetvalue(r, 0, 3);
    char trace_id[33] = "";
    util_traceparent_trace_id(trace, trace_id);
    log_set_context(trace_id, id);
    if (strcmp(status, "created") != 0) {
        /* Already submitted: answering the same again makes the call idempotent. */
        gw_send_json(conn, 202, json_pack("{s:s, s:s}", "id", id, "status", status));
        goto out;
    }
    s3 = s3_client_new(&app->s3p, err, sizeof(err));
    long long size = -1;
    int hrc = s3 ? s3_head(s3, raw_key, &size, err, sizeof(err)) : S3_ERR_TRANSIENT;
    if (hrc == S3_NOT_FOUND) {
        gw_send_error(conn, 409, "upload_missing",
                      "No recording has been uploaded for this interview yet: PUT it to the upload URL first.");
        goto out;
    }
    if (hrc != S3_OK) {
        log_error("head %s: %s", raw_key, err);
        gw_send_error(conn, 503, "storage_unavailable", "Storage is not available right now.");
        goto out;
    }
    if (size == 0) {
        gw_send_error(conn, 422, "upload_empty", "The uploaded file is empty: please record and upload your answer again.");
        goto out;
    }
    if (size > app->cfg.max_upload_bytes) {
        gw_send_error(conn, 413, "upload_too_large", "The uploaded file is %lld MB; the limit is %lld MB.",
                      size >> 20, app->cfg.max_upload_bytes >> 20);
        goto out;
    }
    msg = json_pack("{s:i, s:s, s:s, s:s, s:I}", "version", 1, "interview_id", id, "raw_key", raw_key,
                    "question", PQgetvalue(r, 0, 2), "size_bytes", (json_int_t)size);
    if (kafka_producer_send(app->kafka, KW_TOPIC_UPLOADED, id, msg, trace, NULL, 10000, err, sizeof(err)) != 0) {
        log_error("%s", err);
        gw_send_error(conn, 503, "queue_unavailable", "The processing queue is not available right now; try again.");
        goto out;
    }
    if (gw_db_query(app, "UPDATE interviews SET status = 'uploaded', updated_at = now() "
                         "WHERE id = $1 AND status = 'created'", 1, p, NULL, err, sizeof(err)) != 0)
        log_warn("status not updated (processing continues): %s", err);
    log_info("upload of %lld bytes accepted", size);
    gw_send_json(conn, 202, json_pack("{s:s, s:s}", "id", id, "status", "uploaded"));
out:
    log_clear_context();
    json_decref(msg);
    s3_client_free(s3);
    PQclear(r);
}

static void gw_get(struct mg_connection *conn, gw_app *app, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    s3_client *s3 = NULL;
    const char *p[] = {id};
    if (gw_db_query(app,
                    "SELECT json_build_object('id', i.id, 'question', i.question, 'status', i.status, "
                    "  'failure_reason', i.failure_reason, 'created_at', i.created_at, "
                    "  'updated_at', i.updated_at, 'completed_at', i.completed_at, "
                    "  'stages', COALESCE((SELECT json_object_agg(stage, json_build_object('state', state, "
                    "      'reason', reason, 'started_at', started_at, 'finished_at', finished_at)) "
                    "    FROM stage_events WHERE interview_id = i.id), '{}'::json), "
                    "  'report', (SELECT report FROM reports WHERE interview_id = i.id))::text, "
                    "  i.video_key, i.poster_key "
                    "FROM interviews i WHERE i.id = $1",
                    1, p, &r, err, sizeof(err)) != 0) {
        log_error("%s", err);
        gw_send_error(conn, 503, "database_unavailable", "The database is not available right now.");
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
    s3 = s3_client_new(&app->s3p, err, sizeof(err));
    const char *fields[][2] = {{"video_url", PQgetvalue(r, 0, 1)}, {"poster_url", PQgetvalue(r, 0, 2)}};
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

static void gw_list(struct mg_connection *conn, gw_app *app)
{
    char err[512];
    PGresult *r = NULL;
    if (gw_db_query(app,
                    "SELECT COALESCE(json_agg(json_build_object('id', id, 'question', question, "
                    "  'status', status, 'failure_reason', failure_reason, 'created_at', created_at, "
                    "  'completed_at', completed_at) ORDER BY created_at DESC), '[]'::json)::text "
                    "FROM (SELECT * FROM interviews ORDER BY created_at DESC LIMIT 100) i",
                    0, NULL, &r, err, sizeof(err)) != 0) {
        log_error("%s", err);
        gw_send_error(conn, 503, "database_unavailable", "The database is not available right now.");
        goto out;
    }
    json_t *list = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    gw_send_json(conn, 200, json_pack("{s:o}", "interviews", list ? list : json_array()));
out:
    PQclear(r);
}

int gw_api_handle(struct mg_connection *conn, void *cbdata)
{
    gw_app *app = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "";
    const char *method = ri->request_method;
    char id[ISIM_UUID_LEN + 1] = "";
    const char *base = "/v1/interviews";
    size_t blen = strlen(base);

    if (strcmp(uri, base) == 0) {
        if (strcmp(method, "POST") == 0)
            gw_create(conn, app);
        else if (strcmp(method, "GET") == 0)
            gw_list(conn, app);
        else
            gw_send_error(conn, 405, "method_not_allowed", "Use GET or POST on %s.", base);
        return 1;
    }
    if (strncmp(uri, base, blen) == 0 && uri[blen] == '/') {
        const char *rest = uri + blen + 1;
        const char *slash = strchr(rest, '/');
        size_t idlen = slash ? (size_t)(slash - rest) : strlen(rest);
        if (idlen == ISIM_UUID_LEN) {
            memcpy(id, rest, ISIM_UUID_LEN);
            id[ISIM_UUID_LEN] = '\0';
        }
        if (!util_uuid_valid(id)) {
            gw_send_error(conn, 404, "not_found", "No interview has this id.");
            return 1;
        }
        if (!slash && strcmp(method, "GET") == 0) {
            gw_get(conn, app, id);
            return 1;
        }
        if (slash && strcmp(slash, "/uploaded") == 0 && strcmp(method, "POST") == 0) {
            gw_uploaded(conn, app, id);
            return 1;
        }
        if (!slash || strcmp(slash, "/uploaded") == 0) {
            gw_send_error(conn, 405, "method_not_allowed", "This method is not allowed here.");
            return 1;
        }
    }
    gw_send_error(conn, 404, "not_found", "No such endpoint: %s %s", method, uri);
    return 1;
}

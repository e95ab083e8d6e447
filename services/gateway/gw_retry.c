/* POST /v1/interviews/{id}/retry: process an interview again from its stored
 * recording, e.g. after the cause of its failure (a dead-lettered message,
 * an outage past the retry deadline) is repaired. The owner may retry a
 * failed interview; an administrator also one stuck in "uploaded" or
 * "processing". */
#include <string.h>

#include "gw_api.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_log.h"

/* Back to "uploaded" with no reason, stage events or partial results (a
 * stale part must not complete the report before its fresh one arrives), if
 * still in the state read: 1 when reset, 0 when it changed meanwhile, -1 on
 * error. */
static int gw_retry_reset(gw_app *app, const char *id, const char *status, char *err, size_t errlen)
{
    PGresult *r = NULL;
    const char *p[] = {id, status};
    if (gw_db_query(app,
                    "WITH reset AS (UPDATE interviews SET status = 'uploaded', failure_reason = NULL, "
                    "    probe = NULL, completed_at = NULL, updated_at = now() "
                    "    WHERE id = $1 AND status = $2 RETURNING id), "
                    "  events AS (DELETE FROM stage_events WHERE interview_id IN (SELECT id FROM reset)), "
                    "  parts AS (DELETE FROM transcripts WHERE interview_id IN (SELECT id FROM reset)), "
                    "  metrics AS (DELETE FROM metrics WHERE interview_id IN (SELECT id FROM reset)) "
                    "SELECT count(*) FROM reset",
                    2, p, &r, err, errlen) != 0)
        return -1;
    int reset = strcmp(PQgetvalue(r, 0, 0), "1") == 0;
    PQclear(r);
    return reset;
}

void gw_interview_retry(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    int admin = strcmp(u->role, "admin") == 0;
    const char *p[] = {id, u->id, admin ? "true" : "false"};
    if (gw_db_query(app,
                    "SELECT status, raw_key, question, trace_id, failure_reason, language FROM interviews "
                    "WHERE id = $1 AND (user_id = $2 OR $3::boolean)",
                    3, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    const char *status = PQgetvalue(r, 0, 0), *raw_key = PQgetvalue(r, 0, 1);
    const char *trace = PQgetvalue(r, 0, 3);
    const char *reason = PQgetisnull(r, 0, 4) ? NULL : PQgetvalue(r, 0, 4);
    log_set_trace_context(trace, id);
    if (strcmp(status, "created") == 0) {
        gw_send_error(conn, 409, "not_uploaded", "This interview has no recording yet: upload one first.");
        goto out;
    }
    if (strcmp(status, "complete") == 0) {
        gw_send_error(conn, 409, "already_complete", "This interview is complete; record a new answer to try again.");
        goto out;
    }
    if (strcmp(status, "failed") != 0 && !admin) {
        gw_send_error(conn, 409, "in_progress", "This interview is still being processed.");
        goto out;
    }
    int reset = gw_retry_reset(app, id, status, err, sizeof(err));
    if (reset < 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (reset == 0) {
        gw_send_error(conn, 409, "changed", "This interview changed just now; look at it again before retrying.");
        goto out;
    }
    gw_refusal why;
    if (gw_recording_submit(app, id, raw_key, PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 5), trace,
                            "The recording of this interview is no longer stored, so it cannot be processed "
                            "again. Please record a new answer.",
                            &why) != 0) {
        /* Not sent: put back what it was, so that it can be retried again,
         * before answering (a client reading it after the answer sees it). */
        const char *q[] = {id, status, reason};
        if (gw_db_query(app, "UPDATE interviews SET status = $2, failure_reason = $3, updated_at = now() "
                             "WHERE id = $1 AND status = 'uploaded'", 3, q, NULL, err, sizeof(err)) != 0)
            gw_log(ISIM_LOG_ERROR, "retry not sent and status not restored: %s", err);
        gw_refusal_send(conn, &why);
        goto out;
    }
    gw_log(ISIM_LOG_INFO, "retried from status %s by %s", status, admin ? "an administrator" : "its owner");
    gw_send_json(conn, 202, json_pack("{s:s, s:s}", "id", id, "status", "uploaded"));
out:
    PQclear(r);
}

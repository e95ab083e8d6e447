/* GET /v1/interviews/{id}/events: Server-Sent Events fed by the Redis
 * channel "interview:<id>" that result-writer publishes to. The database is
 * read first (a snapshot, and the end when the interview is already done) and
 * again every few seconds, so a lost Redis message or a Redis outage only
 * delays an event. The stream ends when the interview completes or fails,
 * after 30 s when it is still waiting for its recording; a user holds at most
 * GW_SSE_MAX_PER_USER streams, the gateway GW_SSE_MAX_STREAMS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_signal.h"
#include "isim_util.h"

#define GW_SSE_POLL_MS 2000
#define GW_SSE_KEEPALIVE_S 15
#define GW_SSE_MAX_S 3600
#define GW_SSE_WAITING_MAX_S 30

/* Current status into status[32] and failure reason; 1 found, 0 gone, -1 error. */
static int gw_sse_status(gw_app *app, const char *id, const char *user, char status[32], json_t **reason)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id, user};
    int rc = -1;
    if (gw_db_query(app, "SELECT status, failure_reason FROM interviews WHERE id = $1 AND user_id = $2", 2, p,
                    &r, err, sizeof(err)) != 0)
        goto out;
    rc = PQntuples(r) == 1;
    if (rc) {
        snprintf(status, 32, "%s", PQgetvalue(r, 0, 0));
        *reason = PQgetisnull(r, 0, 1) ? json_null() : json_string(PQgetvalue(r, 0, 1));
    }
out:
    PQclear(r);
    return rc;
}

static int gw_sse_send(struct mg_connection *conn, const char *event, const char *data)
{
    return mg_printf(conn, "event: %s\ndata: %s\n\n", event, data) > 0 ? 0 : -1;
}

/* Sends a status event built from the database; 0, or -1 when the client left. */
static int gw_sse_send_status(struct mg_connection *conn, const char *id, const char *event,
                              const char *status, json_t *reason)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:O}", "interview_id", id, "event", event, "status", status,
                          "reason", reason);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    int rc = text ? gw_sse_send(conn, event, text) : -1;
    free(text);
    json_decref(j);
    return rc;
}

static int gw_sse_terminal(const char *status)
{
    return strcmp(status, "complete") == 0 || strcmp(status, "failed") == 0;
}

void gw_interview_events(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512], status[32] = "", last[32] = "", channel[64];
    json_t *reason = NULL;
    gw_redis_sub *sub = NULL;
    int counted = 0, per_user = 0;

    if (!gw_slots_take(&app->sse_per_user, u->id)) {
        gw_send_error_h(conn, 429, "Retry-After: 5\r\n", "too_many_streams",
                        "You have %d progress streams open already; close one or poll GET /v1/interviews/{id}.",
                        GW_SSE_MAX_PER_USER);
        return;
    }
    per_user = 1;
    if (atomic_fetch_add(&app->sse_streams, 1) >= GW_SSE_MAX_STREAMS) {
        atomic_fetch_sub(&app->sse_streams, 1);
        gw_send_error_h(conn, 503, "Retry-After: 5\r\n", "too_many_streams",
                        "Too many progress streams are open; poll GET /v1/interviews/{id} instead.");
        goto out;
    }
    counted = 1;
    /* Subscribe before reading the snapshot, so no event falls between them. */
    snprintf(channel, sizeof(channel), "interview:%s", id);
    sub = gw_redis_subscribe(app->redis, channel, err, sizeof(err));
    if (!sub)
        gw_log(ISIM_LOG_WARN, "progress stream without Redis, reading the database: %s", err);
    int found = gw_sse_status(app, id, u->id, status, &reason);
    if (found < 0) {
        gw_db_unavailable(conn, "snapshot");
        goto out;
    }
    if (!found) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    gw_request_close_after(conn);
    mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
                    "X-Accel-Buffering: no\r\nConnection: close\r\n%s\r\n", gw_request_headers());
    gw_request_set_status(200);
    if (gw_sse_send_status(conn, id, "snapshot", status, reason) != 0)
        goto out;
    snprintf(last, sizeof(last), "%s", status);
    double start = util_now_s(), last_write = start;
    while (!gw_sse_terminal(last) && !signal_stop_requested() && util_now_s() - start < GW_SSE_MAX_S) {
        /* An interview still waiting for its recording may never get one: its
         * stream holds a thread for GW_SSE_WAITING_MAX_S at most (a client
         * that opened it just before uploading opens it again). */
        if (strcmp(last, "created") == 0 && util_now_s() - start >= GW_SSE_WAITING_MAX_S)
            break;
        char *msg = NULL;
        int got = sub ? gw_redis_sub_next(sub, GW_SSE_POLL_MS, &msg) : 0;
        if (got < 0) {
            gw_redis_sub_free(sub);
            sub = gw_redis_subscribe(app->redis, channel, err, sizeof(err));
        }
        if (got == 1) {
            json_t *m = json_loads(msg, 0, NULL);
            const char *ev = json_string_value(json_object_get(m, "event"));
            const char *st = json_string_value(json_object_get(m, "status"));
            int bad = !ev || strpbrk(ev, "\r\n") || strlen(ev) > 32;
            int rc = bad ? 0 : gw_sse_send(conn, ev, msg);
            if (!bad && st)
                snprintf(last, sizeof(last), "%s", st);
            json_decref(m);
            free(msg);
            if (rc != 0)
                goto out;
            last_write = util_now_s();
            continue;
        }
        if (!sub && got == 0)
            usleep(GW_SSE_POLL_MS * 1000);
        /* Quiet for a while: check the database, which holds the truth. */
        json_decref(reason);
        reason = NULL;
        found = gw_sse_status(app, id, u->id, status, &reason);
        if (found == 0) {
            gw_sse_send(conn, "deleted", "{\"event\":\"deleted\"}");
            goto out;
        }
        if (found == 1 && strcmp(status, last) != 0) {
            if (gw_sse_send_status(conn, id, gw_sse_terminal(status) ? status : "progress", status, reason) != 0)
                goto out;
            snprintf(last, sizeof(last), "%s", status);
            last_write = util_now_s();
        } else if (util_now_s() - last_write >= GW_SSE_KEEPALIVE_S) {
            if (mg_printf(conn, ": keepalive\n\n") <= 0)
                goto out;
            last_write = util_now_s();
        }
    }
out:
    json_decref(reason);
    gw_redis_sub_free(sub);
    if (counted)
        atomic_fetch_sub(&app->sse_streams, 1);
    if (per_user)
        gw_slots_give(&app->sse_per_user, u->id);
}

/* Comments on a report: written by its candidate or their coaches, read by
 * the same people and nobody else, each optionally at a moment of the
 * recording (shown on the report's timeline). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_access.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_util.h"

#define GW_COMMENT_MAX 2000

static const char gw_comment_json[] =
    "json_build_object('id', c.id, 'interview_id', c.interview_id, 'at_s', c.at_s, 'body', c.body, "
    "'created_at', c.created_at, 'author', json_build_object('id', c.author_id, "
    "  'name', (SELECT name FROM users WHERE id = c.author_id), "
    "  'is_candidate', c.author_id = (SELECT user_id FROM interviews WHERE id = c.interview_id)))";

void gw_comment_list(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid)
{
    char sql[2048];
    const char *p[] = {iid, u->id};
    snprintf(sql, sizeof(sql),
             "SELECT json_build_object('comments', (SELECT COALESCE(json_agg(%s ORDER BY c.at_s NULLS FIRST, "
             "  c.created_at, c.id), '[]'::json) FROM report_comments c WHERE c.interview_id = i.id))::text "
             "FROM interviews i WHERE i.id = $1 AND " GW_SQL_SEES("$2::uuid", "i.user_id"),
             gw_comment_json);
    gw_send_query_object(conn, app, 200, sql, 2, p, "No interview has this id.");
}

/* POST {"body", "at_s"?}: at_s within the recording when its length is known. */
void gw_comment_create(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid)
{
    static const char *const allowed[] = {"body", "at_s", NULL};
    char err[512], sql[2048], id[ISIM_UUID_LEN + 1], at[32] = "";
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *text = json_string_value(json_object_get(body, "body"));
    const json_t *jat = json_object_get(body, "at_s");
    if (!text || !*text || gw_utf8_len(text) > GW_COMMENT_MAX) {
        gw_send_error(conn, 422, "invalid_comment", "\"body\" must be the comment, 1 to %d characters.",
                      GW_COMMENT_MAX);
        goto out;
    }
    if (jat && !json_is_null(jat) && (!json_is_number(jat) || !isfinite(json_number_value(jat)) ||
                                      json_number_value(jat) < 0)) {
        gw_send_error(conn, 422, "invalid_comment", "\"at_s\" must be a moment of the recording, in seconds from 0.");
        goto out;
    }
    if (jat && json_is_number(jat))
        snprintf(at, sizeof(at), "%.3f", json_number_value(jat));
    if (util_uuid_v4(id) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    /* One statement: who may comment, whether the moment is within the
     * recording, and the insert. */
    snprintf(sql, sizeof(sql),
             "WITH i AS (SELECT i.id, (SELECT (report->>'duration_s')::float8 FROM reports WHERE interview_id = i.id) "
             "  AS duration FROM interviews i WHERE i.id = $1 AND " GW_SQL_SEES("$2::uuid", "i.user_id") "), "
             "c AS (INSERT INTO report_comments (id, interview_id, author_id, at_s, body) "
             "  SELECT $3, i.id, $2::uuid, $4::float8, $5 FROM i "
             "  WHERE $4::float8 IS NULL OR i.duration IS NULL OR $4::float8 <= i.duration + 0.5 RETURNING *) "
             "SELECT (SELECT %s::text FROM c), EXISTS (SELECT 1 FROM i), (SELECT duration FROM i)",
             gw_comment_json);
    const char *p[] = {iid, u->id, id, at[0] ? at : NULL, text};
    if (gw_db_query(app, sql, 5, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
    else if (PQgetisnull(r, 0, 0))
        gw_send_error(conn, 422, "invalid_comment", "\"at_s\" is after the end of the recording (%s s).",
                      PQgetvalue(r, 0, 2));
    else
        gw_send_json(conn, 201, json_loads(PQgetvalue(r, 0, 0), 0, NULL));
out:
    PQclear(r);
    json_decref(body);
}

/* DELETE /v1/interviews/{id}/comments/{comment_id}: by its author only. */
void gw_comment_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid, const char *cid)
{
    const char *p[] = {cid, iid, u->id};
    gw_send_changed_or_404(conn, app,
                           "DELETE FROM report_comments WHERE id = $1 AND interview_id = $2 AND author_id = $3::uuid "
                           "RETURNING id", 3, p, "No comment of yours has this id.");
}

/* GET /v1/history[?question_id=]: a user's complete interviews, the latest
 * GW_HISTORY_MAX, oldest first, each with its overall score, sub-scores and
 * the figures a candidate tracks (gw_trends.c), and the trend of each figure
 * across them. Only the small parts of each report it needs leave the
 * database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_access.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "question.h"
#include "gw_trends.h"
#include "isim_log.h"
#include "pg_db.h"

#define GW_HISTORY_MAX 500

const char *const gw_history_params[] = {"question_id", "user_id", NULL};

/* One row per interview: the item's fields, then the report's extract that
 * gw_figures_read takes. A report member of another type than expected
 * reads as absent (jsonb -> of a scalar is NULL; the CASEs keep
 * jsonb_each and jsonb_array_elements to what they accept). */
static const char gw_history_sql[] =
    "WITH i AS (SELECT id, question, question_id, completed_at FROM interviews "
    "           WHERE user_id = $1 AND status = 'complete' AND ($2::text IS NULL OR question_id = $2) "
    "           ORDER BY completed_at DESC, id DESC LIMIT $3::int) "
    "SELECT json_build_object('interview_id', i.id, 'question', i.question, 'question_id', i.question_id, "
    "         'completed_at', i.completed_at)::text, "
    "       json_build_object('score', r.report->'score'->'overall', "
    "         'parts', (SELECT json_object_agg(k, v->'score') FROM jsonb_each(CASE WHEN "
    "                     jsonb_typeof(r.report->'score'->'parts') = 'object' THEN r.report->'score'->'parts' END) "
    "                   AS e(k, v)), "
    "         'word_count', r.report->'delivery'->'word_count', 'wpm', r.report->'delivery'->'wpm', "
    "         'fillers_per_100_words', r.report->'delivery'->'fillers_per_100_words', "
    "         'hedges_per_100_words', r.report->'delivery'->'hedges'->'per_100_words', "
    "         'facing_camera', r.report->'on_camera'->'on_camera'->'facing_camera', "
    "         'pace_score', (SELECT c->'score' FROM jsonb_array_elements(CASE WHEN "
    "                          jsonb_typeof(r.report->'score'->'parts'->'delivery'->'criteria') = 'array' "
    "                          THEN r.report->'score'->'parts'->'delivery'->'criteria' END) AS c "
    "                        WHERE c->>'metric' = 'pace_wpm' LIMIT 1))::text "
    "FROM i JOIN reports r ON r.interview_id = i.id "
    "ORDER BY i.completed_at, i.id";

/* The item of row i: its fields, score and parts as before, and metrics; f
 * filled. NULL when out of memory. */
static json_t *gw_history_item(PGresult *r, int i, gw_figures *f)
{
    json_t *item = json_loads(PQgetvalue(r, i, 0), 0, NULL);
    json_t *extract = json_loads(PQgetvalue(r, i, 1), 0, NULL);
    json_t *parts = NULL, *out = NULL;
    if (!item || !extract)
        goto out;
    gw_figures_read(extract, f);
    json_t *jparts = json_object_get(extract, "parts");
    parts = json_is_object(jparts) ? json_object() : json_null();
    if (!parts)
        goto out;
    const char *name;
    json_t *v;
    json_object_foreach(jparts, name, v) {
        if (json_object_set_new(parts, name, json_is_number(v) ? json_real(json_number_value(v)) : json_null()))
            goto out;
    }
    /* set_new takes its value even when it fails */
    int bad = json_object_set_new(item, "score", f->has[GW_M_SCORE] ? json_real(f->v[GW_M_SCORE]) : json_null());
    bad |= json_object_set_new(item, "parts", parts);
    parts = NULL;
    bad |= json_object_set_new(item, "metrics", gw_figures_json(f));
    if (bad)
        goto out;
    out = item;
    item = NULL;
out:
    json_decref(parts);
    json_decref(item);
    json_decref(extract);
    return out;
}

void gw_history(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char err[512], qid[QUESTION_ID_MAX + 2] = "", limit[16], owner[ISIM_UUID_LEN + 1];
    PGresult *r = NULL;
    gw_figures *figs = NULL;
    json_t *list = NULL;
    int has_qid = gw_query_param(conn, "question_id", qid, sizeof(qid));
    if (has_qid && (has_qid < 0 || !question_id_valid(qid))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"question_id\" is not a question id.");
        goto out;
    }
    /* A coach follows a member's progress (?user_id=). */
    if (gw_list_owner(conn, app, u, owner) != 0)
        goto out;
    /* One more than shown tells whether older ones were left out. */
    snprintf(limit, sizeof(limit), "%d", GW_HISTORY_MAX + 1);
    const char *p[] = {owner, has_qid ? qid : NULL, limit};
    if (gw_db_query(app, gw_history_sql, 3, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    int rows = PQntuples(r), skip = rows > GW_HISTORY_MAX ? rows - GW_HISTORY_MAX : 0;
    figs = calloc((size_t)(rows > 0 ? rows : 1), sizeof(*figs));
    list = json_array();
    if (!figs || !list)
        goto oom;
    size_t n = 0;
    for (int i = skip; i < rows; i++) {
        json_t *item = gw_history_item(r, i, &figs[n]);
        if (!item || json_array_append_new(list, item) != 0)
            goto oom;
        n++;
    }
    json_t *trends = gw_trends_json(figs, n);
    if (!trends)
        goto oom;
    json_t *body = json_pack("{s:o, s:o, s:b}", "history", list, "trends", trends, "truncated", skip > 0);
    list = NULL; /* taken by json_pack, also when it fails */
    if (!body)
        goto oom;
    gw_send_json(conn, 200, body);
    goto out;
oom:
    gw_send_error(conn, 500, "internal", "out of memory");
out:
    json_decref(list);
    free(figs);
    PQclear(r);
}

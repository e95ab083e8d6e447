/* GET /v1/history: a user's complete interviews, the latest 500, oldest
 * first, with the overall score and the sub-scores of each report. */
#include "gw_handlers.h"
#include "gw_http.h"
#include "pg_db.h"

void gw_history(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {u->id};
    /* The report's "score" object may be absent (older reports): null then. */
    if (gw_db_query(app,
                    "SELECT COALESCE(json_agg(json_build_object('interview_id', i.id, 'question', i.question, "
                    "  'question_id', i.question_id, 'completed_at', i.completed_at, "
                    "  'score', CASE WHEN jsonb_typeof(r.report->'score'->'overall') = 'number' "
                    "               THEN (r.report->'score'->'overall')::text::float8 END, "
                    "  'parts', (SELECT json_object_agg(k, CASE WHEN jsonb_typeof(v->'score') = 'number' "
                    "               THEN (v->'score')::text::float8 END) "
                    "            FROM jsonb_each(CASE WHEN jsonb_typeof(r.report->'score'->'parts') = 'object' "
                    "                            THEN r.report->'score'->'parts' END) AS e(k, v))) "
                    "  ORDER BY i.completed_at, i.id), '[]'::json)::text "
                    "FROM (SELECT * FROM interviews WHERE user_id = $1 AND status = 'complete' "
                    "      ORDER BY completed_at DESC, id DESC LIMIT 500) i "
                    "JOIN reports r ON r.interview_id = i.id",
                    1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    json_t *list = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    gw_send_json(conn, 200, json_pack("{s:o}", "history", list ? list : json_array()));
out:
    PQclear(r);
}

/* The question bank: anyone signed in lists (searched and filtered), and
 * reads questions; an administrator creates, updates and retires them. The
 * bank as a whole (export, import) is gw_question_bank.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_access.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "question.h"

#define GW_SEARCH_MAX 200

const char gw_question_json[] =
    "json_build_object('id', id, 'category', category, 'role', role, 'level', level, 'language', language, "
    "'text', text, 'talking_points', talking_points, 'star', star, 'retired', retired_at IS NOT NULL, "
    "'source', source, 'organisation_id', organisation_id, 'created_at', created_at, 'updated_at', updated_at)";

/* A query parameter checked by a predicate: 0 (absent: *has 0, or valid),
 * or -1 with 422 sent naming it. */
static int gw_question_filter(struct mg_connection *conn, const char *name, char *out, size_t outlen,
                              int (*valid)(const char *), const char *must, int *has)
{
    *has = gw_query_param(conn, name, out, outlen);
    if (*has && (*has < 0 || !valid(out))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"%s\" must be %s.", name, must);
        return -1;
    }
    return 0;
}

static int gw_bool_word(const char *s)
{
    return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

static int gw_search_valid(const char *s)
{
    return *s != '\0';
}

void gw_question_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char category[32] = "", role[QUESTION_ROLE_MAX + 2] = "", level[16] = "", retired[8] = "";
    char lang[LANG_CODE_MAX + 2] = "", text[GW_SEARCH_MAX + 2] = "", sql[1536];
    int has_cat, has_role, has_level, has_retired, has_lang, has_text;
    if (gw_question_filter(conn, "category", category, sizeof(category), question_category_valid,
                           "one of behavioural, technical, situational, general", &has_cat) != 0 ||
        gw_question_filter(conn, "role", role, sizeof(role), question_role_valid,
                           "a role such as software-engineer or any", &has_role) != 0 ||
        gw_question_filter(conn, "level", level, sizeof(level), question_level_valid,
                           "one of any, entry, mid, senior", &has_level) != 0 ||
        gw_question_filter(conn, "include_retired", retired, sizeof(retired), gw_bool_word, "true or false",
                           &has_retired) != 0 ||
        gw_question_filter(conn, "q", text, sizeof(text), gw_search_valid, "1 to 200 characters of text to find",
                           &has_text) != 0)
        return;
    has_lang = gw_query_param(conn, "language", lang, sizeof(lang));
    const lang_entry *le = has_lang > 0 ? lang_find(&app->langs, lang) : NULL;
    if (has_lang && !le) {
        gw_send_error(conn, 422, "invalid_parameter", "\"language\" must be a language of GET /v1/languages.");
        return;
    }
    /* A level filter keeps the questions for any level too: they suit everyone.
     * q: every word must appear in the question or its talking points. */
    const char *p[] = {has_cat ? category : NULL, has_role ? role : NULL, has_retired ? retired : "false",
                       le ? le->code : NULL, has_level ? level : NULL, has_text ? text : NULL, u->id,
                       strcmp(u->role, "admin") == 0 ? "t" : "f"};
    snprintf(sql, sizeof(sql),
             "SELECT COALESCE(json_agg(%s ORDER BY category, id), '[]'::json)::text FROM questions "
             "WHERE ($1::text IS NULL OR category = $1) AND ($2::text IS NULL OR role = $2) "
             "AND ($3::bool OR retired_at IS NULL) AND ($4::text IS NULL OR language = $4) "
             "AND ($5::text IS NULL OR level = $5 OR level = 'any') "
             "AND ($6::text IS NULL OR NOT EXISTS ("
             "  SELECT 1 FROM regexp_split_to_table(lower($6), '\\s+') AS w(word) WHERE w.word <> '' "
             "  AND strpos(lower(text || ' ' || talking_points::text), w.word) = 0)) "
             "AND ($8::bool OR " GW_SQL_OFFERED("$7::uuid", "questions") ")",
             gw_question_json);
    gw_send_query_list(conn, app, "questions", sql, 8, p);
}

void gw_question_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid)
{
    char sql[1024];
    const char *p[] = {qid, u->id, strcmp(u->role, "admin") == 0 ? "t" : "f"};
    snprintf(sql, sizeof(sql),
             "SELECT %s::text FROM questions WHERE id = $1 AND ($3::bool OR " GW_SQL_OFFERED("$2::uuid", "questions") ")",
             gw_question_json);
    gw_send_query_object(conn, app, 200, sql, 3, p, "No question has this id.");
}

static const char *gw_bool_param(const json_t *v)
{
    return v ? (json_is_true(v) ? "t" : "f") : NULL;
}

/* POST /v1/questions (qid NULL: the id is in the body) creates; PUT
 * /v1/questions/{qid} updates an existing question with the fields given. */
void gw_question_put(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid)
{
    char err[512], sql[2048], bad[256], org[ISIM_UUID_LEN + 1];
    PGresult *r = NULL;
    char *points = NULL;
    json_t *body = NULL;
    /* A coach writes their organisation's own questions only. */
    if (gw_question_editor(conn, app, u, org) != 0 || !(body = gw_read_json(conn)))
        goto out;
    if (question_check(body, qid != NULL, &app->langs, bad, sizeof(bad)) != 0) {
        gw_send_error(conn, 422, "invalid_question", "%s", bad);
        goto out;
    }
    json_t *jorg = json_object_get(body, "organisation_id");
    if (org[0] && jorg && !(json_is_string(jorg) && strcmp(json_string_value(jorg), org) == 0)) {
        gw_send_error(conn, 403, "forbidden", "A coach adds questions for their own organisation only.");
        goto out;
    }
    const char *id = qid ? qid : json_string_value(json_object_get(body, "id"));
    json_t *jlang = json_object_get(body, "language"), *jpoints = json_object_get(body, "talking_points");
    points = jpoints ? json_dumps(jpoints, JSON_COMPACT) : NULL;
    const lang_entry *le = jlang ? lang_find(&app->langs, json_string_value(jlang)) : NULL;
    const char *p[] = {id, json_string_value(json_object_get(body, "category")),
                       json_string_value(json_object_get(body, "role")), le ? le->code : NULL,
                       json_string_value(json_object_get(body, "text")), points,
                       gw_bool_param(json_object_get(body, "retired")),
                       json_string_value(json_object_get(body, "level")),
                       gw_bool_param(json_object_get(body, "star")),
                       org[0] ? org : json_string_value(jorg), jorg || org[0] ? "t" : "f", org[0] ? org : NULL};
    if (qid)
        snprintf(sql, sizeof(sql),
                 "UPDATE questions SET category = COALESCE($2, category), role = COALESCE($3, role), "
                 "language = COALESCE($4, language), text = COALESCE($5, text), "
                 "talking_points = COALESCE($6::jsonb, talking_points), level = COALESCE($8, level), "
                 "star = COALESCE($9::bool, star), updated_at = now(), "
                 "source = CASE WHEN COALESCE($2, $3, $4::text, $5, $6::text, $8, $9::text) IS NULL THEN source ELSE 'admin' END, "
                 "retired_at = CASE WHEN $7::bool IS NULL THEN retired_at WHEN $7::bool "
                 "  THEN COALESCE(retired_at, now()) END, "
                 "organisation_id = CASE WHEN $11::bool THEN $10::uuid ELSE organisation_id END "
                 "WHERE id = $1 AND ($12::uuid IS NULL OR organisation_id = $12::uuid) RETURNING %s::text",
                 gw_question_json);
    else
        snprintf(sql, sizeof(sql),
                 "INSERT INTO questions (id, category, role, language, text, talking_points, retired_at, level, "
                 "  star, source, organisation_id) "
                 "SELECT $1, $2, COALESCE($3, 'any'), COALESCE($4, 'en'), $5, COALESCE($6::jsonb, '[]'::jsonb), "
                 "  CASE WHEN $7::bool THEN now() END, COALESCE($8, 'any'), COALESCE($9::bool, $2 = 'behavioural'), "
                 "  'admin', $10::uuid "
                 "ON CONFLICT (id) DO NOTHING RETURNING %s::text", gw_question_json);
    if (jorg && !json_is_null(jorg) && !org[0] && gw_org_missing(conn, app, json_string_value(jorg)))
        goto out;
    /* A new question takes $1-$10; an update also which organisation to set and may change. */
    if (gw_db_query(app, sql, qid ? 12 : 10, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        if (qid)
            gw_send_error(conn, 404, "not_found", "No question %shas this id.", org[0] ? "of your organisation " : "");
        else
            gw_send_error(conn, 409, "question_exists", "A question with the id \"%s\" exists; PUT to update it.", id);
        goto out;
    }
    json_t *q = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    gw_send_json(conn, qid ? 200 : 201, q);
out:
    free(points);
    PQclear(r);
    json_decref(body);
}

void gw_question_retire(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid)
{
    char org[ISIM_UUID_LEN + 1];
    if (gw_question_editor(conn, app, u, org) != 0)
        return;
    const char *p[] = {qid, org[0] ? org : NULL};
    gw_send_changed_or_404(conn, app,
                           "UPDATE questions SET retired_at = COALESCE(retired_at, now()), updated_at = now() "
                           "WHERE id = $1 AND ($2::uuid IS NULL OR organisation_id = $2::uuid) RETURNING id", 2, p,
                           "No question you may change has this id.");
}

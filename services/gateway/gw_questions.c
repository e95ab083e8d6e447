/* The question bank: anyone signed in lists and reads questions (filtered by
 * category and role); an administrator creates and updates them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"

#define GW_QUESTION_TEXT_MAX 2000
#define GW_ROLE_MAX 64
#define GW_POINTS_MAX 20
#define GW_POINT_MAX 300

static const char gw_question_json[] =
    "json_build_object('id', id, 'category', category, 'role', role, 'language', language, "
    "'text', text, 'talking_points', talking_points, 'retired', retired_at IS NOT NULL, "
    "'created_at', created_at, 'updated_at', updated_at)";

static int gw_category_valid(const char *s)
{
    static const char *const cats[] = {"behavioural", "technical", "situational", "general"};
    for (size_t i = 0; i < 4; i++)
        if (strcmp(s, cats[i]) == 0)
            return 1;
    return 0;
}

/* Roles share the id alphabet: lowercase, digits, dashes. */
static int gw_slug_valid(const char *s, size_t max)
{
    return s && strlen(s) <= max && gw_question_id_valid(s);
}

void gw_question_list(struct mg_connection *conn, gw_app *app)
{
    char category[32] = "", role[GW_ROLE_MAX + 2] = "", retired[8] = "", lang[LANG_CODE_MAX + 2] = "", sql[1024];
    int has_cat = gw_query_param(conn, "category", category, sizeof(category));
    int has_role = gw_query_param(conn, "role", role, sizeof(role));
    int has_lang = gw_query_param(conn, "language", lang, sizeof(lang));
    const lang_entry *le = has_lang > 0 ? lang_find(&app->langs, lang) : NULL;
    if (has_lang && !le) {
        gw_send_error(conn, 422, "invalid_parameter", "\"language\" must be a language of GET /v1/languages.");
        return;
    }
    if (has_cat && (has_cat < 0 || !gw_category_valid(category))) {
        gw_send_error(conn, 422, "invalid_parameter",
                      "\"category\" must be one of behavioural, technical, situational, general.");
        return;
    }
    if (has_role && (has_role < 0 || !gw_slug_valid(role, GW_ROLE_MAX))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"role\" must be a role such as software-engineer or any.");
        return;
    }
    int has_retired = gw_query_param(conn, "include_retired", retired, sizeof(retired));
    if (has_retired && (has_retired < 0 || (strcmp(retired, "true") != 0 && strcmp(retired, "false") != 0))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"include_retired\" must be true or false.");
        return;
    }
    const char *p[] = {has_cat ? category : NULL, has_role ? role : NULL, has_retired ? retired : "false",
                       le ? le->code : NULL};
    snprintf(sql, sizeof(sql),
             "SELECT COALESCE(json_agg(%s ORDER BY category, id), '[]'::json)::text FROM questions "
             "WHERE ($1::text IS NULL OR category = $1) AND ($2::text IS NULL OR role = $2) "
             "AND ($3::bool OR retired_at IS NULL) AND ($4::text IS NULL OR language = $4)",
             gw_question_json);
    gw_send_query_list(conn, app, "questions", sql, 4, p);
}

void gw_question_get(struct mg_connection *conn, gw_app *app, const char *qid)
{
    char err[512], sql[512];
    PGresult *r = NULL;
    const char *p[] = {qid};
    snprintf(sql, sizeof(sql), "SELECT %s::text FROM questions WHERE id = $1", gw_question_json);
    if (gw_db_query(app, sql, 1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No question has this id.");
        goto out;
    }
    json_t *q = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    if (q)
        gw_send_json(conn, 200, q);
    else
        gw_send_error(conn, 500, "internal", "stored question could not be read");
out:
    PQclear(r);
}

/* POST /v1/questions (qid NULL: the id is in the body) creates; PUT
 * /v1/questions/{qid} updates an existing question with the fields given. */
void gw_question_put(struct mg_connection *conn, gw_app *app, const char *qid)
{
    static const char *const allowed_new[] = {"id", "category", "role", "language", "text", "talking_points",
                                              "retired", NULL};
    char err[512], sql[1024];
    PGresult *r = NULL;
    char *points = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, qid ? allowed_new + 1 : allowed_new) != 0)
        goto out;
    const char *id = qid ? qid : json_string_value(json_object_get(body, "id"));
    json_t *jcat = json_object_get(body, "category"), *jrole = json_object_get(body, "role");
    json_t *jlang = json_object_get(body, "language"), *jtext = json_object_get(body, "text");
    json_t *jpoints = json_object_get(body, "talking_points"), *jretired = json_object_get(body, "retired");
    const char *bad = NULL;
    if (!id || !gw_question_id_valid(id))
        bad = "\"id\" must be 1 to 64 lowercase letters, digits or dashes, not starting with a dash.";
    else if ((jcat || !qid) && (!json_is_string(jcat) || !gw_category_valid(json_string_value(jcat))))
        bad = "\"category\" must be one of behavioural, technical, situational, general.";
    else if (jrole && !gw_slug_valid(json_string_value(jrole), GW_ROLE_MAX))
        bad = "\"role\" must be lowercase letters, digits or dashes, such as software-engineer or any.";
    else if (jlang && !lang_find(&app->langs, json_string_value(jlang)))
        bad = "\"language\" must be a language of GET /v1/languages, such as en or pt-BR.";
    else if ((jtext || !qid) && (!json_is_string(jtext) || !*json_string_value(jtext) ||
                                  gw_utf8_len(json_string_value(jtext)) > GW_QUESTION_TEXT_MAX))
        bad = "\"text\" must be the question, 1 to 2000 characters.";
    else if (jretired && !json_is_boolean(jretired))
        bad = "\"retired\" must be true or false.";
    if (!bad && jpoints) {
        size_t i;
        json_t *pt;
        if (!json_is_array(jpoints) || json_array_size(jpoints) > GW_POINTS_MAX)
            bad = "\"talking_points\" must be a list of at most 20 texts.";
        json_array_foreach(jpoints, i, pt) if (!bad && (!json_is_string(pt) || !*json_string_value(pt) ||
                                                        gw_utf8_len(json_string_value(pt)) > GW_POINT_MAX))
            bad = "Each talking point must be a text of 1 to 300 characters.";
    }
    if (bad) {
        gw_send_error(conn, 422, "invalid_question", "%s", bad);
        goto out;
    }
    points = jpoints ? json_dumps(jpoints, JSON_COMPACT) : NULL;
    const lang_entry *le = jlang ? lang_find(&app->langs, json_string_value(jlang)) : NULL;
    const char *p[] = {id, json_string_value(jcat), json_string_value(jrole), le ? le->code : NULL,
                       json_string_value(jtext), points, jretired ? (json_is_true(jretired) ? "t" : "f") : NULL};
    if (qid)
        snprintf(sql, sizeof(sql),
                 "UPDATE questions SET category = COALESCE($2, category), role = COALESCE($3, role), "
                 "language = COALESCE($4, language), text = COALESCE($5, text), "
                 "talking_points = COALESCE($6::jsonb, talking_points), updated_at = now(), "
                 "retired_at = CASE WHEN $7::bool IS NULL THEN retired_at WHEN $7::bool "
                 "  THEN COALESCE(retired_at, now()) END "
                 "WHERE id = $1 RETURNING %s::text", gw_question_json);
    else
        snprintf(sql, sizeof(sql),
                 "INSERT INTO questions (id, category, role, language, text, talking_points, retired_at) "
                 "VALUES ($1, $2, COALESCE($3, 'any'), COALESCE($4, 'en'), $5, COALESCE($6::jsonb, '[]'::jsonb), "
                 "  CASE WHEN $7::bool THEN now() END) "
                 "ON CONFLICT (id) DO NOTHING RETURNING %s::text", gw_question_json);
    if (gw_db_query(app, sql, 7, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        if (qid)
            gw_send_error(conn, 404, "not_found", "No question has this id.");
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

void gw_question_retire(struct mg_connection *conn, gw_app *app, const char *qid)
{
    const char *p[] = {qid};
    gw_send_changed_or_404(conn, app,
                           "UPDATE questions SET retired_at = COALESCE(retired_at, now()), updated_at = now() "
                           "WHERE id = $1 RETURNING id", 1, p, "No question has this id.");
}

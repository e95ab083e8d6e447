/* Mock interviews: a set of questions answered in a row. Created from the
 * questions a person chose or drawn from the bank for a role and level; each
 * answer is an interview of its own, attached to its place; the combined
 * report (gw_mock_report.c) is computed from the answers' reports whenever it
 * is asked for, so it follows answers still being processed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_access.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_mock_report.h"
#include "isim_util.h"
#include "question.h"

#define GW_MOCK_QUESTIONS_MAX 10
#define GW_MOCK_THINKING_DEFAULT 30
#define GW_MOCK_THINKING_MAX 300
#define GW_MOCK_ANSWER_DEFAULT 120
#define GW_MOCK_ANSWER_MIN 15
#define GW_MOCK_TITLE_MAX 200
#define GW_MOCK_SQL_MAX 4096

/* The next question to answer of mock interview m (its place, of how many,
 * and the question; %s: gw_question_json), or NULL once all are answered or
 * the mock interview is over. */
#define GW_MOCK_NEXT_SQL                                                                                  \
    "(SELECT json_build_object('position', s.position, 'of', "                                           \
    "    (SELECT count(*) FROM mock_interview_questions WHERE mock_id = m.id), "                        \
    "    'question', (SELECT %s FROM questions WHERE id = s.question_id)) "                               \
    "  FROM mock_interview_questions s WHERE s.mock_id = m.id AND s.interview_id IS NULL "             \
    "    AND m.status = 'in_progress' ORDER BY s.position LIMIT 1)"

/* A mock interview as the API shows it, over mock_interviews m; %s twice: the
 * question's JSON (gw_question_json). */
static const char gw_mock_json_fmt[] =
    "json_build_object('id', m.id, 'title', m.title, 'role', m.role, 'level', m.level, 'language', m.language, "
    "'thinking_s', m.thinking_s, 'answer_max_s', m.answer_max_s, 'status', m.status, "
    "'created_at', m.created_at, 'finished_at', m.finished_at, "
    "'questions', (SELECT json_agg(json_build_object('position', s.position, "
    "    'question', (SELECT %s FROM questions WHERE id = s.question_id), 'interview_id', s.interview_id, "
    "    'status', i.status, 'score', CASE WHEN jsonb_typeof(r.report->'score'->'overall') = 'number' "
    "      THEN (r.report->'score'->'overall')::text::float8 END) ORDER BY s.position) "
    "  FROM mock_interview_questions s LEFT JOIN interviews i ON i.id = s.interview_id "
    "  LEFT JOIN reports r ON r.interview_id = s.interview_id WHERE s.mock_id = m.id), "
    "'next', " GW_MOCK_NEXT_SQL ")";

static void gw_mock_send(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id, int status)
{
    char json[2048], sql[GW_MOCK_SQL_MAX];
    snprintf(json, sizeof(json), gw_mock_json_fmt, gw_question_json, gw_question_json);
    snprintf(sql, sizeof(sql), "SELECT %s::text FROM mock_interviews m WHERE m.id = $1 AND m.user_id = $2", json);
    const char *p[] = {id, u->id};
    gw_send_query_object(conn, app, status, sql, 2, p, "No mock interview has this id.");
}

/* A draw from the bank: each kind of question with how many to draw. "role"
 * is the role's own questions of any category; the others are a category,
 * for any role or the role asked for. */
static const struct gw_mock_kind {
    const char *name;
    const char *category; /* NULL: any */
    int role_only;
} gw_mock_kinds[] = {
    {"general", "general", 0},   {"behavioural", "behavioural", 0}, {"situational", "situational", 0},
    {"technical", "technical", 0}, {"role", NULL, 1},
};
#define GW_MOCK_KINDS (sizeof(gw_mock_kinds) / sizeof(gw_mock_kinds[0]))

/* Least answered by this person first, then at random: practice meets new questions. */
static const char gw_mock_draw_sql[] =
    "SELECT q.id FROM questions q "
    "WHERE q.retired_at IS NULL AND q.language = $1 AND ($2::text IS NULL OR q.category = $2) "
    "  AND (CASE WHEN $3::bool THEN q.role = $4 ELSE q.role = 'any' OR q.role = $4 END) "
    "  AND ($5::text IS NULL OR q.level = $5 OR q.level = 'any') AND NOT (q.id = ANY($6::text[])) "
    "  AND " GW_SQL_OFFERED("$7::uuid", "q") " "
    "ORDER BY (SELECT count(*) FROM interviews i WHERE i.user_id = $7 AND i.question_id = q.id), random() "
    "LIMIT $8";

/* "{a,b}" + ",c": ids are [a-z0-9-] so need no quoting in an array literal. */
static void gw_ids_add(char *ids, size_t len, const char *id)
{
    size_t n = strlen(ids);
    snprintf(ids + n - 1, len - n + 1, "%s%s}", n > 2 ? "," : "", id);
}

/* Draws the plan's questions into ids; 0, or -1 with the answer sent. */
static int gw_mock_draw(struct mg_connection *conn, gw_app *app, const gw_user *u, const json_t *plan,
                        const char *role, const char *level, const char *language, char *ids, size_t idslen,
                        int *count)
{
    char err[512], limit[16];
    for (size_t k = 0; k < GW_MOCK_KINDS; k++) {
        int want = (int)json_integer_value(json_object_get(plan, gw_mock_kinds[k].name));
        if (want <= 0)
            continue;
        PGresult *r = NULL;
        snprintf(limit, sizeof(limit), "%d", want);
        const char *p[] = {language, gw_mock_kinds[k].category, gw_mock_kinds[k].role_only ? "t" : "f", role,
                           level, ids, u->id, limit};
        if (gw_db_query(app, gw_mock_draw_sql, 8, p, &r, err, sizeof(err)) != 0) {
            gw_db_unavailable(conn, err);
            return -1;
        }
        int got = PQntuples(r);
        for (int i = 0; i < got; i++)
            gw_ids_add(ids, idslen, PQgetvalue(r, i, 0));
        PQclear(r);
        *count += got;
        if (got < want) {
            gw_send_error(conn, 422, "not_enough_questions",
                          "The bank has %d %s question(s) in %s%s%s%s%s, and %d were asked for: ask for fewer, or "
                          "for another role or level.", got, gw_mock_kinds[k].name, language,
                          role ? " for " : "", role ? role : "", level ? " at level " : "", level ? level : "", want);
            return -1;
        }
    }
    return 0;
}

/* The plan asked for, or the default: an opener, two behavioural questions
 * and one of the role's own (without a role, a situational one). 0, or -1
 * with 422 sent. */
static int gw_mock_plan(struct mg_connection *conn, const json_t *asked, const char *role, json_t **plan)
{
    const char *key;
    json_t *v;
    int total = 0;
    if (!asked) {
        *plan = role ? json_pack("{s:i, s:i, s:i}", "general", 1, "behavioural", 2, "role", 1)
                     : json_pack("{s:i, s:i, s:i}", "general", 1, "behavioural", 2, "situational", 1);
        return 0;
    }
    if (!json_is_object(asked))
        goto bad;
    json_object_foreach((json_t *)asked, key, v) {
        size_t k;
        for (k = 0; k < GW_MOCK_KINDS && strcmp(key, gw_mock_kinds[k].name) != 0; k++)
            ;
        if (k == GW_MOCK_KINDS || !json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > GW_MOCK_QUESTIONS_MAX)
            goto bad;
        if (gw_mock_kinds[k].role_only && json_integer_value(v) > 0 && !role) {
            gw_send_error(conn, 422, "invalid_mock_interview", "\"plan\" asks for role questions: name the \"role\".");
            return -1;
        }
        total += (int)json_integer_value(v);
    }
    if (total < 1 || total > GW_MOCK_QUESTIONS_MAX)
        goto bad;
    *plan = json_incref((json_t *)asked);
    return 0;
bad:
    gw_send_error(conn, 422, "invalid_mock_interview",
                  "\"plan\" must count the questions to draw of each kind (general, behavioural, situational, "
                  "technical, role), 1 to %d in all, such as {\"general\": 1, \"behavioural\": 2, \"role\": 1}.",
                  GW_MOCK_QUESTIONS_MAX);
    return -1;
}

/* The chosen questions into ids (in the order given): each must be in the
 * bank, not retired, and given once. 0, or -1 with the answer sent;
 * *language is the first question's when none was asked for. */
static int gw_mock_chosen(struct mg_connection *conn, gw_app *app, const gw_user *u, const json_t *list, char *ids,
                          size_t idslen, int *count, char *language, size_t langlen)
{
    char err[512];
    size_t i;
    const json_t *v;
    if (!json_is_array(list) || json_array_size(list) < 1 || json_array_size(list) > GW_MOCK_QUESTIONS_MAX) {
        gw_send_error(conn, 422, "invalid_mock_interview", "\"question_ids\" must list 1 to %d question ids.",
                      GW_MOCK_QUESTIONS_MAX);
        return -1;
    }
    json_array_foreach(list, i, v) {
        const char *id = json_string_value(v);
        if (!question_id_valid(id)) {
            gw_send_error(conn, 422, "unknown_question", "\"question_ids\" must name questions of /v1/questions.");
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(id, json_string_value(json_array_get(list, j))) == 0) {
                gw_send_error(conn, 422, "invalid_mock_interview", "The question \"%s\" is listed twice.", id);
                return -1;
            }
        gw_ids_add(ids, idslen, id);
    }
    *count = (int)json_array_size(list);
    PGresult *r = NULL;
    const char *p[] = {ids, u->id};
    if (gw_db_query(app,
                    "SELECT u.id, q.id IS NULL, q.retired_at IS NOT NULL, q.language "
                    "FROM unnest($1::text[]) WITH ORDINALITY AS u(id, n) LEFT JOIN questions q ON q.id = u.id "
                    "  AND " GW_SQL_OFFERED("$2::uuid", "q") " "
                    "ORDER BY u.n", 2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        return -1;
    }
    int rc = 0;
    for (int row = 0; row < PQntuples(r) && rc == 0; row++) {
        if (strcmp(PQgetvalue(r, row, 1), "t") == 0) {
            gw_send_error(conn, 422, "unknown_question", "No question has the id \"%s\".", PQgetvalue(r, row, 0));
            rc = -1;
        } else if (strcmp(PQgetvalue(r, row, 2), "t") == 0) {
            gw_send_error(conn, 422, "retired_question", "The question \"%s\" has been retired; pick another.",
                          PQgetvalue(r, row, 0));
            rc = -1;
        }
    }
    if (rc == 0 && !*language && PQntuples(r) > 0)
        snprintf(language, langlen, "%s", PQgetvalue(r, 0, 3));
    PQclear(r);
    return rc;
}

/* An optional integer field within [min, max], else def; -1 with 422 sent. */
static int gw_mock_seconds(struct mg_connection *conn, const json_t *body, const char *name, int def, int min,
                           int max, int *out)
{
    const json_t *v = json_object_get(body, name);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        gw_send_error(conn, 422, "invalid_mock_interview", "\"%s\" must be %d to %d seconds.", name, min, max);
        return -1;
    }
    *out = (int)json_integer_value(v);
    return 0;
}

void gw_mock_create(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"question_ids", "role", "level", "language", "plan", "thinking_s",
                                          "answer_max_s", "title", NULL};
    char id[ISIM_UUID_LEN + 1], ids[GW_MOCK_QUESTIONS_MAX * (QUESTION_ID_MAX + 1) + 3] = "{}", err[512];
    char language[LANG_CODE_MAX] = "", thinking[16], answer[16];
    int count = 0, thinking_s, answer_max_s;
    json_t *plan = NULL, *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *role = json_string_value(json_object_get(body, "role"));
    const char *level = json_string_value(json_object_get(body, "level"));
    const char *title = json_string_value(json_object_get(body, "title"));
    const json_t *jlang = json_object_get(body, "language"), *chosen = json_object_get(body, "question_ids");
    int answer_max = app->cfg.max_duration_s < 600 ? app->cfg.max_duration_s : 600;
    if ((json_object_get(body, "role") && !question_role_valid(role)) ||
        (json_object_get(body, "level") && !question_level_valid(level)) ||
        (json_object_get(body, "title") && (!title || gw_utf8_len(title) > GW_MOCK_TITLE_MAX))) {
        gw_send_error(conn, 422, "invalid_mock_interview",
                      "\"role\" must be a role such as nurse, \"level\" one of any, entry, mid, senior, \"title\" "
                      "at most %d characters.", GW_MOCK_TITLE_MAX);
        goto out;
    }
    if (chosen && (json_object_get(body, "plan") || role || level)) {
        gw_send_error(conn, 422, "invalid_mock_interview",
                      "Give either \"question_ids\" (the questions chosen) or a draw from the bank (\"role\", "
                      "\"level\", \"plan\"), not both.");
        goto out;
    }
    if (gw_mock_seconds(conn, body, "thinking_s", GW_MOCK_THINKING_DEFAULT, 0, GW_MOCK_THINKING_MAX, &thinking_s) ||
        gw_mock_seconds(conn, body, "answer_max_s", GW_MOCK_ANSWER_DEFAULT < answer_max ? GW_MOCK_ANSWER_DEFAULT
                                                                                          : answer_max,
                        GW_MOCK_ANSWER_MIN, answer_max, &answer_max_s))
        goto out;
    if (jlang) {
        const lang_entry *le = lang_find(&app->langs, json_string_value(jlang));
        if (!le) {
            gw_send_error(conn, 422, "unsupported_language", "\"language\" must be a language of GET /v1/languages.");
            goto out;
        }
        snprintf(language, sizeof(language), "%s", le->code);
    }
    if (chosen) {
        if (gw_mock_chosen(conn, app, u, chosen, ids, sizeof(ids), &count, language, sizeof(language)) != 0)
            goto out;
    } else {
        if (!language[0])
            snprintf(language, sizeof(language), "%s", app->langs.v[0].code);
        if (gw_mock_plan(conn, json_object_get(body, "plan"), role, &plan) != 0 ||
            gw_mock_draw(conn, app, u, plan, role, level, language, ids, sizeof(ids), &count) != 0)
            goto out;
    }
    if (util_uuid_v4(id) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    snprintf(thinking, sizeof(thinking), "%d", thinking_s);
    snprintf(answer, sizeof(answer), "%d", answer_max_s);
    const char *p[] = {id, u->id, title ? title : "", role, level, language, thinking, answer, ids};
    if (gw_db_query(app,
                    "WITH m AS (INSERT INTO mock_interviews (id, user_id, title, role, level, language, thinking_s, "
                    "  answer_max_s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id) "
                    "INSERT INTO mock_interview_questions (mock_id, position, question_id) "
                    "SELECT m.id, u.n, u.qid FROM m, unnest($9::text[]) WITH ORDINALITY AS u(qid, n)",
                    9, p, NULL, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    gw_log(ISIM_LOG_INFO, "mock interview %s created with %d question(s)", id, count);
    gw_mock_send(conn, app, u, id, 201);
out:
    json_decref(plan);
    json_decref(body);
}

void gw_mock_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    gw_mock_send(conn, app, u, id, 200);
}

void gw_mock_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    const char *p[] = {u->id};
    gw_send_query_list(conn, app, "mock_interviews",
                       "SELECT COALESCE(json_agg(json_build_object('id', m.id, 'title', m.title, 'role', m.role, "
                       "  'level', m.level, 'language', m.language, 'status', m.status, 'created_at', m.created_at, "
                       "  'finished_at', m.finished_at, "
                       "  'questions', (SELECT count(*) FROM mock_interview_questions WHERE mock_id = m.id), "
                       "  'answered', (SELECT count(interview_id) FROM mock_interview_questions WHERE mock_id = m.id)) "
                       "  ORDER BY m.created_at DESC, m.id DESC), '[]'::json)::text "
                       "FROM (SELECT * FROM mock_interviews WHERE user_id = $1 "
                       "      ORDER BY created_at DESC, id DESC LIMIT 200) m",
                       1, p);
}

void gw_mock_next(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char sql[1024];
    const char *p[] = {id, u->id};
    snprintf(sql, sizeof(sql),
             "SELECT json_build_object('status', m.status, 'thinking_s', m.thinking_s, 'answer_max_s', m.answer_max_s, "
             "  'next', " GW_MOCK_NEXT_SQL ")::text "
             "FROM mock_interviews m WHERE m.id = $1 AND m.user_id = $2", gw_question_json);
    gw_send_query_object(conn, app, 200, sql, 2, p, "No mock interview has this id.");
}

/* 0 when the interview can be the answer, with place the position it goes to
 * (the one asked for, else the first open one); else -1 with the reason sent
 * in words. */
static int gw_mock_attach_check(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id,
                                const char *iid, const char *pos, char *place, size_t placelen)
{
    char err[512];
    PGresult *r = NULL;
    int rc = -1;
    const char *p[] = {id, u->id, iid, pos};
    if (gw_db_query(app,
                    "SELECT m.status, s.position, s.question_id, i.id IS NOT NULL, i.question_id, "
                    "  (SELECT mock_id::text || '/' || position FROM mock_interview_questions "
                    "   WHERE interview_id = $3::uuid) "
                    "FROM mock_interviews m "
                    "LEFT JOIN mock_interview_questions s ON s.mock_id = m.id AND s.position = COALESCE($4::int, "
                    "  (SELECT min(position) FROM mock_interview_questions WHERE mock_id = m.id AND interview_id IS NULL)) "
                    "LEFT JOIN interviews i ON i.id = $3::uuid AND i.user_id = $2 "
                    "WHERE m.id = $1 AND m.user_id = $2", 4, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    char self[128];
    snprintf(self, sizeof(self), "%s/%s", id, PQntuples(r) ? PQgetvalue(r, 0, 1) : "");
    if (PQntuples(r) == 0)
        gw_send_error(conn, 404, "not_found", "No mock interview has this id.");
    else if (strcmp(PQgetvalue(r, 0, 0), "finished") == 0)
        gw_send_error(conn, 409, "mock_finished", "This mock interview is finished; start a new one to answer again.");
    else if (PQgetisnull(r, 0, 1))
        gw_send_error(conn, pos ? 422 : 409, pos ? "invalid_position" : "all_answered",
                      pos ? "\"position\" must be the place of one of this mock interview's questions."
                          : "Every question of this mock interview has an answer; finish it.");
    else if (strcmp(PQgetvalue(r, 0, 3), "t") != 0)
        gw_send_error(conn, 422, "unknown_interview", "\"interview_id\" must be an interview of yours.");
    else if (strcmp(PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 2)) != 0)
        gw_send_error(conn, 422, "wrong_question",
                      "That interview answers another question; the question at place %s is \"%s\".",
                      PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
    else if (!PQgetisnull(r, 0, 5) && strcmp(PQgetvalue(r, 0, 5), self) != 0)
        gw_send_error(conn, 409, "interview_attached", "That interview is already the answer of a mock interview.");
    else {
        snprintf(place, placelen, "%s", PQgetvalue(r, 0, 1));
        rc = 0;
    }
out:
    PQclear(r);
    return rc;
}

/* POST /v1/mock-interviews/{id}/answers {"interview_id", "position"?}: the
 * interview becomes the answer at that place (the first open one by
 * default); answering a place again replaces its answer, and the earlier
 * one stays among the question's attempts. */
void gw_mock_answer(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    static const char *const allowed[] = {"interview_id", "position", NULL};
    char err[512], pos[16], place[16];
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *iid = json_string_value(json_object_get(body, "interview_id"));
    const json_t *jpos = json_object_get(body, "position");
    if (!iid || !util_uuid_valid(iid)) {
        gw_send_error(conn, 422, "unknown_interview", "\"interview_id\" must be an interview of yours.");
        goto out;
    }
    if (jpos && (!json_is_integer(jpos) || json_integer_value(jpos) < 1 ||
                 json_integer_value(jpos) > GW_MOCK_QUESTIONS_MAX)) {
        gw_send_error(conn, 422, "invalid_position", "\"position\" must be the place of one of its questions (1-%d).",
                      GW_MOCK_QUESTIONS_MAX);
        goto out;
    }
    snprintf(pos, sizeof(pos), "%lld", jpos ? (long long)json_integer_value(jpos) : 0LL);
    char lower[ISIM_UUID_LEN + 1];
    snprintf(lower, sizeof(lower), "%s", iid);
    util_ascii_lower(lower);
    if (gw_mock_attach_check(conn, app, u, id, lower, jpos ? pos : NULL, place, sizeof(place)) != 0)
        goto out;
    const char *p[] = {id, place, lower, u->id};
    /* The conditions again: a finish or another attach between check and update loses nothing. */
    if (gw_db_query(app,
                    "UPDATE mock_interview_questions s SET interview_id = $3::uuid, answered_at = now() "
                    "FROM mock_interviews m WHERE s.mock_id = $1 AND s.position = $2::int AND m.id = s.mock_id "
                    "  AND m.user_id = $4 AND m.status = 'in_progress'", 4, p, NULL, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    gw_mock_send(conn, app, u, id, 200);
out:
    json_decref(body);
}

void gw_mock_finish(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id, u->id};
    if (gw_db_query(app,
                    "UPDATE mock_interviews SET status = 'finished', finished_at = COALESCE(finished_at, now()) "
                    "WHERE id = $1 AND user_id = $2 RETURNING id", 2, p, &r, err, sizeof(err)) != 0)
        gw_db_unavailable(conn, err);
    else if (PQntuples(r) == 0)
        gw_send_error(conn, 404, "not_found", "No mock interview has this id.");
    else
        gw_mock_send(conn, app, u, id, 200);
    PQclear(r);
}

void gw_mock_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    const char *p[] = {id, u->id};
    gw_send_changed_or_404(conn, app, "DELETE FROM mock_interviews WHERE id = $1 AND user_id = $2 RETURNING id", 2, p,
                           "No mock interview has this id.");
}

/* GET /v1/mock-interviews/{id}/report: the combined report, from the
 * answers as they are now (answers still processing are counted as such). */
void gw_mock_report(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    json_t *answers = NULL, *report = NULL;
    const char *p[] = {id, u->id};
    if (gw_db_query(app,
                    "SELECT m.status, m.title, COALESCE((SELECT json_agg(json_build_object('position', s.position, "
                    "  'question_id', s.question_id, 'question', q.text, 'interview_id', s.interview_id, "
                    "  'status', i.status, 'failure_reason', i.failure_reason, 'score', r.report->'score', "
                    "  'tips', r.report->'tips') ORDER BY s.position) "
                    "  FROM mock_interview_questions s JOIN questions q ON q.id = s.question_id "
                    "  LEFT JOIN interviews i ON i.id = s.interview_id "
                    "  LEFT JOIN reports r ON r.interview_id = s.interview_id WHERE s.mock_id = m.id), '[]'::json) "
                    "FROM mock_interviews m WHERE m.id = $1 AND m.user_id = $2", 2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No mock interview has this id.");
        goto out;
    }
    answers = json_loads(PQgetvalue(r, 0, 2), 0, NULL);
    report = answers ? mock_report_build(answers) : NULL;
    if (!report) {
        gw_send_error(conn, 500, "internal", "The combined report could not be built.");
        goto out;
    }
    json_object_set_new(report, "mock_interview_id", json_string(id));
    json_object_set_new(report, "status", json_string(PQgetvalue(r, 0, 0)));
    json_object_set_new(report, "title", json_string(PQgetvalue(r, 0, 1)));
    gw_send_json(conn, 200, report);
    report = NULL;
out:
    json_decref(report);
    json_decref(answers);
    PQclear(r);
}

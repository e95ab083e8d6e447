/* The question bank as a whole, for administrators: GET /v1/question-bank
 * exports every question (retired ones too) as JSON or CSV, POST imports a
 * file in either format. An import is checked whole before anything is
 * stored and stored in one statement: all of it or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gw_handlers.h"
#include "gw_db_pool.h"
#include "gw_http.h"
#include "question.h"
#include "question_bank.h"
#include "question_csv.h"

/* A bank of thousands of questions fits; a runaway upload does not. */
#define GW_IMPORT_MAX_BYTES (8u * 1024 * 1024)

/* The fields of an export: what an import takes back (question_fields). */
static const char gw_export_sql[] =
    "SELECT json_build_object('format', $1::text, 'questions', COALESCE(json_agg(json_build_object("
    "  'id', id, 'category', category, 'role', role, 'level', level, 'language', language, 'text', text, "
    "  'talking_points', talking_points, 'star', star, 'retired', retired_at IS NOT NULL, "
    "  'organisation_id', organisation_id) ORDER BY id), "
    "  '[]'::json))::text FROM questions";

static int gw_format_is(const char *format, const char *name)
{
    return strcmp(format, name) == 0;
}

void gw_question_bank_export(struct mg_connection *conn, gw_app *app)
{
    char err[512], format[8] = "json";
    PGresult *r = NULL;
    char *body = NULL;
    json_t *doc = NULL;
    int has = gw_query_param(conn, "format", format, sizeof(format));
    if (has < 0 || (has && !gw_format_is(format, "json") && !gw_format_is(format, "csv"))) {
        gw_send_error(conn, 422, "invalid_parameter", "\"format\" must be json or csv.");
        goto out;
    }
    const char *p[] = {QUESTION_FORMAT};
    if (gw_db_query(app, gw_export_sql, 1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (gw_format_is(format, "json")) {
        gw_send_bytes(conn, 200, "application/json", PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0),
                      "Content-Disposition: attachment; filename=\"questions.json\"\r\n");
        goto out;
    }
    doc = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    body = doc ? question_list_to_csv(json_object_get(doc, "questions")) : NULL;
    if (!body) {
        gw_send_error(conn, 500, "internal", "The export could not be written (out of memory).");
        goto out;
    }
    gw_send_bytes(conn, 200, "text/csv; charset=utf-8", body, strlen(body),
                  "Content-Disposition: attachment; filename=\"questions.csv\"\r\n");
out:
    free(body);
    json_decref(doc);
    PQclear(r);
}

/* The questions of the body as a JSON list, by its Content-Type; NULL with
 * 4xx sent when it is not a bank file. */
static json_t *gw_import_list(struct mg_connection *conn, gw_app *app, const char *body, size_t len)
{
    char err[512];
    json_error_t je;
    const char *ctype = mg_get_header(conn, "Content-Type");
    json_t *doc = NULL, *list = NULL;
    if (ctype && strncasecmp(ctype, "text/csv", 8) == 0) {
        doc = question_list_from_csv(body, len, err, sizeof(err));
    } else if (ctype && strncasecmp(ctype, "application/json", 16) == 0) {
        doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
        if (!doc) {
            gw_send_error(conn, 400, "invalid_json", "Nothing was imported: the file is not valid JSON (line %d: %s).",
                          je.line, je.text);
            return NULL;
        }
    } else {
        gw_send_error(conn, 415, "unsupported_media_type",
                      "Send the questions as application/json or text/csv (the formats GET /v1/question-bank "
                      "exports).");
        return NULL;
    }
    if (doc)
        list = question_list_from_json(doc, &app->langs, err, sizeof(err));
    json_decref(doc);
    if (!list) {
        gw_send_error(conn, 422, "invalid_questions", "Nothing was imported. %s", err);
        return NULL;
    }
    /* Every organisation named must exist: the store would fail on it. */
    size_t i;
    const json_t *q;
    json_t *checked = json_object();
    json_array_foreach(list, i, q) {
        const char *org = json_string_value(json_object_get(q, "organisation_id"));
        if (!org || json_object_get(checked, org))
            continue;
        if (gw_org_missing(conn, app, org)) {
            json_decref(list);
            list = NULL;
            break;
        }
        json_object_set_new(checked, org, json_true());
    }
    json_decref(checked);
    return list;
}

void gw_question_bank_import(struct mg_connection *conn, gw_app *app)
{
    char err[512], mode[16] = "replace";
    size_t len = 0;
    json_t *list = NULL;
    char *body = NULL;
    PGconn *c = NULL;
    int created = 0, updated = 0;
    int has = gw_query_param(conn, "mode", mode, sizeof(mode));
    if (has < 0 || (has && strcmp(mode, "replace") != 0 && strcmp(mode, "missing") != 0)) {
        gw_send_error(conn, 422, "invalid_parameter",
                      "\"mode\" must be replace (new questions are added, existing ones overwritten) or missing "
                      "(only new ones are added).");
        goto out;
    }
    if (!(body = gw_read_body_all(conn, GW_IMPORT_MAX_BYTES, &len)) || !(list = gw_import_list(conn, app, body, len)))
        goto out;
    if (!(c = gw_db_pool_acquire(app->db))) {
        gw_db_unavailable(conn, "every database connection stayed busy");
        goto out;
    }
    if (question_bank_store(c, list, strcmp(mode, "missing") == 0 ? QUESTION_STORE_MISSING : QUESTION_STORE_REPLACE,
                            app->langs.v[0].code, "import", &created, &updated, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    gw_send_json(conn, 200, json_pack("{s:i, s:i, s:i, s:i}", "received", (int)json_array_size(list), "created",
                                      created, "updated", updated, "unchanged",
                                      (int)json_array_size(list) - created - updated));
out:
    if (c)
        gw_db_pool_release(app->db, c);
    json_decref(list);
    free(body);
}

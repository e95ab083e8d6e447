/* Organisations, their cohorts and who coaches them. Administrators manage
 * them; a coach sees their cohort's overview; a member sees who coaches
 * them (they see the member's reports). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_util.h"

#define GW_ORG_NAME_MAX 200

/* "name" of a body: 1 to 200 characters; NULL with 422 sent. */
static const char *gw_name_field(struct mg_connection *conn, const json_t *body, const char *what)
{
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name || gw_utf8_len(name) > GW_ORG_NAME_MAX) {
        gw_send_error(conn, 422, "invalid_name", "\"name\" must be the %s's name, 1 to %d characters.", what,
                      GW_ORG_NAME_MAX);
        return NULL;
    }
    return name;
}

static const char gw_org_json[] =
    "json_build_object('id', o.id, 'name', o.name, 'created_at', o.created_at, "
    "'people', (SELECT count(*) FROM users WHERE organisation_id = o.id), "
    "'cohorts', (SELECT count(*) FROM cohorts WHERE organisation_id = o.id))";

void gw_org_list(struct mg_connection *conn, gw_app *app)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT COALESCE(json_agg(%s ORDER BY o.name), '[]'::json)::text FROM organisations o",
             gw_org_json);
    gw_send_query_list(conn, app, "organisations", sql, 0, NULL);
}

/* POST /v1/organisations (id NULL) and PATCH /v1/organisations/{id}: the name. */
void gw_org_put(struct mg_connection *conn, gw_app *app, const char *id)
{
    static const char *const allowed[] = {"name", NULL};
    char err[512], sql[768], newid[ISIM_UUID_LEN + 1];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    const char *name;
    if (!body || gw_json_only(conn, body, allowed) != 0 || !(name = gw_name_field(conn, body, "organisation")))
        goto out;
    if (!id && util_uuid_v4(newid) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    const char *p[] = {id ? id : newid, name};
    snprintf(sql, sizeof(sql),
             id ? "WITH o AS (UPDATE organisations SET name = $2 WHERE id = $1 "
                  "  AND NOT EXISTS (SELECT 1 FROM organisations WHERE name = $2 AND id <> $1) RETURNING *) "
                  "SELECT %s::text, true FROM o "
                  "UNION ALL SELECT NULL, EXISTS (SELECT 1 FROM organisations WHERE id = $1) "
                  "WHERE NOT EXISTS (SELECT 1 FROM o)"
                : "WITH o AS (INSERT INTO organisations (id, name) VALUES ($1, $2) "
                  "  ON CONFLICT (name) DO NOTHING RETURNING *) SELECT %s::text, true FROM o "
                  "UNION ALL SELECT NULL, true WHERE NOT EXISTS (SELECT 1 FROM o)",
             gw_org_json);
    if (gw_db_query(app, sql, 2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQgetisnull(r, 0, 0)) {
        if (strcmp(PQgetvalue(r, 0, 1), "t") == 0)
            gw_send_error(conn, 409, "name_taken", "An organisation is already called \"%s\".", name);
        else
            gw_send_error(conn, 404, "not_found", "No organisation has this id.");
        goto out;
    }
    gw_send_json(conn, id ? 200 : 201, json_loads(PQgetvalue(r, 0, 0), 0, NULL));
out:
    PQclear(r);
    json_decref(body);
}

void gw_org_delete(struct mg_connection *conn, gw_app *app, const char *id)
{
    const char *p[] = {id};
    gw_send_changed_or_404(conn, app, "DELETE FROM organisations WHERE id = $1 RETURNING id", 1, p,
                           "No organisation has this id.");
}

/* A cohort; $2 is the caller: role is theirs in it (null when they are not in it). */
static const char gw_cohort_json[] =
    "json_build_object('id', c.id, 'name', c.name, 'created_at', c.created_at, "
    "'organisation', (SELECT json_build_object('id', o.id, 'name', o.name) FROM organisations o "
    "  WHERE o.id = c.organisation_id), "
    "'role', (SELECT role FROM cohort_members WHERE cohort_id = c.id AND user_id = $%d::uuid), "
    "'members', (SELECT count(*) FROM cohort_members WHERE cohort_id = c.id AND role = 'member'), "
    "'coaches', (SELECT COALESCE(json_agg(json_build_object('id', u.id, 'name', u.name) ORDER BY u.name), "
    "  '[]'::json) FROM cohort_members m JOIN users u ON u.id = m.user_id "
    "  WHERE m.cohort_id = c.id AND m.role = 'coach'))";

/* Administrators list every cohort; anyone else those they are in. */
void gw_cohort_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char sql[1536], json[1024];
    snprintf(json, sizeof(json), gw_cohort_json, 1);
    snprintf(sql, sizeof(sql),
             "SELECT COALESCE(json_agg(%s ORDER BY c.name, c.id), '[]'::json)::text FROM cohorts c "
             "WHERE $2::bool OR EXISTS (SELECT 1 FROM cohort_members WHERE cohort_id = c.id AND user_id = $1::uuid)",
             json);
    const char *p[] = {u->id, strcmp(u->role, "admin") == 0 ? "t" : "f"};
    gw_send_query_list(conn, app, "cohorts", sql, 2, p);
}

void gw_cohort_create(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"name", "organisation_id", NULL};
    char err[512], sql[1536], json[1024], id[ISIM_UUID_LEN + 1];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    const char *name;
    if (!body || gw_json_only(conn, body, allowed) != 0 || !(name = gw_name_field(conn, body, "cohort")))
        goto out;
    const char *org = json_string_value(json_object_get(body, "organisation_id"));
    if (!org || !util_uuid_valid(org)) {
        gw_send_error(conn, 422, "invalid_cohort", "\"organisation_id\" must be an organisation's id.");
        goto out;
    }
    if (util_uuid_v4(id) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an id");
        goto out;
    }
    snprintf(json, sizeof(json), gw_cohort_json, 4);
    snprintf(sql, sizeof(sql),
             "WITH c AS (INSERT INTO cohorts (id, organisation_id, name) "
             "  SELECT $1, o.id, $3 FROM organisations o WHERE o.id = $2::uuid "
             "  ON CONFLICT (organisation_id, name) DO NOTHING RETURNING *) "
             "SELECT %s::text, true FROM c UNION ALL "
             "SELECT NULL, EXISTS (SELECT 1 FROM organisations WHERE id = $2::uuid) WHERE NOT EXISTS (SELECT 1 FROM c)",
             json);
    const char *p[] = {id, org, name, u->id};
    if (gw_db_query(app, sql, 4, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQgetisnull(r, 0, 0)) {
        if (strcmp(PQgetvalue(r, 0, 1), "t") == 0)
            gw_send_error(conn, 409, "name_taken", "This organisation already has a cohort called \"%s\".", name);
        else
            gw_send_error(conn, 422, "invalid_cohort", "No organisation has the id \"%s\".", org);
        goto out;
    }
    gw_send_json(conn, 201, json_loads(PQgetvalue(r, 0, 0), 0, NULL));
out:
    PQclear(r);
    json_decref(body);
}

/* A cohort with its people: for an administrator or one of its coaches. A
 * member sees the cohort and its coaches (who see their reports), not the
 * other members. */
void gw_cohort_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char sql[2560], json[1024];
    snprintf(json, sizeof(json), gw_cohort_json, 2);
    snprintf(sql, sizeof(sql),
             "SELECT (%s::jsonb || CASE WHEN $3::bool OR EXISTS (SELECT 1 FROM cohort_members "
             "    WHERE cohort_id = c.id AND user_id = $2::uuid AND role = 'coach') "
             "  THEN jsonb_build_object('people', (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', u.id, "
             "    'name', u.name, 'email', u.email, 'role', m.role, 'added_at', m.added_at) ORDER BY m.role, u.name), "
             "    '[]'::jsonb) FROM cohort_members m JOIN users u ON u.id = m.user_id WHERE m.cohort_id = c.id)) "
             "  ELSE '{}'::jsonb END)::text "
             "FROM cohorts c WHERE c.id = $1 AND ($3::bool OR EXISTS (SELECT 1 FROM cohort_members "
             "  WHERE cohort_id = c.id AND user_id = $2::uuid))", json);
    const char *p[] = {id, u->id, strcmp(u->role, "admin") == 0 ? "t" : "f"};
    gw_send_query_object(conn, app, 200, sql, 3, p, "No cohort of yours has this id.");
}

void gw_cohort_delete(struct mg_connection *conn, gw_app *app, const char *id)
{
    const char *p[] = {id};
    gw_send_changed_or_404(conn, app, "DELETE FROM cohorts WHERE id = $1 RETURNING id", 1, p,
                           "No cohort has this id.");
}

/* PUT /v1/cohorts/{id}/members/{user_id} {"role": "member" | "coach"}: the
 * person must belong to the cohort's organisation. */
void gw_cohort_member_put(struct mg_connection *conn, gw_app *app, const char *id, const char *user_id)
{
    static const char *const allowed[] = {"role", NULL};
    char err[512];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *role = json_string_value(json_object_get(body, "role"));
    if (!role || (strcmp(role, "member") != 0 && strcmp(role, "coach") != 0)) {
        gw_send_error(conn, 422, "invalid_role", "\"role\" must be member or coach.");
        goto out;
    }
    const char *p[] = {id, user_id, role};
    if (gw_db_query(app,
                    "WITH c AS (SELECT * FROM cohorts WHERE id = $1), "
                    "u AS (SELECT * FROM users WHERE id = $2::uuid), "
                    "m AS (INSERT INTO cohort_members (cohort_id, user_id, role) "
                    "  SELECT c.id, u.id, $3 FROM c, u WHERE u.organisation_id = c.organisation_id "
                    "  ON CONFLICT (cohort_id, user_id) DO UPDATE SET role = EXCLUDED.role RETURNING *) "
                    "SELECT EXISTS (SELECT 1 FROM c), EXISTS (SELECT 1 FROM u), EXISTS (SELECT 1 FROM m)",
                    3, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        gw_send_error(conn, 404, "not_found", "No cohort has this id.");
    else if (strcmp(PQgetvalue(r, 0, 1), "t") != 0)
        gw_send_error(conn, 404, "not_found", "No user has this id.");
    else if (strcmp(PQgetvalue(r, 0, 2), "t") != 0)
        gw_send_error(conn, 422, "not_in_organisation",
                      "This person is not in the cohort's organisation: set their organisation_id first "
                      "(PATCH /v1/users/{id}).");
    else
        gw_send_json(conn, 200, json_pack("{s:s, s:s, s:s}", "cohort_id", id, "user_id", user_id, "role", role));
out:
    PQclear(r);
    json_decref(body);
}

void gw_cohort_member_delete(struct mg_connection *conn, gw_app *app, const char *id, const char *user_id)
{
    const char *p[] = {id, user_id};
    gw_send_changed_or_404(conn, app,
                           "DELETE FROM cohort_members WHERE cohort_id = $1 AND user_id = $2::uuid RETURNING user_id",
                           2, p, "This person is not in this cohort.");
}

/* GET /v1/cohorts/{id}/overview: for its coaches only. Each member: how
 * often and how recently they practised, and their scores over time. */
void gw_cohort_overview(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    const char *p[] = {id, u->id};
    gw_send_query_object(
        conn, app, 200,
        "WITH members AS (SELECT u.id, u.name, u.email FROM cohort_members m JOIN users u ON u.id = m.user_id "
        "  WHERE m.cohort_id = $1 AND m.role = 'member'), "
        "done AS (SELECT i.user_id, i.id, i.completed_at, "
        "  CASE WHEN jsonb_typeof(r.report->'score'->'overall') = 'number' "
        "    THEN (r.report->'score'->'overall')::text::float8 END AS score "
        "  FROM interviews i JOIN reports r ON r.interview_id = i.id "
        "  WHERE i.status = 'complete' AND i.user_id IN (SELECT id FROM members)), "
        "people AS (SELECT m.id, m.name, m.email, "
        "  (SELECT count(*) FROM done WHERE user_id = m.id) AS answers, "
        "  (SELECT max(completed_at) FROM done WHERE user_id = m.id) AS last_practised_at, "
        "  (SELECT round(avg(score)::numeric, 1)::float8 FROM done WHERE user_id = m.id) AS mean_score, "
        "  (SELECT score FROM done WHERE user_id = m.id AND score IS NOT NULL "
        "    ORDER BY completed_at, id LIMIT 1) AS first_score, "
        "  (SELECT score FROM done WHERE user_id = m.id AND score IS NOT NULL "
        "    ORDER BY completed_at DESC, id DESC LIMIT 1) AS latest_score, "
        "  (SELECT count(*) FROM mock_interviews WHERE user_id = m.id) AS mock_interviews, "
        "  (SELECT COALESCE(json_agg(json_build_object('interview_id', d.id, 'completed_at', d.completed_at, "
        "     'score', d.score) ORDER BY d.completed_at, d.id), '[]'::json) FROM "
        "     (SELECT * FROM done WHERE user_id = m.id ORDER BY completed_at DESC, id DESC LIMIT 20) d) AS scores "
        "  FROM members m) "
        "SELECT json_build_object('cohort_id', c.id, 'name', c.name, "
        "  'members', (SELECT count(*) FROM people), "
        "  'practised', (SELECT count(*) FROM people WHERE answers > 0), "
        "  'mean_score', (SELECT round(avg(score)::numeric, 1)::float8 FROM done), "
        "  'people', (SELECT COALESCE(json_agg(json_build_object('user_id', id, 'name', name, 'email', email, "
        "    'answers', answers, 'last_practised_at', last_practised_at, 'mean_score', mean_score, "
        "    'first_score', first_score, 'latest_score', latest_score, 'mock_interviews', mock_interviews, "
        "    'scores', scores) ORDER BY name, id), '[]'::json) FROM people))::text "
        "FROM cohorts c WHERE c.id = $1 AND EXISTS (SELECT 1 FROM cohort_members "
        "  WHERE cohort_id = c.id AND user_id = $2::uuid AND role = 'coach')",
        2, p, "No cohort you coach has this id.");
}

int gw_org_missing(struct mg_connection *conn, gw_app *app, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id};
    int missing = 1;
    if (gw_db_query(app, "SELECT EXISTS (SELECT 1 FROM organisations WHERE id = $1::uuid)", 1, p, &r, err,
                    sizeof(err)) != 0)
        gw_db_unavailable(conn, err);
    else if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
        gw_send_error(conn, 422, "unknown_organisation", "No organisation has the id \"%s\".", id);
    else
        missing = 0;
    PQclear(r);
    return missing;
}

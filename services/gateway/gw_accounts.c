/* Accounts: an administrator creates users (the key is shown once), lists
 * them and disables them; a user reads who they are and manages their
 * webhooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_webhook.h"
#include "isim_util.h"

#define GW_NAME_MAX 100
#define GW_WEBHOOKS_MAX 10

int gw_user_name_role_valid(struct mg_connection *conn, const char *name, const char *role)
{
    if (!name || !*name || gw_utf8_len(name) > GW_NAME_MAX) {
        gw_send_error(conn, 422, "invalid_user", "\"name\" must be a text of 1 to %d characters.", GW_NAME_MAX);
        return -1;
    }
    if (!role || (strcmp(role, "user") != 0 && strcmp(role, "admin") != 0)) {
        gw_send_error(conn, 422, "invalid_user", "\"role\" must be user or admin.");
        return -1;
    }
    return 0;
}

void gw_user_create(struct mg_connection *conn, gw_app *app)
{
    static const char *const allowed[] = {"name", "role", "rate_limit_per_min", NULL};
    char err[512], id[ISIM_UUID_LEN + 1], key[GW_KEY_LEN + 1], hash[65], limit[24] = "";
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *name = json_string_value(json_object_get(body, "name"));
    json_t *jrole = json_object_get(body, "role"), *jlimit = json_object_get(body, "rate_limit_per_min");
    const char *role = jrole ? json_string_value(jrole) : "user";
    if (gw_user_name_role_valid(conn, name, role) != 0)
        goto out;
    if (jlimit && !json_is_null(jlimit)) {
        if (!json_is_integer(jlimit) || json_integer_value(jlimit) < 0 || json_integer_value(jlimit) > 1000000) {
            gw_send_error(conn, 422, "invalid_user",
                          "\"rate_limit_per_min\" must be a whole number from 0 (unlimited) to 1000000, or null.");
            goto out;
        }
        snprintf(limit, sizeof(limit), "%lld", (long long)json_integer_value(jlimit));
    }
    if (util_uuid_v4(id) != 0 || gw_key_new(key) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate a key");
        goto out;
    }
    gw_key_hash(key, hash);
    const char *p[] = {id, name, role, limit[0] ? limit : NULL, hash};
    if (gw_db_query(app,
                    "WITH u AS (INSERT INTO users (id, name, role, rate_limit_per_min) "
                    "  VALUES ($1, $2, $3, $4::int) RETURNING id, created_at) "
                    "INSERT INTO api_keys (key_hash, user_id) SELECT $5, id FROM u RETURNING "
                    "  (SELECT to_json(created_at)::text FROM u)",
                    5, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    json_t *resp = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", id, "name", name, "role", role, "api_key", key,
                             "created_at", json_loads(PQgetvalue(r, 0, 0), JSON_DECODE_ANY, NULL));
    json_object_set_new(resp, "rate_limit_per_min", limit[0] ? json_integer(atoll(limit)) : json_null());
    gw_log(ISIM_LOG_INFO, "user %s created with role %s", id, role);
    gw_send_json(conn, 201, resp);
out:
    PQclear(r);
    json_decref(body);
}

/* How a user is described to itself and to administrators. */
static const char gw_user_fields[] =
    "json_build_object('id', id, 'name', name, 'email', email, 'role', role, "
    "'rate_limit_per_min', rate_limit_per_min, 'disabled', disabled_at IS NOT NULL, "
    "'invitation_pending', email IS NOT NULL AND password_hash IS NULL, 'created_at', created_at, "
    "'organisation', (SELECT json_build_object('id', o.id, 'name', o.name) FROM organisations o "
    "  WHERE o.id = users.organisation_id), "
    "'cohorts', (SELECT COALESCE(json_agg(json_build_object('id', c.id, 'name', c.name, 'role', cm.role) "
    "  ORDER BY c.name, c.id), '[]'::json) FROM cohort_members cm JOIN cohorts c ON c.id = cm.cohort_id "
    "  WHERE cm.user_id = users.id))";

int gw_user_json(gw_app *app, const char *user_id, json_t **out, char *err, size_t errlen)
{
    char sql[2048];
    PGresult *r = NULL;
    const char *p[] = {user_id};
    *out = NULL;
    snprintf(sql, sizeof(sql), "SELECT %s::text FROM users WHERE id = $1", gw_user_fields);
    int rc = gw_db_query(app, sql, 1, p, &r, err, errlen);
    if (rc == 0 && PQntuples(r) == 1)
        *out = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    return rc;
}

json_t *gw_limits_json(const gw_app *app)
{
    return json_pack("{s:i, s:I}", "max_duration_s", app->cfg.max_duration_s, "max_upload_bytes",
                     (json_int_t)app->cfg.max_upload_bytes);
}

void gw_me(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char err[512];
    json_t *j = NULL;
    if (gw_user_json(app, u->id, &j, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        return;
    }
    if (!j) {
        gw_send_error(conn, 401, "invalid_api_key", "This API key is not valid.");
        return;
    }
    json_object_set_new(j, "effective_rate_limit_per_min",
                        json_integer(u->rate_limit >= 0 ? u->rate_limit : app->cfg.rate_limit_per_min));
    json_object_set_new(j, "auth", json_string(u->kind == GW_AUTH_SESSION ? "session" : "api_key"));
    json_object_set_new(j, "limits", gw_limits_json(app));
    if (u->kind == GW_AUTH_SESSION)
        json_object_set_new(j, "csrf_token", json_string(u->csrf));
    gw_send_json(conn, 200, j);
}

void gw_user_list(struct mg_connection *conn, gw_app *app)
{
    char sql[2048];
    snprintf(sql, sizeof(sql), "SELECT COALESCE(json_agg(%s ORDER BY created_at, id), '[]'::json)::text FROM users",
             gw_user_fields);
    gw_send_query_list(conn, app, "users", sql, 0, NULL);
}

/* PATCH /v1/users/{id} {"disabled": bool, "organisation_id": uuid | null}:
 * a disabled user's keys and sessions stop working (sessions are ended;
 * cached key lookups within 5 s). Moving a person to another organisation
 * (or none) takes them out of the cohorts of the one they leave. */
void gw_user_patch(struct mg_connection *conn, gw_app *app, const gw_user *admin, const char *id)
{
    static const char *const allowed[] = {"disabled", "organisation_id", NULL};
    char err[512];
    PGresult *r = NULL;
    json_t *out = NULL, *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    json_t *jd = json_object_get(body, "disabled"), *jo = json_object_get(body, "organisation_id");
    const char *org = json_string_value(jo);
    if ((!jd && !jo) || (jd && !json_is_boolean(jd)) || (jo && !json_is_null(jo) && !(org && util_uuid_valid(org)))) {
        gw_send_error(conn, 422, "invalid_user",
                      "Give \"disabled\" (true or false) and/or \"organisation_id\" (an organisation's id, or null).");
        goto out;
    }
    if (json_is_true(jd) && strcmp(id, admin->id) == 0) {
        gw_send_error(conn, 422, "cannot_disable_self", "You cannot disable your own account.");
        goto out;
    }
    const char *p[] = {id, jd ? (json_is_true(jd) ? "t" : "f") : NULL, org, jo ? "t" : "f"};
    if (gw_db_query(app,
                    "WITH s AS (DELETE FROM sessions WHERE user_id = $1 AND $2::bool IS TRUE), "
                    "m AS (DELETE FROM cohort_members cm USING cohorts c WHERE $4::bool AND cm.user_id = $1 "
                    "  AND c.id = cm.cohort_id AND c.organisation_id IS DISTINCT FROM $3::uuid "
                    "  AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM organisations WHERE id = $3::uuid))) "
                    "UPDATE users SET disabled_at = CASE WHEN $2::bool IS NULL THEN disabled_at "
                    "    WHEN $2::bool THEN COALESCE(disabled_at, now()) END, "
                    "  organisation_id = CASE WHEN $4::bool THEN $3::uuid ELSE organisation_id END "
                    "WHERE id = $1 AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM organisations WHERE id = $3::uuid)) "
                    "RETURNING id",
                    4, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        if (org)
            gw_send_error(conn, 404, "not_found", "No user has this id, or no organisation has the id \"%s\".", org);
        else
            gw_send_error(conn, 404, "not_found", "No user has this id.");
        goto out;
    }
    gw_auth_cache_drop_user(app->auth_cache, id);
    gw_log(ISIM_LOG_INFO, "user %s changed by %s%s%s", id, admin->id, jd ? (json_is_true(jd) ? ": disabled" : ": enabled") : "",
           jo ? ", organisation set" : "");
    if (gw_user_json(app, id, &out, err, sizeof(err)) != 0 || !out) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    gw_send_json(conn, 200, out);
out:
    PQclear(r);
    json_decref(body);
}

void gw_webhook_create(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"url", NULL};
    char err[512], id[ISIM_UUID_LEN + 1], secret[GW_KEY_LEN + 1], count[16];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *url = json_string_value(json_object_get(body, "url"));
    if (!url || gw_webhook_url_valid(url) != 0) {
        gw_send_error(conn, 422, "invalid_url",
                      "\"url\" must be an http:// or https:// URL of at most %d characters, without spaces.",
                      GW_WEBHOOK_URL_MAX);
        goto out;
    }
    if (!gw_url_host_allowed(url, &app->webhook_allow)) {
        gw_send_error(conn, 422, "private_url",
                      "\"url\" points at a private or internal address (this machine, a private network, "
                      "link-local); webhooks must reach a public address.");
        goto out;
    }
    if (util_uuid_v4(id) != 0 || gw_key_new(secret) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate a secret");
        goto out;
    }
    snprintf(count, sizeof(count), "%d", GW_WEBHOOKS_MAX);
    const char *p[] = {id, u->id, url, secret, count};
    /* The count check and the insert are one statement; two racing requests may
     * both pass it, which bounds the list at a little over the limit. */
    if (gw_db_query(app,
                    "INSERT INTO webhooks (id, user_id, url, secret) SELECT $1, $2, $3, $4 "
                    "WHERE (SELECT count(*) FROM webhooks WHERE user_id = $2) < $5::int "
                    "RETURNING to_json(created_at)::text",
                    5, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 409, "too_many_webhooks", "A user may register at most %d webhooks.", GW_WEBHOOKS_MAX);
        goto out;
    }
    gw_send_json(conn, 201, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "url", url, "secret", secret,
                                      "created_at", json_loads(PQgetvalue(r, 0, 0), JSON_DECODE_ANY, NULL)));
out:
    PQclear(r);
    json_decref(body);
}

void gw_webhook_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    const char *p[] = {u->id};
    gw_send_query_list(conn, app, "webhooks",
                       "SELECT COALESCE(json_agg(json_build_object('id', id, 'url', url, "
                       "'created_at', created_at) ORDER BY created_at), '[]'::json)::text "
                       "FROM webhooks WHERE user_id = $1", 1, p);
}

void gw_webhook_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    const char *p[] = {id, u->id};
    gw_send_changed_or_404(conn, app, "DELETE FROM webhooks WHERE id = $1 AND user_id = $2 RETURNING id", 2, p,
                           "No webhook has this id.");
}

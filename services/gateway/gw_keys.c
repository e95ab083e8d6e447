/* A user's own API keys, for programs: list (never the key itself), create
 * (the key is answered once) and revoke. */
#include <stdio.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_util.h"

#define GW_KEYS_MAX 20
#define GW_KEY_NAME_MAX 100
#define GW_KEY_DAYS_MAX 3650

void gw_key_list(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    const char *p[] = {u->id};
    gw_send_query_list(conn, app, "keys",
                       "SELECT COALESCE(json_agg(json_build_object('id', id, 'name', name, "
                       "'created_at', created_at, 'expires_at', expires_at) ORDER BY created_at, id), '[]'::json)::text "
                       "FROM api_keys WHERE user_id = $1", 1, p);
}

void gw_key_create(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"name", "expires_in_days", NULL};
    char err[512], key[GW_KEY_LEN + 1], hash[65], count[16], days[16] = "";
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name || gw_utf8_len(name) > GW_KEY_NAME_MAX) {
        gw_send_error(conn, 422, "invalid_key", "\"name\" must be a text of 1 to %d characters, to tell keys apart.",
                      GW_KEY_NAME_MAX);
        goto out;
    }
    json_t *exp = json_object_get(body, "expires_in_days");
    if (exp && (!json_is_integer(exp) || json_integer_value(exp) < 1 || json_integer_value(exp) > GW_KEY_DAYS_MAX)) {
        gw_send_error(conn, 422, "invalid_key", "\"expires_in_days\" must be a whole number of days from 1 to %d.",
                      GW_KEY_DAYS_MAX);
        goto out;
    }
    if (exp)
        snprintf(days, sizeof(days), "%lld", (long long)json_integer_value(exp));
    if (gw_key_new(key) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate a key");
        goto out;
    }
    gw_key_hash(key, hash);
    snprintf(count, sizeof(count), "%d", GW_KEYS_MAX);
    const char *p[] = {hash, u->id, name, count, days};
    if (gw_db_query(app, "INSERT INTO api_keys (key_hash, user_id, name, expires_at) SELECT $1, $2, $3, "
                         "CASE WHEN $5 = '' THEN NULL ELSE now() + make_interval(days => $5::int) END "
                         "WHERE (SELECT count(*) FROM api_keys WHERE user_id = $2) < $4::int "
                         "RETURNING id, to_json(created_at)::text, COALESCE(to_json(expires_at)::text, 'null')", 5, p, &r, err,
                    sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 409, "too_many_keys", "A user may have at most %d API keys; revoke one first.", GW_KEYS_MAX);
        goto out;
    }
    gw_send_json(conn, 201, json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", PQgetvalue(r, 0, 0), "name", name, "api_key",
                                      key, "created_at", json_loads(PQgetvalue(r, 0, 1), JSON_DECODE_ANY, NULL),
                                      "expires_at", json_loads(PQgetvalue(r, 0, 2), JSON_DECODE_ANY, NULL)));
out:
    PQclear(r);
    json_decref(body);
}

void gw_key_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id, u->id};
    if (gw_db_query(app, "DELETE FROM api_keys WHERE id = $1 AND user_id = $2 RETURNING key_hash", 2, p, &r, err,
                    sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No API key of yours has this id.");
        goto out;
    }
    gw_auth_cache_drop(app->auth_cache, PQgetvalue(r, 0, 0));
    gw_send_bytes(conn, 204, "application/json", "", 0, NULL);
out:
    PQclear(r);
}

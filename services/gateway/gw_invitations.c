/* Invitations: an administrator invites a person by email; the one-time link
 * (/invite/<token>, the token stored as SHA-256) lets them set a password,
 * which signs them in. Inviting an address again while its invitation is
 * pending issues a new link; an account with a password cannot be invited. */
#include <stdio.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_password.h"
#include "isim_util.h"

static void gw_invitation_invalid(struct mg_connection *conn)
{
    gw_send_error(conn, 404, "invalid_invitation",
                  "This invitation link is not valid, was used already or has expired. Ask for a new one.");
}

void gw_invitation_create(struct mg_connection *conn, gw_app *app, const gw_user *admin)
{
    static const char *const allowed[] = {"email", "name", "role", NULL};
    char err[512], email[GW_EMAIL_MAX + 1], id[ISIM_UUID_LEN + 1], token[GW_TOKEN_HEX + 1], hash[65], ttl[24];
    PGresult *r = NULL;
    json_t *user = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *given = json_string_value(json_object_get(body, "email"));
    const char *name = json_string_value(json_object_get(body, "name"));
    json_t *jrole = json_object_get(body, "role");
    const char *role = jrole ? json_string_value(jrole) : "user";
    if (!given || gw_email_normalise(given, email) != 0) {
        gw_send_error(conn, 422, "invalid_email", "\"email\" must be an email address.");
        goto out;
    }
    if (gw_user_name_role_valid(conn, name, role) != 0)
        goto out;
    if (util_uuid_v4(id) != 0 || gw_token_new(token) != 0) {
        gw_send_error(conn, 500, "internal", "cannot generate an invitation");
        goto out;
    }
    gw_key_hash(token, hash);
    snprintf(ttl, sizeof(ttl), "%d", app->cfg.invite_ttl_s);
    const char *p[] = {id, name, role, email, hash, admin->id, ttl};
    /* One statement: the user is created, or an existing one still without a
     * password is invited again (its name and role updated); a user with a
     * password yields no row. */
    if (gw_db_query(app,
                    "WITH u AS (INSERT INTO users (id, name, role, email) VALUES ($1, $2, $3, $4) "
                    "  ON CONFLICT ((lower(email))) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role "
                    "  WHERE users.password_hash IS NULL RETURNING id), "
                    "i AS (INSERT INTO invitations (token_hash, user_id, created_by, expires_at) "
                    "  SELECT $5, id, $6, now() + make_interval(secs => $7::int) FROM u RETURNING user_id, expires_at) "
                    "SELECT user_id, to_json(expires_at)::text FROM i",
                    7, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 409, "email_taken", "A user with this email has an account already.");
        goto out;
    }
    const char *uid = PQgetvalue(r, 0, 0);
    if (gw_user_json(app, uid, &user, err, sizeof(err)) != 0 || !user) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    char path[16 + GW_TOKEN_HEX];
    snprintf(path, sizeof(path), "/invite/%s", token);
    gw_log(ISIM_LOG_INFO, "user %s invited by %s", uid, admin->id);
    gw_send_json(conn, 201, json_pack("{s:O, s:s, s:s, s:o}", "user", user, "token", token, "path", path,
                                      "expires_at", json_loads(PQgetvalue(r, 0, 1), JSON_DECODE_ANY, NULL)));
out:
    json_decref(user);
    PQclear(r);
    json_decref(body);
}

void gw_invitation_get(struct mg_connection *conn, gw_app *app, const char *token)
{
    char err[512], hash[65];
    PGresult *r = NULL;
    gw_key_hash(token, hash);
    const char *p[] = {hash};
    if (gw_db_query(app,
                    "SELECT json_build_object('email', u.email, 'name', u.name, 'expires_at', i.expires_at)::text "
                    "FROM invitations i JOIN users u ON u.id = i.user_id "
                    "WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > now() "
                    "  AND u.disabled_at IS NULL AND u.password_hash IS NULL",
                    1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0)
        gw_invitation_invalid(conn);
    else
        gw_send_json(conn, 200, json_loads(PQgetvalue(r, 0, 0), 0, NULL));
out:
    PQclear(r);
}

void gw_invitation_accept(struct mg_connection *conn, gw_app *app, const char *token)
{
    static const char *const allowed[] = {"password", NULL};
    char err[512], hash[65], pwhash[GW_PASSWORD_HASH_MAX];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *pw = json_string_value(json_object_get(body, "password"));
    const char *weak = gw_password_weak(pw);
    if (weak) {
        gw_send_error(conn, 422, "weak_password", "%s", weak);
        goto out;
    }
    gw_key_hash(token, hash);
    const char *p[] = {hash, pwhash};
    /* A link that cannot work is refused before the (slow) hash is spent on it. */
    if (gw_db_query(app, "SELECT 1 FROM invitations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
                    1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_invitation_invalid(conn);
        goto out;
    }
    PQclear(r);
    r = NULL;
    if (gw_password_hash(pw, pwhash) != 0) {
        gw_send_error(conn, 500, "internal", "cannot hash the password");
        goto out;
    }
    /* Used once: the UPDATE of the invitation wins or loses as a whole. */
    if (gw_db_query(app,
                    "WITH i AS (UPDATE invitations SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL "
                    "  AND expires_at > now() RETURNING user_id) "
                    "UPDATE users u SET password_hash = $2 FROM i WHERE u.id = i.user_id "
                    "  AND u.disabled_at IS NULL AND u.password_hash IS NULL RETURNING u.id",
                    2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_invitation_invalid(conn);
        goto out;
    }
    gw_signed_in_send(conn, app, PQgetvalue(r, 0, 0), 201);
out:
    PQclear(r);
    json_decref(body);
}

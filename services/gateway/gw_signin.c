/* People sign in and out of the web app and change their password.
 * Failed sign-ins are counted per account and per client address in Redis
 * (15-minute windows); past either limit the gateway answers 429 without
 * checking the password, so guessing is slow whichever way it is spread. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_password.h"
#include "gw_session.h"

#define GW_SIGNIN_WINDOW_S 900
#define GW_EMAIL_MAX 254

int gw_email_normalise(const char *in, char out[GW_EMAIL_MAX + 1])
{
    size_t n = in ? strlen(in) : 0;
    const char *at = in ? strchr(in, '@') : NULL;
    if (n < 3 || n > GW_EMAIL_MAX || !at || at == in || !at[1] || strchr(at + 1, '@'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)in[i];
        if (ch <= ' ' || ch == 0x7f)
            return -1;
        out[i] = (char)tolower(ch);
    }
    out[n] = '\0';
    return 0;
}

void gw_signed_in_send(struct mg_connection *conn, gw_app *app, const char *user_id, int status)
{
    char err[512], token[GW_TOKEN_HEX + 1], csrf[GW_TOKEN_HEX + 1], cookie[GW_SET_COOKIE_MAX];
    json_t *user = NULL;
    PGconn *c = gw_db_pool_acquire(app->db);
    int rc = c ? gw_session_start(c, user_id, app->cfg.session_ttl_s, token, csrf, err, sizeof(err)) : -1;
    if (c)
        gw_db_pool_release(app->db, c);
    else
        snprintf(err, sizeof(err), "every database connection stayed busy");
    if (rc != 0 || gw_user_json(app, user_id, &user, err, sizeof(err)) != 0 || !user) {
        gw_db_unavailable(conn, user ? err : "the user vanished while signing in");
        goto out;
    }
    json_object_set_new(user, "limits", gw_limits_json(app));
    gw_session_set_cookie(conn, token, app->cfg.session_ttl_s, app->cfg.cookie_secure, cookie);
    gw_log(ISIM_LOG_INFO, "user %s signed in", user_id);
    gw_send_json_h(conn, status, json_pack("{s:O, s:s}", "user", user, "csrf_token", csrf),
                   cookie);
out:
    json_decref(user);
}

/* The two failure counters of a sign-in, or -1 when Redis cannot say (then
 * sign-in goes on: Redis holds no record, and refusing everyone is worse). */
static int gw_signin_counts(gw_app *app, const char *acct, const char *addr, int add, int *blocked,
                            int *retry)
{
    char err[256];
    long long a = 0, b = 0;
    int ra = 0, rb = 0;
    if (gw_redis_window_count(app->redis, acct, add, GW_SIGNIN_WINDOW_S, &a, &ra, err, sizeof(err)) != 0 ||
        gw_redis_window_count(app->redis, addr, add, GW_SIGNIN_WINDOW_S, &b, &rb, err, sizeof(err)) != 0) {
        gw_log(ISIM_LOG_WARN, "sign-in attempts not counted: %s", err);
        return -1;
    }
    *blocked = a >= app->cfg.signin_failures_account || b >= app->cfg.signin_failures_address;
    *retry = ra > rb ? ra : rb;
    return 0;
}

void gw_signin(struct mg_connection *conn, gw_app *app)
{
    static const char *const allowed[] = {"email", "password", NULL};
    char err[512], email[GW_EMAIL_MAX + 1], hash[65], acct[96], addr[96];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *given = json_string_value(json_object_get(body, "email"));
    const char *pw = json_string_value(json_object_get(body, "password"));
    if (!given || !pw) {
        gw_send_error(conn, 422, "invalid_credentials", "Give \"email\" and \"password\".");
        goto out;
    }
    /* A malformed address is counted like an unknown one. */
    if (gw_email_normalise(given, email) != 0)
        snprintf(email, sizeof(email), "%.200s", given);
    gw_key_hash(email, hash);
    snprintf(acct, sizeof(acct), "signin:a:%s", hash);
    snprintf(addr, sizeof(addr), "signin:ip:%.60s", mg_get_request_info(conn)->remote_addr);
    int blocked = 0, retry = 0;
    if (gw_signin_counts(app, acct, addr, 0, &blocked, &retry) == 0 && blocked) {
        char h[48];
        snprintf(h, sizeof(h), "Retry-After: %d\r\n", retry > 0 ? retry : 1);
        gw_send_error_h(conn, 429, h, "too_many_attempts",
                        "Too many failed sign-ins. Try again in %d minutes.", (retry + 59) / 60);
        goto out;
    }
    const char *p[] = {email};
    if (gw_db_query(app, "SELECT id, password_hash, disabled_at IS NOT NULL FROM users WHERE lower(email) = $1",
                    1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    int found = PQntuples(r) == 1;
    /* Unknown accounts cost a hash too: the answer's timing says nothing. */
    int ok = gw_password_verify(found && !PQgetisnull(r, 0, 1) ? PQgetvalue(r, 0, 1) : NULL, pw);
    if (!ok) {
        gw_signin_counts(app, acct, addr, 1, &blocked, &retry);
        gw_log(ISIM_LOG_INFO, "failed sign-in from %.60s", mg_get_request_info(conn)->remote_addr);
        gw_send_error(conn, 401, "invalid_credentials", "The email or password is not right.");
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 2), "t") == 0) {
        gw_send_error(conn, 403, "account_disabled", "This account is disabled. Ask your administrator.");
        goto out;
    }
    gw_signed_in_send(conn, app, PQgetvalue(r, 0, 0), 201);
out:
    PQclear(r);
    json_decref(body);
}

void gw_signout(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    char err[512], cookie[GW_SET_COOKIE_MAX];
    if (u->kind == GW_AUTH_SESSION) {
        const char *p[] = {u->key_hash};
        if (gw_db_query(app, "DELETE FROM sessions WHERE token_hash = $1", 1, p, NULL, err, sizeof(err)) != 0) {
            gw_db_unavailable(conn, err);
            return;
        }
        gw_auth_cache_drop(app->auth_cache, u->key_hash);
    }
    gw_session_set_cookie(conn, NULL, 0, app->cfg.cookie_secure, cookie);
    gw_send_bytes(conn, 204, "application/json", "", 0, cookie);
}

void gw_password_change(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"current_password", "new_password", NULL};
    char err[512], newhash[GW_PASSWORD_HASH_MAX];
    PGresult *r = NULL;
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *cur = json_string_value(json_object_get(body, "current_password"));
    const char *pw = json_string_value(json_object_get(body, "new_password"));
    const char *weak = gw_password_weak(pw);
    if (!cur || weak) {
        gw_send_error(conn, 422, "weak_password", "%s", cur ? weak : "Give \"current_password\" and \"new_password\".");
        goto out;
    }
    const char *p[] = {u->id};
    if (gw_db_query(app, "SELECT password_hash FROM users WHERE id = $1", 1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (!gw_password_verify(PQntuples(r) == 1 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : NULL, cur)) {
        gw_send_error(conn, 403, "wrong_password", "The current password is not right.");
        goto out;
    }
    if (gw_password_hash(pw, newhash) != 0) {
        gw_send_error(conn, 500, "internal", "cannot hash the password");
        goto out;
    }
    /* Every other session of the user ends: a changed password locks out
     * whoever else knew the old one. */
    const char *q[] = {u->id, newhash, u->kind == GW_AUTH_SESSION ? u->key_hash : ""};
    if (gw_db_query(app, "WITH s AS (DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $3) "
                         "UPDATE users SET password_hash = $2 WHERE id = $1", 3, q, NULL, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    gw_auth_cache_drop_user(app->auth_cache, u->id); /* the current session is looked up again */
    gw_log(ISIM_LOG_INFO, "user %s changed their password", u->id);
    gw_send_bytes(conn, 204, "application/json", "", 0, NULL);
out:
    PQclear(r);
    json_decref(body);
}

#include "gw_session.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pg_db.h"

static int gw_hex_token_valid(const char *s)
{
    if (strlen(s) != GW_TOKEN_HEX)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

int gw_session_cookie_token(struct mg_connection *conn, char token[GW_TOKEN_HEX + 1])
{
    const char *cookies = mg_get_header(conn, "Cookie");
    if (!cookies)
        return 0;
    char buf[GW_TOKEN_HEX + 2];
    int n = mg_get_cookie(cookies, GW_SESSION_COOKIE, buf, sizeof(buf));
    if (n != GW_TOKEN_HEX || !gw_hex_token_valid(buf))
        return 0;
    memcpy(token, buf, GW_TOKEN_HEX + 1);
    return 1;
}

int gw_session_lookup(PGconn *c, const char *token, gw_user *u, char *err, size_t errlen)
{
    return gw_auth_lookup_with(c,
                               "SELECT u.id, u.role, COALESCE(u.rate_limit_per_min, -1), s.csrf_token FROM sessions s "
                               "JOIN users u ON u.id = s.user_id "
                               "WHERE s.token_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL",
                               token, GW_AUTH_SESSION, u, err, errlen);
}

int gw_session_start(PGconn *c, const char *user_id, int ttl_s, char token[GW_TOKEN_HEX + 1],
                     char csrf[GW_TOKEN_HEX + 1], char *err, size_t errlen)
{
    char hash[65], ttl[24];
    if (gw_token_new(token) != 0 || gw_token_new(csrf) != 0) {
        snprintf(err, errlen, "cannot generate a session token");
        return -1;
    }
    gw_key_hash(token, hash);
    snprintf(ttl, sizeof(ttl), "%d", ttl_s);
    const char *p[] = {hash, user_id, csrf, ttl};
    /* Expired sessions of this user go at the same time: the table stays small
     * without a sweeper. */
    return pg_exec(c,
                   "WITH gone AS (DELETE FROM sessions WHERE user_id = $2 AND expires_at <= now()) "
                   "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) "
                   "VALUES ($1, $2, $3, now() + make_interval(secs => $4::int))",
                   4, p, NULL, err, errlen);
}

static int gw_request_https(struct mg_connection *conn)
{
    const char *proto = mg_get_header(conn, "X-Forwarded-Proto");
    return mg_get_request_info(conn)->is_ssl || (proto && strcasecmp(proto, "https") == 0);
}

void gw_session_set_cookie(struct mg_connection *conn, const char *token, int ttl_s, int always_secure,
                           char out[GW_SET_COOKIE_MAX])
{
    snprintf(out, GW_SET_COOKIE_MAX, "Set-Cookie: %s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s\r\n",
             GW_SESSION_COOKIE, token ? token : "", token ? ttl_s : 0,
             always_secure || gw_request_https(conn) ? "; Secure" : "");
}

int gw_session_csrf_missing(struct mg_connection *conn, const gw_user *u)
{
    if (u->kind != GW_AUTH_SESSION)
        return 0;
    const char *m = mg_get_request_info(conn)->request_method;
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0)
        return 0;
    const char *given = mg_get_header(conn, GW_CSRF_HEADER);
    size_t n = strlen(u->csrf);
    return !given || n == 0 || strlen(given) != n || CRYPTO_memcmp(given, u->csrf, n) != 0;
}

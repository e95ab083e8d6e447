/* Sessions of people signed in to the web app: a random token in an HttpOnly,
 * SameSite=Strict cookie (Secure over HTTPS), stored as SHA-256 with an
 * expiry, and a CSRF token the page sends back on every state-changing call. */
#ifndef ISIM_GW_SESSION_H
#define ISIM_GW_SESSION_H

#include <civetweb.h>
#include <libpq-fe.h>
#include <stddef.h>

#include "gw_auth.h"

#define GW_SESSION_COOKIE "isim_session"
#define GW_CSRF_HEADER "X-CSRF-Token"
#define GW_SET_COOKIE_MAX 256

/* 1 and token filled when the request carries a well-formed session cookie. */
int gw_session_cookie_token(struct mg_connection *conn, char token[GW_TOKEN_HEX + 1]);
/* 1 and *u filled (kind GW_AUTH_SESSION) when token names a live session of an
 * enabled user, 0 when not, -1 on a database error. */
int gw_session_lookup(PGconn *c, const char *token, gw_user *u, char *err, size_t errlen);
/* Starts a session of user_id lasting ttl_s: token and csrf filled; 0 or -1. */
int gw_session_start(PGconn *c, const char *user_id, int ttl_s, char token[GW_TOKEN_HEX + 1],
                     char csrf[GW_TOKEN_HEX + 1], char *err, size_t errlen);
/* "Set-Cookie: ...\r\n" that sets token (NULL: clears the cookie). */
void gw_session_set_cookie(struct mg_connection *conn, const char *token, int ttl_s, int always_secure,
                           char out[GW_SET_COOKIE_MAX]);
/* 1 when a state-changing request (not GET, HEAD, OPTIONS) made with a
 * session cookie lacks the session's CSRF token; compared in constant time. */
int gw_session_csrf_missing(struct mg_connection *conn, const gw_user *u);

#endif

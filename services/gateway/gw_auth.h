/* Who is calling: a program with an API key (32 random bytes shown once as
 * "isim_<64 hex>") or a person with a session cookie (gw_session.h). Both
 * are stored only as SHA-256: high-entropy tokens need no slow hash. */
#ifndef ISIM_GW_AUTH_H
#define ISIM_GW_AUTH_H

#include <libpq-fe.h>
#include <stddef.h>

#define GW_KEY_LEN 69 /* "isim_" + 64 hex */
#define GW_KEY_MIN 32 /* shortest key accepted for the bootstrap admin */

#define GW_TOKEN_HEX 64 /* sessions, CSRF and invitation tokens: 32 random bytes in hex */

typedef enum { GW_AUTH_KEY = 0, GW_AUTH_SESSION = 1 } gw_auth_kind;

typedef struct gw_user {
    char id[37];
    char role[8];        /* "user" or "admin" */
    int rate_limit;      /* per minute; -1: the configured default, 0: unlimited */
    char key_hash[65];   /* of the API key, or of the session token */
    gw_auth_kind kind;
    char csrf[GW_TOKEN_HEX + 1]; /* sessions: the token state-changing calls must send */
} gw_user;

int gw_key_new(char out[GW_KEY_LEN + 1]);
/* 32 random bytes as 64 lowercase hex digits; 0 or -1. */
int gw_token_new(char out[GW_TOKEN_HEX + 1]);
void gw_key_hash(const char *key, char out[65]);
/* The token of "Authorization: Bearer <token>", or NULL. */
const char *gw_bearer_token(const char *authorization);
/* Runs sql with $1 = the SHA-256 of token; its one row's columns are the
 * user's id, role, rate limit (-1: default) and CSRF token ('' for keys).
 * 1 and *u filled (of the given kind), 0 no row, -1 database error. */
int gw_auth_lookup_with(PGconn *c, const char *sql, const char *token, gw_auth_kind kind, gw_user *u, char *err,
                        size_t errlen);
/* 1 and *u filled when the key is known, not expired and its user not
 * disabled, 0 when not, -1 on a database error. */
int gw_auth_lookup(PGconn *c, const char *key, gw_user *u, char *err, size_t errlen);
/* Makes key the one key of the admin user "bootstrap-admin" (created when
 * needed): its other keys are deleted, all of them when key is "".
 * *revoked counts those deleted. */
int gw_auth_bootstrap(PGconn *c, const char *key, int *revoked, char *err, size_t errlen);

/* A small direct-mapped cache of recent successful lookups, so most requests
 * skip the key query: a change of role or rate limit, or a removed key, takes
 * effect within ttl_ms. Unknown keys are remembered apart, for
 * GW_AUTH_UNKNOWN_TTL_S, so that a client repeating a wrong key costs no query
 * (and cannot push known keys out). Thread-safe. */
#define GW_AUTH_UNKNOWN_TTL_S 10
typedef struct gw_auth_cache gw_auth_cache;

gw_auth_cache *gw_auth_cache_new(int ttl_ms);
void gw_auth_cache_free(gw_auth_cache *c);
/* 1 and *u filled when key_hash was found within ttl_ms, else 0. */
int gw_auth_cache_get(gw_auth_cache *c, const char *key_hash, gw_user *u);
void gw_auth_cache_put(gw_auth_cache *c, const gw_user *u);
/* 1 when key_hash was looked up and found unknown within GW_AUTH_UNKNOWN_TTL_S. */
int gw_auth_cache_unknown(gw_auth_cache *c, const char *key_hash);
void gw_auth_cache_put_unknown(gw_auth_cache *c, const char *key_hash);
/* Forgets key_hash (a revoked key, an ended session) in this process at once. */
void gw_auth_cache_drop(gw_auth_cache *c, const char *key_hash);
/* Forgets every key and session of user_id in this process (disabled user,
 * changed password); other gateway processes follow within ttl_ms. */
void gw_auth_cache_drop_user(gw_auth_cache *c, const char *user_id);

#endif

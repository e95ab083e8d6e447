/* API keys: 32 random bytes shown once as "isim_<64 hex>", stored only as
 * their SHA-256 (high-entropy keys need no slow hash); bearer lookup. */
#ifndef ISIM_GW_AUTH_H
#define ISIM_GW_AUTH_H

#include <libpq-fe.h>
#include <stddef.h>

#define GW_KEY_LEN 69 /* "isim_" + 64 hex */
#define GW_KEY_MIN 32 /* shortest key accepted for the bootstrap admin */

typedef struct gw_user {
    char id[37];
    char role[8];        /* "user" or "admin" */
    int rate_limit;      /* per minute; -1: the configured default, 0: unlimited */
    char key_hash[65];
} gw_user;

int gw_key_new(char out[GW_KEY_LEN + 1]);
void gw_key_hash(const char *key, char out[65]);
/* The token of "Authorization: Bearer <token>", or NULL. */
const char *gw_bearer_token(const char *authorization);
/* 1 and *u filled when the key is known, 0 when not, -1 on a database error. */
int gw_auth_lookup(PGconn *c, const char *key, gw_user *u, char *err, size_t errlen);
/* Creates the admin user "bootstrap-admin" if needed and makes key one of its keys. */
int gw_auth_bootstrap(PGconn *c, const char *key, char *err, size_t errlen);

/* A small direct-mapped cache of recent successful lookups, so most requests
 * skip the key query: a change of role or rate limit, or a removed key, takes
 * effect within ttl_ms. Unknown keys are never cached. Thread-safe. */
typedef struct gw_auth_cache gw_auth_cache;

gw_auth_cache *gw_auth_cache_new(int ttl_ms);
void gw_auth_cache_free(gw_auth_cache *c);
/* 1 and *u filled when key_hash was found within ttl_ms, else 0. */
int gw_auth_cache_get(gw_auth_cache *c, const char *key_hash, gw_user *u);
void gw_auth_cache_put(gw_auth_cache *c, const gw_user *u);

#endif

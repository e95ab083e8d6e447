#include "gw_auth.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_util.h"
#include "pg_db.h"
#include "s3_sigv4.h"

#define GW_AUTH_CACHE_SLOTS 1024

typedef struct gw_auth_slot {
    gw_user user;
    double expires; /* util_now_s(); 0: empty */
} gw_auth_slot;

typedef struct gw_auth_unknown {
    char key_hash[65];
    double expires;
} gw_auth_unknown;

struct gw_auth_cache {
    pthread_mutex_t lock;
    double ttl_s;
    gw_auth_slot slots[GW_AUTH_CACHE_SLOTS];
    gw_auth_unknown unknown[GW_AUTH_CACHE_SLOTS];
};

int gw_token_new(char out[GW_TOKEN_HEX + 1])
{
    unsigned char raw[GW_TOKEN_HEX / 2];
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return -1;
    util_hex(raw, sizeof(raw), out);
    out[GW_TOKEN_HEX] = '\0';
    return 0;
}

int gw_key_new(char out[GW_KEY_LEN + 1])
{
    memcpy(out, "isim_", 5);
    return gw_token_new(out + 5);
}

void gw_key_hash(const char *key, char out[65])
{
    if (s3_sigv4_sha256_hex(key, strlen(key), out) != 0)
        out[0] = '\0';
}

const char *gw_bearer_token(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *t = authorization + 7;
    while (*t == ' ')
        t++;
    return *t ? t : NULL;
}

int gw_auth_lookup_with(PGconn *c, const char *sql, const char *token, gw_auth_kind kind, gw_user *u, char *err,
                        size_t errlen)
{
    PGresult *r = NULL;
    int rc = -1;
    memset(u, 0, sizeof(*u));
    gw_key_hash(token, u->key_hash);
    const char *p[] = {u->key_hash};
    if (pg_exec(c, sql, 1, p, &r, err, errlen) != 0)
        goto out;
    rc = PQntuples(r) == 1;
    if (rc) {
        snprintf(u->id, sizeof(u->id), "%s", PQgetvalue(r, 0, 0));
        snprintf(u->role, sizeof(u->role), "%s", PQgetvalue(r, 0, 1));
        u->rate_limit = atoi(PQgetvalue(r, 0, 2));
        snprintf(u->csrf, sizeof(u->csrf), "%s", PQgetvalue(r, 0, 3));
        u->kind = kind;
    }
out:
    PQclear(r);
    return rc;
}

int gw_auth_lookup(PGconn *c, const char *key, gw_user *u, char *err, size_t errlen)
{
    return gw_auth_lookup_with(c,
                               "SELECT u.id, u.role, COALESCE(u.rate_limit_per_min, -1), '' FROM api_keys k "
                               "JOIN users u ON u.id = k.user_id WHERE k.key_hash = $1 AND u.disabled_at IS NULL "
                               "AND (k.expires_at IS NULL OR k.expires_at > now())",
                               key, GW_AUTH_KEY, u, err, errlen);
}

/* A fixed user id keeps restarts (and concurrent replicas) to one bootstrap user. */
#define GW_BOOTSTRAP_USER "00000000-0000-4000-8000-000000000001"

int gw_auth_bootstrap(PGconn *c, const char *key, int *revoked, char *err, size_t errlen)
{
    char hash[65] = "";
    PGresult *r = NULL;
    int rc = -1;
    *revoked = 0;
    if (key[0] && strlen(key) < GW_KEY_MIN) {
        snprintf(err, errlen, "ISIM_BOOTSTRAP_ADMIN_KEY must have at least %d characters", GW_KEY_MIN);
        goto out;
    }
    if (key[0])
        gw_key_hash(key, hash);
    /* The bootstrap user holds the configured key and nothing else: a key
     * changed or removed in the configuration stops working at once. */
    const char *p[] = {hash};
    if (pg_exec(c, "DELETE FROM api_keys WHERE user_id = '" GW_BOOTSTRAP_USER "' AND key_hash <> $1", 1, p, &r, err,
                errlen) != 0)
        goto out;
    *revoked = atoi(PQcmdTuples(r));
    if (key[0] && pg_exec(c,
                          "WITH u AS (INSERT INTO users (id, name, role, rate_limit_per_min) "
                          "  VALUES ('" GW_BOOTSTRAP_USER "', 'bootstrap-admin', 'admin', 0) "
                          "  ON CONFLICT (id) DO UPDATE SET role = 'admin', disabled_at = NULL RETURNING id) "
                          "INSERT INTO api_keys (key_hash, user_id, name) SELECT $1, id, 'bootstrap' FROM u "
                          "ON CONFLICT (key_hash) DO UPDATE SET user_id = EXCLUDED.user_id, expires_at = NULL",
                          1, p, NULL, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    PQclear(r);
    return rc;
}

gw_auth_cache *gw_auth_cache_new(int ttl_ms)
{
    gw_auth_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->ttl_s = ttl_ms / 1000.0;
    return c;
}

void gw_auth_cache_free(gw_auth_cache *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* The hash is uniformly distributed: its first hex digits pick the slot. */
static gw_auth_slot *gw_auth_slot_of(gw_auth_cache *c, const char *key_hash)
{
    char head[5];
    memcpy(head, key_hash, 4);
    head[4] = '\0';
    return &c->slots[strtoul(head, NULL, 16) % GW_AUTH_CACHE_SLOTS];
}

int gw_auth_cache_get(gw_auth_cache *c, const char *key_hash, gw_user *u)
{
    if (!c || strlen(key_hash) != 64)
        return 0;
    int hit = 0;
    pthread_mutex_lock(&c->lock);
    gw_auth_slot *s = gw_auth_slot_of(c, key_hash);
    if (s->expires > util_now_s() && strcmp(s->user.key_hash, key_hash) == 0) {
        *u = s->user;
        hit = 1;
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void gw_auth_cache_put(gw_auth_cache *c, const gw_user *u)
{
    if (!c || c->ttl_s <= 0 || strlen(u->key_hash) != 64)
        return;
    pthread_mutex_lock(&c->lock);
    gw_auth_slot *s = gw_auth_slot_of(c, u->key_hash);
    s->user = *u;
    s->expires = util_now_s() + c->ttl_s;
    pthread_mutex_unlock(&c->lock);
}

int gw_auth_cache_unknown(gw_auth_cache *c, const char *key_hash)
{
    if (!c || strlen(key_hash) != 64)
        return 0;
    pthread_mutex_lock(&c->lock);
    gw_auth_unknown *s = &c->unknown[gw_auth_slot_of(c, key_hash) - c->slots];
    int hit = s->expires > util_now_s() && strcmp(s->key_hash, key_hash) == 0;
    pthread_mutex_unlock(&c->lock);
    return hit;
}

void gw_auth_cache_put_unknown(gw_auth_cache *c, const char *key_hash)
{
    if (!c || strlen(key_hash) != 64)
        return;
    pthread_mutex_lock(&c->lock);
    gw_auth_unknown *s = &c->unknown[gw_auth_slot_of(c, key_hash) - c->slots];
    memcpy(s->key_hash, key_hash, 65);
    s->expires = util_now_s() + GW_AUTH_UNKNOWN_TTL_S;
    pthread_mutex_unlock(&c->lock);
}

void gw_auth_cache_drop(gw_auth_cache *c, const char *key_hash)
{
    if (!c || strlen(key_hash) != 64)
        return;
    pthread_mutex_lock(&c->lock);
    gw_auth_slot *s = gw_auth_slot_of(c, key_hash);
    if (strcmp(s->user.key_hash, key_hash) == 0)
        s->expires = 0;
    pthread_mutex_unlock(&c->lock);
}

void gw_auth_cache_drop_user(gw_auth_cache *c, const char *user_id)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < GW_AUTH_CACHE_SLOTS; i++)
        if (strcmp(c->slots[i].user.id, user_id) == 0)
            c->slots[i].expires = 0;
    pthread_mutex_unlock(&c->lock);
}

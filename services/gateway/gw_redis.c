#include "gw_redis.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isim_util.h"

/* How long a request waits for a pooled connection before giving up on the
 * rate limit; with the pool as large as the request threads it never waits. */
#define GW_REDIS_WAIT_MS 1000

struct gw_redis {
    redis_params params;
    pthread_mutex_t lock;
    pthread_cond_t available;
    int size, free_count;
    redisContext **free_list; /* NULL entries: not connected yet */
};

struct gw_redis_sub {
    redisContext *ctx;
};

gw_redis *gw_redis_new(const redis_params *p, int pool_size)
{
    gw_redis *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    int copied = redis_params_init(&r->params, p) == 0;
    r->size = r->free_count = pool_size;
    r->free_list = calloc((size_t)pool_size, sizeof(redisContext *));
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->available, NULL);
    if (!copied || !r->free_list) {
        gw_redis_free(r);
        return NULL;
    }
    return r;
}

void gw_redis_free(gw_redis *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->free_count; i++)
        if (r->free_list[i])
            redisFree(r->free_list[i]);
    free(r->free_list);
    redis_params_release(&r->params);
    pthread_mutex_destroy(&r->lock);
    pthread_cond_destroy(&r->available);
    free(r);
}

static redisContext *gw_redis_connect(gw_redis *r, char *err, size_t errlen)
{
    return redis_conn_new(&r->params, 1000, err, errlen);
}

/* Takes a pooled connection (connecting it if needed), waiting at most
 * GW_REDIS_WAIT_MS for one to be free: NULL with err when none came or Redis
 * cannot be reached. Skipping the wait would let a burst of concurrent
 * requests pass the rate limit. */
static redisContext *gw_redis_acquire(gw_redis *r, char *err, size_t errlen)
{
    redisContext *c = NULL;
    struct timespec deadline;
    util_deadline_ms(&deadline, GW_REDIS_WAIT_MS);
    pthread_mutex_lock(&r->lock);
    while (r->free_count == 0)
        if (pthread_cond_timedwait(&r->available, &r->lock, &deadline) != 0)
            break;
    int have = r->free_count > 0;
    if (have)
        c = r->free_list[--r->free_count];
    pthread_mutex_unlock(&r->lock);
    if (!have) {
        snprintf(err, errlen, "redis: all %d connections stayed busy for %d ms", r->size, GW_REDIS_WAIT_MS);
        return NULL;
    }
    if (!c)
        c = gw_redis_connect(r, err, errlen);
    if (!c) {
        pthread_mutex_lock(&r->lock);
        r->free_list[r->free_count++] = NULL;
        pthread_cond_signal(&r->available);
        pthread_mutex_unlock(&r->lock);
    }
    return c;
}

static void gw_redis_release(gw_redis *r, redisContext *c)
{
    if (c && c->err) {
        redisFree(c);
        c = NULL;
    }
    pthread_mutex_lock(&r->lock);
    r->free_list[r->free_count++] = c;
    pthread_cond_signal(&r->available);
    pthread_mutex_unlock(&r->lock);
}

int gw_redis_window_count(gw_redis *r, const char *key, int add, int window_s, long long *count,
                          int *retry_after_s, char *err, size_t errlen)
{
    int rc = -1;
    redisReply *a = NULL, *b = NULL;
    redisContext *c = gw_redis_acquire(r, err, errlen);
    if (!c)
        return -1;
    time_t now = time(NULL);
    long long window = (long long)now / window_s;
    char k[160];
    snprintf(k, sizeof(k), "isim:rl:%s:%lld", key, window);
    /* Pipelined: one round trip. EXPIRE on every hit is harmless and spares a
     * second round trip for the first hit of a window. */
    if (add) {
        redisAppendCommand(c, "INCR %s", k);
        redisAppendCommand(c, "EXPIRE %s %d", k, window_s + 1);
    } else {
        redisAppendCommand(c, "GET %s", k);
    }
    int ok = redisGetReply(c, (void **)&a) == REDIS_OK && (!add || redisGetReply(c, (void **)&b) == REDIS_OK);
    if (!ok || (a->type != REDIS_REPLY_INTEGER && !(!add && (a->type == REDIS_REPLY_NIL ||
                                                           a->type == REDIS_REPLY_STRING)))) {
        snprintf(err, errlen, "redis: %s", c->err ? c->errstr : (a && a->str ? a->str : "unexpected reply"));
        if (!c->err)
            c->err = REDIS_ERR_OTHER; /* replies out of step: drop the connection */
        goto out;
    }
    *count = a->type == REDIS_REPLY_INTEGER ? a->integer : a->type == REDIS_REPLY_STRING ? atoll(a->str) : 0;
    *retry_after_s = (int)((window + 1) * window_s - now);
    rc = 0;
out:
    if (a)
        freeReplyObject(a);
    if (b)
        freeReplyObject(b);
    gw_redis_release(r, c);
    return rc;
}

int gw_redis_rate_hit(gw_redis *r, const char *key, int limit, int window_s, int *retry_after_s,
                      char *err, size_t errlen)
{
    long long n = 0;
    int retry = 0;
    if (gw_redis_window_count(r, key, 1, window_s, &n, &retry, err, errlen) != 0)
        return -1;
    if (n <= limit)
        return 1;
    *retry_after_s = retry;
    return 0;
}

gw_redis_sub *gw_redis_subscribe(gw_redis *r, const char *channel, char *err, size_t errlen)
{
    gw_redis_sub *s = calloc(1, sizeof(*s));
    redisReply *reply = NULL;
    if (!s || !(s->ctx = gw_redis_connect(r, err, errlen)))
        goto fail;
    reply = redisCommand(s->ctx, "SUBSCRIBE %s", channel);
    if (!reply || reply->type != REDIS_REPLY_ARRAY) {
        snprintf(err, errlen, "redis subscribe: %s", s->ctx->err ? s->ctx->errstr : "unexpected reply");
        goto fail;
    }
    freeReplyObject(reply);
    return s;
fail:
    if (reply)
        freeReplyObject(reply);
    gw_redis_sub_free(s);
    return NULL;
}

int gw_redis_sub_next(gw_redis_sub *s, int timeout_ms, char **msg)
{
    *msg = NULL;
    for (;;) {
        redisReply *reply = NULL;
        if (redisGetReplyFromReader(s->ctx, (void **)&reply) != REDIS_OK)
            return -1;
        if (reply) {
            int ok = reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
                     reply->element[0]->type == REDIS_REPLY_STRING &&
                     strcmp(reply->element[0]->str, "message") == 0 &&
                     reply->element[2]->type == REDIS_REPLY_STRING;
            if (ok)
                *msg = strndup(reply->element[2]->str, reply->element[2]->len);
            freeReplyObject(reply);
            if (ok)
                return *msg ? 1 : -1;
            continue;
        }
        /* Wait on the socket ourselves: a hiredis read timeout would kill the context. */
        struct pollfd p = {.fd = s->ctx->fd, .events = POLLIN};
        int n = poll(&p, 1, timeout_ms);
        if (n == 0)
            return 0;
        if (n < 0 || redisBufferRead(s->ctx) != REDIS_OK)
            return -1;
    }
}

void gw_redis_sub_free(gw_redis_sub *s)
{
    if (!s)
        return;
    if (s->ctx)
        redisFree(s->ctx);
    free(s);
}

/* The gateway's Redis: fixed-window rate limits (INCR + EXPIRE) over a
 * connection pool (a request waits for a free connection), and pub/sub subscriptions for progress streams. Redis
 * holds no record: when it is down, limits are not enforced (fail open) and
 * progress streams fall back to reading the database. */
#ifndef ISIM_GW_REDIS_H
#define ISIM_GW_REDIS_H

#include <stddef.h>

#include "redis_conn.h"

typedef struct gw_redis gw_redis;
typedef struct gw_redis_sub gw_redis_sub;

/* Copies p. NULL when out of memory. */
gw_redis *gw_redis_new(const redis_params *p, int pool_size);
void gw_redis_free(gw_redis *r);
/* Counts one request of key in the current window_s window. Returns 1 allowed,
 * 0 over limit (*retry_after_s set), -1 Redis unavailable (err filled). */
int gw_redis_rate_hit(gw_redis *r, const char *key, int limit, int window_s, int *retry_after_s,
                      char *err, size_t errlen);

/* The count of key in the current window_s window, after adding one when add
 * is set: 0 with *count and *retry_after_s (seconds to the next window), -1
 * Redis unavailable (err filled). */
int gw_redis_window_count(gw_redis *r, const char *key, int add, int window_s, long long *count,
                          int *retry_after_s, char *err, size_t errlen);

/* A dedicated connection subscribed to channel; NULL with err on failure. */
gw_redis_sub *gw_redis_subscribe(gw_redis *r, const char *channel, char *err, size_t errlen);
/* Waits up to timeout_ms for a message: 1 and *msg (malloc'd) on a message,
 * 0 on timeout, -1 when the connection is lost. */
int gw_redis_sub_next(gw_redis_sub *s, int timeout_ms, char **msg);
void gw_redis_sub_free(gw_redis_sub *s);

#endif

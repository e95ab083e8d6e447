#include "redis_pub.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct redis_pub {
    redis_params params;
    redisContext *ctx;
};

redis_pub *redis_pub_new(const redis_params *p)
{
    redis_pub *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    if (redis_params_init(&r->params, p) != 0) {
        free(r);
        return NULL;
    }
    return r;
}

void redis_pub_free(redis_pub *r)
{
    if (!r)
        return;
    if (r->ctx)
        redisFree(r->ctx);
    redis_params_release(&r->params);
    free(r);
}

static int redis_pub_connect(redis_pub *r, char *err, size_t errlen)
{
    if (r->ctx && !r->ctx->err)
        return 0;
    if (r->ctx)
        redisFree(r->ctx);
    r->ctx = redis_conn_new(&r->params, 2000, err, errlen);
    return r->ctx ? 0 : -1;
}

static redisReply *redis_pub_command(redis_pub *r, char *err, size_t errlen, const char *fmt,
                                     const char *a, const char *b)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (redis_pub_connect(r, err, errlen) != 0)
            return NULL;
        redisReply *reply = b ? redisCommand(r->ctx, fmt, a, b) : redisCommand(r->ctx, fmt);
        if (reply && reply->type != REDIS_REPLY_ERROR)
            return reply;
        snprintf(err, errlen, "redis: %s", reply ? reply->str : r->ctx->errstr);
        if (reply)
            freeReplyObject(reply);
        redisFree(r->ctx);
        r->ctx = NULL;
    }
    return NULL;
}

int redis_pub_publish(redis_pub *r, const char *channel, const char *message, char *err,
                      size_t errlen)
{
    redisReply *reply = redis_pub_command(r, err, errlen, "PUBLISH %s %s", channel, message);
    if (!reply)
        return -1;
    freeReplyObject(reply);
    return 0;
}


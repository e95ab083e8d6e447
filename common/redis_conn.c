#include "redis_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int redis_params_init(redis_params *dst, const char *host, int port, const char *username,
                      const char *password)
{
    memset(dst, 0, sizeof(*dst));
    dst->port = port;
    dst->host = strdup(host ? host : "");
    dst->username = strdup(username ? username : "");
    dst->password = strdup(password ? password : "");
    if (!dst->host || !dst->username || !dst->password) {
        redis_params_release(dst);
        return -1;
    }
    return 0;
}

void redis_params_release(redis_params *p)
{
    free(p->host);
    free(p->username);
    free(p->password);
    memset(p, 0, sizeof(*p));
}

redisContext *redis_conn_new(const redis_params *p, int timeout_ms, char *err, size_t errlen)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    redisReply *reply = NULL;
    redisContext *c = redisConnectWithTimeout(p->host, p->port, tv);
    if (!c || c->err) {
        snprintf(err, errlen, "redis %s:%d: %s", p->host, p->port, c ? c->errstr : "out of memory");
        goto fail;
    }
    redisSetTimeout(c, tv);
    if (p->password[0]) {
        reply = p->username[0] ? redisCommand(c, "AUTH %s %s", p->username, p->password)
                               : redisCommand(c, "AUTH %s", p->password);
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            /* Redis's own words (WRONGPASS..., or no password configured). */
            snprintf(err, errlen, "redis %s:%d: AUTH refused: %s", p->host, p->port,
                     reply ? reply->str : c->errstr);
            goto fail;
        }
        freeReplyObject(reply);
    }
    return c;
fail:
    if (reply)
        freeReplyObject(reply);
    if (c)
        redisFree(c);
    return NULL;
}

#include "redis_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "redis_tls.h"

int redis_params_init(redis_params *dst, const redis_params *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->port = src->port;
    dst->tls = src->tls;
    dst->host = strdup(src->host ? src->host : "");
    dst->username = strdup(src->username ? src->username : "");
    dst->password = strdup(src->password ? src->password : "");
    dst->ca_file = strdup(src->ca_file ? src->ca_file : "");
    if (!dst->host || !dst->username || !dst->password || !dst->ca_file) {
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
    free(p->ca_file);
    memset(p, 0, sizeof(*p));
}

redisContext *redis_conn_new(const redis_params *p, int timeout_ms, char *err, size_t errlen)
{
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    redisReply *reply = NULL;
    redisContext *c = NULL;
    if (p->tls) {
        char why[512];
        int fd = redis_tls_tunnel_new(p->host, p->port, p->ca_file, timeout_ms, why, sizeof(why));
        if (fd < 0) {
            snprintf(err, errlen, "redis %s:%d (TLS): %s", p->host, p->port, why);
            goto fail;
        }
        c = redisConnectFd(fd); /* owns fd from here */
        if (!c)
            close(fd);
    } else {
        c = redisConnectWithTimeout(p->host, p->port, tv);
    }
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

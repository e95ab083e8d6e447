/* Where Redis is and how to log in to it, and one connection made from that:
 * connected (over TLS when asked), authenticated (AUTH) and with its
 * read/write timeout set. */
#ifndef ISIM_REDIS_CONN_H
#define ISIM_REDIS_CONN_H

#include <hiredis/hiredis.h>
#include <stddef.h>

typedef struct redis_params {
    char *host;
    int port;
    char *username; /* ACL user; empty: AUTH with the password alone */
    char *password; /* empty: no AUTH */
    int tls;        /* 1: TLS (redis_tls.h), the certificate checked against host */
    char *ca_file;  /* with tls: PEM CA bundle; empty: the system's CAs */
} redis_params;

/* Deep copy into dst (released with redis_params_release). 0, or -1 out of memory. */
int redis_params_init(redis_params *dst, const redis_params *src);
void redis_params_release(redis_params *p);

/* A new connection, or NULL with err ("redis HOST:PORT: why"; the password
 * never appears). timeout_ms bounds the connect and every later command. */
redisContext *redis_conn_new(const redis_params *p, int timeout_ms, char *err, size_t errlen);

#endif

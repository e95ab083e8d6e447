/* /livez, /readyz and Prometheus /metrics: a small civetweb listener for
 * workers, or handlers added to the gateway's own civetweb context. */
#ifndef ISIM_HEALTH_HTTP_H
#define ISIM_HEALTH_HTTP_H

#include <stddef.h>

struct mg_context;
typedef struct health_server health_server;

/* ready_fn says whether the service can do its job (NULL: always). */
typedef int (*health_ready_fn)(void *user);

health_server *health_server_start(int port, health_ready_fn ready, void *user, char *err,
                                   size_t errlen);
void health_server_stop(health_server *h);
void health_register(struct mg_context *ctx, health_ready_fn ready, void *user);

/* Writes a whole response with Content-Length; shared with the gateway. */
struct mg_connection;
void http_send(struct mg_connection *conn, int status, const char *content_type,
               const char *body, size_t len, const char *extra_headers);

#endif

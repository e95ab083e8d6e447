/* /livez, /readyz and Prometheus /metrics: a small civetweb listener for
 * workers, or handlers added to the gateway's own civetweb context. */
#ifndef ISIM_HEALTH_HTTP_H
#define ISIM_HEALTH_HTTP_H

#include <stddef.h>

struct mg_context;
struct mg_connection;
typedef struct health_server health_server;

/* ready says whether the service can do its job (NULL: always); live
 * whether it is still making progress (NULL: always), else /livez answers 503
 * and an orchestrator restarts it. */
typedef int (*health_ready_fn)(void *user);

health_server *health_server_start(int port, health_ready_fn ready, health_ready_fn live, void *user,
                                   char *err, size_t errlen);
void health_server_stop(health_server *h);
void health_register(struct mg_context *ctx, health_ready_fn ready, void *user);
/* A civetweb begin_request callback body for a server with its own handlers:
 * answers the health paths, lets URIs starting with one of prefixes (NULL-
 * terminated) through to the handlers, and answers 404 to anything else, so
 * nothing reaches civetweb's file serving. Returns 0 to let civetweb go on. */
int health_begin_request_guard(struct mg_connection *conn, const char *const *prefixes);

/* Writes a whole response with Content-Length and the given Cache-Control;
 * with_body 0 answers a HEAD (Content-Length still says len). */
void http_send_full(struct mg_connection *conn, int status, const char *content_type, const char *cache_control,
                    const char *body, size_t len, int with_body, const char *extra_headers);
/* Writes a whole response with Content-Length, not cached; shared with the gateway. */
void http_send(struct mg_connection *conn, int status, const char *content_type,
               const char *body, size_t len, const char *extra_headers);

#endif

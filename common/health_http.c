#include "health_http.h"

#include <civetweb.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_metrics.h"

/* Debian's civetweb 1.15 is built to give its threads 100 KiB of stack
 * (USE_STACK_SIZE), too little for libcurl, libpq and OpenSSL inside a
 * request handler and far too little under AddressSanitizer, which overflowed
 * it. Every caller in the process gets at least ISIM_MIN_THREAD_STACK. */
#define ISIM_MIN_THREAD_STACK (1024 * 1024)

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
    static int (*real_setstacksize)(pthread_attr_t *, size_t);
    if (!real_setstacksize)
        real_setstacksize = (int (*)(pthread_attr_t *, size_t))dlsym(RTLD_NEXT, "pthread_attr_setstacksize");
    if (!real_setstacksize)
        return 0; /* keep the default stack (8 MiB), which is larger anyway */
    return real_setstacksize(attr, size < ISIM_MIN_THREAD_STACK ? ISIM_MIN_THREAD_STACK : size);
}

struct health_server {
    struct mg_context *ctx;
};

typedef struct health_state {
    int registered; /* until then /readyz says 503: the server is still starting */
    health_ready_fn ready;
    health_ready_fn live; /* NULL: alive while it answers */
    void *user;
} health_state;

/* One per process: a service has one health endpoint. */
static health_state health_global;

static const char *http_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 503: return "Service Unavailable";
    default: return status >= 500 ? "Internal Server Error" : "Error";
    }
}

/* One write per response: headers and body sent apart make a kept-alive
 * connection wait for the client's delayed ACK (Nagle), 40 ms a request. */
void http_send_full(struct mg_connection *conn, int status, const char *content_type, const char *cache_control,
                    const char *body, size_t len, int with_body, const char *extra_headers)
{
    static const char fmt[] = "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                              "Cache-Control: %s\r\n%s\r\n";
    const char *reason = http_reason(status), *extra = extra_headers ? extra_headers : "";
    size_t body_len = with_body ? len : 0;
    int n = snprintf(NULL, 0, fmt, status, reason, content_type, len, cache_control, extra);
    char *all = n > 0 ? malloc((size_t)n + body_len + 1) : NULL;
    if (!all) { /* out of memory: still answer, in two writes */
        mg_printf(conn, fmt, status, reason, content_type, len, cache_control, extra);
        if (body_len)
            mg_write(conn, body, body_len);
        return;
    }
    snprintf(all, (size_t)n + 1, fmt, status, reason, content_type, len, cache_control, extra);
    if (body_len)
        memcpy(all + n, body, body_len);
    mg_write(conn, all, (size_t)n + body_len);
    free(all);
}

void http_send(struct mg_connection *conn, int status, const char *content_type,
               const char *body, size_t len, const char *extra_headers)
{
    http_send_full(conn, status, content_type, "no-store", body, len, 1, extra_headers);
}

static int health_livez(struct mg_connection *conn, void *cb)
{
    (void)cb;
    if (health_global.live && !health_global.live(health_global.user)) {
        http_send(conn, 503, "text/plain", "stalled\n", 8, NULL);
        return 503;
    }
    http_send(conn, 200, "text/plain", "ok\n", 3, NULL);
    return 200;
}

static int health_readyz(struct mg_connection *conn, void *cb)
{
    (void)cb;
    int ok = health_global.registered && (!health_global.ready || health_global.ready(health_global.user));
    if (ok)
        http_send(conn, 200, "text/plain", "ready\n", 6, NULL);
    else
        http_send(conn, 503, "text/plain", "not ready\n", 10, NULL);
    return ok ? 200 : 503;
}

static int health_metrics(struct mg_connection *conn, void *cb)
{
    (void)cb;
    char *text = metrics_render();
    http_send(conn, 200, "text/plain; version=0.0.4", text ? text : "", text ? strlen(text) : 0, NULL);
    free(text);
    return 200;
}

void health_register(struct mg_context *ctx, health_ready_fn ready, void *user)
{
    health_global.ready = ready;
    health_global.user = user;
    health_global.registered = 1;
    mg_set_request_handler(ctx, "/livez$", health_livez, NULL);
    mg_set_request_handler(ctx, "/readyz$", health_readyz, NULL);
    mg_set_request_handler(ctx, "/metrics$", health_metrics, NULL);
}

/* Serves the health paths before civetweb's own dispatch: a request that
 * arrives between mg_start and handler registration, or for any other path,
 * would otherwise fall through to file serving, which crashes without a
 * document_root in civetweb 1.15. */
static int health_begin_request(struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "";
    if (strcmp(uri, "/livez") == 0)
        return health_livez(conn, NULL);
    if (strcmp(uri, "/readyz") == 0)
        return health_readyz(conn, NULL);
    if (strcmp(uri, "/metrics") == 0)
        return health_metrics(conn, NULL);
    http_send(conn, 404, "text/plain", "not found\n", 10, NULL);
    return 404;
}

int health_begin_request_guard(struct mg_connection *conn, const char *const *prefixes)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "";
    if (strcmp(uri, "/livez") == 0 || strcmp(uri, "/readyz") == 0 || strcmp(uri, "/metrics") == 0)
        return health_begin_request(conn);
    for (int i = 0; prefixes && prefixes[i]; i++)
        if (strncmp(uri, prefixes[i], strlen(prefixes[i])) == 0)
            return 0; /* civetweb dispatches it to the registered handler */
    static const char body[] = "{\"error\":{\"code\":\"not_found\",\"message\":\"No such endpoint.\"}}";
    http_send(conn, 404, "application/json", body, sizeof(body) - 1, NULL);
    return 404;
}

health_server *health_server_start(int port, health_ready_fn ready, health_ready_fn live, void *user,
                                   char *err, size_t errlen)
{
    health_server *h = calloc(1, sizeof(*h));
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    health_global.ready = ready;
    health_global.live = live;
    health_global.user = user;
    health_global.registered = 1;
    char ports[32];
    snprintf(ports, sizeof(ports), "%d", port);
    const char *options[] = {"listening_ports", ports, "num_threads", "2", NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.begin_request = health_begin_request;
    mg_init_library(0);
    h->ctx = mg_start(&callbacks, NULL, options);
    if (!h->ctx) {
        snprintf(err, errlen, "cannot listen on port %d for /livez, /readyz and /metrics", port);
        free(h);
        mg_exit_library();
        return NULL;
    }
    return h;
}

void health_server_stop(health_server *h)
{
    if (!h)
        return;
    mg_stop(h->ctx);
    mg_exit_library();
    free(h);
}

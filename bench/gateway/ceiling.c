/* The ceiling for bench/gateway: civetweb with the gateway's thread count and
 * keep-alive settings answering a fixed small JSON body, no authentication,
 * no database. */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int ceiling_handle(struct mg_connection *conn, void *cb)
{
    (void)cb;
    static const char body[] = "{\"id\":\"00000000-0000-4000-8000-000000000000\",\"status\":\"complete\"}";
    mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
              sizeof(body) - 1, body);
    return 200;
}

int main(int argc, char **argv)
{
    const char *options[] = {"listening_ports", argc > 1 ? argv[1] : "18999", "num_threads", "64",
                             "enable_keep_alive", "yes", "keep_alive_timeout_ms", "1000", NULL};
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    mg_init_library(0);
    struct mg_context *ctx = mg_start(NULL, NULL, options);
    if (!ctx) {
        fprintf(stderr, "ceiling: cannot listen on %s\n", options[1]);
        return 1;
    }
    mg_set_request_handler(ctx, "/v1", ceiling_handle, NULL);
    while (!stop)
        usleep(100 * 1000);
    mg_stop(ctx);
    mg_exit_library();
    return 0;
}

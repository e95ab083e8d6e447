/* gateway: the REST API in front of the pipeline (civetweb). */
#include <civetweb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gw_api.h"
#include "health_http.h"
#include "isim_log.h"
#include "isim_signal.h"
#include "pg_db.h"

#define GW_DB_POOL_SIZE 8

/* Nothing reaches civetweb's file serving (it crashes without a document_root
 * in 1.15), and requests before the handlers are registered get health or 404. */
static int gw_begin_request(struct mg_connection *conn)
{
    static const char *const prefixes[] = {"/v1/", NULL};
    return health_begin_request_guard(conn, prefixes);
}

static int gw_ready(void *user)
{
    gw_app *app = user;
    return app->db && app->kafka && app->bucket_ready;
}

/* The bucket may not exist on a new store, and the store may still be starting. */
static int gw_ensure_bucket(gw_app *app, int wait_s, char *err, size_t errlen)
{
    for (int i = 0; i <= wait_s && !signal_stop_requested(); i++) {
        s3_client *s3 = s3_client_new(&app->s3p, err, errlen);
        int rc = s3 ? s3_create_bucket(s3, err, errlen) : S3_ERR;
        s3_client_free(s3);
        if (rc == S3_OK)
            return 0;
        if (rc != S3_ERR_TRANSIENT)
            return -1;
        sleep(1);
    }
    return -1;
}

int main(void)
{
    int rc = 1;
    char err[1024];
    gw_app app = {0};
    struct mg_context *ctx = NULL;
    int cfg_loaded = 0;
    PGconn *migrator = NULL;

    if (config_load(&app.cfg, err, sizeof(err)) != 0) {
        log_init("gateway", "info");
        log_error("configuration: %s", err);
        goto out;
    }
    cfg_loaded = 1;
    log_init("gateway", app.cfg.log_level);
    signal_install();
    app.s3p = (s3_params){app.cfg.s3_endpoint, app.cfg.s3_public_endpoint, app.cfg.s3_region,
                          app.cfg.s3_bucket, app.cfg.s3_access_key, app.cfg.s3_secret_key};

    migrator = pg_connect(app.cfg.pg_dsn, 60, err, sizeof(err));
    if (!migrator || pg_migrate(migrator, app.cfg.migrations_dir, err, sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    app.db = gw_db_pool_new(app.cfg.pg_dsn, GW_DB_POOL_SIZE, 10, err, sizeof(err));
    if (!app.db) {
        log_error("%s", err);
        goto out;
    }
    app.kafka = kafka_producer_new(app.cfg.kafka_brokers, NULL, err, sizeof(err));
    if (!app.kafka) {
        log_error("kafka: %s", err);
        goto out;
    }
    if (gw_ensure_bucket(&app, 60, err, sizeof(err)) != 0) {
        log_error("bucket %s: %s", app.cfg.s3_bucket, err);
        goto out;
    }
    app.bucket_ready = 1;

    char port[32];
    snprintf(port, sizeof(port), "%d", app.cfg.http_port ? app.cfg.http_port : 8080);
    const char *options[] = {"listening_ports", port, "num_threads", "16",
                             "request_timeout_ms", "30000", "max_request_size", "16384", NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.begin_request = gw_begin_request;
    mg_init_library(0);
    ctx = mg_start(&callbacks, NULL, options);
    if (!ctx) {
        log_error("cannot listen on port %s", port);
        goto out;
    }
    health_register(ctx, gw_ready, &app);
    mg_set_request_handler(ctx, "/v1/", gw_api_handle, &app);
    mg_set_request_handler(ctx, "/v1/interviews", gw_api_handle, &app);
    log_info("gateway listening on port %s", port);
    while (!signal_stop_requested())
        usleep(200 * 1000);
    rc = 0;
out:
    if (ctx) {
        mg_stop(ctx);
        mg_exit_library();
    }
    kafka_producer_free(app.kafka);
    gw_db_pool_free(app.db);
    if (migrator)
        PQfinish(migrator);
    log_info("gateway stopped");
    if (cfg_loaded)
        config_release(&app.cfg);
    return rc;
}

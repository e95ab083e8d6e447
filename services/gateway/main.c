/* gateway: the REST API in front of the pipeline (civetweb). */
#include <civetweb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw_api.h"
#include "gw_auth.h"
#include "gw_password.h"
#include "gw_reaper.h"
#include "gw_webhook.h"
#include "config_params.h"
#include "health_http.h"
#include "isim_log.h"
#include "isim_signal.h"
#include "kafka_conf.h"
#include "pg_db.h"
#include "question_bank.h"

#define GW_DB_POOL_SIZE 16
/* Request threads; a kept-alive connection and a progress stream (at most
 * GW_SSE_MAX_STREAMS) hold one each. */
#define GW_THREADS 64
#define GW_STR(x) #x
#define GW_XSTR(x) GW_STR(x)
#define GW_REDIS_POOL_SIZE GW_THREADS /* one per request thread: a rate-limit check never waits */
/* An idle kept-alive connection holds a request thread this long. */
#define GW_KEEP_ALIVE_MS "1000"
#define GW_OPENAPI_MAX (1 << 20)
#define GW_WEBHOOK_POLL_MS 1000
#define GW_AUTH_CACHE_MS 5000

static gw_app *gw_the_app; /* civetweb's begin_request callback has no user data */

/* /v1 goes to the API handler, health paths to theirs, everything else is the
 * web app (gw_web): nothing reaches civetweb's file serving (it crashes
 * without a document_root in 1.15). */
static int gw_begin_request(struct mg_connection *conn)
{
    static const char *const prefixes[] = {"/v1/", NULL};
    const char *uri = mg_get_request_info(conn)->local_uri;
    if (!uri || strcmp(uri, "/v1") == 0 || strncmp(uri, "/v1/", 4) == 0 || strcmp(uri, "/livez") == 0 ||
        strcmp(uri, "/readyz") == 0 || strcmp(uri, "/metrics") == 0 || !gw_the_app)
        return health_begin_request_guard(conn, prefixes);
    int status = gw_web_serve(conn, &gw_the_app->web);
    log_write(status >= 400 ? ISIM_LOG_INFO : ISIM_LOG_DEBUG, "%s %.200s -> %d", mg_get_request_info(conn)->request_method,
              uri, status);
    return status;
}

static int gw_ready(void *user)
{
    gw_app *app = user;
    return app->db && app->kafka && app->bucket_ready;
}

static int gw_load_openapi(gw_app *app, char *err, size_t errlen)
{
    int rc = -1;
    FILE *f = fopen(app->cfg.openapi_path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot open the OpenAPI document %s (ISIM_OPENAPI_PATH)", app->cfg.openapi_path);
        return -1;
    }
    app->openapi = malloc(GW_OPENAPI_MAX);
    if (!app->openapi) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    app->openapi_len = fread(app->openapi, 1, GW_OPENAPI_MAX, f);
    if (app->openapi_len == 0 || app->openapi_len == GW_OPENAPI_MAX) {
        snprintf(err, errlen, "%s is empty or larger than %d bytes", app->cfg.openapi_path, GW_OPENAPI_MAX);
        goto out;
    }
    rc = 0;
out:
    fclose(f);
    return rc;
}

int main(void)
{
    int rc = 1;
    char err[1024];
    gw_app app = {0};
    struct mg_context *ctx = NULL;
    int cfg_loaded = 0;
    PGconn *migrator = NULL;
    gw_webhook_worker *hooks = NULL;
    gw_reaper *reaper = NULL;
    int slots_ready = 0;

    if (config_load(&app.cfg, err, sizeof(err)) != 0) {
        log_init("gateway", "info");
        log_error("configuration: %s", err);
        goto out;
    }
    cfg_loaded = 1;
    log_init("gateway", app.cfg.log_level);
    signal_install();
    app.s3p = config_s3_params(&app.cfg);
    if (gw_nets_parse(app.cfg.webhook_allow_nets, &app.webhook_allow, err, sizeof(err)) != 0) {
        log_error("ISIM_WEBHOOK_ALLOW_NETS: %s", err);
        goto out;
    }
    if (gw_load_openapi(&app, err, sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    if (lang_table_load(app.cfg.data_dir, &app.langs, err, sizeof(err)) != 0) {
        log_error("languages (ISIM_DATA_DIR): %s", err);
        goto out;
    }
    if (gw_password_init(err, sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    char media_origin[256];
    gw_web_origin(app.cfg.s3_public_endpoint[0] ? app.cfg.s3_public_endpoint : app.cfg.s3_endpoint, media_origin,
                  sizeof(media_origin));
    if (gw_web_load(&app.web, app.cfg.web_dir, media_origin, err, sizeof(err)) != 0) {
        log_error("web app (ISIM_WEB_DIR): %s", err);
        goto out;
    }
    if (app.web.n)
        log_info("web app: %zu files from %s", app.web.n, app.cfg.web_dir);
    else
        log_warn("web app: %s is missing; / says so (run make build)", app.cfg.web_dir);
    gw_the_app = &app;
    gw_slots_init(&app.sse_per_user, GW_SSE_MAX_PER_USER);
    pthread_mutex_init(&app.upload_lock, NULL);
    slots_ready = 1;

    migrator = pg_connect(app.cfg.pg_dsn, 60, err, sizeof(err));
    int applied = 0;
    if (!migrator || (app.cfg.migrate_at_start ? pg_migrate(migrator, app.cfg.migrations_dir, &applied, err, sizeof(err))
                                               : pg_migrate_check(migrator, app.cfg.migrations_dir, err, sizeof(err))) != 0) {
        log_error("%s", err);
        goto out;
    }
    /* The shipped bank comes with the schema: where migrations are left to
     * `isim admin migrate`, so is the bank. */
    int added = 0, updated = 0;
    if (app.cfg.migrate_at_start && question_bank_sync(migrator, app.cfg.data_dir, &app.langs, &added, &updated, err,
                                                       sizeof(err)) != 0) {
        log_error("%s", err);
        goto out;
    }
    if (added || updated)
        log_info("question bank: %d shipped question(s) added, %d updated", added, updated);
    int revoked = 0;
    if (gw_auth_bootstrap(migrator, app.cfg.bootstrap_admin_key, &revoked, err, sizeof(err)) != 0) {
        log_error("bootstrap admin key: %s", err);
        goto out;
    }
    if (revoked)
        log_warn("bootstrap admin key: %d earlier key(s) revoked (ISIM_BOOTSTRAP_ADMIN_KEY changed or removed)", revoked);
    if (app.cfg.bootstrap_admin_key[0])
        log_info("bootstrap admin key is active (ISIM_BOOTSTRAP_ADMIN_KEY)");
    app.db = gw_db_pool_new(app.cfg.pg_dsn, GW_DB_POOL_SIZE, 10, err, sizeof(err));
    if (!app.db) {
        log_error("%s", err);
        goto out;
    }
    redis_params rp = config_redis_params(&app.cfg);
    app.redis = gw_redis_new(&rp, GW_REDIS_POOL_SIZE);
    app.auth_cache = gw_auth_cache_new(GW_AUTH_CACHE_MS);
    const char *kconf[KAFKA_CONF_PAIRS_MAX];
    if (kafka_conf_pairs(&app.cfg, kconf, err, sizeof(err)) != 0) {
        log_error("kafka: %s", err);
        goto out;
    }
    app.kafka = kafka_producer_new(app.cfg.kafka_brokers, kconf, err, sizeof(err));
    if (!app.redis || !app.auth_cache || !app.kafka) {
        log_error("kafka: %s", app.kafka ? "out of memory" : err);
        goto out;
    }
    if (s3_bucket_ensure(&app.s3p, 60, err, sizeof(err)) != 0) {
        log_error("bucket %s: %s", app.cfg.s3_bucket, err);
        goto out;
    }
    app.bucket_ready = 1;
    hooks = gw_webhook_start(app.cfg.pg_dsn, GW_WEBHOOK_POLL_MS, &app.webhook_allow, err, sizeof(err));
    if (!hooks) {
        log_error("%s", err);
        goto out;
    }
    if (app.cfg.reap_interval_s > 0 &&
        !(reaper = gw_reaper_start(&app, err, sizeof(err)))) {
        log_error("%s", err);
        goto out;
    }

    char port[32];
    snprintf(port, sizeof(port), "%d", app.cfg.http_port ? app.cfg.http_port : 8080);
    /* max_request_size bounds the request line and headers. civetweb answers CORS
     * preflights itself for any origin unless its own CORS options are empty:
     * CORS is ours (ISIM_CORS_ORIGINS). */
    const char *options[] = {"listening_ports", port, "num_threads", GW_XSTR(GW_THREADS),
                             "request_timeout_ms", "30000", "max_request_size", "16384",
                             "enable_keep_alive", "yes", "keep_alive_timeout_ms", GW_KEEP_ALIVE_MS,
                             "access_control_allow_origin", "", "access_control_allow_methods", "", NULL};
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
    mg_set_request_handler(ctx, "/v1", gw_api_handle, &app);
    log_info("gateway listening on port %s", port);
    while (!signal_stop_requested())
        usleep(200 * 1000);
    rc = 0;
out:
    if (ctx) {
        mg_stop(ctx);
        mg_exit_library();
    }
    gw_reaper_stop(reaper);
    gw_webhook_stop(hooks);
    kafka_producer_free(app.kafka);
    gw_redis_free(app.redis);
    gw_auth_cache_free(app.auth_cache);
    gw_db_pool_free(app.db);
    if (migrator)
        PQfinish(migrator);
    free(app.openapi);
    gw_web_release(&app.web);
    lang_table_release(&app.langs);
    if (slots_ready) {
        gw_slots_release(&app.sse_per_user);
        pthread_mutex_destroy(&app.upload_lock);
    }
    log_info("gateway stopped");
    if (cfg_loaded)
        config_release(&app.cfg);
    return rc;
}

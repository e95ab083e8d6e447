#include "service_main.h"

#include <stdio.h>
#include <stdlib.h>

#include "config_params.h"
#include "health_http.h"
#include "isim_avlog.h"
#include "isim_log.h"
#include "isim_signal.h"
#include "kafka_conf.h"

typedef struct service_run {
    const service_def *def;
    service_ctx *ctx;
    kafka_worker *worker;
} service_run;

static int service_is_ready(void *user)
{
    service_run *run = user;
    if (!run->worker || !kafka_worker_ready(run->worker))
        return 0;
    return !run->def->ready || run->def->ready(run->ctx);
}

/* Alive until the worker loop stalls or a stage call is stuck past its timeout. */
static int service_is_alive(void *user)
{
    service_run *run = user;
    return !run->worker || kafka_worker_alive(run->worker);
}

int service_main(const service_def *def)
{
    int rc = 1;
    char err[1024] = "";
    service_ctx ctx = {0};
    service_run run = {.def = def, .ctx = &ctx};
    health_server *health = NULL;
    int cfg_loaded = 0, stage_inited = 0;

    if (config_load(&ctx.cfg, err, sizeof(err)) != 0) {
        log_init(def->name, "info");
        log_error("configuration: %s", err);
        goto out;
    }
    cfg_loaded = 1;
    log_init(def->name, ctx.cfg.log_level);
    avlog_route_to_json();
    signal_install();

    int port = ctx.cfg.http_port ? ctx.cfg.http_port : def->default_port;
    health = health_server_start(port, service_is_ready, service_is_alive, &run, err, sizeof(err));
    if (!health) {
        log_error("%s", err);
        goto out;
    }
    if (def->needs_s3) {
        s3_params sp = config_s3_params(&ctx.cfg);
        ctx.s3 = s3_client_new(&sp, err, sizeof(err));
        if (!ctx.s3) {
            log_error("S3 client: %s", err);
            goto out;
        }
    }
    if (def->init) {
        stage_inited = 1; /* release undoes a partial init too */
        if (def->init(&ctx, err, sizeof(err)) != 0) {
            log_error("init: %s", err);
            goto out;
        }
    }
    const char *kconf[KAFKA_CONF_PAIRS_MAX];
    if (kafka_conf_pairs(&ctx.cfg, kconf, err, sizeof(err)) != 0) {
        log_error("kafka: %s", err);
        goto out;
    }
    kafka_worker_opts wo = {.service = def->name, .brokers = ctx.cfg.kafka_brokers,
                            .extra_conf = kconf, .topics = def->topics, .stage = def->stage,
                            .handler = def->handler, .on_failed = def->on_failed, .user = &ctx,
                            .max_attempts = ctx.cfg.max_attempts,
                            .retry_deadline_s = ctx.cfg.retry_deadline_s,
                            .stage_timeout_s = ctx.cfg.stage_timeout_s,
                            .max_message_bytes = ctx.cfg.message_max_bytes};
    run.worker = kafka_worker_new(&wo, err, sizeof(err));
    if (!run.worker) {
        log_error("kafka: %s", err);
        goto out;
    }
    log_info("%s listening for health on port %d", def->name, port);
    rc = kafka_worker_run(run.worker) == 0 ? 0 : 1;
out:
    if (run.worker) {
        /* Close first: /readyz says 503 while the partitions are handed over. */
        if (kafka_worker_close(run.worker, err, sizeof(err)) != 0)
            log_warn("%s", err);
        kafka_worker_free(run.worker);
    }
    if (stage_inited && def->release)
        def->release(&ctx);
    s3_client_free(ctx.s3);
    health_server_stop(health);
    if (cfg_loaded)
        config_release(&ctx.cfg);
    log_info("%s stopped", def->name);
    return rc;
}

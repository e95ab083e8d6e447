/* The whole life of a worker service, once for all of them: config, logs,
 * signals, health listener, S3 client, the Kafka worker loop, clean exit.
 * A service's main.c only names its topics and gives its handler. */
#ifndef ISIM_SERVICE_MAIN_H
#define ISIM_SERVICE_MAIN_H

#include "isim_config.h"
#include "kafka_worker.h"
#include "s3_client.h"

typedef struct service_ctx {
    isim_config cfg;
    s3_client *s3;  /* when the service's def asks for it */
    void *stage;    /* the service's own state, from init */
} service_ctx;

typedef struct service_def {
    const char *name;                /* "converter": logs, consumer group */
    const char *stage;               /* name in status events; NULL for none */
    int default_port;                /* health/metrics port */
    const char *const *topics;       /* NULL-terminated */
    int needs_s3;
    kw_handler handler;              /* called with user = service_ctx* */
    int (*init)(service_ctx *ctx, char *err, size_t errlen);  /* optional */
    void (*release)(service_ctx *ctx);                        /* optional */
    int (*ready)(service_ctx *ctx);                           /* optional extra readiness */
    kw_fail_fn on_failed;            /* without a stage: records a failed interview (user = service_ctx*) */
} service_def;

int service_main(const service_def *def);

#endif

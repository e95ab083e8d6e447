/* The gateway's /v1 API: interviews created, marked uploaded, read, listed. */
#ifndef ISIM_GW_API_H
#define ISIM_GW_API_H

#include <civetweb.h>

#include "gw_db_pool.h"
#include "isim_config.h"
#include "kafka_producer.h"
#include "s3_client.h"

typedef struct gw_app {
    isim_config cfg;
    gw_db_pool *db;
    kafka_producer *kafka;
    s3_params s3p;
    volatile int bucket_ready;
} gw_app;

/* civetweb request handler for "/v1/"; cbdata is the gw_app. */
int gw_api_handle(struct mg_connection *conn, void *cbdata);

#endif

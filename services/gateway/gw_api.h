/* The gateway's /v1 API: authentication, rate limits, CORS and routing to
 * the handlers of gw_handlers.h. */
#ifndef ISIM_GW_API_H
#define ISIM_GW_API_H

#include <civetweb.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>

#include "gw_auth.h"
#include "gw_db_pool.h"
#include "gw_netguard.h"
#include "gw_redis.h"
#include "gw_slots.h"
#include "gw_web.h"
#include "isim_lang.h"
#include "isim_config.h"
#include "kafka_producer.h"
#include "s3_client.h"

#define GW_SSE_MAX_STREAMS 32 /* each holds a civetweb thread */
#define GW_SSE_MAX_PER_USER 4 /* so that one user cannot hold all of them */

typedef struct gw_app {
    isim_config cfg;
    gw_db_pool *db;
    gw_redis *redis;
    gw_auth_cache *auth_cache;
    kafka_producer *kafka;
    s3_params s3p;
    gw_nets webhook_allow; /* ISIM_WEBHOOK_ALLOW_NETS */
    gw_web web;               /* the web app's files (ISIM_WEB_DIR) */
    lang_table langs;         /* data/languages.txt: the languages an interview may be in */
    char *openapi;            /* the document, read at start */
    size_t openapi_len;
    volatile int bucket_ready;
    atomic_int sse_streams;
    gw_slots sse_per_user;
    pthread_mutex_t upload_lock; /* uploads_active, upload_bytes */
    int uploads_active;
    long long upload_bytes;
} gw_app;

/* Splits "/v1/<coll>[/<item>[/<sub>[/<leaf>]]]" into its parts (uuids lower-cased):
 * the number of parts, or -1 when the path is not of that shape or a part is
 * too long. A parser of outside data: tests/fuzz/fuzz_gateway_path.c. */
int gw_path_split(const char *uri, char coll[32], char item[80], char sub[80], char leaf[80]);

/* civetweb request handler for "/v1/"; cbdata is the gw_app. */
int gw_api_handle(struct mg_connection *conn, void *cbdata);

/* Runs sql on a pooled connection (see pg_exec). */
int gw_db_query(gw_app *app, const char *sql, int n, const char *const *params, PGresult **out,
                char *err, size_t errlen);
/* Runs sql, whose one row and column is a JSON array, and answers 200
 * {"<key>": array} (503 when the database fails). */
void gw_send_query_list(struct mg_connection *conn, gw_app *app, const char *key, const char *sql, int n,
                        const char *const *params);
/* Runs sql (an UPDATE or DELETE ... RETURNING): 204 when it returned a row,
 * 404 with not_found when none, 503 when the database fails. */
void gw_send_changed_or_404(struct mg_connection *conn, gw_app *app, const char *sql, int n,
                            const char *const *params, const char *not_found);
/* Runs sql, whose one row and column is a JSON object, and answers it with
 * status; 404 with not_found when there is no row (or it is NULL), 503 when
 * the database fails. */
void gw_send_query_object(struct mg_connection *conn, gw_app *app, int status, const char *sql, int n,
                          const char *const *params, const char *not_found);
/* Sends 503 "database_unavailable" and logs err. */
void gw_db_unavailable(struct mg_connection *conn, const char *err);

#endif

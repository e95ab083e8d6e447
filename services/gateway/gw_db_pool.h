/* A fixed pool of PostgreSQL connections shared by civetweb's threads. */
#ifndef ISIM_GW_DB_POOL_H
#define ISIM_GW_DB_POOL_H

#include <libpq-fe.h>
#include <stddef.h>

typedef struct gw_db_pool gw_db_pool;

gw_db_pool *gw_db_pool_new(const char *dsn, int size, int wait_s, char *err, size_t errlen);
void gw_db_pool_free(gw_db_pool *p);
/* How long a request waits for a free connection before it is answered 503. */
#define GW_DB_POOL_WAIT_MS 5000

/* A free connection, waiting at most GW_DB_POOL_WAIT_MS; NULL when none came. */
PGconn *gw_db_pool_acquire(gw_db_pool *p);
void gw_db_pool_release(gw_db_pool *p, PGconn *c);
/* Runs a statement prepared once per connection (the hot paths: planning a
 * statement costs about as much as running it). id: 0 to GW_DB_STMT_MAX-1,
 * one per distinct sql. Re-prepares after a reconnect. Same contract as pg_exec. */
#define GW_DB_STMT_MAX 8
int gw_db_pool_exec_prepared(gw_db_pool *p, int id, const char *sql, int nparams, const char *const *params,
                             PGresult **out, char *err, size_t errlen);

#endif

/* A fixed pool of PostgreSQL connections shared by civetweb's threads. */
#ifndef ISIM_GW_DB_POOL_H
#define ISIM_GW_DB_POOL_H

#include <libpq-fe.h>
#include <stddef.h>

typedef struct gw_db_pool gw_db_pool;

gw_db_pool *gw_db_pool_new(const char *dsn, int size, int wait_s, char *err, size_t errlen);
void gw_db_pool_free(gw_db_pool *p);
PGconn *gw_db_pool_acquire(gw_db_pool *p);
void gw_db_pool_release(gw_db_pool *p, PGconn *c);

#endif

#include "gw_db_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_util.h"
#include "pg_db.h"

struct gw_db_pool {
    pthread_mutex_t lock;
    pthread_cond_t available;
    int size, free_count;
    PGconn **all;
    PGconn **free_list;
    unsigned *prepared; /* per connection of all[]: bit i = statement i prepared */
};

gw_db_pool *gw_db_pool_new(const char *dsn, int size, int wait_s, char *err, size_t errlen)
{
    gw_db_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->available, NULL);
    p->all = calloc((size_t)size, sizeof(PGconn *));
    p->free_list = calloc((size_t)size, sizeof(PGconn *));
    p->prepared = calloc((size_t)size, sizeof(unsigned));
    if (!p->all || !p->free_list || !p->prepared)
        goto fail;
    for (int i = 0; i < size; i++) {
        p->all[i] = pg_connect(dsn, i == 0 ? wait_s : 0, err, errlen);
        if (!p->all[i])
            goto fail;
        p->size++;
        p->free_list[p->free_count++] = p->all[i];
    }
    return p;
fail:
    gw_db_pool_free(p);
    return NULL;
}

void gw_db_pool_free(gw_db_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->size; i++)
        PQfinish(p->all[i]);
    free(p->all);
    free(p->free_list);
    free(p->prepared);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->available);
    free(p);
}

PGconn *gw_db_pool_acquire(gw_db_pool *p)
{
    PGconn *c = NULL;
    struct timespec deadline;
    util_deadline_ms(&deadline, GW_DB_POOL_WAIT_MS);
    pthread_mutex_lock(&p->lock);
    while (p->free_count == 0)
        if (pthread_cond_timedwait(&p->available, &p->lock, &deadline) != 0)
            break;
    if (p->free_count > 0)
        c = p->free_list[--p->free_count];
    pthread_mutex_unlock(&p->lock);
    return c;
}

void gw_db_pool_release(gw_db_pool *p, PGconn *c)
{
    pthread_mutex_lock(&p->lock);
    p->free_list[p->free_count++] = c;
    pthread_cond_signal(&p->available);
    pthread_mutex_unlock(&p->lock);
}

int gw_db_pool_exec_prepared(gw_db_pool *p, int id, const char *sql, int nparams, const char *const *params,
                             PGresult **out, char *err, size_t errlen)
{
    int rc = -1, slot = 0;
    char name[16];
    PGresult *r = NULL;
    PGconn *c = gw_db_pool_acquire(p);
    if (!c) {
        snprintf(err, errlen, "every database connection stayed busy for %d ms", GW_DB_POOL_WAIT_MS);
        return -1;
    }
    while (slot < p->size && p->all[slot] != c)
        slot++; /* the connection's index: its bit set is only touched by its holder */
    snprintf(name, sizeof(name), "gw_stmt_%d", id);
    if (out)
        *out = NULL;
    for (int attempt = 0; attempt < 2 && rc != 0; attempt++) {
        if (PQstatus(c) == CONNECTION_BAD) {
            PQreset(c);
            p->prepared[slot] = 0;
        }
        if (!(p->prepared[slot] & (1u << id))) {
            r = PQprepare(c, name, sql, nparams, NULL);
            int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            if (!ok)
                snprintf(err, errlen, "prepare: %s", PQerrorMessage(c));
            PQclear(r);
            r = NULL;
            if (!ok)
                continue;
            p->prepared[slot] |= 1u << id;
        }
        r = PQexecPrepared(c, name, nparams, params, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
            rc = 0;
            break;
        }
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        snprintf(err, errlen, "%s", PQerrorMessage(c));
        if (state && strcmp(state, "26000") == 0)
            p->prepared[slot] &= ~(1u << id); /* the server forgot it: prepare again */
        else if (PQstatus(c) != CONNECTION_BAD)
            attempt = 2; /* a real error: no retry */
        PQclear(r);
        r = NULL;
    }
    if (out && rc == 0)
        *out = r;
    else
        PQclear(r);
    gw_db_pool_release(p, c);
    return rc;
}

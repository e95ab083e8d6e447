#include "gw_db_pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "pg_db.h"

struct gw_db_pool {
    pthread_mutex_t lock;
    pthread_cond_t available;
    int size, free_count;
    PGconn **all;
    PGconn **free_list;
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
    if (!p->all || !p->free_list)
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
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->available);
    free(p);
}

PGconn *gw_db_pool_acquire(gw_db_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->free_count == 0)
        pthread_cond_wait(&p->available, &p->lock);
    PGconn *c = p->free_list[--p->free_count];
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

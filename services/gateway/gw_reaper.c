#include "gw_reaper.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw_handlers.h"
#include "isim_log.h"
#include "isim_metrics.h"
#include "isim_util.h"
#include "pg_db.h"

/* The listed objects, grouped by the interview id their key names. */
typedef struct gw_reap_list {
    char **keys;
    char (*ids)[ISIM_UUID_LEN + 1]; /* ids[i]: the interview of keys[i] */
    size_t n, cap;
} gw_reap_list;

static void gw_reap_list_release(gw_reap_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->keys[i]);
    free(l->keys);
    free(l->ids);
    memset(l, 0, sizeof(*l));
}

/* Keeps keys of the shape raw/<uuid>/... or media/<uuid>/...; others are not ours to judge. */
static int gw_reap_on_key(const char *key, void *ud)
{
    gw_reap_list *l = ud;
    const char *slash = strchr(key, '/');
    if (!slash || (strncmp(key, "raw/", 4) != 0 && strncmp(key, "media/", 6) != 0))
        return 0;
    char id[ISIM_UUID_LEN + 1];
    if (strlen(slash + 1) <= ISIM_UUID_LEN || slash[1 + ISIM_UUID_LEN] != '/')
        return 0;
    memcpy(id, slash + 1, ISIM_UUID_LEN);
    id[ISIM_UUID_LEN] = '\0';
    if (!util_uuid_valid(id) || strstr(key, ".."))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **k = realloc(l->keys, cap * sizeof(*k));
        if (!k)
            return -1;
        l->keys = k;
        char(*ids)[ISIM_UUID_LEN + 1] = realloc(l->ids, cap * sizeof(*ids));
        if (!ids)
            return -1;
        l->ids = ids;
        l->cap = cap;
    }
    if (!(l->keys[l->n] = strdup(key)))
        return -1;
    memcpy(l->ids[l->n], id, sizeof(id));
    l->n++;
    return 0;
}

int gw_reap_orphans(PGconn *db, const s3_params *p, int *deleted, int *orphans, char *err, size_t errlen)
{
    int rc = -1;
    gw_reap_list l = {0};
    PGresult *r = NULL;
    char *ids = NULL;
    s3_client *s3 = s3_client_new(p, err, errlen);
    *deleted = *orphans = 0;
    if (!s3)
        goto out;
    if (s3_list_keys(s3, "raw/", gw_reap_on_key, &l, err, errlen) != S3_OK ||
        s3_list_keys(s3, "media/", gw_reap_on_key, &l, err, errlen) != S3_OK)
        goto out;
    if (l.n == 0) {
        rc = 0;
        goto out;
    }
    /* Which of the ids still have a row: one query with them all as an array. */
    ids = malloc(l.n * (ISIM_UUID_LEN + 1) + 3);
    if (!ids) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    char *w = ids;
    *w++ = '{';
    for (size_t i = 0; i < l.n; i++)
        w += sprintf(w, "%s%s", i ? "," : "", l.ids[i]);
    strcpy(w, "}");
    const char *param[] = {ids};
    /* Only ids known to be erased: an empty or older database (a restore, a
     * wrong DSN) must not make every recording look orphaned. */
    if (pg_exec(db, "SELECT i::text FROM unnest($1::uuid[]) AS i WHERE NOT EXISTS "
                    "(SELECT 1 FROM interviews WHERE id = i) AND EXISTS (SELECT 1 FROM erased_interviews WHERE id = i) "
                    "GROUP BY i",
                1, param, &r, err, errlen) != 0)
        goto out;
    *orphans = PQntuples(r);
    /* Deepest keys first: a store kept as folders lists "<dir>/" before what is in it. */
    for (size_t i = l.n; i-- > 0;) {
        int orphan = 0;
        for (int j = 0; j < PQntuples(r) && !orphan; j++)
            orphan = strcmp(PQgetvalue(r, j, 0), l.ids[i]) == 0;
        if (!orphan)
            continue;
        int d = s3_delete(s3, l.keys[i], err, errlen);
        if (d != S3_OK && d != S3_NOT_FOUND)
            goto out;
        (*deleted)++;
    }
    /* Presigned URLs live for hours at most: a month of ids is plenty. */
    if (pg_exec(db, "DELETE FROM erased_interviews WHERE erased_at < now() - interval '30 days'", 0, NULL, NULL, err,
                errlen) != 0)
        goto out;
    rc = 0;
out:
    if (*deleted)
        metrics_counter_add("isim_orphan_objects_deleted_total",
                            "Stored objects deleted because no interview row points to them", *deleted);
    PQclear(r);
    free(ids);
    gw_reap_list_release(&l);
    s3_client_free(s3);
    return rc;
}

/* Interviews erased for their age per pass at most: the rest wait for the next. */
#define GW_RETENTION_BATCH 200

struct gw_reaper {
    gw_app *app;
    int interval_s;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stop;
};

static void *gw_reaper_main(void *arg)
{
    gw_reaper *rp = arg;
    char err[512];
    pthread_mutex_lock(&rp->lock);
    for (;;) {
        struct timespec until;
        util_deadline_ms(&until, rp->interval_s * 1000);
        while (!rp->stop && pthread_cond_timedwait(&rp->wake, &rp->lock, &until) == 0)
            ;
        if (rp->stop)
            break;
        pthread_mutex_unlock(&rp->lock);
        int deleted = 0, orphans = 0, aged = 0;
        const isim_config *cfg = &rp->app->cfg;
        if (cfg->retention_days > 0) {
            if (gw_erase_older_than(rp->app, cfg->retention_days, GW_RETENTION_BATCH, &aged, err, sizeof(err)) != 0)
                log_warn("retention: %s", err);
            if (aged) {
                log_info("retention: %d interview(s) older than %d days erased", aged, cfg->retention_days);
                metrics_counter_add("isim_interviews_expired_total",
                                    "Interviews erased because they were older than ISIM_RETENTION_DAYS", aged);
            }
        }
        PGconn *db = pg_connect(cfg->pg_dsn, 0, err, sizeof(err));
        if (!db || gw_reap_orphans(db, &rp->app->s3p, &deleted, &orphans, err, sizeof(err)) != 0)
            log_warn("reaper: %s", err);
        else if (deleted)
            log_info("reaper: %d object(s) of %d erased interview(s) deleted", deleted, orphans);
        if (db)
            PQfinish(db);
        pthread_mutex_lock(&rp->lock);
    }
    pthread_mutex_unlock(&rp->lock);
    return NULL;
}

gw_reaper *gw_reaper_start(gw_app *app, char *err, size_t errlen)
{
    gw_reaper *rp = calloc(1, sizeof(*rp));
    if (!rp) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rp->app = app;
    rp->interval_s = app->cfg.reap_interval_s;
    pthread_mutex_init(&rp->lock, NULL);
    pthread_cond_init(&rp->wake, NULL);
    if (pthread_create(&rp->thread, NULL, gw_reaper_main, rp) != 0) {
        snprintf(err, errlen, "cannot start the reaper thread");
        pthread_mutex_destroy(&rp->lock);
        pthread_cond_destroy(&rp->wake);
        free(rp);
        return NULL;
    }
    return rp;
}

void gw_reaper_stop(gw_reaper *rp)
{
    if (!rp)
        return;
    pthread_mutex_lock(&rp->lock);
    rp->stop = 1;
    pthread_cond_signal(&rp->wake);
    pthread_mutex_unlock(&rp->lock);
    pthread_join(rp->thread, NULL);
    pthread_mutex_destroy(&rp->lock);
    pthread_cond_destroy(&rp->wake);
    free(rp);
}

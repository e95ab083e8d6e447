/* The reaper: objects under raw/<id>/ and media/<id>/ of interviews that were
 * erased (erased_interviews: an upload that raced the erase, or came through
 * a presigned URL still valid after it) are deleted; objects of ids the
 * database does not know were erased are left alone. The gateway runs it
 * every ISIM_REAP_INTERVAL_S; `isim admin reap` once. */
#ifndef ISIM_GW_REAPER_H
#define ISIM_GW_REAPER_H

#include <libpq-fe.h>
#include <stddef.h>

#include "s3_client.h"

/* One pass: 0 with *deleted (objects) and *orphans (interview ids), or -1 with err. */
int gw_reap_orphans(PGconn *db, const s3_params *p, int *deleted, int *orphans, char *err, size_t errlen);

typedef struct gw_app gw_app;
typedef struct gw_reaper gw_reaper;
/* A thread that, every app->cfg.reap_interval_s (the first time after one
 * interval), reaps and, when app->cfg.retention_days is set, erases the
 * interviews older than that. app must outlive the reaper. */
gw_reaper *gw_reaper_start(gw_app *app, char *err, size_t errlen);
void gw_reaper_stop(gw_reaper *r);

#endif

/* The reaper: objects under raw/<id>/ and media/<id>/ whose interview row is
 * gone (an upload that raced an erase, a row deleted by hand) are deleted.
 * The gateway runs it every ISIM_REAP_INTERVAL_S; `isim admin reap` once. */
#ifndef ISIM_GW_REAPER_H
#define ISIM_GW_REAPER_H

#include <libpq-fe.h>
#include <stddef.h>

#include "s3_client.h"

/* One pass: 0 with *deleted (objects) and *orphans (interview ids), or -1 with err. */
int gw_reap_orphans(PGconn *db, const s3_params *p, int *deleted, int *orphans, char *err, size_t errlen);

typedef struct gw_reaper gw_reaper;
/* A thread running a pass every interval_s (the first after one interval);
 * dsn is copied, p too but not its strings, which must outlive the reaper. */
gw_reaper *gw_reaper_start(const char *dsn, const s3_params *p, int interval_s, char *err, size_t errlen);
void gw_reaper_stop(gw_reaper *r);

#endif

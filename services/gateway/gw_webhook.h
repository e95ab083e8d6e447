/* Webhooks: when an interview of a user with webhooks completes or fails, a
 * few background threads of the gateway (one delivery each at a time, at
 * most one per user, so a slow receiver delays only its own user's events)
 * POST a JSON payload signed with
 * HMAC-SHA256 (header X-Isim-Signature: sha256=<hex of HMAC(secret, body)>),
 * retrying with exponential backoff. It polls the database (one row per
 * webhook, interview and event in webhook_deliveries), so no event is lost
 * when the gateway or Redis restarts, and replicas share the work (rows are
 * claimed with FOR UPDATE SKIP LOCKED). Request threads never wait for it. */
#ifndef ISIM_GW_WEBHOOK_H
#define ISIM_GW_WEBHOOK_H

#include <curl/curl.h>
#include <stddef.h>

#include "gw_netguard.h"

#define GW_WEBHOOK_URL_MAX 2000
#define GW_WEBHOOK_MAX_ATTEMPTS 8

/* 0 when url is http(s)://, printable ASCII without spaces, short enough. */
int gw_webhook_url_valid(const char *url);
/* Lowercase hex HMAC-SHA256 of data under key into out[65]; 0 or -1. */
int gw_webhook_sign(const char *key, const void *data, size_t len, char out[65]);
/* Seconds before attempt number attempts + 1 (attempts >= 1 made). */
int gw_webhook_backoff_s(int attempts);

/* POSTs one signed delivery of body to url, connecting only to addresses
 * gw_addr_allowed (after DNS). 0 on a 2xx answer, else -1 with err. */
int gw_webhook_post(CURL *curl, const gw_nets *allow, const char *url, const char *secret,
                    const char *event, const char *delivery, const char *body, char *err, size_t errlen);

typedef struct gw_webhook_worker gw_webhook_worker;

/* Starts the delivery threads; allow is copied. */
gw_webhook_worker *gw_webhook_start(const char *pg_dsn, int poll_ms, const gw_nets *allow, char *err,
                                    size_t errlen);
void gw_webhook_stop(gw_webhook_worker *w);

#endif

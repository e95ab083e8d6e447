#include "gw_webhook.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "isim_log.h"
#include "isim_util.h"
#include "pg_db.h"

#define GW_WEBHOOK_TIMEOUT_S 5
#define GW_WEBHOOK_LEASE_S 60
/* Deliveries sent at once; one user's at most one at a time, so that a slow
 * receiver delays only its own user's events. */
#define GW_WEBHOOK_SENDERS 4

struct gw_webhook_worker {
    char *dsn;
    int poll_ms;
    gw_nets allow;
    pthread_t threads[GW_WEBHOOK_SENDERS];
    int started;
    pthread_mutex_t lock; /* stop, busy_users, claiming */
    pthread_cond_t wake;
    int stop;
    char busy_users[GW_WEBHOOK_SENDERS][40]; /* the user each sender is delivering for, "" idle */
    double recorded_at;                      /* when a sender last recorded new deliveries */
};

typedef struct gw_webhook_sender {
    gw_webhook_worker *w;
    int index;
} gw_webhook_sender;

int gw_webhook_url_valid(const char *url)
{
    size_t n = strlen(url);
    if (n > GW_WEBHOOK_URL_MAX || (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0))
        return -1;
    const char *host = strstr(url, "://") + 3;
    if (!*host || *host == '/')
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7f)
            return -1;
    return 0;
}

int gw_webhook_sign(const char *key, const void *data, size_t len, char out[65])
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mlen = 0;
    if (!HMAC(EVP_sha256(), key, (int)strlen(key), data, len, mac, &mlen) || mlen != 32)
        return -1;
    for (unsigned i = 0; i < mlen; i++)
        snprintf(out + 2 * i, 3, "%02x", mac[i]);
    return 0;
}

int gw_webhook_backoff_s(int attempts)
{
    int s = 1;
    for (int i = 0; i < attempts && s < 600; i++)
        s *= 2;
    return s < 600 ? s : 600;
}

static size_t gw_webhook_discard(char *d, size_t size, size_t n, void *u)
{
    (void)d;
    (void)u;
    return size * n;
}

typedef struct gw_guard {
    const gw_nets *allow;
    char refused[INET6_ADDRSTRLEN];
} gw_guard;

/* curl's hook just before each connection, after DNS: the one place where
 * the address a name resolved to can be checked. */
static curl_socket_t gw_webhook_open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    gw_guard *g = ud;
    if (purpose == CURLSOCKTYPE_IPCXN && !gw_addr_allowed(&a->addr, g->allow)) {
        const void *in = a->family == AF_INET6 ? (const void *)&((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr
                                               : (const void *)&((struct sockaddr_in *)(void *)&a->addr)->sin_addr;
        if (!inet_ntop(a->family, in, g->refused, sizeof(g->refused)))
            snprintf(g->refused, sizeof(g->refused), "?");
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

int gw_webhook_post(CURL *curl, const gw_nets *allow, const char *url, const char *secret, const char *event,
                    const char *delivery, const char *body, char *err, size_t errlen)
{
    char sig[65], h_sig[100], h_event[64], h_delivery[200], h_key[220];
    struct curl_slist *hs = NULL;
    gw_guard guard = {.allow = allow};
    int rc = -1;
    if (gw_webhook_sign(secret, body, strlen(body), sig) != 0) {
        snprintf(err, errlen, "signing failed");
        return -1;
    }
    snprintf(h_sig, sizeof(h_sig), "X-Isim-Signature: sha256=%s", sig);
    snprintf(h_event, sizeof(h_event), "X-Isim-Event: interview.%s", event);
    snprintf(h_delivery, sizeof(h_delivery), "X-Isim-Delivery: %s", delivery);
    /* Delivery is at least once (a lost answer means sent again): the same
     * key on every try lets a receiver act on an event once. */
    snprintf(h_key, sizeof(h_key), "Idempotency-Key: %s", delivery);
    const char *lines[] = {"Content-Type: application/json", "User-Agent: isim-gateway-webhook", h_sig, h_event,
                           h_delivery, h_key};
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        struct curl_slist *n = curl_slist_append(hs, lines[i]);
        if (!n) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        hs = n;
    }
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)GW_WEBHOOK_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, gw_webhook_discard);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, gw_webhook_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc != CURLE_OK && guard.refused[0])
        snprintf(err, errlen, "the URL leads to %s, a private or internal address webhooks may not reach "
                              "(see ISIM_WEBHOOK_ALLOW_NETS)", guard.refused);
    else if (cc != CURLE_OK)
        snprintf(err, errlen, "%s", curl_easy_strerror(cc));
    else if (status < 200 || status > 299)
        snprintf(err, errlen, "the receiver answered HTTP %ld", status);
    else
        rc = 0;
out:
    curl_slist_free_all(hs);
    return rc;
}

/* Records the deliveries of interviews that ended after their webhook was
 * registered, in the last day. */
static void gw_webhook_record(PGconn *db)
{
    char err[512];
    if (pg_exec(db, "INSERT INTO webhook_deliveries (webhook_id, interview_id, event) "
                    "SELECT w.id, i.id, i.status FROM interviews i JOIN webhooks w ON w.user_id = i.user_id "
                    "WHERE i.status IN ('complete', 'failed') AND i.updated_at >= w.created_at "
                    "  AND i.updated_at > now() - interval '1 day' "
                    "ON CONFLICT DO NOTHING", 0, NULL, NULL, err, sizeof(err)) != 0)
        log_warn("webhooks: %s", err);
}

/* Claims one due delivery of a user no other sender of this process is
 * delivering for, and marks that user busy for sender index. The caller
 * holds w->lock, so two senders never claim for the same user. NULL: none. */
static PGresult *gw_webhook_claim(gw_webhook_worker *w, PGconn *db, int index)
{
    char err[512], max[16], lease[16], busy[GW_WEBHOOK_SENDERS * 41 + 3] = "{";
    PGresult *r = NULL;
    for (int i = 0; i < GW_WEBHOOK_SENDERS; i++)
        if (w->busy_users[i][0])
            snprintf(busy + strlen(busy), sizeof(busy) - strlen(busy), "%s%s", busy[1] ? "," : "", w->busy_users[i]);
    strcat(busy, "}");
    snprintf(max, sizeof(max), "%d", GW_WEBHOOK_MAX_ATTEMPTS);
    snprintf(lease, sizeof(lease), "%d", GW_WEBHOOK_LEASE_S);
    const char *p[] = {max, lease, busy};
    /* Claiming moves next_attempt_at a lease ahead: another replica skips the
     * row, and a gateway that dies mid-send leaves it to be retried. */
    if (pg_exec(db,
                "UPDATE webhook_deliveries d SET attempts = d.attempts + 1, "
                "  next_attempt_at = now() + $2::int * interval '1 second' "
                "FROM webhooks w, interviews i, (SELECT dd.webhook_id, dd.interview_id, dd.event "
                "  FROM webhook_deliveries dd JOIN webhooks ww ON ww.id = dd.webhook_id "
                "  WHERE dd.delivered_at IS NULL AND dd.attempts < $1::int AND dd.next_attempt_at <= now() "
                "    AND ww.user_id <> ALL($3::uuid[]) "
                "  ORDER BY dd.next_attempt_at LIMIT 1 FOR UPDATE OF dd SKIP LOCKED) due "
                "WHERE d.webhook_id = due.webhook_id AND d.interview_id = due.interview_id AND d.event = due.event "
                "  AND w.id = d.webhook_id AND i.id = d.interview_id "
                "RETURNING d.webhook_id, d.interview_id, d.event, d.attempts, w.url, w.secret, "
                "  json_build_object('event', 'interview.' || d.event, 'interview_id', i.id, "
                "    'status', i.status, 'failure_reason', i.failure_reason, 'question', i.question, "
                "    'question_id', i.question_id, 'completed_at', i.completed_at, "
                "    'score', (SELECT CASE WHEN jsonb_typeof(report->'score'->'overall') = 'number' "
                "       THEN (report->'score'->'overall')::text::float8 END FROM reports WHERE interview_id = i.id), "
                "    'attempt', d.attempts, 'sent_at', now())::text, w.user_id",
                3, p, &r, err, sizeof(err)) != 0) {
        log_warn("webhooks: %s", err);
        return NULL;
    }
    if (PQntuples(r) == 0) {
        PQclear(r);
        return NULL;
    }
    snprintf(w->busy_users[index], sizeof(w->busy_users[index]), "%s", PQgetvalue(r, 0, 7));
    return r;
}

/* Sends one claimed delivery and records how it went. */
static void gw_webhook_send(PGconn *db, CURL *curl, const gw_nets *allow, PGresult *r)
{
    char err[512], delivery[160], backoff[16], serr[256] = "";
    const char *wid = PQgetvalue(r, 0, 0), *iid = PQgetvalue(r, 0, 1), *event = PQgetvalue(r, 0, 2);
    int attempts = atoi(PQgetvalue(r, 0, 3));
    snprintf(delivery, sizeof(delivery), "%s.%s.%s", wid, iid, event);
    int ok = gw_webhook_post(curl, allow, PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5), event, delivery,
                             PQgetvalue(r, 0, 6), serr, sizeof(serr)) == 0;
    snprintf(backoff, sizeof(backoff), "%d", gw_webhook_backoff_s(attempts));
    const char *u[] = {wid, iid, event, ok ? NULL : serr, backoff};
    if (pg_exec(db, ok ? "UPDATE webhook_deliveries SET delivered_at = now(), last_error = NULL "
                         "WHERE webhook_id = $1 AND interview_id = $2 AND event = $3"
                       : "UPDATE webhook_deliveries SET last_error = $4, "
                         "next_attempt_at = now() + $5::int * interval '1 second' "
                         "WHERE webhook_id = $1 AND interview_id = $2 AND event = $3",
                ok ? 3 : 5, u, NULL, err, sizeof(err)) != 0)
        log_warn("webhooks: %s", err);
    log_set_context(NULL, iid);
    if (ok)
        log_info("webhook %s delivered (%s, attempt %d)", wid, event, attempts);
    else
        log_warn("webhook %s not delivered (attempt %d of %d): %s", wid, attempts, GW_WEBHOOK_MAX_ATTEMPTS, serr);
    log_clear_context();
}

static void *gw_webhook_main(void *arg)
{
    gw_webhook_sender *s = arg;
    gw_webhook_worker *w = s->w;
    char err[512];
    PGconn *db = NULL;
    CURL *curl = curl_easy_init();
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        PGresult *claimed = NULL;
        /* New deliveries are recorded once a poll by whichever sender is free:
         * one busy with a slow receiver must not hold them back. */
        int record = util_now_s() - w->recorded_at >= w->poll_ms / 1000.0;
        if (record)
            w->recorded_at = util_now_s();
        pthread_mutex_unlock(&w->lock);
        if (!db && !(db = pg_connect(w->dsn, 0, err, sizeof(err))))
            log_warn("webhooks: %s", err);
        if (db && record)
            gw_webhook_record(db);
        pthread_mutex_lock(&w->lock);
        if (db && curl && !w->stop)
            claimed = gw_webhook_claim(w, db, s->index);
        pthread_mutex_unlock(&w->lock);
        if (claimed) {
            gw_webhook_send(db, curl, &w->allow, claimed);
            PQclear(claimed);
        }
        pthread_mutex_lock(&w->lock);
        w->busy_users[s->index][0] = '\0';
        if (claimed)
            continue; /* there may be more due now */
        struct timespec until;
        util_deadline_ms(&until, w->poll_ms);
        if (!w->stop)
            pthread_cond_timedwait(&w->wake, &w->lock, &until);
    }
    pthread_mutex_unlock(&w->lock);
    if (db)
        PQfinish(db);
    if (curl)
        curl_easy_cleanup(curl);
    free(s);
    return NULL;
}

static void gw_webhook_worker_free(gw_webhook_worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_cond_broadcast(&w->wake);
    pthread_mutex_unlock(&w->lock);
    for (int i = 0; i < w->started; i++)
        pthread_join(w->threads[i], NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w->dsn);
    free(w);
}

gw_webhook_worker *gw_webhook_start(const char *pg_dsn, int poll_ms, const gw_nets *allow, char *err,
                                    size_t errlen)
{
    gw_webhook_worker *w = calloc(1, sizeof(*w));
    if (!w || !(w->dsn = strdup(pg_dsn))) {
        snprintf(err, errlen, "out of memory");
        free(w);
        return NULL;
    }
    w->poll_ms = poll_ms;
    if (allow)
        w->allow = *allow;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    for (; w->started < GW_WEBHOOK_SENDERS; w->started++) {
        gw_webhook_sender *s = malloc(sizeof(*s));
        if (s)
            *s = (gw_webhook_sender){w, w->started};
        if (!s || pthread_create(&w->threads[w->started], NULL, gw_webhook_main, s) != 0) {
            free(s);
            snprintf(err, errlen, "cannot start the webhook senders");
            gw_webhook_worker_free(w);
            return NULL;
        }
    }
    return w;
}

void gw_webhook_stop(gw_webhook_worker *w)
{
    if (w)
        gw_webhook_worker_free(w);
}

#include "gw_api.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_session.h"
#include "isim_log.h"
#include "isim_util.h"
#include "pg_db.h"
#include "question.h"

#define GW_RATE_WINDOW_S 60
#define GW_RATE_WARN_EVERY_S 10

/* A Redis outage fails every request's check: say so once in a while, not
 * once a request. */
static void gw_rate_unchecked(const char *why)
{
    static atomic_llong last_s, skipped;
    long long now = (long long)util_now_s(), last = atomic_load(&last_s);
    if (now - last < GW_RATE_WARN_EVERY_S || !atomic_compare_exchange_strong(&last_s, &last, now)) {
        atomic_fetch_add(&skipped, 1);
        return;
    }
    gw_log(ISIM_LOG_WARN, "rate limit not checked: %s (and %lld more since the last warning)", why,
           atomic_exchange(&skipped, 0));
}

int gw_db_query(gw_app *app, const char *sql, int n, const char *const *params, PGresult **out,
                char *err, size_t errlen)
{
    PGconn *c = gw_db_pool_acquire(app->db);
    if (!c) {
        if (out)
            *out = NULL;
        snprintf(err, errlen, "every database connection stayed busy for %d ms", GW_DB_POOL_WAIT_MS);
        return -1;
    }
    int rc = pg_exec(c, sql, n, params, out, err, errlen);
    gw_db_pool_release(app->db, c);
    return rc;
}

void gw_send_query_list(struct mg_connection *conn, gw_app *app, const char *key, const char *sql, int n,
                        const char *const *params)
{
    char err[512];
    PGresult *r = NULL;
    if (gw_db_query(app, sql, n, params, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        return;
    }
    json_t *list = json_loads(PQgetvalue(r, 0, 0), 0, NULL);
    PQclear(r);
    gw_send_json(conn, 200, json_pack("{s:o}", key, list ? list : json_array()));
}

void gw_send_changed_or_404(struct mg_connection *conn, gw_app *app, const char *sql, int n,
                            const char *const *params, const char *not_found)
{
    char err[512];
    PGresult *r = NULL;
    if (gw_db_query(app, sql, n, params, &r, err, sizeof(err)) != 0)
        gw_db_unavailable(conn, err);
    else if (PQntuples(r) == 0)
        gw_send_error(conn, 404, "not_found", "%s", not_found);
    else
        gw_send_bytes(conn, 204, "application/json", "", 0, NULL);
    PQclear(r);
}

void gw_send_query_object(struct mg_connection *conn, gw_app *app, int status, const char *sql, int n,
                          const char *const *params, const char *not_found)
{
    char err[512];
    PGresult *r = NULL;
    json_t *obj = NULL;
    if (gw_db_query(app, sql, n, params, &r, err, sizeof(err)) != 0)
        gw_db_unavailable(conn, err);
    else if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0))
        gw_send_error(conn, 404, "not_found", "%s", not_found);
    else if (!(obj = json_loads(PQgetvalue(r, 0, 0), 0, NULL)))
        gw_send_error(conn, 500, "internal", "a stored record could not be read");
    else
        gw_send_json(conn, status, obj);
    PQclear(r);
}

void gw_db_unavailable(struct mg_connection *conn, const char *err)
{
    gw_log(ISIM_LOG_ERROR, "database: %s", err);
    gw_send_error(conn, 503, "database_unavailable", "The database is not available right now; try again.");
}

static void gw_preflight(struct mg_connection *conn)
{
    if (!gw_request_cors_allowed()) {
        gw_send_error(conn, 403, "cors_forbidden", "This origin may not call the API.");
        return;
    }
    gw_send_bytes(conn, 204, "text/plain", "", 0,
                  "Access-Control-Allow-Methods: GET, POST, PUT, PATCH, DELETE, OPTIONS\r\n"
                  "Access-Control-Allow-Headers: Authorization, Content-Type, X-Request-Id, X-CSRF-Token\r\n"
                  "Access-Control-Max-Age: 600\r\n");
}

#define GW_AUTH_FAIL_WINDOW_S 60

/* Unknown credentials from this client address in the current minute,
 * counting one more when add: 1 when over ISIM_AUTH_FAILURES_PER_ADDRESS
 * (*retry set), else 0 (also when Redis cannot count: it holds no record). */
static int gw_auth_failures_over(struct mg_connection *conn, gw_app *app, int add, int *retry)
{
    char key[96], err[256];
    long long n = 0;
    if (app->cfg.auth_failures_address <= 0)
        return 0;
    snprintf(key, sizeof(key), "authfail:ip:%.60s", mg_get_request_info(conn)->remote_addr);
    if (gw_redis_window_count(app->redis, key, add, GW_AUTH_FAIL_WINDOW_S, &n, retry, err, sizeof(err)) != 0) {
        gw_rate_unchecked(err);
        return 0;
    }
    return n >= app->cfg.auth_failures_address + (add ? 1 : 0);
}

/* Who calls: an API key (Authorization: Bearer) wins over a session cookie.
 * 1 found, 0 unknown or no credential given, -1 on a database error (err
 * filled), -2 when this address sent too many unknown credentials (*retry). */
static int gw_identify(struct mg_connection *conn, gw_app *app, gw_user *u, int *given, int *retry, char *err,
                       size_t errlen)
{
    char token[GW_TOKEN_HEX + 1], hash[65];
    const char *key = gw_bearer_token(mg_get_header(conn, "Authorization"));
    int session = !key && gw_session_cookie_token(conn, token);
    *given = key || session;
    if (!*given)
        return 0;
    gw_key_hash(key ? key : token, hash);
    if (gw_auth_cache_get(app->auth_cache, hash, u))
        return 1;
    /* A wrong key costs one query per GW_AUTH_UNKNOWN_TTL_S, and an address
     * guessing many gets no more queries once over its limit. */
    if (gw_auth_cache_unknown(app->auth_cache, hash))
        return 0;
    if (gw_auth_failures_over(conn, app, 0, retry))
        return -2;
    PGconn *c = gw_db_pool_acquire(app->db);
    if (!c) {
        snprintf(err, errlen, "every database connection stayed busy for %d ms", GW_DB_POOL_WAIT_MS);
        return -1;
    }
    int found = key ? gw_auth_lookup(c, key, u, err, errlen) : gw_session_lookup(c, token, u, err, errlen);
    gw_db_pool_release(app->db, c);
    if (found == 1)
        gw_auth_cache_put(app->auth_cache, u);
    if (found == 0) {
        gw_auth_cache_put_unknown(app->auth_cache, hash);
        gw_auth_failures_over(conn, app, 1, retry);
    }
    return found;
}

/* 0 with *u filled, or -1 with the answer sent. */
static int gw_authenticate(struct mg_connection *conn, gw_app *app, gw_user *u)
{
    static const char challenge[] = "WWW-Authenticate: Bearer realm=\"isim\"\r\n";
    char err[512];
    int given = 0, retry = 0;
    int found = gw_identify(conn, app, u, &given, &retry, err, sizeof(err));
    if (found == -2) {
        char h[64];
        snprintf(h, sizeof(h), "Retry-After: %d\r\n", retry > 0 ? retry : 1);
        gw_send_error_h(conn, 429, h, "too_many_failures",
                        "Too many requests with unknown keys came from your address. Try again in %d s.",
                        retry > 0 ? retry : 1);
        return -1;
    }
    if (found < 0) {
        gw_db_unavailable(conn, err);
        return -1;
    }
    if (!given) {
        gw_send_error_h(conn, 401, challenge, "unauthenticated",
                        "Sign in, or send your API key as \"Authorization: Bearer <key>\".");
        return -1;
    }
    if (!found) {
        if (mg_get_header(conn, "Authorization"))
            gw_send_error_h(conn, 401, challenge, "invalid_api_key", "This API key is not valid.");
        else
            gw_send_error_h(conn, 401, challenge, "session_expired", "Your session has ended; sign in again.");
        return -1;
    }
    if (gw_session_csrf_missing(conn, u)) {
        gw_send_error(conn, 403, "csrf_token_missing",
                      "This request lacks the page's security token (X-CSRF-Token); reload the page and try again.");
        return -1;
    }
    int limit = u->rate_limit >= 0 ? u->rate_limit : app->cfg.rate_limit_per_min;
    if (limit == 0)
        return 0;
    retry = 0;
    int ok = gw_redis_rate_hit(app->redis, u->key_hash, limit, GW_RATE_WINDOW_S, &retry, err, sizeof(err));
    if (ok < 0) {
        gw_rate_unchecked(err); /* fail open: Redis holds no record */
        return 0;
    }
    if (!ok) {
        char h[64];
        snprintf(h, sizeof(h), "Retry-After: %d\r\n", retry > 0 ? retry : 1);
        gw_send_error_h(conn, 429, h, "rate_limited",
                        "Too many requests: this key may make %d per minute. Try again in %d s.", limit,
                        retry > 0 ? retry : 1);
        return -1;
    }
    return 0;
}

static int gw_is_admin(struct mg_connection *conn, const gw_user *u)
{
    if (strcmp(u->role, "admin") == 0)
        return 1;
    gw_send_error(conn, 403, "forbidden", "Only an administrator may do this.");
    return 0;
}

static void gw_method_not_allowed(struct mg_connection *conn, const char *allow)
{
    char h[96];
    snprintf(h, sizeof(h), "Allow: %s\r\n", allow);
    gw_send_error_h(conn, 405, h, "method_not_allowed", "Use %s here.", allow);
}

/* Splits "/v1/<coll>[/<item>[/<sub>[/<leaf>]]]". Returns the number of parts, -1 if malformed. */
int gw_path_split(const char *uri, char coll[32], char item[80], char sub[80], char leaf[80])
{
    coll[0] = item[0] = sub[0] = leaf[0] = '\0';
    if (strncmp(uri, "/v1/", 4) != 0)
        return -1;
    const char *p = uri + 4;
    char *outs[] = {coll, item, sub, leaf};
    size_t caps[] = {32, 80, 80, 80};
    int n = 0;
    while (*p && n < 4) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0 || len >= caps[n])
            return -1;
        memcpy(outs[n], p, len);
        outs[n][len] = '\0';
        /* Ids are canonical from here on: an upper-case id would find its row
         * (PostgreSQL compares uuids) but name other S3 keys than the stages wrote. */
        if (util_uuid_valid(outs[n]))
            util_ascii_lower(outs[n]);
        n++;
        if (!e)
            return n;
        p = e + 1;
        if (!*p)
            return -1; /* trailing slash */
    }
    return *p ? -1 : n;
}

/* A request as the router hands it to a collection: the method and the
 * path's parts below /v1/ (n of them: collection, item, sub). */
typedef struct gw_req {
    const char *method;
    int get, post, put, del, patch;
    int n;
    const char *item, *sub, *leaf;
} gw_req;

static void gw_route_interviews(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n == 1) {
        if (q->get) gw_interview_list(conn, app, u);
        else if (q->post) gw_interview_create(conn, app, u);
        else gw_method_not_allowed(conn, "GET, POST");
        return;
    }
    if (!util_uuid_valid(q->item)) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        return;
    }
    if (q->n == 4 && strcmp(q->sub, "comments") != 0) {
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
        return;
    }
    if (q->n == 2) {
        if (q->get) gw_interview_get(conn, app, u, q->item);
        else if (q->del) gw_interview_delete(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "GET, DELETE");
    } else if (strcmp(q->sub, "uploaded") == 0) {
        if (q->post) gw_interview_uploaded(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "POST");
    } else if (strcmp(q->sub, "retry") == 0) {
        if (q->post) gw_interview_retry(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "POST");
    } else if (strcmp(q->sub, "recording") == 0) {
        if (q->put) gw_interview_upload(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "PUT");
    } else if (strcmp(q->sub, "events") == 0 && q->n == 3) {
        if (q->get) gw_interview_events(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "GET");
    } else if (strcmp(q->sub, "comments") == 0 && q->n == 3) {
        if (q->get) gw_comment_list(conn, app, u, q->item);
        else if (q->post) gw_comment_create(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "GET, POST");
    } else if (strcmp(q->sub, "comments") == 0 && util_uuid_valid(q->leaf)) {
        if (q->del) gw_comment_delete(conn, app, u, q->item, q->leaf);
        else gw_method_not_allowed(conn, "DELETE");
    } else {
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
    }
}

static void gw_route_questions(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n > 2) {
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
        return;
    }
    if (q->n == 2 && !question_id_valid(q->item)) {
        gw_send_error(conn, 404, "not_found", "No question has this id.");
        return;
    }
    if (q->n == 1 && q->get) gw_question_list(conn, app, u);
    else if (q->n == 1 && q->post) gw_question_put(conn, app, u, NULL);
    else if (q->n == 2 && q->get) gw_question_get(conn, app, u, q->item);
    else if (q->n == 2 && q->put) gw_question_put(conn, app, u, q->item);
    else if (q->n == 2 && q->del) gw_question_retire(conn, app, u, q->item);
    else gw_method_not_allowed(conn, q->n == 1 ? "GET, POST" : "GET, PUT, DELETE");
}

static void gw_route_mock_interviews(struct mg_connection *conn, gw_app *app, const gw_user *u,
                                     const gw_req *q)
{
    /* The calls on one mock interview: {sub, method, handler}. */
    static const struct {
        const char *sub;
        int post;
        void (*fn)(struct mg_connection *, gw_app *, const gw_user *, const char *);
    } subs[] = {{"next", 0, gw_mock_next}, {"report", 0, gw_mock_report}, {"answers", 1, gw_mock_answer},
                {"finish", 1, gw_mock_finish}};
    if (q->n == 1) {
        if (q->get) gw_mock_list(conn, app, u);
        else if (q->post) gw_mock_create(conn, app, u);
        else gw_method_not_allowed(conn, "GET, POST");
        return;
    }
    if (!util_uuid_valid(q->item)) {
        gw_send_error(conn, 404, "not_found", "No mock interview has this id.");
        return;
    }
    if (q->n == 2) {
        if (q->get) gw_mock_get(conn, app, u, q->item);
        else if (q->del) gw_mock_delete(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "GET, DELETE");
        return;
    }
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (strcmp(q->sub, subs[i].sub) != 0)
            continue;
        if (subs[i].post ? q->post : q->get) subs[i].fn(conn, app, u, q->item);
        else gw_method_not_allowed(conn, subs[i].post ? "POST" : "GET");
        return;
    }
    gw_send_error(conn, 404, "not_found", "No such endpoint.");
}

static void gw_route_organisations(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n > 2) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (q->n == 2 && !util_uuid_valid(q->item)) gw_send_error(conn, 404, "not_found", "No organisation has this id.");
    else if (q->n == 1 && !q->get && !q->post) gw_method_not_allowed(conn, "GET, POST");
    else if (q->n == 2 && !q->patch && !q->del) gw_method_not_allowed(conn, "PATCH, DELETE");
    else if (!gw_is_admin(conn, u)) return;
    else if (q->n == 1 && q->get) gw_org_list(conn, app);
    else if (q->n == 1) gw_org_put(conn, app, NULL);
    else if (q->patch) gw_org_put(conn, app, q->item);
    else gw_org_delete(conn, app, q->item);
}

/* /v1/cohorts[/{id}[/overview | /members/{user_id}]] */
static void gw_route_cohorts(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n == 1) {
        if (q->get) gw_cohort_list(conn, app, u);
        else if (!q->post) gw_method_not_allowed(conn, "GET, POST");
        else if (gw_is_admin(conn, u)) gw_cohort_create(conn, app, u);
        return;
    }
    if (!util_uuid_valid(q->item)) {
        gw_send_error(conn, 404, "not_found", "No cohort has this id.");
        return;
    }
    if (q->n == 2) {
        if (q->get) gw_cohort_get(conn, app, u, q->item);
        else if (!q->del) gw_method_not_allowed(conn, "GET, DELETE");
        else if (gw_is_admin(conn, u)) gw_cohort_delete(conn, app, q->item);
    } else if (q->n == 3 && strcmp(q->sub, "overview") == 0) {
        if (q->get) gw_cohort_overview(conn, app, u, q->item);
        else gw_method_not_allowed(conn, "GET");
    } else if (q->n == 4 && strcmp(q->sub, "members") == 0 && util_uuid_valid(q->leaf)) {
        if (!q->put && !q->del) gw_method_not_allowed(conn, "PUT, DELETE");
        else if (!gw_is_admin(conn, u)) return;
        else if (q->put) gw_cohort_member_put(conn, app, q->item, q->leaf);
        else gw_cohort_member_delete(conn, app, q->item, q->leaf);
    } else {
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
    }
}

static void gw_route_question_bank(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n != 1) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (!q->get && !q->post) gw_method_not_allowed(conn, "GET, POST");
    else if (!gw_is_admin(conn, u)) return;
    else if (q->get) gw_question_bank_export(conn, app);
    else gw_question_bank_import(conn, app);
}

static void gw_route_webhooks(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n > 2) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (q->n == 1 && q->get) gw_webhook_list(conn, app, u);
    else if (q->n == 1 && q->post) gw_webhook_create(conn, app, u);
    else if (q->n == 2 && !util_uuid_valid(q->item)) gw_send_error(conn, 404, "not_found", "No webhook has this id.");
    else if (q->n == 2 && q->del) gw_webhook_delete(conn, app, u, q->item);
    else gw_method_not_allowed(conn, q->n == 1 ? "GET, POST" : "DELETE");
}

static void gw_route_users(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n > 2) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (q->n == 2 && !util_uuid_valid(q->item)) gw_send_error(conn, 404, "not_found", "No user has this id.");
    else if (q->n == 1 && !q->get && !q->post) gw_method_not_allowed(conn, "GET, POST");
    else if (q->n == 2 && !q->patch && !q->del) gw_method_not_allowed(conn, "PATCH, DELETE");
    else if (!gw_is_admin(conn, u)) return;
    else if (q->n == 1 && q->get) gw_user_list(conn, app);
    else if (q->n == 1) gw_user_create(conn, app);
    else if (q->del) gw_user_delete(conn, app, u, q->item);
    else gw_user_patch(conn, app, u, q->item);
}

static void gw_route_me(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n == 1) {
        if (q->get) gw_me(conn, app, u);
        else if (q->del) gw_me_delete(conn, app, u);
        else gw_method_not_allowed(conn, "GET, DELETE");
    } else if (q->n == 2 && strcmp(q->item, "password") == 0) {
        if (q->put) gw_password_change(conn, app, u);
        else gw_method_not_allowed(conn, "PUT");
    } else if (strcmp(q->item, "keys") == 0) {
        if (q->n == 2 && q->get) gw_key_list(conn, app, u);
        else if (q->n == 2 && q->post) gw_key_create(conn, app, u);
        else if (q->n == 2) gw_method_not_allowed(conn, "GET, POST");
        else if (!util_uuid_valid(q->sub)) gw_send_error(conn, 404, "not_found", "No API key of yours has this id.");
        else if (q->del) gw_key_delete(conn, app, u, q->sub);
        else gw_method_not_allowed(conn, "DELETE");
    } else {
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
    }
}

static void gw_route_sessions(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n != 2 || strcmp(q->item, "current") != 0) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (q->del) gw_signout(conn, app, u);
    else gw_method_not_allowed(conn, "DELETE");
}

static void gw_route_invitations(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n != 1) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (!q->post) gw_method_not_allowed(conn, "POST");
    else if (gw_is_admin(conn, u)) gw_invitation_create(conn, app, u);
}

static void gw_route_history(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q)
{
    if (q->n != 1) gw_send_error(conn, 404, "not_found", "No such endpoint.");
    else if (q->get) gw_history(conn, app, u);
    else gw_method_not_allowed(conn, "GET");
}

typedef void (*gw_route_fn)(struct mg_connection *conn, gw_app *app, const gw_user *u, const gw_req *q);

/* The collections below /v1/ that need credentials: each with the query
 * parameters GET /v1/<name> and POST /v1/<name> take; every other request
 * takes none. */
static const struct gw_collection {
    const char *name;
    const char *const *list_params, *const *post_params;
    gw_route_fn route;
    int max_parts; /* 4 for collections with /<item>/<sub>/<leaf> paths, else 3 */
} gw_collections[] = {
    {"interviews", (const char *const[]){"limit", "cursor", "status", "question_id", "user_id", NULL}, NULL,
     gw_route_interviews, 4},
    {"questions", (const char *const[]){"category", "role", "level", "q", "include_retired", "language", NULL},
     NULL, gw_route_questions, 3},
    {"question-bank", (const char *const[]){"format", NULL}, (const char *const[]){"mode", NULL},
     gw_route_question_bank, 3},
    {"mock-interviews", NULL, NULL, gw_route_mock_interviews, 3},
    {"organisations", NULL, NULL, gw_route_organisations, 3},
    {"cohorts", NULL, NULL, gw_route_cohorts, 4},
    {"webhooks", NULL, NULL, gw_route_webhooks, 3},
    {"users", NULL, NULL, gw_route_users, 3},
    {"me", NULL, NULL, gw_route_me, 3},
    {"sessions", NULL, NULL, gw_route_sessions, 3},
    {"invitations", NULL, NULL, gw_route_invitations, 3},
    {"history", gw_history_params, NULL, gw_route_history, 3},
};

static void gw_route(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *method,
                     int n, const char *coll, const char *item, const char *sub, const char *leaf)
{
    gw_req q = {.method = method, .get = !strcmp(method, "GET"), .post = !strcmp(method, "POST"),
                .put = !strcmp(method, "PUT"), .del = !strcmp(method, "DELETE"), .patch = !strcmp(method, "PATCH"),
                .n = n, .item = item, .sub = sub, .leaf = leaf};
    for (size_t i = 0; i < sizeof(gw_collections) / sizeof(gw_collections[0]); i++) {
        const struct gw_collection *c = &gw_collections[i];
        if (strcmp(coll, c->name) != 0)
            continue;
        if (n > c->max_parts) {
            if (gw_query_only(conn, NULL) == 0)
                gw_send_error(conn, 404, "not_found", "No such endpoint.");
            return;
        }
        const char *const *params = n != 1 ? NULL : q.get ? c->list_params : q.post ? c->post_params : NULL;
        if (gw_query_only(conn, params) == 0)
            c->route(conn, app, u, &q);
        return;
    }
    if (gw_query_only(conn, NULL) == 0)
        gw_send_error(conn, 404, "not_found", "No such endpoint.");
}

/* An invitation token: 64 lowercase hex digits (anything else is no invitation). */
static int gw_token_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == GW_TOKEN_HEX;
}

/* The calls a person makes before being signed in: sign in, read and accept
 * an invitation. 1 when answered here. */
static int gw_public_route(struct mg_connection *conn, gw_app *app, const char *method, int n, const char *coll,
                           const char *item, const char *sub)
{
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (n == 1 && strcmp(coll, "languages") == 0) {
        if (gw_query_only(conn, NULL) != 0) return 1;
        if (get) gw_languages_list(conn, app);
        else gw_method_not_allowed(conn, "GET");
        return 1;
    }
    if (n == 1 && strcmp(coll, "sessions") == 0) {
        if (gw_query_only(conn, NULL) != 0) return 1;
        if (post) gw_signin(conn, app);
        else gw_method_not_allowed(conn, "POST");
        return 1;
    }
    if (strcmp(coll, "invitations") != 0 || n < 2 || n > 3 || (n == 3 && strcmp(sub, "accept") != 0))
        return 0;
    if (gw_query_only(conn, NULL) != 0)
        return 1;
    if (!gw_token_valid(item))
        gw_send_error(conn, 404, "invalid_invitation",
                      "This invitation link is not valid, was used already or has expired. Ask for a new one.");
    else if (n == 2 && get) gw_invitation_get(conn, app, item);
    else if (n == 3 && post) gw_invitation_accept(conn, app, item);
    else gw_method_not_allowed(conn, n == 2 ? "GET" : "POST");
    return 1;
}

int gw_api_handle(struct mg_connection *conn, void *cbdata)
{
    gw_app *app = cbdata;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "";
    const char *method = ri->request_method;
    char coll[32], item[80], sub[80], leaf[80];
    gw_user u;

    gw_request_begin(conn, app->cfg.cors_origins);
    int n = gw_path_split(uri, coll, item, sub, leaf);
    if (strcmp(method, "OPTIONS") == 0) {
        gw_preflight(conn);
    } else if (n == 1 && strcmp(coll, "openapi.json") == 0) {
        if (strcmp(method, "GET") == 0)
            gw_send_bytes(conn, 200, "application/json", app->openapi, app->openapi_len, NULL);
        else
            gw_method_not_allowed(conn, "GET");
    } else if (gw_public_route(conn, app, method, n, coll, item, sub)) {
        /* answered without credentials */
    } else if (gw_authenticate(conn, app, &u) == 0) {
        if (n < 1)
            gw_send_error(conn, 404, "not_found", "No such endpoint.");
        else
            gw_route(conn, app, &u, method, n, coll, item, sub, leaf);
    }
    int status = gw_request_status();
    /* An invitation's path holds its token, which sets a password: the log
     * names the route, not the token. */
    const char *logged = uri;
    if (n >= 2 && strcmp(coll, "invitations") == 0)
        logged = n == 3 ? "/v1/invitations/<token>/..." : "/v1/invitations/<token>";
    log_write(status >= 400 ? ISIM_LOG_INFO : ISIM_LOG_DEBUG, "%s %.200s -> %d (request %s)", method, logged,
              status, gw_request_id());
    log_clear_context();
    return status ? status : 200;
}

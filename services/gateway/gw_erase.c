/* DELETE /v1/interviews/{id}: the candidate's right to erase. Every object
 * under raw/<id>/ and media/<id>/ is listed and deleted, then the rows go; a
 * storage failure removes nothing from the records, so the erase can be
 * asked again. A whole account is erased the same way, interview by
 * interview, then the user's row with its keys, sessions and webhooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_log.h"
#include "pg_db.h"
#include "s3_client.h"

/* The keys one erase deletes: distinct, all under raw/<id>/ or media/<id>/. */
typedef struct gw_erase {
    char raw[64], media[64]; /* "raw/<id>/", "media/<id>/" */
    char **keys;
    size_t n, cap, listed, skipped;
} gw_erase;

static void gw_erase_free(gw_erase *e)
{
    for (size_t i = 0; i < e->n; i++)
        free(e->keys[i]);
    free(e->keys);
    e->keys = NULL;
    e->n = e->cap = 0;
}

/* Adds k once when it is this interview's; 0, or -1 when out of memory. A
 * key with ".." is skipped: the store could resolve it outside the prefix. */
static int gw_erase_add(gw_erase *e, const char *k)
{
    if ((strncmp(k, e->raw, strlen(e->raw)) != 0 && strncmp(k, e->media, strlen(e->media)) != 0) ||
        strstr(k, "..")) {
        e->skipped += *k != '\0';
        return 0;
    }
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->keys[i], k) == 0)
            return 0;
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        char **v = realloc(e->keys, cap * sizeof(*v));
        if (!v)
            return -1;
        e->keys = v;
        e->cap = cap;
    }
    e->keys[e->n] = strdup(k);
    if (!e->keys[e->n])
        return -1;
    e->n++;
    return 0;
}

static int gw_erase_on_key(const char *key, void *ud)
{
    gw_erase *e = ud;
    e->listed++;
    return gw_erase_add(e, key);
}

/* The names the stages write and the keys stored on the row (r: raw_key,
 * video_key, audio_key, poster_key), in case a listing lags behind a write. */
static int gw_erase_known(gw_erase *e, const PGresult *r, const char *id)
{
    static const char *const names[] = {"raw/%s/recording", "media/%s/video.webm", "media/%s/video.mp4",
                                        "media/%s/audio.wav", "media/%s/poster.jpg"};
    char k[128];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(k, sizeof(k), names[i], id);
        if (gw_erase_add(e, k) != 0)
            return -1;
    }
    for (int c = 0; c < 4; c++)
        if (gw_erase_add(e, PQgetvalue(r, 0, c)) != 0)
            return -1;
    return 0;
}

/* Every object of the interview: both prefixes listed, then each key
 * deleted. Returns S3_OK or the failure's S3 code with err filled. */
static int gw_erase_objects(gw_app *app, gw_erase *e, char *err, size_t errlen)
{
    int rc = S3_ERR_TRANSIENT;
    s3_client *s3 = s3_client_new(&app->s3p, err, errlen);
    const char *prefixes[] = {e->raw, e->media};
    if (!s3)
        goto out;
    for (int i = 0; i < 2; i++) {
        rc = s3_list_keys(s3, prefixes[i], gw_erase_on_key, e, err, errlen);
        if (rc == S3_NOT_FOUND) /* no bucket: nothing of it is stored */
            rc = S3_OK;
        if (rc != S3_OK)
            goto out;
    }
    /* Last listed first: a store kept as files and folders (S3Proxy) lists a folder
     * as "<dir>/" before the keys below it, and removes it once it is empty. */
    for (size_t i = e->n; i-- > 0;) {
        rc = s3_delete(s3, e->keys[i], err, errlen);
        if (rc == S3_NOT_FOUND)
            rc = S3_OK;
        if (rc != S3_OK)
            goto out;
    }
out:
    s3_client_free(s3);
    return rc;
}

/* Erases one interview of user_id: its objects, then its rows. 0 done,
 * 1 no such interview, -1 database failure, -2 storage failure (nothing was
 * removed from the records: the erase can be asked again); err filled. */
static int gw_erase_interview(gw_app *app, const char *user_id, const char *id, char *err, size_t errlen)
{
    int rc = -1;
    PGresult *r = NULL;
    gw_erase e;
    memset(&e, 0, sizeof(e));
    const char *p[] = {id, user_id};
    if (gw_db_query(app, "SELECT raw_key, video_key, audio_key, poster_key FROM interviews "
                         "WHERE id = $1 AND user_id = $2", 2, p, &r, err, errlen) != 0)
        goto out;
    if (PQntuples(r) == 0) {
        rc = 1;
        goto out;
    }
    /* The id is a validated, lower-case UUID, so the prefixes hold no "/" or "..". */
    snprintf(e.raw, sizeof(e.raw), "raw/%s/", id);
    snprintf(e.media, sizeof(e.media), "media/%s/", id);
    if (gw_erase_known(&e, r, id) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (gw_erase_objects(app, &e, err, errlen) != S3_OK) {
        rc = -2;
        goto out;
    }
    /* Rows go after the objects: a failure above leaves the interview to delete again. */
    if (gw_db_query(app, "WITH d AS (DELETE FROM interviews WHERE id = $1 AND user_id = $2 RETURNING id) "
                         "INSERT INTO erased_interviews (id) SELECT id FROM d ON CONFLICT (id) DO UPDATE "
                         "SET erased_at = now()", 2, p, NULL, err, errlen) != 0)
        goto out;
    log_set_context(NULL, id);
    if (e.skipped)
        gw_log(ISIM_LOG_WARN, "erase: %zu listed or stored keys with \"..\" or outside the prefixes were not deleted",
               e.skipped);
    gw_log(ISIM_LOG_INFO, "interview deleted: %zu objects found by listing %s and %s, %zu keys deleted "
           "with the stages' names and the row's keys", e.listed, e.raw, e.media, e.n);
    log_set_context(NULL, NULL);
    rc = 0;
out:
    gw_erase_free(&e);
    PQclear(r);
    return rc;
}

void gw_interview_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    int rc = gw_erase_interview(app, u->id, id, err, sizeof(err));
    if (rc == 1) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
    } else if (rc == -2) {
        gw_log(ISIM_LOG_ERROR, "erase %s: %s", id, err);
        gw_send_error(conn, 503, "storage_unavailable",
                      "The recording could not be deleted right now; nothing was removed from the records. Try again.");
    } else if (rc != 0) {
        gw_db_unavailable(conn, err);
    } else {
        gw_send_bytes(conn, 204, "application/json", "", 0, NULL);
    }
}

/* Erases every interview sql returns (columns: id, user_id), one at a time:
 * 0 with *erased counted, or gw_erase_interview's failure (what was erased
 * before it stays erased). */
static int gw_erase_listed(gw_app *app, const char *sql, int n, const char *const *params, int *erased, char *err,
                           size_t errlen)
{
    int rc = -1;
    PGresult *r = NULL;
    *erased = 0;
    if (gw_db_query(app, sql, n, params, &r, err, errlen) != 0)
        goto out;
    for (int i = 0; i < PQntuples(r); i++) {
        int one = gw_erase_interview(app, PQgetvalue(r, i, 1), PQgetvalue(r, i, 0), err, errlen);
        if (one < 0) {
            rc = one;
            goto out;
        }
        *erased += one == 0;
    }
    rc = 0;
out:
    PQclear(r);
    return rc;
}

int gw_erase_user(gw_app *app, const char *user_id, int *erased, char *err, size_t errlen)
{
    const char *p[] = {user_id};
    int rc = gw_erase_listed(app, "SELECT id, user_id FROM interviews WHERE user_id = $1", 1, p, erased, err, errlen);
    if (rc != 0)
        return rc;
    /* Keys, sessions, webhooks and invitations go with the row (ON DELETE CASCADE). */
    if (gw_db_query(app, "DELETE FROM users WHERE id = $1", 1, p, NULL, err, errlen) != 0)
        return -1;
    gw_auth_cache_drop_user(app->auth_cache, user_id);
    gw_log(ISIM_LOG_INFO, "user %s deleted with %d interview(s)", user_id, *erased);
    return 0;
}

int gw_erase_older_than(gw_app *app, int days, int limit, int *erased, char *err, size_t errlen)
{
    char d[16], l[16];
    snprintf(d, sizeof(d), "%d", days);
    snprintf(l, sizeof(l), "%d", limit);
    const char *p[] = {d, l};
    return gw_erase_listed(app, "SELECT id, user_id FROM interviews "
                                "WHERE created_at < now() - make_interval(days => $1::int) "
                                "ORDER BY created_at LIMIT $2::int", 2, p, erased, err, errlen) == 0 ? 0 : -1;
}

/* Answers an account erase: 200 with the number of interviews erased. */
static void gw_erase_user_send(struct mg_connection *conn, gw_app *app, const char *user_id)
{
    char err[512];
    int erased = 0;
    int rc = gw_erase_user(app, user_id, &erased, err, sizeof(err));
    if (rc == -2) {
        gw_log(ISIM_LOG_ERROR, "erase user %s: %s", user_id, err);
        gw_send_error(conn, 503, "storage_unavailable",
                      "The recordings could not all be deleted right now; the account stays. Try again.");
    } else if (rc != 0) {
        gw_db_unavailable(conn, err);
    } else {
        gw_send_json(conn, 200, json_pack("{s:b, s:i}", "deleted", 1, "interviews_deleted", erased));
    }
}

/* DELETE /v1/users/{id} (admin): the user and everything of theirs. */
void gw_user_delete(struct mg_connection *conn, gw_app *app, const gw_user *admin, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    const char *p[] = {id};
    if (strcmp(id, admin->id) == 0) {
        gw_send_error(conn, 422, "cannot_delete_self", "Delete your own account with DELETE /v1/me.");
        goto out;
    }
    if (gw_db_query(app, "SELECT 1 FROM users WHERE id = $1", 1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No user has this id.");
        goto out;
    }
    gw_log(ISIM_LOG_INFO, "user %s being deleted by %s", id, admin->id);
    gw_erase_user_send(conn, app, id);
out:
    PQclear(r);
}

/* DELETE /v1/me {"confirm": "delete my account"}: one's own account, with
 * every recording and report. The phrase guards against a stray request. */
void gw_me_delete(struct mg_connection *conn, gw_app *app, const gw_user *u)
{
    static const char *const allowed[] = {"confirm", NULL};
    json_t *body = gw_read_json(conn);
    if (!body || gw_json_only(conn, body, allowed) != 0)
        goto out;
    const char *c = json_string_value(json_object_get(body, "confirm"));
    if (!c || strcmp(c, "delete my account") != 0) {
        gw_send_error(conn, 422, "confirmation_required",
                      "To delete your account and all your recordings, send {\"confirm\": \"delete my account\"}.");
        goto out;
    }
    gw_erase_user_send(conn, app, u->id);
out:
    json_decref(body);
}

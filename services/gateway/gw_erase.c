/* DELETE /v1/interviews/{id}: the candidate's right to erase. Every object
 * under raw/<id>/ and media/<id>/ is listed and deleted, then the rows go; a
 * storage failure removes nothing from the records, so the erase can be
 * asked again. */
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

void gw_interview_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    char err[512];
    PGresult *r = NULL;
    gw_erase e;
    memset(&e, 0, sizeof(e));
    const char *p[] = {id, u->id};
    if (gw_db_query(app, "SELECT raw_key, video_key, audio_key, poster_key FROM interviews "
                         "WHERE id = $1 AND user_id = $2", 2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    /* The id is a validated UUID, so the prefixes hold no "/" or "..". */
    snprintf(e.raw, sizeof(e.raw), "raw/%s/", id);
    snprintf(e.media, sizeof(e.media), "media/%s/", id);
    if (gw_erase_known(&e, r, id) != 0) {
        gw_send_error(conn, 500, "internal", "out of memory");
        goto out;
    }
    int rc = gw_erase_objects(app, &e, err, sizeof(err));
    if (rc != S3_OK) {
        gw_log(ISIM_LOG_ERROR, "erase %s: %s", id, err);
        gw_send_error(conn, 503, "storage_unavailable",
                      "The recording could not be deleted right now; nothing was removed from the records. Try again.");
        goto out;
    }
    /* Rows go after the objects: a failure above leaves the interview to delete again. */
    if (gw_db_query(app, "DELETE FROM interviews WHERE id = $1 AND user_id = $2", 2, p, NULL, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    log_set_context(NULL, id);
    if (e.skipped)
        gw_log(ISIM_LOG_WARN, "erase: %zu listed or stored keys with \"..\" or outside the prefixes were not deleted",
               e.skipped);
    gw_log(ISIM_LOG_INFO, "interview deleted: %zu objects found by listing %s and %s, %zu keys deleted "
           "with the stages' names and the row's keys", e.listed, e.raw, e.media, e.n);
    gw_send_bytes(conn, 204, "application/json", "", 0, NULL);
out:
    gw_erase_free(&e);
    PQclear(r);
}

/* PUT /v1/interviews/{id}/recording: for clients that cannot reach S3. The
 * body is spooled to a temporary file in bounded chunks (never held in
 * memory), stored with s3_put_file, then processing starts as with
 * POST .../uploaded. How many are received at once, and their sizes
 * together, are bounded (ISIM_UPLOADS_AT_ONCE, ISIM_UPLOAD_SPOOL_BYTES): a
 * handful of parallel uploads must not fill the work volume. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw_handlers.h"
#include "gw_http.h"
#include "isim_util.h"

#define GW_UPLOAD_CHUNK 65536

/* 0 spooled, 1 too large, 2 the spool file cannot be written, -1 the
 * connection ended before the body did (the client cancelled or broke off). */
static int gw_spool(struct mg_connection *conn, FILE *f, long long max, long long *total)
{
    char *buf = malloc(GW_UPLOAD_CHUNK);
    int rc = -1, n;
    *total = 0;
    if (!buf)
        return -1;
    while ((n = gw_read_body(conn, buf, GW_UPLOAD_CHUNK)) > 0) {
        *total += n;
        if (*total > max) {
            rc = 1;
            goto out;
        }
        if (fwrite(buf, 1, (size_t)n, f) != (size_t)n) {
            rc = 2;
            goto out;
        }
    }
    rc = n < 0 ? -1 : (fflush(f) == 0 ? 0 : 2);
out:
    free(buf);
    return rc;
}

/* Reserves room for one upload of bytes; 0, or -1 when the gateway is full. */
static int gw_upload_reserve(gw_app *app, long long bytes)
{
    pthread_mutex_lock(&app->upload_lock);
    int ok = app->uploads_active < app->cfg.uploads_at_once &&
             app->upload_bytes + bytes <= app->cfg.upload_spool_bytes;
    if (ok) {
        app->uploads_active++;
        app->upload_bytes += bytes;
    }
    pthread_mutex_unlock(&app->upload_lock);
    return ok ? 0 : -1;
}

static void gw_upload_unreserve(gw_app *app, long long bytes)
{
    pthread_mutex_lock(&app->upload_lock);
    app->uploads_active--;
    app->upload_bytes -= bytes;
    pthread_mutex_unlock(&app->upload_lock);
}

void gw_interview_upload(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id)
{
    long long reserved = -1;
    char err[512], dir[512] = "", path[600] = "", key[128];
    PGresult *r = NULL;
    s3_client *s3 = NULL;
    FILE *f = NULL;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *p[] = {id, u->id};
    if (gw_db_query(app, "SELECT status FROM interviews WHERE id = $1 AND user_id = $2", 2, p, &r, err,
                    sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 404, "not_found", "No interview has this id.");
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 0), "created") != 0) {
        gw_send_error(conn, 409, "already_uploaded", "This interview's recording was already submitted.");
        goto out;
    }
    if (ri->content_length > app->cfg.max_upload_bytes) {
        gw_send_error(conn, 413, "upload_too_large", "The recording is %lld MB; the limit is %lld MB.",
                      ri->content_length >> 20, app->cfg.max_upload_bytes >> 20);
        goto out;
    }
    long long want = ri->content_length >= 0 ? ri->content_length : app->cfg.max_upload_bytes;
    if (gw_upload_reserve(app, want) != 0) {
        gw_send_error_h(conn, 503, "Retry-After: 10\r\n", "busy",
                        "Many recordings are arriving right now; the upload will work again in a moment.");
        goto out;
    }
    reserved = want;
    if (util_tempdir_new(app->cfg.work_dir, dir, sizeof(dir), err, sizeof(err)) != 0) {
        gw_log(ISIM_LOG_ERROR, "upload spool: %s", err);
        gw_send_error(conn, 503, "storage_unavailable", "The upload cannot be stored right now.");
        goto out;
    }
    snprintf(path, sizeof(path), "%s/recording", dir);
    f = fopen(path, "wb");
    long long total = 0;
    int sp = f ? gw_spool(conn, f, app->cfg.max_upload_bytes, &total) : 2;
    if (sp == 1) {
        gw_send_error(conn, 413, "upload_too_large", "The recording is larger than the limit of %lld MB.",
                      app->cfg.max_upload_bytes >> 20);
        goto out;
    }
    if (sp == 2) {
        gw_log(ISIM_LOG_ERROR, "upload spool %s: %s", path, strerror(errno));
        gw_send_error(conn, 503, "storage_unavailable", "The upload cannot be stored right now.");
        goto out;
    }
    if (sp != 0) {
        gw_log(ISIM_LOG_INFO, "upload of interview %s broke off after %lld of %lld bytes", id, total,
               ri->content_length);
        gw_send_error(conn, 400, "upload_interrupted", "The upload did not arrive whole; please send it again.");
        goto out;
    }
    if (total == 0) {
        gw_send_error(conn, 422, "upload_empty", "The uploaded file is empty: please record and upload your answer again.");
        goto out;
    }
    fclose(f);
    f = NULL;
    snprintf(key, sizeof(key), "raw/%s/recording", id);
    const char *type = mg_get_header(conn, "Content-Type");
    s3 = s3_client_new(&app->s3p, err, sizeof(err));
    if (!s3 || s3_put_file(s3, key, path, type && strlen(type) < 128 && !strpbrk(type, "\r\n") ? type
                           : "application/octet-stream", err, sizeof(err)) != S3_OK) {
        gw_log(ISIM_LOG_ERROR, "upload %s: %s", key, err);
        gw_send_error(conn, 503, "storage_unavailable", "The upload cannot be stored right now.");
        goto out;
    }
    /* Stored: the spool file and its reservation go before the answer, so a
     * client that has its answer can upload again at once. */
    unlink(path);
    path[0] = '\0';
    util_tempdir_free(dir);
    dir[0] = '\0';
    gw_upload_unreserve(app, reserved);
    reserved = -1;
    gw_interview_uploaded(conn, app, u, id);
out:
    if (f)
        fclose(f);
    if (path[0])
        unlink(path);
    if (dir[0])
        util_tempdir_free(dir);
    PQclear(r);
    s3_client_free(s3);
    if (reserved >= 0)
        gw_upload_unreserve(app, reserved);
}

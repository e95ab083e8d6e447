#include "stage_io.h"

#include <stdio.h>
#include <string.h>

#include "isim_log.h"

kw_result stage_download(service_ctx *ctx, const char *key, const char *path, long long max_bytes,
                         const char *what, char *err, size_t errlen)
{
    char s3err[512];
    int rc = s3_get_to_file(ctx->s3, key, path, max_bytes, s3err, sizeof(s3err));
    if (rc == S3_OK)
        return KW_OK;
    log_warn("download %s: %s", key, s3err);
    if (rc == S3_NOT_FOUND) {
        snprintf(err, errlen, "The %s could not be found in storage; please upload it again.", what);
        return KW_FAIL;
    }
    if (rc == S3_ERR_TRANSIENT) {
        snprintf(err, errlen, "Storage is unavailable right now: %s", s3err);
        return KW_RETRY;
    }
    snprintf(err, errlen, "The %s could not be read from storage (%s).", what, s3err);
    return KW_FAIL;
}

kw_result stage_upload(service_ctx *ctx, const char *key, const char *path,
                       const char *content_type, char *err, size_t errlen)
{
    char s3err[512];
    int rc = s3_put_file(ctx->s3, key, path, content_type, s3err, sizeof(s3err));
    if (rc == S3_OK)
        return KW_OK;
    log_warn("upload %s: %s", key, s3err);
    snprintf(err, errlen, "Storage is unavailable right now: %s", s3err);
    /* Our own write failing is never the candidate's fault: retry, then dead-letter. */
    return KW_RETRY;
}

const char *stage_media_key(const kw_message *m, const char *field, int *invalid)
{
    *invalid = 0;
    json_t *v = json_object_get(m->body, field);
    if (!v || json_is_null(v))
        return NULL;
    const char *key = json_string_value(v);
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "media/%s/", m->interview_id);
    if (!key || strncmp(key, prefix, strlen(prefix)) != 0 || strstr(key, "..")) {
        *invalid = 1;
        return NULL;
    }
    return key;
}

#include "stage_io.h"

#include <stdio.h>
#include <string.h>

#include "isim_log.h"

kw_result stage_download(service_ctx *ctx, const char *key, const char *path, long long max_bytes,
                         const char *what, char *err, size_t errlen)
{
    return stage_download_if(ctx, key, path, max_bytes, NULL, what, err, errlen);
}

kw_result stage_download_if(service_ctx *ctx, const char *key, const char *path, long long max_bytes,
                            const char *if_match, const char *what, char *err, size_t errlen)
{
    char s3err[512];
    int rc = s3_get_to_file_if(ctx->s3, key, path, max_bytes, if_match, s3err, sizeof(s3err));
    if (rc == S3_OK)
        return KW_OK;
    log_warn("download %s: %s", key, s3err);
    if (rc == S3_CHANGED) {
        snprintf(err, errlen, "The %s was replaced after it was uploaded and checked; please upload it again.", what);
        return KW_FAIL;
    }
    if (rc == S3_NOT_FOUND) {
        snprintf(err, errlen, "The %s could not be found in storage; please upload it again.", what);
        return KW_FAIL;
    }
    if (rc == S3_ERR_NO_SPACE) {
        /* Our work disk, not the recording: retried until space is freed. */
        snprintf(err, errlen, "There was no disk space to fetch the %s; please try again later.", what);
        return KW_RETRY;
    }
    if (rc == S3_ERR_TRANSIENT) {
        /* The candidate reads this if the outage outlasts the retries: plain
         * words; the address and curl's error are in the log line above. */
        snprintf(err, errlen, "Our storage could not be reached for several minutes; please try again later.");
        return KW_RETRY;
    }
    /* Refused (credentials, permissions): the operators' problem, in the
     * log above; the candidate gets no storage details. */
    snprintf(err, errlen, "The %s could not be read from our storage; please try again later.", what);
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
    if (rc == S3_ERR) {
        /* Refused (a size limit, credentials, a missing bucket): trying again
         * for minutes changes nothing. Dead-lettered at once, to be replayed
         * once the operators have put the store right; the log says why. */
        snprintf(err, errlen, "Our storage refused to keep the processed recording; please try again later.");
        return KW_FAIL;
    }
    snprintf(err, errlen, "Our storage could not be reached for several minutes; please try again later.");
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

/* Downloads an optional media key into dir/name; *path stays NULL without a key. */
kw_result stage_fetch_media(service_ctx *ctx, const kw_message *m, const char *field, const char *dir,
                       const char *name, const char *what, char *buf, size_t buflen,
                       const char **path, char *err, size_t errlen)
{
    int invalid;
    const char *key = stage_media_key(m, field, &invalid);
    *path = NULL;
    if (invalid) {
        snprintf(err, errlen, "The %s reference is invalid.", what);
        return KW_FAIL;
    }
    if (!key)
        return KW_OK;
    snprintf(buf, buflen, "%s/%s", dir, name);
    kw_result r = stage_download(ctx, key, buf, 0, what, err, errlen);
    if (r == KW_OK)
        *path = buf;
    return r;
}

/* S3 transfers inside a stage handler, with S3 errors mapped to the worker's
 * retry decision: a missing object fails the interview, an unreachable store
 * is retried. */
#ifndef ISIM_STAGE_IO_H
#define ISIM_STAGE_IO_H

#include "kafka_worker.h"
#include "service_main.h"

/* what: words for the candidate, e.g. "recording" -> "The recording could not be found." */
kw_result stage_download(service_ctx *ctx, const char *key, const char *path, long long max_bytes,
                         const char *what, char *err, size_t errlen);
/* The same, only when the object's ETag is if_match (NULL or "": any); an
 * object written over since fails the stage, saying so. */
kw_result stage_download_if(service_ctx *ctx, const char *key, const char *path, long long max_bytes,
                            const char *if_match, const char *what, char *err, size_t errlen);
kw_result stage_upload(service_ctx *ctx, const char *key, const char *path,
                       const char *content_type, char *err, size_t errlen);
/* A key field of the message, required to be "media/<interview>/...". NULL if absent/null. */
const char *stage_media_key(const kw_message *m, const char *field, int *invalid);

/* Downloads the optional media key named by field into dir/name (buf holds
 * the path); *path stays NULL when the message has no such key. */
kw_result stage_fetch_media(service_ctx *ctx, const kw_message *m, const char *field,
                            const char *dir, const char *name, const char *what, char *buf,
                            size_t buflen, const char **path, char *err, size_t errlen);

#endif

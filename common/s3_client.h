/* S3 client on libcurl with the project's own SigV4 signer (s3_sigv4.h):
 * path-style addressing, so it works with MinIO, S3Proxy and AWS alike. */
#ifndef ISIM_S3_CLIENT_H
#define ISIM_S3_CLIENT_H

#include <stddef.h>

enum { S3_OK = 0, S3_NOT_FOUND = 1, S3_CHANGED = 2, S3_ERR = -1, S3_ERR_TRANSIENT = -2, S3_ERR_NO_SPACE = -3 };

#define S3_ETAG_MAX 128

typedef struct s3_params {
    const char *endpoint;        /* e.g. http://127.0.0.1:29000 */
    const char *public_endpoint; /* endpoint in presigned URLs; NULL = endpoint */
    const char *region;
    const char *bucket;
    const char *access_key;
    const char *secret_key;
    const char *ca_file;         /* PEM CA bundle for an https endpoint; NULL or "" = the system's */
} s3_params;

/* One client per thread: it keeps a libcurl handle. */
typedef struct s3_client s3_client;

s3_client *s3_client_new(const s3_params *p, char *err, size_t errlen);
void s3_client_free(s3_client *c);

/* All return S3_OK, S3_NOT_FOUND (404), S3_ERR (other 4xx, bad input) or
 * S3_ERR_TRANSIENT (connection failure, 5xx: worth retrying), with err filled. */
int s3_create_bucket(s3_client *c, char *err, size_t errlen); /* exists already = S3_OK */
/* s3_create_bucket, retried once a second for up to wait_s seconds while the
 * store cannot be reached (it may be starting) and no stop was signalled. */
int s3_bucket_ensure(const s3_params *p, int wait_s, char *err, size_t errlen);
/* PutBucketCors with a CORSConfiguration document (s3_cors_xml_new). A store
 * that has no bucket CORS (S3Proxy, MinIO: set in their own configuration)
 * fails with "NotImplemented" in code_out. */
int s3_put_bucket_cors(s3_client *c, const char *xml, char *code_out, size_t code_len, char *err,
                       size_t errlen);
/* A CORSConfiguration letting pages of the comma-separated origins ("*" for
 * any) GET, HEAD and PUT by presigned URL; malloc'd, or NULL with err when an
 * origin is not scheme://host[:port]. */
char *s3_cors_xml_new(const char *origins_csv, char *err, size_t errlen);
int s3_put_file(s3_client *c, const char *key, const char *path, const char *content_type,
                char *err, size_t errlen);
int s3_put_buffer(s3_client *c, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen);
/* Streams to path; fails with S3_ERR when the object exceeds max_bytes (0 = no limit),
 * S3_ERR_NO_SPACE when the local disk has no room for it (ENOSPC, EDQUOT). */
int s3_get_to_file(s3_client *c, const char *key, const char *path, long long max_bytes,
                   char *err, size_t errlen);
/* The same, only when the object's ETag is if_match (NULL or "": any):
 * another object (written over since) fails with S3_CHANGED. */
int s3_get_to_file_if(s3_client *c, const char *key, const char *path, long long max_bytes, const char *if_match,
                      char *err, size_t errlen);
/* etag_out (S3_ETAG_MAX bytes, may be NULL): the object's ETag, quoted as sent. */
int s3_head(s3_client *c, const char *key, long long *size_out, char *etag_out, char *err, size_t errlen);
int s3_delete(s3_client *c, const char *key, char *err, size_t errlen);

/* Listing (ListObjectsV2). fn gets each key found; it returns 0 to go on,
 * anything else to stop the listing, which then fails with S3_ERR. */
typedef int (*s3_key_fn)(const char *key, void *ud);

/* Largest ListObjectsV2 answer (one page of up to 1000 keys) buffered. */
#define S3_LIST_PAGE_MAX (4L << 20)

/* Calls fn with every key that starts with prefix ("" = the whole bucket),
 * page after page (IsTruncated / NextContinuationToken). S3_NOT_FOUND: the
 * bucket does not exist. On failure fn may already have seen the keys of the
 * pages before. */
int s3_list_keys(s3_client *c, const char *prefix, s3_key_fn fn, void *ud, char *err,
                 size_t errlen);

/* The parsing half of s3_list_keys (s3_list.c; no network): reads one
 * ListObjectsV2 answer of len bytes (no NUL needed), calls fn with the
 * entity-decoded <Key> of each <Contents>, in document order, and sets
 * *truncated and *next_token (malloc'd NextContinuationToken when truncated,
 * else NULL). Returns S3_OK, or S3_ERR with err filled when the document is
 * not a complete ListBucketResult, an element or entity is malformed, or fn
 * stopped it; nothing is left to free then. */
int s3_list_parse(const char *xml, size_t len, s3_key_fn fn, void *ud, int *truncated,
                  char **next_token, char *err, size_t errlen);

/* Decodes XML character data of len bytes: &amp; &lt; &gt; &quot; &apos;,
 * &#NN; and &#xNN; (as UTF-8; not 0, surrogates or beyond U+10FFFF). A raw
 * '<', a NUL or any other '&' is an error. *out: malloc'd, NUL-terminated.
 * Returns S3_OK or S3_ERR with err filled (*out NULL). */
int s3_xml_unescape(const char *s, size_t len, char **out, char *err, size_t errlen);
/* The first <tag>text</tag> in [s, end) of an S3 answer: 1 with *text and *n
 * set (the raw text, entities not decoded), 0 when there is none, -1 when
 * the tag opens and never closes. */
int s3_xml_element(const char *s, const char *end, const char *tag, const char **text, size_t *n);

/* Presigned URLs for the public endpoint; malloc'd, NULL with err on failure. */
char *s3_presign_get(s3_client *c, const char *key, int expires_s, char *err, size_t errlen);
/* An upload URL bound to exactly size bytes (Content-Length is signed). */
char *s3_presign_put(s3_client *c, const char *key, long long size, int expires_s, char *err, size_t errlen);

#endif

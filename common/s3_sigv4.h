/* AWS Signature Version 4 on OpenSSL (HMAC-SHA256, SHA-256), for both
 * header-signed requests and presigned URLs (query-string authentication).
 *
 * libcurl 7.88's built-in SigV4 cannot presign and gets path and query
 * canonicalisation wrong in places, so the project signs by itself.
 *
 * Canonicalisation follows S3's rules:
 * - the path is given decoded and is URI-encoded once (RFC 3986 unreserved
 *   characters A-Z a-z 0-9 - . _ ~ stay, '/' stays, every other byte becomes
 *   %XX); it is not normalised ("//", "." and ".." stay as they are);
 * - query names and values are given decoded, encoded the same way ('/'
 *   encoded too) and sorted by encoded name, then encoded value;
 * - header names are lowercased, values trimmed with inner runs of spaces and
 *   tabs collapsed to one space; repeated names are joined with ',' in the
 *   order given; signed headers are sorted by name.
 *
 * The signing time is a parameter, so results are deterministic. Nothing here
 * keeps state: every function is thread-safe. */
#ifndef ISIM_S3_SIGV4_H
#define ISIM_S3_SIGV4_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define S3_SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define S3_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* SHA-256 of the empty string. */
#define S3_SIGV4_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* Longest X-Amz-Expires SigV4 allows (7 days). */
#define S3_SIGV4_MAX_EXPIRES 604800

typedef struct s3_sigv4_creds {
    const char *access_key;
    const char *secret_key;
    const char *region;  /* e.g. "us-east-1" */
    const char *service; /* "s3" */
} s3_sigv4_creds;

/* A query parameter or a header. For query parameters, value NULL means "". */
typedef struct s3_sigv4_pair {
    const char *name;
    const char *value;
} s3_sigv4_pair;

typedef struct s3_sigv4_request {
    const char *method; /* "GET", "PUT", ... */
    /* The Host header exactly as the client sends it: "host", or "host:port"
     * when the port is not the scheme's default. Always signed. */
    const char *host;
    const char *path;   /* decoded, starting with '/'; NULL or "" = "/" */
    const s3_sigv4_pair *query;
    size_t n_query;
    /* Further headers to sign, in any case and order. Must not repeat host,
     * x-amz-date or x-amz-content-sha256, which the signer adds itself. */
    const s3_sigv4_pair *headers;
    size_t n_headers;
    /* Hex SHA-256 of the body, S3_SIGV4_UNSIGNED_PAYLOAD, or NULL for an
     * empty body. Ignored by presigning (always UNSIGNED-PAYLOAD). */
    const char *payload_hash;
    /* Non-zero: add and sign x-amz-content-sha256 (S3 requires it on every
     * header-signed request; the generic SigV4 test suite does not use it). */
    int sign_content_sha256;
} s3_sigv4_request;

/* Result of s3_sigv4_sign_request. The caller sends the headers
 * "Authorization: <authorization>", "x-amz-date: <amz_date>" and, when
 * sign_content_sha256 was set, "x-amz-content-sha256: <payload_hash>",
 * plus host and every header of the request, with the same values. */
typedef struct s3_sigv4_signed {
    char amz_date[17];       /* YYYYMMDDTHHMMSSZ */
    char payload_hash[65];   /* the hash that was signed */
    char signature[65];      /* lowercase hex */
    char *authorization;     /* malloc'd */
    char *canonical_request; /* malloc'd; shown to debug a SignatureDoesNotMatch */
    char *string_to_sign;    /* malloc'd */
} s3_sigv4_signed;

/* Signs a request for the Authorization header. Returns 0, or -1 with err
 * filled (bad input, out of memory, OpenSSL failure); on -1 *out holds
 * nothing to free. */
int s3_sigv4_sign_request(const s3_sigv4_creds *creds, const s3_sigv4_request *req, time_t now,
                          s3_sigv4_signed *out, char *err, size_t errlen);
void s3_sigv4_signed_free(s3_sigv4_signed *s);

/* A presigned URL "<scheme>://<host><encoded path>?<canonical query>&X-Amz-Signature=..."
 * valid for expires_s seconds (1..S3_SIGV4_MAX_EXPIRES) from now. The request's
 * query parameters are signed and included; its headers (if any) are signed
 * and listed in X-Amz-SignedHeaders, so the user of the URL must send them.
 * Returns a malloc'd URL, or NULL with err filled. */
char *s3_sigv4_presign_url(const s3_sigv4_creds *creds, const s3_sigv4_request *req,
                           const char *scheme, int expires_s, time_t now, char *err,
                           size_t errlen);

/* URI-encodes s (S3 rules above); keep_slash: leave '/' as is (paths).
 * Returns a malloc'd string, NULL when out of memory. */
char *s3_sigv4_uri_encode(const char *s, int keep_slash);

/* The x-amz-date form of t (UTC): YYYYMMDDTHHMMSSZ. Returns 0, -1 if t is
 * out of range. */
int s3_sigv4_amz_date(time_t t, char out[17]);

/* Lowercase hex SHA-256 of a buffer. Returns 0, -1 on OpenSSL failure. */
int s3_sigv4_sha256_hex(const void *data, size_t len, char out[65]);

/* Lowercase hex SHA-256 of f from its current position to EOF, read in
 * chunks (constant memory); *size_out (may be NULL) gets the bytes read.
 * Leaves f at EOF. Returns 0, -1 with err filled on read or OpenSSL error. */
int s3_sigv4_sha256_file(FILE *f, char out[65], long long *size_out, char *err, size_t errlen);

#endif

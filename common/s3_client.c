/* S3 client on libcurl's easy interface with the project's SigV4 signer.
 *
 * Path-style addressing: <endpoint>/<bucket>/<key>. Every request is
 * header-signed with x-amz-content-sha256 (S3Proxy answers 500 without it).
 *
 * Payload hash: uploads sign the real SHA-256 of the body, computed by
 * reading the file once in 64 KiB chunks before sending it. That costs one
 * extra sequential read of a local file, but the server then verifies the
 * bytes it stored (a truncated or altered upload fails with
 * XAmzContentSHA256Mismatch instead of being stored), and it works over
 * plain http everywhere, where UNSIGNED-PAYLOAD would leave the body
 * unprotected.
 *
 * Thread safety: an s3_client keeps one CURL handle (reused, so connections
 * are kept alive) and is NOT thread-safe: use one client per thread. Clients
 * in different threads are independent.
 *
 * Timeouts: connect 5 s; a transfer slower than 1 KiB/s for 30 s is
 * aborted (a low-speed limit, not a whole-transfer timeout, so large media
 * files are never cut off while they make progress). */
#include "s3_client.h"

#include "isim_util.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "s3_sigv4.h"

#define CONNECT_TIMEOUT_S 5L
#define LOW_SPEED_LIMIT_BPS 1024L
#define LOW_SPEED_TIME_S 30L
#define ERRBODY_MAX 8192
#define MAX_KEY_LEN 1024
#define LIST_MAX_PAGES 10000 /* of up to 1000 keys: a bound, not an expected size */

struct s3_client {
    /* in-cluster endpoint, split: scheme, Host header form (default port
     * dropped) and an optional path prefix without trailing '/' */
    char *scheme, *host, *base;
    /* public endpoint, for presigned URLs */
    char *pub_scheme, *pub_host, *pub_base;
    char *region, *bucket, *access_key, *secret_key;
    char *ca_file; /* NULL: the system's CAs */
    CURL *curl;
};


static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;
static void curl_init_once(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

/* "http://host:port/prefix/" -> "http", "host:port", "/prefix". */
static int parse_endpoint(const char *what, const char *ep, char **scheme, char **host,
                          char **base, char *err, size_t errlen)
{
    int rc = -1;
    *scheme = *host = *base = NULL;
    const char *sep = ep ? strstr(ep, "://") : NULL;
    if (!sep) {
        util_errf(err, errlen, "S3 %s \"%s\" is not a URL like http://host:port", what,
                ep ? ep : "(null)");
        goto out;
    }
    *scheme = strndup(ep, (size_t)(sep - ep));
    if (!*scheme)
        goto oom;
    for (char *p = *scheme; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    if (strcmp(*scheme, "http") && strcmp(*scheme, "https")) {
        util_errf(err, errlen, "S3 %s \"%s\": scheme must be http or https", what, ep);
        goto out;
    }
    const char *h = sep + 3;
    size_t hl = strcspn(h, "/");
    if (hl == 0 || strcspn(h, "?#@ ") < strlen(h)) {
        util_errf(err, errlen, "S3 %s \"%s\": expected http(s)://host[:port][/prefix]", what, ep);
        goto out;
    }
    /* a client sends no default port in Host, so the signature must not either */
    const char *defport = strcmp(*scheme, "http") ? ":443" : ":80";
    size_t dl = strlen(defport);
    if (hl > dl && !strncmp(h + hl - dl, defport, dl))
        hl -= dl;
    *host = strndup(h, hl);
    const char *b = strchr(h, '/');
    size_t bl = b ? strlen(b) : 0;
    while (bl > 0 && b[bl - 1] == '/')
        bl--;
    *base = strndup(b ? b : "", bl);
    if (!*host || !*base)
        goto oom;
    rc = 0;
    goto out;
oom:
    util_errf(err, errlen, "S3 %s: out of memory", what);
out:
    if (rc) {
        free(*scheme);
        free(*host);
        free(*base);
        *scheme = *host = *base = NULL;
    }
    return rc;
}

void s3_client_free(s3_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    free(c->scheme);
    free(c->host);
    free(c->base);
    free(c->pub_scheme);
    free(c->pub_host);
    free(c->pub_base);
    free(c->region);
    free(c->bucket);
    free(c->access_key);
    free(c->secret_key);
    free(c->ca_file);
    free(c);
}

s3_client *s3_client_new(const s3_params *p, char *err, size_t errlen)
{
    s3_client *c = NULL, *res = NULL;
    if (!p || !p->bucket || !p->bucket[0] || strchr(p->bucket, '/')) {
        util_errf(err, errlen, "S3: a bucket name without '/' is required");
        goto out;
    }
    if (!p->access_key || !p->access_key[0] || !p->secret_key || !p->secret_key[0]) {
        util_errf(err, errlen, "S3: an access key and a secret key are required (ISIM_S3_ACCESS_KEY, ISIM_S3_SECRET_KEY)");
        goto out;
    }
    pthread_once(&curl_once, curl_init_once);
    if (curl_init_rc != CURLE_OK) {
        util_errf(err, errlen, "S3: curl_global_init failed: %s", curl_easy_strerror(curl_init_rc));
        goto out;
    }
    c = calloc(1, sizeof *c);
    if (!c) {
        util_errf(err, errlen, "S3: out of memory");
        goto out;
    }
    if (parse_endpoint("endpoint", p->endpoint, &c->scheme, &c->host, &c->base, err, errlen))
        goto out;
    const char *pub = p->public_endpoint && p->public_endpoint[0] ? p->public_endpoint
                                                                  : p->endpoint;
    if (parse_endpoint("public endpoint", pub, &c->pub_scheme, &c->pub_host, &c->pub_base, err,
                       errlen))
        goto out;
    c->region = xstrdup(p->region && p->region[0] ? p->region : "us-east-1");
    c->bucket = xstrdup(p->bucket);
    c->access_key = xstrdup(p->access_key);
    c->secret_key = xstrdup(p->secret_key);
    if (p->ca_file && p->ca_file[0]) {
        if (access(p->ca_file, R_OK) != 0) {
            util_errf(err, errlen, "S3: CA file %s: %s", p->ca_file, strerror(errno));
            goto out;
        }
        c->ca_file = xstrdup(p->ca_file);
        if (!c->ca_file) {
            util_errf(err, errlen, "S3: out of memory");
            goto out;
        }
    }
    c->curl = curl_easy_init();
    if (!c->region || !c->bucket || !c->access_key || !c->secret_key || !c->curl) {
        util_errf(err, errlen, "S3: out of memory (client or curl handle)");
        goto out;
    }
    res = c;
    c = NULL;
out:
    s3_client_free(c);
    return res;
}

/* ---- one request -------------------------------------------------------- */

typedef struct s3_op {
    const char *name;   /* for messages: "PUT object" */
    const char *method; /* GET, HEAD, PUT, DELETE */
    const char *key;    /* NULL: the bucket itself */
    const s3_sigv4_pair *query; /* decoded; signed and sent in this order */
    size_t n_query;
    const char *content_type;
    const char *content_md5;  /* base64; some operations (PutBucketCors) require it */
    const char *if_match;     /* an ETag: the store answers 412 when the object is another */
    const char *payload_hash; /* NULL: empty body */
    int upload;               /* send a body (from in or buf) */
    FILE *in;
    const char *in_path; /* for messages */
    const char *buf;
    size_t buf_len;
    FILE *out; /* 2xx body goes here (GET) */
    const char *out_path;
    long long max_bytes; /* 0 = no limit */
} s3_op;

typedef struct s3_xfer {
    CURL *curl;
    const s3_op *op;
    size_t buf_pos;
    long long received;
    int checked_length, too_big, write_errno, read_errno;
    char errbody[ERRBODY_MAX + 1];
    size_t errbody_len;
    char etag[S3_ETAG_MAX]; /* the answer's ETag header, "" when none */
} s3_xfer;

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    s3_xfer *x = ud;
    size_t len = size * nmemb;
    long status = 0;
    curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && x->op->out) {
        if (x->op->max_bytes > 0 && !x->checked_length) {
            curl_off_t cl = -1;
            x->checked_length = 1;
            if (curl_easy_getinfo(x->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK &&
                cl > (curl_off_t)x->op->max_bytes) {
                x->too_big = 1;
                return 0;
            }
        }
        if (x->op->max_bytes > 0 && x->received + (long long)len > x->op->max_bytes) {
            x->too_big = 1;
            return 0;
        }
        if (fwrite(data, 1, len, x->op->out) != len) {
            x->write_errno = errno ? errno : EIO;
            return 0;
        }
        x->received += (long long)len;
        return len;
    }
    size_t room = ERRBODY_MAX - x->errbody_len;
    size_t n = len < room ? len : room;
    memcpy(x->errbody + x->errbody_len, data, n);
    x->errbody_len += n;
    x->errbody[x->errbody_len] = '\0';
    return len;
}

/* Keeps the ETag header of the answer (names are case-insensitive). */
static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    s3_xfer *x = ud;
    size_t n = size * nmemb;
    if (n > 5 && strncasecmp(data, "etag:", 5) == 0) {
        size_t a = 5, b = n;
        while (a < b && (data[a] == ' ' || data[a] == '\t'))
            a++;
        while (b > a && (data[b - 1] == '\r' || data[b - 1] == '\n' || data[b - 1] == ' '))
            b--;
        if (b - a < sizeof(x->etag)) {
            memcpy(x->etag, data + a, b - a);
            x->etag[b - a] = '\0';
        }
    }
    return n;
}

static size_t on_read(char *data, size_t size, size_t nmemb, void *ud)
{
    s3_xfer *x = ud;
    size_t want = size * nmemb;
    if (x->op->in) {
        size_t n = fread(data, 1, want, x->op->in);
        if (n < want && ferror(x->op->in)) {
            x->read_errno = errno ? errno : EIO;
            return CURL_READFUNC_ABORT;
        }
        return n;
    }
    size_t left = x->op->buf_len - x->buf_pos;
    if (want > left)
        want = left;
    if (want)
        memcpy(data, x->op->buf + x->buf_pos, want);
    x->buf_pos += want;
    return want;
}

/* curl rewinds the body when it must resend it (e.g. on a new connection). */
static int on_seek(void *ud, curl_off_t offset, int origin)
{
    s3_xfer *x = ud;
    if (origin != SEEK_SET || offset < 0)
        return CURL_SEEKFUNC_CANTSEEK;
    if (x->op->in)
        return fseeko(x->op->in, (off_t)offset, SEEK_SET) ? CURL_SEEKFUNC_FAIL : CURL_SEEKFUNC_OK;
    if ((size_t)offset > x->op->buf_len)
        return CURL_SEEKFUNC_FAIL;
    x->buf_pos = (size_t)offset;
    return CURL_SEEKFUNC_OK;
}

/* Text between <tag> and </tag> in an S3 error body, "" if none. */
static void xml_field(const char *body, const char *tag, char *out, size_t outlen)
{
    const char *text;
    size_t n;
    out[0] = '\0';
    if (s3_xml_element(body, body + strlen(body), tag, &text, &n) != 1)
        return;
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static int curl_is_transient(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_AGAIN:
        return 1;
    default:
        return 0;
    }
}

/* A local file that could not be written: no room (which may pass) or another error. */
static int local_write_code(int e)
{
    return e == ENOSPC || e == EDQUOT ? S3_ERR_NO_SPACE : S3_ERR;
}

/* 404 not found; 5xx, 408 and 429 worth retrying; any other status an error. */
static int status_class(long status)
{
    if (status == 404)
        return S3_NOT_FOUND;
    if (status >= 500 || status == 408 || status == 429)
        return S3_ERR_TRANSIENT;
    return S3_ERR;
}

static int check_key(const char *what, const char *key, char *err, size_t errlen)
{
    if (!key || !key[0]) {
        util_errf(err, errlen, "%s: empty object key", what);
        return -1;
    }
    if (strlen(key) > MAX_KEY_LEN) {
        util_errf(err, errlen, "%s: object key longer than %d bytes", what, MAX_KEY_LEN);
        return -1;
    }
    return 0;
}

/* "<base>/<bucket>[/<key>]", decoded, malloc'd. */
static char *object_path(const char *base, const char *bucket, const char *key)
{
    char *p = NULL;
    if (asprintf(&p, "%s/%s%s%s", base, bucket, key ? "/" : "", key ? key : "") < 0)
        return NULL;
    return p;
}

static struct curl_slist *add_header(struct curl_slist *l, int *oom, const char *name,
                                     const char *value)
{
    char *line = NULL;
    if (*oom)
        return l;
    if (asprintf(&line, "%s: %s", name, value) < 0) {
        *oom = 1;
        return l;
    }
    struct curl_slist *n = curl_slist_append(l, line);
    free(line);
    if (!n) {
        *oom = 1;
        return l;
    }
    return n;
}

/* "?n1=v1&n2=v2" of decoded parameters, each URI-encoded as the signer
 * encodes them ("" without any), malloc'd; NULL when out of memory. */
static char *url_query(const s3_sigv4_pair *q, size_t n)
{
    char *res = NULL, *name = NULL, *value = NULL, *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        goto out;
    for (size_t i = 0; i < n; i++) {
        name = s3_sigv4_uri_encode(q[i].name, 0);
        value = s3_sigv4_uri_encode(q[i].value ? q[i].value : "", 0);
        if (!name || !value || fprintf(f, "%c%s=%s", i ? '&' : '?', name, value) < 0)
            goto out;
        free(name);
        free(value);
        name = value = NULL;
    }
    if (fclose(f) != 0) {
        f = NULL;
        goto out;
    }
    f = NULL;
    res = buf;
    buf = NULL;
out:
    if (f)
        fclose(f);
    free(buf);
    free(name);
    free(value);
    return res;
}

/* Signs and sends one request. Returns S3_OK on a 2xx answer; otherwise the
 * class of failure with err filled. *status_out gets the HTTP status (0 when
 * none arrived), code_out (may be NULL) the S3 error Code. */
static int perform(s3_client *c, const s3_op *op, s3_xfer *x, long *status_out, char *code_out,
                   size_t code_len, char *err, size_t errlen)
{
    int rc = S3_ERR, oom = 0;
    char *path = NULL, *path_enc = NULL, *query = NULL, *url = NULL, *target = NULL;
    struct curl_slist *hdrs = NULL;
    s3_sigv4_signed sig;
    char curl_err[CURL_ERROR_SIZE] = "";
    long status = 0;
    memset(&sig, 0, sizeof sig);
    memset(x, 0, sizeof *x);
    x->curl = c->curl;
    x->op = op;
    if (status_out)
        *status_out = 0;
    if (code_out && code_len)
        code_out[0] = '\0';

    if (asprintf(&target, "%s%s%s", c->bucket, op->key ? "/" : "", op->key ? op->key : "") < 0) {
        target = NULL;
        util_errf(err, errlen, "%s: out of memory", op->name);
        goto out;
    }
    path = object_path(c->base, c->bucket, op->key);
    path_enc = path ? s3_sigv4_uri_encode(path, 1) : NULL;
    query = url_query(op->query, op->n_query);
    if (!path_enc || !query ||
        asprintf(&url, "%s://%s%s%s", c->scheme, c->host, path_enc, query) < 0) {
        url = NULL;
        util_errf(err, errlen, "%s %s: out of memory", op->name, target);
        goto out;
    }

    s3_sigv4_creds creds = {c->access_key, c->secret_key, c->region, "s3"};
    s3_sigv4_pair ct[1] = {{"Content-Type", op->content_type}};
    s3_sigv4_request req = {.method = op->method,
                            .host = c->host,
                            .path = path,
                            .query = op->query,
                            .n_query = op->n_query,
                            .headers = ct,
                            .n_headers = op->content_type ? 1 : 0,
                            .payload_hash = op->payload_hash,
                            .sign_content_sha256 = 1};
    char serr[256];
    if (s3_sigv4_sign_request(&creds, &req, time(NULL), &sig, serr, sizeof serr)) {
        util_errf(err, errlen, "%s %s: %s", op->name, target, serr);
        goto out;
    }
    hdrs = add_header(hdrs, &oom, "Host", c->host);
    hdrs = add_header(hdrs, &oom, "x-amz-date", sig.amz_date);
    hdrs = add_header(hdrs, &oom, "x-amz-content-sha256", sig.payload_hash);
    hdrs = add_header(hdrs, &oom, "Authorization", sig.authorization);
    if (op->content_type)
        hdrs = add_header(hdrs, &oom, "Content-Type", op->content_type);
    if (op->content_md5)
        hdrs = add_header(hdrs, &oom, "Content-MD5", op->content_md5);
    if (op->if_match)
        hdrs = add_header(hdrs, &oom, "If-Match", op->if_match);
    if (oom) {
        util_errf(err, errlen, "%s %s: out of memory", op->name, target);
        goto out;
    }

    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L); /* keys may hold "." and ".." segments */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_LIMIT_BPS);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, LOW_SPEED_TIME_S);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    if (c->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    if (!strcmp(op->method, "HEAD")) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (op->upload) {
        curl_off_t size = op->in ? (curl_off_t)-1 : (curl_off_t)op->buf_len;
        if (op->in) {
            struct stat st;
            if (fstat(fileno(op->in), &st) != 0) {
                util_errf(err, errlen, "%s %s: stat %s: %s", op->name, target,
                        op->in_path ? op->in_path : "input", strerror(errno));
                goto out;
            }
            size = (curl_off_t)st.st_size;
        }
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(h, CURLOPT_READDATA, x);
        curl_easy_setopt(h, CURLOPT_SEEKFUNCTION, on_seek);
        curl_easy_setopt(h, CURLOPT_SEEKDATA, x);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, size);
        if (strcmp(op->method, "PUT"))
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, op->method);
    } else if (strcmp(op->method, "GET")) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, op->method);
    }

    CURLcode crc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status_out)
        *status_out = status;
    /* the handle must not keep pointers to this stack frame */
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);

    if (x->too_big) {
        util_errf(err, errlen, "%s %s: %s is larger than the limit of %lld bytes", op->name,
                target, op->key ? "object" : "answer", op->max_bytes);
        rc = S3_ERR;
        goto out;
    }
    if (x->write_errno) {
        util_errf(err, errlen, "%s %s: writing %s: %s", op->name, target,
                op->out_path ? op->out_path : "output", strerror(x->write_errno));
        rc = local_write_code(x->write_errno);
        goto out;
    }
    if (x->read_errno) {
        util_errf(err, errlen, "%s %s: reading %s: %s", op->name, target,
                op->in_path ? op->in_path : "input", strerror(x->read_errno));
        rc = S3_ERR;
        goto out;
    }
    if (crc == CURLE_OK && status >= 200 && status < 300) {
        rc = S3_OK;
        goto out;
    }
    if (status >= 300) {
        char code[64], msg[256];
        xml_field(x->errbody, "Code", code, sizeof code);
        xml_field(x->errbody, "Message", msg, sizeof msg);
        if (code_out && code_len)
            snprintf(code_out, code_len, "%s", code);
        rc = status_class(status);
        util_errf(err, errlen, "%s %s: HTTP %ld%s%s%s%s%s%s%s", op->name, target, status,
                code[0] ? " " : "", code, msg[0] ? ": " : "", msg,
                crc != CURLE_OK ? " (curl: " : "", crc != CURLE_OK ? curl_easy_strerror(crc) : "",
                crc != CURLE_OK ? ")" : "");
        goto out;
    }
    if (crc != CURLE_OK) {
        rc = curl_is_transient(crc) ? S3_ERR_TRANSIENT : S3_ERR;
        util_errf(err, errlen, "%s %s at %s://%s: %s (curl error %d%s%s)", op->name, target,
                c->scheme, c->host, curl_easy_strerror(crc), (int)crc, curl_err[0] ? ": " : "",
                curl_err);
        goto out;
    }
    /* 1xx or no status at all */
    rc = S3_ERR_TRANSIENT;
    util_errf(err, errlen, "%s %s: unexpected HTTP status %ld", op->name, target, status);
out:
    s3_sigv4_signed_free(&sig);
    curl_slist_free_all(hdrs);
    free(path);
    free(path_enc);
    free(query);
    free(url);
    free(target);
    return rc;
}

/* ---- operations --------------------------------------------------------- */

int s3_create_bucket(s3_client *c, char *err, size_t errlen)
{
    int rc = S3_ERR;
    char *body = NULL;
    char hash[65], code[64];
    long status = 0;
    s3_xfer *x = malloc(sizeof *x);
    if (!x) {
        util_errf(err, errlen, "create bucket: out of memory");
        goto out;
    }
    /* AWS wants the region in the body outside us-east-1; S3Proxy's
     * filesystem backend refuses any such body (400 InvalidLocationConstraint),
     * so that answer is retried once without it. */
    if (strcmp(c->region, "us-east-1")) {
        if (asprintf(&body,
                     "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                     "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>",
                     c->region) < 0) {
            body = NULL;
            util_errf(err, errlen, "create bucket %s: out of memory", c->bucket);
            goto out;
        }
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        const char *b = body && attempt == 0 ? body : "";
        if (s3_sigv4_sha256_hex(b, strlen(b), hash)) {
            util_errf(err, errlen, "create bucket %s: SHA-256 failed", c->bucket);
            rc = S3_ERR;
            goto out;
        }
        s3_op op = {.name = "create bucket", .method = "PUT", .payload_hash = hash, .upload = 1,
                    .buf = b, .buf_len = strlen(b),
                    .content_type = b[0] ? "application/xml" : NULL};
        rc = perform(c, &op, x, &status, code, sizeof code, err, errlen);
        if (rc != S3_OK && status == 409 &&
            (!strcmp(code, "BucketAlreadyOwnedByYou") || !strcmp(code, "BucketAlreadyExists")))
            rc = S3_OK;
        if (!(b[0] && status == 400 && !strcmp(code, "InvalidLocationConstraint")))
            break;
    }
out:
    free(body);
    free(x);
    return rc;
}

int s3_put_bucket_cors(s3_client *c, const char *xml, char *code_out, size_t code_len, char *err,
                       size_t errlen)
{
    int rc = S3_ERR;
    char hash[65], md5_b64[32];
    unsigned char md5[EVP_MAX_MD_SIZE];
    unsigned int md5_len = 0;
    static const s3_sigv4_pair cors_query[] = {{"cors", ""}};
    s3_xfer *x = malloc(sizeof *x);
    if (code_out && code_len)
        code_out[0] = '\0';
    if (!x) {
        util_errf(err, errlen, "put bucket CORS: out of memory");
        goto out;
    }
    size_t len = strlen(xml);
    if (s3_sigv4_sha256_hex(xml, len, hash) || !EVP_Digest(xml, len, md5, &md5_len, EVP_md5(), NULL) ||
        EVP_EncodeBlock((unsigned char *)md5_b64, md5, (int)md5_len) <= 0) {
        util_errf(err, errlen, "put bucket CORS %s: digest failed", c->bucket);
        goto out;
    }
    s3_op op = {.name = "put bucket CORS", .method = "PUT", .query = cors_query, .n_query = 1,
                .payload_hash = hash, .upload = 1, .buf = xml, .buf_len = len,
                .content_type = "application/xml", .content_md5 = md5_b64};
    rc = perform(c, &op, x, NULL, code_out, code_len, err, errlen);
out:
    free(x);
    return rc;
}

int s3_put_buffer(s3_client *c, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen)
{
    int rc = S3_ERR;
    char hash[65];
    s3_xfer *x = NULL;
    if (check_key("PUT object", key, err, errlen))
        goto out;
    if (!data && len) {
        util_errf(err, errlen, "PUT object %s/%s: no data", c->bucket, key);
        goto out;
    }
    x = malloc(sizeof *x);
    if (!x) {
        util_errf(err, errlen, "PUT object %s/%s: out of memory", c->bucket, key);
        goto out;
    }
    if (s3_sigv4_sha256_hex(data, len, hash)) {
        util_errf(err, errlen, "PUT object %s/%s: SHA-256 failed", c->bucket, key);
        goto out;
    }
    s3_op op = {.name = "PUT object", .method = "PUT", .key = key, .content_type = content_type,
                .payload_hash = hash, .upload = 1, .buf = data ? data : "", .buf_len = len};
    rc = perform(c, &op, x, NULL, NULL, 0, err, errlen);
out:
    free(x);
    return rc;
}

int s3_put_file(s3_client *c, const char *key, const char *path, const char *content_type,
                char *err, size_t errlen)
{
    int rc = S3_ERR;
    char hash[65], herr[256];
    FILE *f = NULL;
    s3_xfer *x = NULL;
    struct stat st;
    long long hashed = 0;
    if (check_key("PUT object", key, err, errlen))
        goto out;
    f = path ? fopen(path, "rb") : NULL;
    if (!f) {
        util_errf(err, errlen, "PUT object %s/%s: open %s: %s", c->bucket, key,
                path ? path : "(null)", path ? strerror(errno) : "no path");
        goto out;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        util_errf(err, errlen, "PUT object %s/%s: %s is not a regular file", c->bucket, key, path);
        goto out;
    }
    if (s3_sigv4_sha256_file(f, hash, &hashed, herr, sizeof herr)) {
        util_errf(err, errlen, "PUT object %s/%s: %s: %s", c->bucket, key, path, herr);
        goto out;
    }
    if (hashed != (long long)st.st_size || fseeko(f, 0, SEEK_SET) != 0) {
        util_errf(err, errlen, "PUT object %s/%s: %s changed while it was read", c->bucket, key,
                path);
        goto out;
    }
    x = malloc(sizeof *x);
    if (!x) {
        util_errf(err, errlen, "PUT object %s/%s: out of memory", c->bucket, key);
        goto out;
    }
    s3_op op = {.name = "PUT object", .method = "PUT", .key = key, .content_type = content_type,
                .payload_hash = hash, .upload = 1, .in = f, .in_path = path};
    rc = perform(c, &op, x, NULL, NULL, 0, err, errlen);
out:
    if (f)
        fclose(f);
    free(x);
    return rc;
}

int s3_get_to_file(s3_client *c, const char *key, const char *path, long long max_bytes,
                   char *err, size_t errlen)
{
    return s3_get_to_file_if(c, key, path, max_bytes, NULL, err, errlen);
}

int s3_get_to_file_if(s3_client *c, const char *key, const char *path, long long max_bytes, const char *if_match,
                      char *err, size_t errlen)
{
    int rc = S3_ERR, fd = -1;
    char *tmp = NULL;
    FILE *out = NULL;
    s3_xfer *x = NULL;
    if (check_key("GET object", key, err, errlen))
        goto out;
    if (!path || !path[0] || max_bytes < 0) {
        util_errf(err, errlen, "GET object %s/%s: no destination path or negative limit", c->bucket,
                key);
        goto out;
    }
    /* written next to the destination and renamed, so path is never partial */
    if (asprintf(&tmp, "%s.part.XXXXXX", path) < 0) {
        tmp = NULL;
        util_errf(err, errlen, "GET object %s/%s: out of memory", c->bucket, key);
        goto out;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = local_write_code(errno);
        util_errf(err, errlen, "GET object %s/%s: create %s: %s", c->bucket, key, tmp,
                strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    out = fdopen(fd, "wb");
    if (!out) {
        util_errf(err, errlen, "GET object %s/%s: fdopen: %s", c->bucket, key, strerror(errno));
        close(fd);
        goto out;
    }
    x = malloc(sizeof *x);
    if (!x) {
        util_errf(err, errlen, "GET object %s/%s: out of memory", c->bucket, key);
        goto out;
    }
    s3_op op = {.name = "GET object", .method = "GET", .key = key, .out = out, .out_path = path,
                .max_bytes = max_bytes, .if_match = if_match && if_match[0] ? if_match : NULL};
    long status = 0;
    rc = perform(c, &op, x, &status, NULL, 0, err, errlen);
    if (rc != S3_OK && status == 412 && op.if_match)
        rc = S3_CHANGED;
    if (rc != S3_OK)
        goto out;
    int ferr = fclose(out);
    out = NULL;
    if (ferr != 0) {
        rc = local_write_code(errno);
        util_errf(err, errlen, "GET object %s/%s: writing %s: %s", c->bucket, key, path,
                strerror(errno));
        goto out;
    }
    if (rename(tmp, path) != 0) {
        util_errf(err, errlen, "GET object %s/%s: rename to %s: %s", c->bucket, key, path,
                strerror(errno));
        rc = S3_ERR;
        goto out;
    }
    free(tmp);
    tmp = NULL;
out:
    if (out)
        fclose(out);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(x);
    return rc;
}

/* A request with no body either way (HEAD, DELETE) on one object. */
/* etag_out (S3_ETAG_MAX bytes, may be NULL) gets the answer's ETag. */
static int perform_bodyless(s3_client *c, const char *name, const char *method, const char *key, char *etag_out,
                            char *err, size_t errlen)
{
    int rc = S3_ERR;
    s3_xfer *x = NULL;
    if (check_key(name, key, err, errlen))
        goto out;
    x = malloc(sizeof *x);
    if (!x) {
        util_errf(err, errlen, "%s %s/%s: out of memory", name, c->bucket, key);
        goto out;
    }
    s3_op op = {.name = name, .method = method, .key = key};
    rc = perform(c, &op, x, NULL, NULL, 0, err, errlen);
    if (etag_out)
        snprintf(etag_out, S3_ETAG_MAX, "%s", rc == S3_OK ? x->etag : "");
out:
    free(x);
    return rc;
}

int s3_head(s3_client *c, const char *key, long long *size_out, char *etag_out, char *err, size_t errlen)
{
    int rc = perform_bodyless(c, "HEAD object", "HEAD", key, etag_out, err, errlen);
    if (rc != S3_OK)
        return rc;
    curl_off_t len = -1;
    if (curl_easy_getinfo(c->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &len) != CURLE_OK || len < 0) {
        util_errf(err, errlen, "HEAD object %s/%s: no Content-Length in the answer", c->bucket, key);
        return S3_ERR;
    }
    if (size_out)
        *size_out = (long long)len;
    return S3_OK;
}

int s3_delete(s3_client *c, const char *key, char *err, size_t errlen)
{
    return perform_bodyless(c, "DELETE object", "DELETE", key, NULL, err, errlen);
}

/* One ListObjectsV2 page (token NULL: the first), its answer kept in memory
 * (at most S3_LIST_PAGE_MAX bytes) and parsed; *next gets the malloc'd
 * continuation token when there are more pages, else NULL. */
static int list_page(s3_client *c, const char *prefix, const char *token, s3_key_fn fn, void *ud,
                     char **next, char *err, size_t errlen)
{
    int rc = S3_ERR, truncated = 0;
    char *buf = NULL, perr[512];
    size_t len = 0;
    FILE *out = NULL;
    s3_xfer *x = NULL;
    /* in the signer's canonical order: sorted by name */
    s3_sigv4_pair q[] = {{"continuation-token", token}, {"list-type", "2"}, {"prefix", prefix}};
    *next = NULL;
    out = open_memstream(&buf, &len);
    x = malloc(sizeof *x);
    if (!out || !x) {
        util_errf(err, errlen, "list objects %s/%s: out of memory", c->bucket, prefix);
        goto out;
    }
    s3_op op = {.name = "list objects", .method = "GET", .query = token ? q : q + 1,
                .n_query = token ? 3 : 2, .out = out, .out_path = "memory",
                .max_bytes = S3_LIST_PAGE_MAX};
    rc = perform(c, &op, x, NULL, NULL, 0, err, errlen);
    if (rc != S3_OK)
        goto out;
    int ferr = fclose(out);
    out = NULL;
    if (ferr != 0) {
        util_errf(err, errlen, "list objects %s/%s: out of memory", c->bucket, prefix);
        rc = S3_ERR;
        goto out;
    }
    rc = s3_list_parse(buf, len, fn, ud, &truncated, next, perr, sizeof perr);
    if (rc != S3_OK)
        util_errf(err, errlen, "%s (bucket %s, prefix \"%s\")", perr, c->bucket, prefix);
out:
    if (out)
        fclose(out);
    free(buf);
    free(x);
    return rc;
}

int s3_list_keys(s3_client *c, const char *prefix, s3_key_fn fn, void *ud, char *err,
                 size_t errlen)
{
    int rc = S3_ERR;
    char *token = NULL, *next = NULL;
    if (!prefix || !fn || strlen(prefix) > MAX_KEY_LEN) {
        util_errf(err, errlen, "list objects: no prefix, a prefix longer than %d bytes or no "
                  "key function", MAX_KEY_LEN);
        goto out;
    }
    for (long page = 1;; page++) {
        if (page > LIST_MAX_PAGES) {
            util_errf(err, errlen, "list objects %s/%s: more than %d pages", c->bucket, prefix,
                      LIST_MAX_PAGES);
            rc = S3_ERR;
            goto out;
        }
        rc = list_page(c, prefix, token, fn, ud, &next, err, errlen);
        if (rc != S3_OK || !next)
            goto out;
        /* a server repeating itself would keep this loop going for ever */
        if (token && !strcmp(token, next)) {
            util_errf(err, errlen, "list objects %s/%s: page %ld repeats the continuation token",
                      c->bucket, prefix, page);
            rc = S3_ERR;
            goto out;
        }
        free(token);
        token = next;
        next = NULL;
    }
out:
    free(token);
    free(next);
    return rc;
}

/* size >= 0: Content-Length is a signed header, so the URL stores only an
 * object of exactly that many bytes. */
static char *presign(s3_client *c, const char *method, const char *key, long long size, int expires_s, char *err,
                     size_t errlen)
{
    char *url = NULL, *path = NULL, what[32], serr[256], length[24];
    snprintf(what, sizeof what, "presign %s", method);
    if (check_key(what, key, err, errlen))
        goto out;
    path = object_path(c->pub_base, c->bucket, key);
    if (!path) {
        util_errf(err, errlen, "%s %s/%s: out of memory", what, c->bucket, key);
        goto out;
    }
    s3_sigv4_creds creds = {c->access_key, c->secret_key, c->region, "s3"};
    snprintf(length, sizeof(length), "%lld", size);
    s3_sigv4_pair sized[1] = {{"content-length", length}};
    s3_sigv4_request req = {.method = method, .host = c->pub_host, .path = path,
                            .headers = size >= 0 ? sized : NULL, .n_headers = size >= 0 ? 1 : 0};
    url = s3_sigv4_presign_url(&creds, &req, c->pub_scheme, expires_s, time(NULL), serr,
                               sizeof serr);
    if (!url)
        util_errf(err, errlen, "%s %s/%s: %s", what, c->bucket, key, serr);
out:
    free(path);
    return url;
}

char *s3_presign_get(s3_client *c, const char *key, int expires_s, char *err, size_t errlen)
{
    return presign(c, "GET", key, -1, expires_s, err, errlen);
}

char *s3_presign_put(s3_client *c, const char *key, long long size, int expires_s, char *err, size_t errlen)
{
    return presign(c, "PUT", key, size, expires_s, err, errlen);
}

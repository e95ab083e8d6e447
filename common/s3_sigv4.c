/* AWS Signature Version 4: see s3_sigv4.h for the rules followed. */
#include "s3_sigv4.h"

#include "isim_util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define HASH_CHUNK (64 * 1024)


/* ---- growable string ---------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_putn(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }
static void sb_putc(sbuf *b, char c) { sb_putn(b, &c, 1); }

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

static void sb_encode(sbuf *b, const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (is_unreserved(*p) || (keep_slash && *p == '/')) {
            sb_putc(b, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sb_putn(b, e, 3);
        }
    }
}

/* The string (never NULL unless out of memory; "" when nothing was put). */
static char *sb_take(sbuf *b)
{
    if (!b->oom && !b->p)
        sb_putn(b, "", 0);
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        return NULL;
    }
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

static void sb_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* ---- primitives --------------------------------------------------------- */

char *s3_sigv4_uri_encode(const char *s, int keep_slash)
{
    sbuf b = {0};
    sb_encode(&b, s ? s : "", keep_slash);
    return sb_take(&b);
}

int s3_sigv4_amz_date(time_t t, char out[17])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
        return -1;
    if (strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return -1;
    return 0;
}


int s3_sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data ? data : "", len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return -1;
    util_hex(md, 32, out);
    return 0;
}

int s3_sigv4_sha256_file(FILE *f, char out[65], long long *size_out, char *err, size_t errlen)
{
    int rc = -1;
    long long total = 0;
    unsigned char *buf = malloc(HASH_CHUNK);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!buf || !ctx) {
        util_errf(err, errlen, "sha256 of file: out of memory");
        goto out;
    }
    if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        util_errf(err, errlen, "sha256 of file: EVP_DigestInit_ex failed");
        goto out;
    }
    for (;;) {
        size_t n = fread(buf, 1, HASH_CHUNK, f);
        if (n > 0) {
            if (!EVP_DigestUpdate(ctx, buf, n)) {
                util_errf(err, errlen, "sha256 of file: EVP_DigestUpdate failed");
                goto out;
            }
            total += (long long)n;
        }
        if (n < HASH_CHUNK) {
            if (ferror(f)) {
                util_errf(err, errlen, "sha256 of file: read failed: %s", strerror(errno));
                goto out;
            }
            break;
        }
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
        util_errf(err, errlen, "sha256 of file: EVP_DigestFinal_ex failed");
        goto out;
    }
    util_hex(md, 32, out);
    if (size_out)
        *size_out = total;
    rc = 0;
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    return rc;
}

static int hmac256(const unsigned char *key, size_t keylen, const char *data, unsigned char out[32])
{
    unsigned int outlen = 0;
    if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)data, strlen(data), out,
              &outlen) ||
        outlen != 32)
        return -1;
    return 0;
}

/* ---- canonical parts ---------------------------------------------------- */

typedef struct canon_pair {
    char *name;
    char *value;
    size_t idx; /* order given, for a stable sort */
} canon_pair;

static void pairs_free(canon_pair *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].value);
    }
    free(v);
}

static int cmp_query(const void *a, const void *b)
{
    const canon_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

static int cmp_header(const void *a, const void *b)
{
    const canon_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* "n1=v1&n2=v2" from two lists of decoded pairs, encoded and sorted. */
static char *canonical_query(const s3_sigv4_pair *a, size_t na, const s3_sigv4_pair *b, size_t nb,
                             char *err, size_t errlen)
{
    char *res = NULL;
    size_t n = na + nb, i;
    canon_pair *v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        goto oom;
    for (i = 0; i < n; i++) {
        const s3_sigv4_pair *p = i < na ? &a[i] : &b[i - na];
        if (!p->name || !p->name[0]) {
            util_errf(err, errlen, "sigv4: query parameter %zu has no name", i);
            goto out;
        }
        v[i].name = s3_sigv4_uri_encode(p->name, 0);
        v[i].value = s3_sigv4_uri_encode(p->value ? p->value : "", 0);
        v[i].idx = i;
        if (!v[i].name || !v[i].value)
            goto oom;
    }
    qsort(v, n, sizeof *v, cmp_query);
    sbuf sb = {0};
    for (i = 0; i < n; i++) {
        if (i)
            sb_putc(&sb, '&');
        sb_puts(&sb, v[i].name);
        sb_putc(&sb, '=');
        sb_puts(&sb, v[i].value);
    }
    res = sb_take(&sb);
    if (!res)
        goto oom;
    goto out;
oom:
    util_errf(err, errlen, "sigv4: out of memory");
out:
    pairs_free(v, n);
    return res;
}

static int is_tchar(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Lowercased copy of a header name, NULL if not a valid token. */
static char *header_name(const char *s)
{
    if (!s || !*s)
        return NULL;
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i < n && !is_tchar(c)) {
            free(r);
            return NULL;
        }
        r[i] = (char)tolower(c);
    }
    return r;
}

/* Trimmed copy with inner runs of blanks collapsed, NULL on CR/LF/control. */
static char *header_value(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *r = malloc(n + 1);
    if (!r)
        return NULL;
    size_t o = 0;
    int blank = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == ' ' || *p == '\t') {
            blank = 1;
            continue;
        }
        if (*p < 0x20 || *p == 0x7f) {
            free(r);
            return NULL;
        }
        if (blank && o > 0)
            r[o++] = ' ';
        blank = 0;
        r[o++] = (char)*p;
    }
    r[o] = '\0';
    return r;
}

static int reserved_header(const char *lname)
{
    return !strcmp(lname, "host") || !strcmp(lname, "x-amz-date") ||
           !strcmp(lname, "x-amz-content-sha256") || !strcmp(lname, "authorization");
}

/* Canonical header block ("name:value\n" each) and signed header list
 * ("a;b;c") of host + the request's headers + the extra ones. */
static int canonical_headers(const s3_sigv4_request *req, const s3_sigv4_pair *extra,
                             size_t n_extra, char **block_out, char **signed_out, char *err,
                             size_t errlen)
{
    int rc = -1;
    size_t n = 1 + req->n_headers + n_extra, i;
    sbuf block = {0}, list = {0};
    canon_pair *v = calloc(n, sizeof *v);
    if (!v)
        goto oom;
    for (i = 0; i < n; i++) {
        const char *name, *value;
        if (i == 0) {
            name = "host";
            value = req->host;
        } else if (i <= req->n_headers) {
            name = req->headers[i - 1].name;
            value = req->headers[i - 1].value;
        } else {
            name = extra[i - 1 - req->n_headers].name;
            value = extra[i - 1 - req->n_headers].value;
        }
        v[i].idx = i;
        v[i].name = header_name(name);
        if (!v[i].name) {
            util_errf(err, errlen, "sigv4: invalid header name \"%s\"", name ? name : "(null)");
            goto out;
        }
        if (i > 0 && i <= req->n_headers && reserved_header(v[i].name)) {
            util_errf(err, errlen, "sigv4: header %s is set by the signer, not the caller", name);
            goto out;
        }
        v[i].value = header_value(value);
        if (!v[i].value) {
            util_errf(err, errlen, "sigv4: header %s has a control character in its value", name);
            goto out;
        }
    }
    qsort(v, n, sizeof *v, cmp_header);
    for (i = 0; i < n; i++) {
        if (i > 0 && !strcmp(v[i].name, v[i - 1].name)) {
            /* a repeated header: its values joined by ',' on one line */
            if (!block.oom)
                block.len--; /* drop the '\n' */
            sb_putc(&block, ',');
            sb_puts(&block, v[i].value);
            sb_putc(&block, '\n');
            continue;
        }
        if (i)
            sb_putc(&list, ';');
        sb_puts(&list, v[i].name);
        sb_puts(&block, v[i].name);
        sb_putc(&block, ':');
        sb_puts(&block, v[i].value);
        sb_putc(&block, '\n');
    }
    *block_out = sb_take(&block);
    *signed_out = sb_take(&list);
    if (!*block_out || !*signed_out) {
        free(*block_out);
        free(*signed_out);
        *block_out = *signed_out = NULL;
        goto oom;
    }
    rc = 0;
    goto out;
oom:
    util_errf(err, errlen, "sigv4: out of memory");
out:
    sb_free(&block);
    sb_free(&list);
    if (v)
        pairs_free(v, n);
    return rc;
}

static int check_creds(const s3_sigv4_creds *c, char *err, size_t errlen)
{
    if (!c || !c->access_key || !c->access_key[0] || !c->secret_key || !c->secret_key[0] ||
        !c->region || !c->region[0] || !c->service || !c->service[0]) {
        util_errf(err, errlen, "sigv4: access key, secret key, region and service are required");
        return -1;
    }
    if (strchr(c->access_key, '/') || strchr(c->region, '/') || strchr(c->service, '/')) {
        util_errf(err, errlen, "sigv4: access key, region and service must not contain '/'");
        return -1;
    }
    return 0;
}

static int check_request(const s3_sigv4_request *r, char *err, size_t errlen)
{
    if (!r || !r->method || !r->method[0] || !r->host || !r->host[0]) {
        util_errf(err, errlen, "sigv4: method and host are required");
        return -1;
    }
    for (const char *p = r->method; *p; p++) {
        if (!is_tchar((unsigned char)*p)) {
            util_errf(err, errlen, "sigv4: invalid method \"%s\"", r->method);
            return -1;
        }
    }
    if (r->path && r->path[0] && r->path[0] != '/') {
        util_errf(err, errlen, "sigv4: path \"%s\" does not start with '/'", r->path);
        return -1;
    }
    if ((r->n_query && !r->query) || (r->n_headers && !r->headers)) {
        util_errf(err, errlen, "sigv4: query or header count without an array");
        return -1;
    }
    return 0;
}

/* Canonical request, string to sign and signature from the canonical parts. */
static int finish(const s3_sigv4_creds *c, const char *method, const char *path_enc,
                  const char *query, const char *hblock, const char *signed_list,
                  const char *payload, const char *amz_date, char signature[65], char **creq_out,
                  char **sts_out, char *err, size_t errlen)
{
    int rc = -1;
    char date8[9], creq_hash[65];
    sbuf creq = {0}, sts = {0}, scope = {0};
    char *creq_s = NULL, *sts_s = NULL, *secret = NULL;
    unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];

    memcpy(date8, amz_date, 8);
    date8[8] = '\0';

    sb_puts(&creq, method);
    sb_putc(&creq, '\n');
    sb_puts(&creq, path_enc);
    sb_putc(&creq, '\n');
    sb_puts(&creq, query);
    sb_putc(&creq, '\n');
    sb_puts(&creq, hblock);
    sb_putc(&creq, '\n');
    sb_puts(&creq, signed_list);
    sb_putc(&creq, '\n');
    sb_puts(&creq, payload);
    creq_s = sb_take(&creq);
    if (!creq_s)
        goto oom;
    if (s3_sigv4_sha256_hex(creq_s, strlen(creq_s), creq_hash) != 0) {
        util_errf(err, errlen, "sigv4: SHA-256 failed");
        goto out;
    }

    sb_puts(&sts, S3_SIGV4_ALGORITHM "\n");
    sb_puts(&sts, amz_date);
    sb_putc(&sts, '\n');
    sb_puts(&sts, date8);
    sb_putc(&sts, '/');
    sb_puts(&sts, c->region);
    sb_putc(&sts, '/');
    sb_puts(&sts, c->service);
    sb_puts(&sts, "/aws4_request\n");
    sb_puts(&sts, creq_hash);
    sts_s = sb_take(&sts);
    if (!sts_s)
        goto oom;

    sb_puts(&scope, "AWS4");
    sb_puts(&scope, c->secret_key);
    secret = sb_take(&scope);
    if (!secret)
        goto oom;
    if (hmac256((const unsigned char *)secret, strlen(secret), date8, k1) ||
        hmac256(k1, 32, c->region, k2) || hmac256(k2, 32, c->service, k3) ||
        hmac256(k3, 32, "aws4_request", k4) || hmac256(k4, 32, sts_s, sig)) {
        util_errf(err, errlen, "sigv4: HMAC-SHA256 failed");
        goto out;
    }
    util_hex(sig, 32, signature);
    *creq_out = creq_s;
    *sts_out = sts_s;
    creq_s = sts_s = NULL;
    rc = 0;
    goto out;
oom:
    util_errf(err, errlen, "sigv4: out of memory");
out:
    if (secret) {
        OPENSSL_cleanse(secret, strlen(secret));
        free(secret);
    }
    OPENSSL_cleanse(k1, sizeof k1);
    OPENSSL_cleanse(k2, sizeof k2);
    OPENSSL_cleanse(k3, sizeof k3);
    OPENSSL_cleanse(k4, sizeof k4);
    free(creq_s);
    free(sts_s);
    sb_free(&creq);
    sb_free(&sts);
    sb_free(&scope);
    return rc;
}

static int valid_payload_hash(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 64)
        return 0;
    for (const char *p = h; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            return 0;
    return 1;
}

/* ---- public ------------------------------------------------------------- */

void s3_sigv4_signed_free(s3_sigv4_signed *s)
{
    if (!s)
        return;
    free(s->authorization);
    free(s->canonical_request);
    free(s->string_to_sign);
    s->authorization = s->canonical_request = s->string_to_sign = NULL;
}

int s3_sigv4_sign_request(const s3_sigv4_creds *creds, const s3_sigv4_request *req, time_t now,
                          s3_sigv4_signed *out, char *err, size_t errlen)
{
    int rc = -1;
    char *path_enc = NULL, *query = NULL, *hblock = NULL, *signed_list = NULL;
    sbuf auth = {0};

    memset(out, 0, sizeof *out);
    if (check_creds(creds, err, errlen) || check_request(req, err, errlen))
        goto out;
    if (s3_sigv4_amz_date(now, out->amz_date) != 0) {
        util_errf(err, errlen, "sigv4: signing time out of range");
        goto out;
    }
    const char *payload = req->payload_hash ? req->payload_hash : S3_SIGV4_EMPTY_SHA256;
    if (!valid_payload_hash(payload)) {
        util_errf(err, errlen, "sigv4: invalid payload hash \"%s\"", payload);
        goto out;
    }
    snprintf(out->payload_hash, sizeof out->payload_hash, "%s", payload);

    s3_sigv4_pair extra[2] = {{"x-amz-date", out->amz_date}, {"x-amz-content-sha256", payload}};
    path_enc = s3_sigv4_uri_encode(req->path && req->path[0] ? req->path : "/", 1);
    if (!path_enc) {
        util_errf(err, errlen, "sigv4: out of memory");
        goto out;
    }
    query = canonical_query(req->query, req->n_query, NULL, 0, err, errlen);
    if (!query)
        goto out;
    if (canonical_headers(req, extra, req->sign_content_sha256 ? 2 : 1, &hblock, &signed_list, err,
                          errlen))
        goto out;
    if (finish(creds, req->method, path_enc, query, hblock, signed_list, payload, out->amz_date,
               out->signature, &out->canonical_request, &out->string_to_sign, err, errlen))
        goto out;

    sb_puts(&auth, S3_SIGV4_ALGORITHM " Credential=");
    sb_puts(&auth, creds->access_key);
    sb_putc(&auth, '/');
    sb_putn(&auth, out->amz_date, 8);
    sb_putc(&auth, '/');
    sb_puts(&auth, creds->region);
    sb_putc(&auth, '/');
    sb_puts(&auth, creds->service);
    sb_puts(&auth, "/aws4_request, SignedHeaders=");
    sb_puts(&auth, signed_list);
    sb_puts(&auth, ", Signature=");
    sb_puts(&auth, out->signature);
    out->authorization = sb_take(&auth);
    if (!out->authorization) {
        util_errf(err, errlen, "sigv4: out of memory");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        s3_sigv4_signed_free(out);
    sb_free(&auth);
    free(path_enc);
    free(query);
    free(hblock);
    free(signed_list);
    return rc;
}

char *s3_sigv4_presign_url(const s3_sigv4_creds *creds, const s3_sigv4_request *req,
                           const char *scheme, int expires_s, time_t now, char *err, size_t errlen)
{
    char *url = NULL, *path_enc = NULL, *query = NULL, *hblock = NULL, *signed_list = NULL;
    char *creq = NULL, *sts = NULL, *credential = NULL;
    char amz_date[17], expires[16], signature[65];
    sbuf sb = {0};

    if (check_creds(creds, err, errlen) || check_request(req, err, errlen))
        goto out;
    if (!scheme || (strcmp(scheme, "http") && strcmp(scheme, "https"))) {
        util_errf(err, errlen, "sigv4: presign scheme must be http or https");
        goto out;
    }
    if (expires_s < 1 || expires_s > S3_SIGV4_MAX_EXPIRES) {
        util_errf(err, errlen, "sigv4: presign expiry %d s is outside 1..%d", expires_s,
                S3_SIGV4_MAX_EXPIRES);
        goto out;
    }
    for (size_t i = 0; i < req->n_query; i++) {
        if (req->query[i].name && !strncasecmp(req->query[i].name, "X-Amz-", 6)) {
            util_errf(err, errlen, "sigv4: query parameter %s is set by the presigner",
                    req->query[i].name);
            goto out;
        }
    }
    if (s3_sigv4_amz_date(now, amz_date) != 0) {
        util_errf(err, errlen, "sigv4: signing time out of range");
        goto out;
    }
    snprintf(expires, sizeof expires, "%d", expires_s);

    path_enc = s3_sigv4_uri_encode(req->path && req->path[0] ? req->path : "/", 1);
    if (!path_enc)
        goto oom;
    if (canonical_headers(req, NULL, 0, &hblock, &signed_list, err, errlen))
        goto out;

    sb_puts(&sb, creds->access_key);
    sb_putc(&sb, '/');
    sb_putn(&sb, amz_date, 8);
    sb_putc(&sb, '/');
    sb_puts(&sb, creds->region);
    sb_putc(&sb, '/');
    sb_puts(&sb, creds->service);
    sb_puts(&sb, "/aws4_request");
    credential = sb_take(&sb);
    if (!credential)
        goto oom;

    s3_sigv4_pair auth[5] = {{"X-Amz-Algorithm", S3_SIGV4_ALGORITHM},
                             {"X-Amz-Credential", credential},
                             {"X-Amz-Date", amz_date},
                             {"X-Amz-Expires", expires},
                             {"X-Amz-SignedHeaders", signed_list}};
    query = canonical_query(req->query, req->n_query, auth, 5, err, errlen);
    if (!query)
        goto out;
    if (finish(creds, req->method, path_enc, query, hblock, signed_list,
               S3_SIGV4_UNSIGNED_PAYLOAD, amz_date, signature, &creq, &sts, err, errlen))
        goto out;

    sb_puts(&sb, scheme);
    sb_puts(&sb, "://");
    sb_puts(&sb, req->host);
    sb_puts(&sb, path_enc);
    sb_putc(&sb, '?');
    sb_puts(&sb, query);
    sb_puts(&sb, "&X-Amz-Signature=");
    sb_puts(&sb, signature);
    url = sb_take(&sb);
    if (!url)
        goto oom;
    goto out;
oom:
    util_errf(err, errlen, "sigv4: out of memory");
out:
    sb_free(&sb);
    free(path_enc);
    free(query);
    free(hblock);
    free(signed_list);
    free(creq);
    free(sts);
    free(credential);
    return url;
}

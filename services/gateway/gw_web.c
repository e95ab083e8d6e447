#include "gw_web.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "health_http.h"
#include "s3_sigv4.h"

#define GW_WEB_MAX_DEPTH 6
#define GW_WEB_GZIP_MIN 256
#define GW_WEB_IMMUTABLE "public, max-age=31536000, immutable"

typedef struct gw_web_type {
    const char *ext, *type;
    int compress;
} gw_web_type;

static const gw_web_type gw_web_types[] = {
    {".html", "text/html; charset=utf-8", 1},   {".js", "text/javascript; charset=utf-8", 1},
    {".mjs", "text/javascript; charset=utf-8", 1}, {".css", "text/css; charset=utf-8", 1},
    {".json", "application/json", 1},           {".webmanifest", "application/manifest+json", 1},
    {".map", "application/json", 1},            {".svg", "image/svg+xml", 1},
    {".txt", "text/plain; charset=utf-8", 1},   {".png", "image/png", 0},
    {".jpg", "image/jpeg", 0},                  {".ico", "image/x-icon", 0},
    {".webp", "image/webp", 0},                 {".woff2", "font/woff2", 0},
    {".wasm", "application/wasm", 0},
};

static const gw_web_type *gw_web_type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(gw_web_types) / sizeof(gw_web_types[0]); i++)
        if (strcmp(dot, gw_web_types[i].ext) == 0)
            return &gw_web_types[i];
    static const gw_web_type other = {"", "application/octet-stream", 0};
    return &other;
}

void gw_web_origin(const char *url, char *out, size_t outlen)
{
    const char *p = url ? strstr(url, "://") : NULL;
    if (!p || outlen == 0) {
        if (outlen)
            out[0] = '\0';
        return;
    }
    size_t end = (size_t)(p - url) + 3 + strcspn(p + 3, "/?#");
    snprintf(out, outlen, "%.*s", (int)end, url);
    /* Only characters an origin may have: the value goes into a header. */
    for (char *c = out; *c; c++)
        if (*c <= ' ' || *c == ';' || *c == ',' || *c == '\'' || *c == '"' || (unsigned char)*c >= 0x7f)
            *c = '\0';
}

/* gzip (RFC 1952) of in; 0 with *out malloc'd, -1 when it fails or does not shrink. */
static int gw_web_gzip(const char *in, size_t len, char **out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)len);
    char *buf = malloc(cap);
    int rc = -1;
    if (!buf)
        goto out;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)buf;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out >= len)
        goto out;
    *out = buf;
    *out_len = z.total_out;
    buf = NULL;
    rc = 0;
out:
    free(buf);
    deflateEnd(&z);
    return rc;
}

static int gw_web_add(gw_web *w, const char *rel, const char *full, size_t *total, char *err, size_t errlen)
{
    int rc = -1;
    FILE *f = fopen(full, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        snprintf(err, errlen, "cannot read %s", full);
        goto out;
    }
    if (w->n >= GW_WEB_MAX_FILES || *total + (size_t)st.st_size > GW_WEB_MAX_BYTES) {
        snprintf(err, errlen, "%s holds more than %d files or %u MiB", w->dir, GW_WEB_MAX_FILES,
                 GW_WEB_MAX_BYTES >> 20);
        goto out;
    }
    gw_web_file *fl = &w->files[w->n];
    memset(fl, 0, sizeof(*fl));
    fl->len = (size_t)st.st_size;
    fl->body = malloc(fl->len + 1);
    fl->path = malloc(strlen(rel) + 2);
    if (!fl->body || !fl->path || fread(fl->body, 1, fl->len, f) != fl->len) {
        free(fl->body);
        free(fl->path);
        snprintf(err, errlen, "cannot read %s", full);
        goto out;
    }
    sprintf(fl->path, "/%s", rel);
    const gw_web_type *t = gw_web_type_of(rel);
    fl->type = t->type;
    if (t->compress && fl->len >= GW_WEB_GZIP_MIN && gw_web_gzip(fl->body, fl->len, &fl->gz, &fl->gz_len) != 0)
        fl->gz = NULL;
    char sha[65];
    if (s3_sigv4_sha256_hex(fl->body, fl->len, sha) != 0)
        snprintf(sha, sizeof(sha), "%zx", fl->len);
    snprintf(fl->etag, sizeof(fl->etag), "\"%.20s\"", sha);
    *total += fl->len;
    w->n++;
    rc = 0;
out:
    if (f)
        fclose(f);
    return rc;
}

/* Regular files below dir/rel, depth first; dot-files and links are skipped. */
static int gw_web_walk(gw_web *w, const char *rel, int depth, size_t *total, char *err, size_t errlen)
{
    char full[4096];
    snprintf(full, sizeof(full), "%s%s%s", w->dir, *rel ? "/" : "", rel);
    DIR *d = opendir(full);
    if (!d) {
        snprintf(err, errlen, "cannot list %s", full);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char child_rel[1024], child[4096];
        snprintf(child_rel, sizeof(child_rel), "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(child, sizeof(child), "%s/%s", w->dir, child_rel);
        struct stat st;
        if (lstat(child, &st) != 0 || S_ISLNK(st.st_mode))
            continue;
        if (S_ISDIR(st.st_mode) && depth < GW_WEB_MAX_DEPTH)
            rc = gw_web_walk(w, child_rel, depth + 1, total, err, errlen);
        else if (S_ISREG(st.st_mode))
            rc = gw_web_add(w, child_rel, child, total, err, errlen);
    }
    closedir(d);
    return rc;
}

static int gw_web_cmp(const void *a, const void *b)
{
    return strcmp(((const gw_web_file *)a)->path, ((const gw_web_file *)b)->path);
}

int gw_web_load(gw_web *w, const char *dir, const char *media_origin, char *err, size_t errlen)
{
    size_t total = 0;
    memset(w, 0, sizeof(*w));
    const char *m = media_origin && *media_origin ? media_origin : "";
    snprintf(w->headers, sizeof(w->headers),
             "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; "
             "img-src 'self' data: blob: %s; media-src 'self' blob: %s; connect-src 'self'; font-src 'self'; "
             "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'\r\n"
             "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nX-Frame-Options: DENY\r\n"
             "Permissions-Policy: camera=(self), microphone=(self), geolocation=()\r\n",
             m, m);
    w->dir = strdup(dir);
    w->files = calloc(GW_WEB_MAX_FILES, sizeof(gw_web_file));
    if (!w->dir || !w->files) {
        snprintf(err, errlen, "out of memory");
        gw_web_release(w);
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return 0;
    if (gw_web_walk(w, "", 0, &total, err, errlen) != 0) {
        gw_web_release(w);
        return -1;
    }
    qsort(w->files, w->n, sizeof(gw_web_file), gw_web_cmp);
    return 0;
}

void gw_web_release(gw_web *w)
{
    for (size_t i = 0; w->files && i < w->n; i++) {
        free(w->files[i].path);
        free(w->files[i].body);
        free(w->files[i].gz);
    }
    free(w->files);
    free(w->dir);
    memset(w, 0, sizeof(*w));
}

static const gw_web_file *gw_web_lookup(const gw_web *w, const char *path)
{
    gw_web_file key = {.path = (char *)path};
    return w->n ? bsearch(&key, w->files, w->n, sizeof(gw_web_file), gw_web_cmp) : NULL;
}

/* The first part of the web app's own paths (web/src/app.tsx): these answer
 * index.html and the app draws the page. Anything else that is not a file
 * is a 404, so a stray path is not a blank app page. */
static const char *const gw_web_routes[] = {"signin", "invite", "record", "interviews", "history", "account",
                                            "admin", NULL};

static int gw_web_is_route(const char *uri)
{
    const char *first = uri + 1, *end = strchr(first, '/');
    size_t len = end ? (size_t)(end - first) : strlen(first);
    const char *last = strrchr(uri, '/');
    if (strchr(last, '.'))
        return 0;
    for (const char *const *r = gw_web_routes; *r; r++)
        if (strlen(*r) == len && strncmp(*r, first, len) == 0)
            return 1;
    return 0;
}

const gw_web_file *gw_web_find(const gw_web *w, const char *uri)
{
    if (uri[0] != '/')
        return NULL;
    if (strcmp(uri, "/") == 0)
        return gw_web_lookup(w, "/index.html");
    const gw_web_file *f = gw_web_lookup(w, uri);
    if (f)
        return f;
    return gw_web_is_route(uri) ? gw_web_lookup(w, "/index.html") : NULL;
}

/* 1 when the Accept-Encoding header lists gzip (without q=0). */
static int gw_web_takes_gzip(struct mg_connection *conn)
{
    const char *ae = mg_get_header(conn, "Accept-Encoding");
    const char *g = ae ? strstr(ae, "gzip") : NULL;
    return g && strncmp(g + 4, ";q=0", 4) != 0 && strncmp(g + 4, "; q=0", 5) != 0;
}

int gw_web_serve(struct mg_connection *conn, const gw_web *w)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *uri = ri->local_uri ? ri->local_uri : "/";
    int head = strcmp(ri->request_method, "HEAD") == 0;
    char h[1536];
    if (!head && strcmp(ri->request_method, "GET") != 0) {
        snprintf(h, sizeof(h), "%sAllow: GET, HEAD\r\n", w->headers);
        http_send_full(conn, 405, "text/plain; charset=utf-8", "no-store", "Use GET here.\n", 14, 1, h);
        return 405;
    }
    if (w->n == 0) {
        static const char msg[] = "The web app is not built: run make build (it writes web/dist), or set "
                                  "ISIM_WEB_DIR to a built copy. The API is at /v1.\n";
        http_send_full(conn, 404, "text/plain; charset=utf-8", "no-store", msg, sizeof(msg) - 1, !head, w->headers);
        return 404;
    }
    const gw_web_file *f = gw_web_find(w, uri);
    if (!f) {
        static const char msg[] = "Not found.\n";
        http_send_full(conn, 404, "text/plain; charset=utf-8", "no-store", msg, sizeof(msg) - 1, !head, w->headers);
        return 404;
    }
    const char *cache = strncmp(f->path, "/assets/", 8) == 0 ? GW_WEB_IMMUTABLE : "no-cache";
    const char *inm = mg_get_header(conn, "If-None-Match");
    int gz = f->gz && gw_web_takes_gzip(conn);
    snprintf(h, sizeof(h), "%sETag: %s\r\nVary: Accept-Encoding\r\n%s", w->headers, f->etag,
             gz ? "Content-Encoding: gzip\r\n" : "");
    if (inm && strstr(inm, f->etag)) {
        http_send_full(conn, 304, f->type, cache, "", 0, 0, h);
        return 304;
    }
    http_send_full(conn, 200, f->type, cache, gz ? f->gz : f->body, gz ? f->gz_len : f->len, !head, h);
    return 200;
}

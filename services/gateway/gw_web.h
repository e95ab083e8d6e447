/* The web app's built files (ISIM_WEB_DIR), read into memory at start and
 * served at "/" on the API's origin: hashed assets under /assets/ cached for
 * a year, everything else revalidated (ETag), gzip when the client takes it,
 * index.html for the app's own paths, and a Content-Security-Policy without
 * 'unsafe-inline' that lets the page reach only this origin and the S3
 * endpoint its recordings play from. Nothing on disk is opened per request,
 * so no request path can reach a file outside the folder. */
#ifndef ISIM_GW_WEB_H
#define ISIM_GW_WEB_H

#include <civetweb.h>
#include <stddef.h>

#define GW_WEB_MAX_FILES 1000
#define GW_WEB_MAX_BYTES (64u << 20)

typedef struct gw_web_file {
    char *path;              /* "/index.html", "/assets/index-3f2a.js" */
    const char *type;
    char *body, *gz;         /* gz: NULL when compressing does not pay */
    size_t len, gz_len;
    char etag[24];
} gw_web_file;

typedef struct gw_web {
    char *dir;
    gw_web_file *files;      /* sorted by path */
    size_t n;
    char headers[1024];      /* security headers every answer carries */
} gw_web;

/* Reads every file under dir. A missing folder is not an error (the API
 * still works; "/" then says the web app is not built). media_origin: the
 * scheme://host[:port] browsers fetch presigned media from (may be empty).
 * 0, or -1 with err filled (unreadable file, over the limits). */
int gw_web_load(gw_web *w, const char *dir, const char *media_origin, char *err, size_t errlen);
void gw_web_release(gw_web *w);
/* The file served for a request path: an exact file, else index.html for one
 * of the app's own paths (/signin, /invite/..., /interviews/..., ...), else NULL. */
const gw_web_file *gw_web_find(const gw_web *w, const char *uri);
/* Answers a GET or HEAD for uri; returns the status sent. */
int gw_web_serve(struct mg_connection *conn, const gw_web *w);
/* "scheme://host[:port]" of url into out, "" when url has no scheme. */
void gw_web_origin(const char *url, char *out, size_t outlen);

#endif

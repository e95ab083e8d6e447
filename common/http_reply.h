/* An HTTP reply read into memory by libcurl, refused past a cap, and a JSON
 * POST that fills one: what the services' calls to model servers (speech,
 * AI review, embeddings) share. */
#ifndef ISIM_HTTP_REPLY_H
#define ISIM_HTTP_REPLY_H

#include <stddef.h>

typedef struct http_reply {
    char *data;  /* NUL-terminated once a byte arrived, else NULL; http_reply_release frees it */
    size_t len;
    size_t max;  /* bytes accepted; more fail the transfer and set too_big */
    int too_big;
} http_reply;

/* CURLOPT_WRITEFUNCTION with CURLOPT_WRITEDATA an http_reply. */
size_t http_reply_write(char *p, size_t size, size_t n, void *user);
void http_reply_release(http_reply *r);

/* POSTs body (JSON) to url, with "Authorization: Bearer <bearer>" when bearer
 * is not empty, within timeout_ms; the reply (up to reply->max bytes) into
 * reply and its HTTP status into *status. 0 once an HTTP answer came (any
 * status), -1 with err ("<what>: <libcurl's reason>") when none did. */
int http_post_json(const char *url, const char *bearer, const char *body, long timeout_ms, const char *what,
                   http_reply *reply, long *status, char *err, size_t errlen);

#endif

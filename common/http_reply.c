#include "http_reply.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t http_reply_write(char *p, size_t size, size_t n, void *user)
{
    http_reply *r = user;
    size_t add = size * n;
    if (r->len + add > r->max) {
        r->too_big = 1;
        return 0;
    }
    char *grown = realloc(r->data, r->len + add + 1);
    if (!grown)
        return 0;
    memcpy(grown + r->len, p, add);
    r->data = grown;
    r->len += add;
    r->data[r->len] = '\0';
    return add;
}

void http_reply_release(http_reply *r)
{
    free(r->data);
    r->data = NULL;
    r->len = 0;
}

int http_post_json(const char *url, const char *bearer, const char *body, long timeout_ms, const char *what,
                   http_reply *reply, long *status, char *err, size_t errlen)
{
    int rc = -1;
    char auth[1024];
    struct curl_slist *h = NULL, *more;
    CURL *c = curl_easy_init();
    *status = 0;
    h = curl_slist_append(h, "Content-Type: application/json");
    if (h && bearer && *bearer) {
        snprintf(auth, sizeof(auth), "Authorization: Bearer %s", bearer);
        more = curl_slist_append(h, auth);
        h = more ? more : h;
    }
    if (!c || !h) {
        snprintf(err, errlen, "%s: cannot start an HTTP client", what);
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_reply_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, reply);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        snprintf(err, errlen, "%s: %s", what,
                 reply->too_big ? "the reply is larger than accepted" : curl_easy_strerror(cc));
        goto out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    rc = 0;
out:
    curl_slist_free_all(h);
    if (c)
        curl_easy_cleanup(c);
    return rc;
}

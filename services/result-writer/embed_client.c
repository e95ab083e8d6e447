#include "embed_client.h"

#include "http_reply.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMBED_MAX_RESPONSE (64 << 20) /* 512 texts x 384 numbers as text, with room */
#define EMBED_MAX_DIM 4096

static char *embed_request_body(const embed_opts *o, const char *const *texts, size_t n)
{
    json_t *input = json_array();
    for (size_t i = 0; input && i < n; i++)
        json_array_append_new(input, json_string(texts[i] ? texts[i] : ""));
    json_t *body = json_pack("{s:s, s:o}", "model", o->model ? o->model : "", "input", input);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

/* The reply's rows into vecs (allocated here once the dimension is known),
 * each put at its "index" and scaled to unit length. */
static int embed_parse(const char *http_body, size_t n, float **vecs, size_t *dim, char *model,
                       size_t model_len, char *err, size_t errlen)
{
    int rc = -1;
    json_error_t je;
    json_t *resp = json_loads(http_body, 0, &je);
    const json_t *data = json_object_get(resp, "data"), *row;
    char *seen = calloc(n ? n : 1, 1);
    size_t i;
    if (!seen) {
        snprintf(err, errlen, "out of memory reading the embeddings reply");
        goto out;
    }
    if (!resp || !json_is_array(data) || json_array_size(data) != n) {
        snprintf(err, errlen, "the embeddings reply is not {\"data\": [%zu rows]}", n);
        goto out;
    }
    json_array_foreach(data, i, row) {
        const json_t *e = json_object_get(row, "embedding"), *x;
        const json_t *idx = json_object_get(row, "index");
        size_t at = json_is_integer(idx) ? (size_t)json_integer_value(idx) : i, d = json_array_size(e), k;
        if (!*vecs) {
            *dim = d;
            *vecs = d && d <= EMBED_MAX_DIM ? calloc(n * d, sizeof(**vecs)) : NULL;
        }
        if (!*vecs || d != *dim || at >= n || seen[at]) {
            snprintf(err, errlen, "embeddings row %zu: %zu numbers at index %zu does not fit", i, d, at);
            goto out;
        }
        seen[at] = 1;
        double norm = 0;
        json_array_foreach(e, k, x) {
            if (!json_is_number(x)) {
                snprintf(err, errlen, "embeddings row %zu holds something other than numbers", i);
                goto out;
            }
            (*vecs)[at * d + k] = (float)json_number_value(x);
            norm += json_number_value(x) * json_number_value(x);
        }
        for (k = 0; norm > 0 && k < d; k++)
            (*vecs)[at * d + k] = (float)((*vecs)[at * d + k] / sqrt(norm));
    }
    const char *m = json_string_value(json_object_get(resp, "model"));
    snprintf(model, model_len, "%s", m ? m : "");
    rc = 0;
out:
    free(seen);
    json_decref(resp);
    return rc;
}

/* The server's own words for an error: {"error":{"message"}} as OpenAI sends it. */
static void embed_http_error(long status, const char *body, char *err, size_t errlen)
{
    json_t *j = body ? json_loads(body, 0, NULL) : NULL;
    const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    snprintf(err, errlen, "the embeddings server answered HTTP %ld%s%s", status, msg ? ": " : "",
             msg ? msg : "");
    json_decref(j);
}

int embed_vectors_new(const embed_opts *o, const char *const *texts, size_t n, float **vecs_out,
                      size_t *dim_out, char *model_out, size_t model_len, char *err, size_t errlen)
{
    int rc = -1;
    char url[2048];
    http_reply reply = {.max = EMBED_MAX_RESPONSE};
    long status = 0;
    char *body = NULL;
    *vecs_out = NULL;
    *dim_out = 0;
    if (!o || !o->url || !*o->url) {
        snprintf(err, errlen, "no embeddings server is configured (ISIM_EMBED_URL)");
        goto out;
    }
    if (n == 0 || n > EMBED_MAX_TEXTS) {
        snprintf(err, errlen, "%zu texts to embed: 1 to %d fit in one request", n, EMBED_MAX_TEXTS);
        goto out;
    }
    body = embed_request_body(o, texts, n);
    if (!body) {
        snprintf(err, errlen, "out of memory preparing the embeddings request");
        goto out;
    }
    size_t ul = strlen(o->url);
    snprintf(url, sizeof(url), "%s%sembeddings", o->url, o->url[ul - 1] == '/' ? "" : "/");
    if (http_post_json(url, NULL, body, 1000L * (o->timeout_s > 0 ? o->timeout_s : 1),
                       "the embeddings request failed", &reply, &status, err, errlen) != 0)
        goto out;
    if (status != 200) {
        embed_http_error(status, reply.data, err, errlen);
        goto out;
    }
    if (embed_parse(reply.data ? reply.data : "", n, vecs_out, dim_out, model_out, model_len, err, errlen) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0) {
        free(*vecs_out);
        *vecs_out = NULL;
        *dim_out = 0;
    }
    free(body);
    http_reply_release(&reply);
    return rc;
}

void embed_vectors_free(float *vecs)
{
    free(vecs);
}

/* Client of an OpenAI-compatible embeddings API (POST <url>/embeddings,
 * {"model","input":[...]} -> {"data":[{"index","embedding":[...]}],"model"}):
 * the speech-to-text server's all-MiniLM-L6-v2, or any such service. One
 * request with a timeout; the caller falls back to the lexical measure. */
#ifndef ISIM_EMBED_CLIENT_H
#define ISIM_EMBED_CLIENT_H

#include <stddef.h>

#define EMBED_MAX_TEXTS 512 /* the speech-to-text server's limit per request */

typedef struct embed_opts {
    const char *url;   /* API base, e.g. http://127.0.0.1:29200/v1; empty or NULL: off */
    const char *model; /* sent as "model" */
    int timeout_s;
} embed_opts;

/* The vectors of n texts, unit length, row i of *vecs_out (n x *dim_out,
 * malloc'd: embed_vectors_free) for texts[i]; model_out gets the model the
 * server says it used. 0, or -1 with err (server down, HTTP error, a reply
 * of the wrong shape). */
int embed_vectors_new(const embed_opts *o, const char *const *texts, size_t n, float **vecs_out,
                      size_t *dim_out, char *model_out, size_t model_len, char *err, size_t errlen);
void embed_vectors_free(float *vecs);

#endif

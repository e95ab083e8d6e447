#include "relevance_semantic.h"

#include "isim_words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int sem_flush(json_t *out, char *buf, size_t *len, double start)
{
    if (*len == 0)
        return 0;
    int rc = json_array_append_new(out, json_pack("{s:s, s:f}", "text", buf, "start", start));
    *len = 0;
    buf[0] = '\0';
    return rc;
}

json_t *semantic_sentences_new(const json_t *words)
{
    json_t *out = json_array();
    size_t cap = 256, len = 0, count = 0, i;
    char *buf = malloc(cap);
    double start = 0, prev_end = -1;
    const json_t *w;
    if (!out || !buf)
        goto fail;
    buf[0] = '\0';
    json_array_foreach(words, i, w) {
        const char *t = json_string_value(json_object_get(w, "word"));
        double ws = json_number_value(json_object_get(w, "start"));
        while (t && *t == ' ')
            t++;
        if (!t || !*t)
            continue;
        if (len && (ws - prev_end >= SEMANTIC_SENTENCE_GAP_S || count >= SEMANTIC_SENTENCE_MAX_WORDS)) {
            if (sem_flush(out, buf, &len, start) != 0)
                goto fail;
        }
        size_t add = strlen(t) + 1;
        if (len + add + 1 > cap) {
            char *grown = realloc(buf, 2 * (len + add + 1));
            if (!grown)
                goto fail;
            buf = grown;
            cap = 2 * (len + add + 1);
        }
        if (len == 0) {
            start = ws;
            count = 0;
        }
        len += (size_t)sprintf(buf + len, "%s%s", len ? " " : "", t);
        count++;
        prev_end = json_number_value(json_object_get(w, "end"));
        if ((words_ends_sentence(t) || json_is_true(json_object_get(w, "sentence_end"))) &&
            sem_flush(out, buf, &len, start) != 0)
            goto fail;
    }
    if (sem_flush(out, buf, &len, start) != 0)
        goto fail;
    free(buf);
    return out;
fail:
    free(buf);
    json_decref(out);
    return NULL;
}

static double sem_dot(const float *a, const float *b, size_t dim)
{
    double s = 0;
    for (size_t k = 0; k < dim; k++)
        s += (double)a[k] * b[k];
    return s;
}

static double sem_round(double x)
{
    return round(x * 1000) / 1000;
}

static void sem_unit(double *v, size_t dim)
{
    double norm = 0;
    for (size_t k = 0; k < dim; k++)
        norm += v[k] * v[k];
    for (size_t k = 0; norm > 0 && k < dim; k++)
        v[k] /= sqrt(norm);
}

/* The cosine of unit vector ref and a sentence's unit vector. */
static double sem_sim(const double *ref, const float *s, size_t dim)
{
    double x = 0;
    for (size_t k = 0; k < dim; k++)
        x += ref[k] * s[k];
    return x;
}

json_t *semantic_measure_new(const float *vecs, size_t dim, const json_t *points,
                             const json_t *sentences)
{
    size_t np = json_array_size(points), ns = json_array_size(sentences), kept = 0, best = 0;
    const float *q = vecs, *sent = vecs + (1 + np) * dim;
    double *ref = calloc(dim ? dim : 1, sizeof(*ref)), *mean = calloc(dim ? dim : 1, sizeof(*mean));
    char *restated = calloc(ns ? ns : 1, 1);
    double best_sim = -2;
    json_t *list = json_array(), *out = NULL;
    if (!ref || !mean || !restated || !list)
        goto out;
    for (size_t k = 0; k < dim; k++) {
        double pm = 0;
        for (size_t p = 0; p < np; p++)
            pm += vecs[(1 + p) * dim + k];
        ref[k] = q[k] + (np ? pm / (double)np : 0);
    }
    sem_unit(ref, dim);
    for (size_t s = 0; s < ns; s++) {
        if (sem_dot(q, sent + s * dim, dim) >= SEMANTIC_RESTATEMENT) {
            restated[s] = 1;
            continue;
        }
        kept++;
        for (size_t k = 0; k < dim; k++)
            mean[k] += sent[s * dim + k];
        double sim = sem_sim(ref, sent + s * dim, dim);
        if (sim > best_sim)
            best_sim = sim, best = s;
    }
    sem_unit(mean, dim);
    double similarity = 0;
    for (size_t k = 0; kept && k < dim; k++)
        similarity += ref[k] * mean[k];
    for (size_t p = 0; p < np; p++) {
        double top = -2;
        for (size_t s = 0; s < ns; s++) {
            double sim = restated[s] ? -2 : sem_dot(vecs + (1 + p) * dim, sent + s * dim, dim);
            top = sim > top ? sim : top;
        }
        json_array_append_new(list, json_pack("{s:O, s:o}", "text", json_array_get(points, p), "similarity",
                                              kept ? json_real(sem_round(top)) : json_null()));
    }
    const json_t *bs = json_array_get(sentences, best);
    json_t *best_obj = kept ? json_pack("{s:f, s:O, s:O}", "similarity", sem_round(best_sim), "start",
                                        json_object_get(bs, "start"), "text", json_object_get(bs, "text"))
                            : json_null();
    out = json_pack("{s:f, s:i, s:o, s:O}", "similarity", sem_round(similarity), "restatements",
                    (json_int_t)(ns - kept), "best_sentence", best_obj, "talking_points", list);
out:
    free(ref);
    free(mean);
    free(restated);
    json_decref(list);
    return out;
}

static json_t *sem_unavailable(const char *reason)
{
    return json_pack("{s:n, s:s}", "similarity", "reason", reason);
}

json_t *semantic_relevance_new(const embed_opts *o, const char *question, const json_t *points,
                               const json_t *words)
{
    json_t *sentences = NULL, *out = NULL, *kept = NULL;
    const char **texts = NULL;
    float *vecs = NULL;
    size_t dim = 0, np = 0, ns, n = 0, i;
    char model[256] = "", err[512] = "";
    const json_t *p;
    if (!o || !o->url || !*o->url)
        return sem_unavailable("no embeddings server is configured (ISIM_EMBED_URL)");
    if (!question || !*question)
        return sem_unavailable("there is no question to compare with");
    sentences = semantic_sentences_new(words);
    ns = json_array_size(sentences);
    if (!sentences || ns == 0) {
        out = sentences ? sem_unavailable("the answer has no words") : NULL;
        goto out;
    }
    json_array_foreach(points, i, p)
        np += json_is_string(p);
    if (np + 2 > EMBED_MAX_TEXTS) {
        out = sem_unavailable("the question has too many talking points to embed in one request");
        goto out;
    }
    if (ns > EMBED_MAX_TEXTS - 1 - np) /* the rest of a very long answer is left out */
        ns = EMBED_MAX_TEXTS - 1 - np;
    texts = calloc(1 + np + ns, sizeof(*texts));
    kept = json_array();
    if (!texts || !kept)
        goto out;
    texts[n++] = question;
    json_array_foreach(points, i, p) {
        if (json_is_string(p)) {
            texts[n++] = json_string_value(p);
            json_array_append_new(kept, json_string(json_string_value(p)));
        }
    }
    for (i = 0; i < ns; i++)
        texts[n++] = json_string_value(json_object_get(json_array_get(sentences, i), "text"));
    while (json_array_size(sentences) > ns)
        json_array_remove(sentences, ns);
    if (embed_vectors_new(o, texts, n, &vecs, &dim, model, sizeof(model), err, sizeof(err)) != 0) {
        out = sem_unavailable(err);
        goto out;
    }
    out = semantic_measure_new(vecs, dim, kept, sentences);
    if (out) {
        json_object_set_new(out, "source", json_string(model[0] ? model : (o->model ? o->model : "")));
        json_object_set_new(out, "sentences", json_integer((json_int_t)ns));
    }
out:
    embed_vectors_free(vecs);
    free(texts);
    json_decref(kept);
    json_decref(sentences);
    return out;
}

#include "report_relevance.h"

#include "isim_words.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define REL_TERM_MAX 64
#define REL_STEM_MIN 3 /* bytes a stem keeps at least */

/* The word's letters, lower-cased (apostrophes kept inside: "don't"), with
 * the first of the language's suffix rules that fits removed or replaced
 * ([["ies","y"],["ing",""],...]: data/<lang>/stem_suffixes.txt). */
int relevance_stem(const char *word, const json_t *suffixes, char *out, size_t len)
{
    const char *p = word ? word : "";
    size_t n = words_next(&p, 1, out, len), i;
    const json_t *rule;
    if (n > 2 && strcmp(out + n - 2, "'s") == 0)
        out[n -= 2] = '\0';
    json_array_foreach(suffixes, i, rule) {
        const char *suf = json_string_value(json_array_get(rule, 0));
        const char *rep = json_string_value(json_array_get(rule, 1));
        size_t s = suf ? strlen(suf) : 0, r = rep ? strlen(rep) : 0;
        if (!s || n < s + REL_STEM_MIN || strcmp(out + n - s, suf) != 0 || n - s + r >= len)
            continue;
        memcpy(out + n - s, rep ? rep : "", r + 1);
        n = n - s + r;
        break;
    }
    return out[0] != '\0';
}

/* Adds the stems of text's content words to the term->count object. */
static void rel_count_text(const char *text, const relevance_lang *lang, json_t *counts)
{
    char tok[REL_TERM_MAX], stem[REL_TERM_MAX];
    const char *p = text ? text : "";
    while (words_next(&p, 1, tok, sizeof(tok))) {
        if ((lang->stopwords && json_object_get(lang->stopwords, tok)) ||
            !relevance_stem(tok, lang->suffixes, stem, sizeof(stem)))
            continue;
        json_int_t c = json_integer_value(json_object_get(counts, stem));
        json_object_set_new(counts, stem, json_integer(c + 1));
    }
}

/* IDF with smoothing (as scikit-learn's TfidfVectorizer): ln((1+N)/(1+df)) + 1. */
static double rel_idf(const char *term, json_t *const *docs, size_t ndocs)
{
    size_t df = 0;
    for (size_t i = 0; i < ndocs; i++)
        df += json_object_get(docs[i], term) != NULL;
    return log((1.0 + (double)ndocs) / (1.0 + (double)df)) + 1.0;
}

static double rel_cosine(const json_t *a, const json_t *b, json_t *const *docs, size_t ndocs)
{
    double dot = 0, na = 0, nb = 0;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)a, k, v) {
        double idf = rel_idf(k, docs, ndocs), x = (double)json_integer_value(v) * idf;
        na += x * x;
        json_t *o = json_object_get(b, k);
        if (o)
            dot += x * (double)json_integer_value(o) * idf;
    }
    json_object_foreach((json_t *)b, k, v) {
        double x = (double)json_integer_value(v) * rel_idf(k, docs, ndocs);
        nb += x * x;
    }
    return na > 0 && nb > 0 ? dot / sqrt(na * nb) : 0.0;
}

/* First time each answer stem is said: stem -> start. */
static json_t *rel_answer_times(const json_t *words, const relevance_lang *lang)
{
    json_t *times = json_object();
    size_t i;
    const json_t *w;
    char stem[REL_TERM_MAX], low[REL_TERM_MAX];
    json_array_foreach(words, i, w) {
        const char *t = json_string_value(json_object_get(w, "word"));
        if (!t || !words_next(&t, 1, low, sizeof(low)))
            continue;
        if ((lang->stopwords && json_object_get(lang->stopwords, low)) ||
            !relevance_stem(low, lang->suffixes, stem, sizeof(stem)))
            continue;
        if (!json_object_get(times, stem))
            json_object_set_new(times, stem, json_real(json_number_value(json_object_get(w, "start"))));
    }
    return times;
}

static json_t *rel_point(const char *text, const json_t *answer_times, json_t *const *docs,
                         size_t ndocs, const relevance_lang *lang)
{
    json_t *terms = json_object(), *matched = json_array(), *missing = json_array();
    rel_count_text(text, lang, terms);
    double have = 0, total = 0;
    const char *k;
    json_t *v;
    json_object_foreach(terms, k, v) {
        double idf = rel_idf(k, docs, ndocs);
        total += idf;
        json_t *t = json_object_get(answer_times, k);
        if (t) {
            have += idf;
            json_array_append_new(matched, json_pack("{s:s, s:O}", "term", k, "start", t));
        } else {
            json_array_append_new(missing, json_string(k));
        }
    }
    double cov = total > 0 ? have / total : 0.0;
    json_decref(terms);
    return json_pack("{s:s, s:f, s:b, s:o, s:o}", "text", text, "coverage",
                     round(cov * 1000) / 1000, "covered", cov >= RELEVANCE_POINT_COVERED,
                     "matched", matched, "missing", missing);
}

json_t *relevance_compute(const char *question, const json_t *points, const json_t *words,
                          const relevance_lang *given)
{
    const relevance_lang none = {0}, *lang = given ? given : &none;
    size_t np = json_is_array(points) ? json_array_size(points) : 0, ndocs = np + 2;
    json_t **docs = calloc(ndocs, sizeof(*docs));
    json_t *query = json_object(), *answer_times = NULL, *out = NULL, *list = json_array();
    if (!docs || !query || !list)
        goto done;
    for (size_t i = 0; i < ndocs; i++)
        docs[i] = json_object();
    rel_count_text(question, lang, docs[0]);
    rel_count_text(question, lang, query);
    for (size_t i = 0; i < np; i++) {
        const char *p = json_string_value(json_array_get(points, i));
        rel_count_text(p, lang, docs[1 + i]);
        rel_count_text(p, lang, query);
    }
    size_t i;
    const json_t *w;
    json_array_foreach(words, i, w)
        rel_count_text(json_string_value(json_object_get(w, "word")), lang, docs[ndocs - 1]);
    answer_times = rel_answer_times(words, lang);
    double sim = rel_cosine(docs[ndocs - 1], query, docs, ndocs);
    size_t covered = 0;
    for (size_t k = 0; k < np; k++) {
        const char *p = json_string_value(json_array_get(points, k));
        if (!p)
            continue;
        /* A point's terms are weighed by how specific they are among the
         * question and its points, not counting the answer: counted, every
         * word the answer says would weigh less than the ones it misses. */
        json_t *pt = rel_point(p, answer_times, docs, ndocs - 1, lang);
        covered += json_is_true(json_object_get(pt, "covered"));
        json_array_append_new(list, pt);
    }
    size_t nlisted = json_array_size(list);
    out = json_pack("{s:s, s:f, s:o, s:O}", "method", "tf-idf cosine", "similarity",
                    round(sim * 1000) / 1000,
                    "covered_share", nlisted ? json_real(round(1000.0 * covered / nlisted) / 1000)
                                             : json_null(),
                    "talking_points", list);
done:
    for (size_t k = 0; docs && k < ndocs; k++)
        json_decref(docs[k]);
    free(docs);
    json_decref(query);
    json_decref(answer_times);
    json_decref(list);
    return out;
}

#include "tmetrics.h"

#include "fillers.h"
#include "isim_words.h"
#include "tm_parts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int read_time(const json_t *w, size_t i, const char *key, double *v, char *err,
                     size_t errlen)
{
    const json_t *t = json_object_get(w, key);
    if (!json_is_number(t)) {
        snprintf(err, errlen, "words[%zu].%s is missing or not a number", i, key);
        return -1;
    }
    *v = json_number_value(t);
    /* A bound keeps the per-window pace series small (found by fuzzing: an
     * end of 1e46 s asked for more windows than memory holds). */
    if (!isfinite(*v) || *v < 0 || *v > TM_MAX_TIME_S) {
        snprintf(err, errlen, "words[%zu].%s is %g, not a time in seconds of a recording", i, key, *v);
        return -1;
    }
    return 0;
}

/* Checks every entry of words and fills out[] with normalised copies. */
static int load_words(const json_t *words, tm_word *out, char *err, size_t errlen)
{
    size_t i;
    const json_t *w;
    json_array_foreach(words, i, w) {
        const json_t *text = json_object_get(w, "word");
        if (!json_is_object(w)) {
            snprintf(err, errlen, "words[%zu] is not an object", i);
            return -1;
        }
        if (!json_is_string(text)) {
            snprintf(err, errlen, "words[%zu].word is missing or not a string", i);
            return -1;
        }
        if (read_time(w, i, "start", &out[i].start, err, errlen) < 0 ||
            read_time(w, i, "end", &out[i].end, err, errlen) < 0)
            return -1;
        if (out[i].end < out[i].start) {
            snprintf(err, errlen, "words[%zu] ends (%g) before it starts (%g)", i, out[i].end,
                     out[i].start);
            return -1;
        }
        out[i].word = words_normalise(json_string_value(text), &out[i].ends_sentence);
        out[i].ends_sentence |= json_is_true(json_object_get(w, "sentence_end"));
        if (!out[i].word) {
            snprintf(err, errlen, "out of memory reading words");
            return -1;
        }
    }
    return 0;
}

/* The transcript's own duration if it has one, else the last word's end. */
static int read_duration(const json_t *transcript, double last_end, double *d, char *err,
                         size_t errlen)
{
    const json_t *v = json_object_get(transcript, "duration_s");
    *d = last_end;
    if (!v)
        return 0;
    if (!json_is_number(v) || !isfinite(json_number_value(v)) || json_number_value(v) < 0 ||
        json_number_value(v) > TM_MAX_TIME_S) {
        snprintf(err, errlen, "transcript duration_s is not a recording's length in seconds (0 to %d)", TM_MAX_TIME_S);
        return -1;
    }
    *d = json_number_value(v);
    return 0;
}

int tmetrics_compute(const tm_lexicon *lex, const json_t *transcript, json_t **out, char *err,
                     size_t errlen)
{
    int rc = -1;
    tm_word *w = NULL;
    unsigned char *mark = NULL;
    size_t n = 0;
    json_t *fillers = NULL, *m = NULL;

    *out = NULL;
    const json_t *words = json_object_get(transcript, "words");
    if (!json_is_object(transcript) || !json_is_array(words)) {
        snprintf(err, errlen, "transcript must be an object with a words array");
        goto out;
    }
    n = json_array_size(words);
    w = calloc(n ? n : 1, sizeof *w);
    mark = calloc(n ? n : 1, 1);
    fillers = json_array();
    m = json_object();
    if (!w || !mark || !fillers || !m) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (load_words(words, w, err, errlen) < 0)
        goto out;
    for (size_t i = 1; i < n; i++) {
        if (w[i].start < w[i - 1].start) {
            snprintf(err, errlen, "words[%zu] starts (%g) before the word ahead of it (%g)", i,
                     w[i].start, w[i - 1].start);
            goto out;
        }
    }
    double last = 0.0, duration;
    for (size_t i = 0; i < n; i++)
        last = fmax(last, w[i].end);
    if (read_duration(transcript, last, &duration, err, errlen) < 0)
        goto out;
    int nfill = fillers_find(lex, w, n, fillers, mark, err, errlen);
    if (nfill < 0)
        goto out;
    int bad = json_object_set_new(m, "language", json_string(lex->lang));
    bad |= json_object_set_new(m, "word_count", json_integer((json_int_t)n));
    bad |= json_object_set_new(m, "duration_s", json_real(duration));
    bad |= json_object_set_new(m, "filler_count", json_integer(nfill));
    bad |= json_object_set_new(m, "fillers_per_100_words",
                               json_real(n ? tm_round3(100.0 * nfill / (double)n) : 0.0));
    bad |= json_object_set(m, "fillers", fillers);
    if (bad) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    if (tm_pace_add(w, n, duration, m, err, errlen) != 0 ||
        tm_content_add(lex, w, n, m, err, errlen) != 0 ||
        tm_style_add(lex, w, n, mark, m, err, errlen) != 0)
        goto out;
    *out = m;
    m = NULL;
    rc = 0;
out:
    for (size_t i = 0; w && i < n; i++)
        free((char *)w[i].word);
    free(w);
    free(mark);
    json_decref(fillers);
    json_decref(m);
    return rc;
}

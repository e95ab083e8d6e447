#include "tm_parts.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const STAR_KEYS[4] = {"situation", "task", "action", "result"};
static const char STAR_LETTERS[4] = {'S', 'T', 'A', 'R'};

static json_t *tm_span(const char *key, const char *text, const tm_word *w, size_t i, size_t len)
{
    return json_pack("{s:s, s:f, s:f, s:I}", key, text, "start", tm_round3(w[i].start), "end",
                     tm_round3(w[i + len - 1].end), "index", (json_int_t)i);
}

/* Every match of list in w, as {"<key>": entry, start, end, index}. */
static json_t *tm_matches(const tm_list *l, const tm_word *w, size_t n, const char *key,
                          const char *extra_key)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        size_t e = 0, len = tm_list_match(l, w, n, i, &e);
        if (!len)
            continue;
        json_t *m = tm_span(key, l->entries[e].text, w, i, len);
        if (m && extra_key && l->entries[e].extra)
            json_object_set_new(m, extra_key, json_string(l->entries[e].extra));
        if (json_array_append_new(arr, m) != 0) {
            json_decref(arr);
            return NULL;
        }
        i += len - 1;
    }
    return arr;
}

static int tm_has_digit(const char *s)
{
    for (; *s; s++)
        if (isdigit((unsigned char)*s))
            return 1;
    return 0;
}

static json_t *tm_quantified(const tm_lexicon *lex, const tm_word *w, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        if (!tm_has_digit(w[i].word) && !tm_list_has(&lex->lists[TM_NUMBERS], w[i].word))
            continue;
        if (json_array_append_new(arr, tm_span("word", w[i].word, w, i, 1)) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *tm_counted(json_t *items, size_t n)
{
    if (!items)
        return NULL;
    size_t c = json_array_size(items);
    return json_pack("{s:I, s:f, s:o}", "count", (json_int_t)c, "per_100_words",
                     n ? tm_round3(100.0 * (double)c / (double)n) : 0.0, "items", items);
}

/* STAR: cues of each part; each word belongs to the part whose cue came last
 * before it (words before any cue to none); order of first cues. */
static json_t *tm_star(const tm_lexicon *lex, const tm_word *w, size_t n)
{
    json_t *parts[4] = {NULL}, *star = json_object();
    size_t words_in[4] = {0};
    double first[4] = {-1, -1, -1, -1};
    int current = -1;
    for (int c = 0; c < 4; c++)
        parts[c] = json_array();
    for (size_t i = 0; i < n; i++) {
        size_t best = 0, e = 0;
        int which = -1;
        for (int c = 0; c < 4; c++) {
            size_t ce = 0, len = tm_list_match(&lex->lists[TM_STAR_SITUATION + c], w, n, i, &ce);
            if (len > best) {
                best = len;
                e = ce;
                which = c;
            }
        }
        if (which >= 0) {
            const tm_list *l = &lex->lists[TM_STAR_SITUATION + which];
            json_array_append_new(parts[which], tm_span("cue", l->entries[e].text, w, i, best));
            if (first[which] < 0)
                first[which] = tm_round3(w[i].start);
            current = which;
        }
        if (current >= 0)
            words_in[current]++;
    }
    char order[5] = "";
    int present = 0, in_order = 1;
    double prev = -1;
    for (int c = 0; c < 4; c++) {
        if (first[c] < 0)
            continue;
        present++;
        if (first[c] < prev)
            in_order = 0;
        prev = first[c];
    }
    /* letters sorted by first cue time */
    for (int k = 0; k < present; k++) {
        int best = -1;
        for (int c = 0; c < 4; c++)
            if (first[c] >= 0 && !strchr(order, STAR_LETTERS[c]) &&
                (best < 0 || first[c] < first[best]))
                best = c;
        order[k] = STAR_LETTERS[best];
        order[k + 1] = '\0';
    }
    for (int c = 0; c < 4; c++) {
        json_t *p = json_pack("{s:o, s:f}", "cues", parts[c], "share",
                              n ? tm_round3((double)words_in[c] / (double)n) : 0.0);
        if (p)
            json_object_set_new(p, "first_s", first[c] >= 0 ? json_real(first[c]) : json_null());
        json_object_set_new(star, STAR_KEYS[c], p);
    }
    json_object_set_new(star, "present", json_integer(present));
    json_object_set_new(star, "order", json_string(order));
    json_object_set_new(star, "in_order", json_boolean(in_order));
    return star;
}

int tm_content_add(const tm_lexicon *lex, const tm_word *w, size_t n, json_t *out, char *err,
                   size_t errlen)
{
    int bad = 0;
    bad |= json_object_set_new(out, "hedges",
                               tm_counted(tm_matches(&lex->lists[TM_HEDGES], w, n, "phrase", NULL), n));
    bad |= json_object_set_new(
        out, "action_verbs",
        tm_counted(tm_matches(&lex->lists[TM_ACTION_VERBS], w, n, "word", NULL), n));
    bad |= json_object_set_new(out, "quantified", tm_counted(tm_quantified(lex, w, n), n));
    bad |= json_object_set_new(
        out, "noninclusive",
        tm_counted(tm_matches(&lex->lists[TM_NONINCLUSIVE], w, n, "term", "suggestion"), n));
    bad |= json_object_set_new(out, "star", tm_star(lex, w, n));
    if (bad) {
        snprintf(err, errlen, "out of memory computing content metrics");
        return -1;
    }
    return 0;
}

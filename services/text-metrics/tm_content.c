#include "tm_parts.h"
#include "tm_star.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static json_t *tm_span(const char *key, const char *text, const tm_word *w, size_t i, size_t len)
{
    return json_pack("{s:s, s:f, s:f, s:I}", key, text, "start", tm_round3(w[i].start), "end",
                     tm_round3(w[i + len - 1].end), "index", (json_int_t)i);
}

/* An entry "<phrase> | -" is a context in which the list's words are not
 * what the list counts ("had just", "the build"): it is matched like any
 * entry, the longest match winning, and its words are skipped unreported. */
static int tm_is_exclusion(const tm_entry *e)
{
    return e->extra && strcmp(e->extra, "-") == 0;
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
        if (tm_is_exclusion(&l->entries[e])) {
            i += len - 1;
            continue;
        }
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

/* Four digits from 1900 to 2099 alone ("2021") are a year, which quantifies
 * no result; recognisers write counts that large with a separator ("2,000")
 * or in words. */
static int tm_is_year(const char *s)
{
    if (strlen(s) != 4)
        return 0;
    for (int k = 0; k < 4; k++)
        if (!isdigit((unsigned char)s[k]))
            return 0;
    return (s[0] == '1' && s[1] == '9') || (s[0] == '2' && s[1] == '0');
}

static json_t *tm_quantified(const tm_lexicon *lex, const tm_word *w, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        if (tm_is_year(w[i].word) ||
            (!tm_has_digit(w[i].word) && !tm_list_has(&lex->lists[TM_NUMBERS], w[i].word)))
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
    bad |= json_object_set_new(out, "star", tm_star_new(lex, w, n));
    if (bad) {
        snprintf(err, errlen, "out of memory computing content metrics");
        return -1;
    }
    return 0;
}

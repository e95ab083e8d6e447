#include "tm_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TM_TOP_WORDS 10
#define TM_TOP_PHRASES 5

typedef struct tm_gram {
    char *text;
    size_t pos; /* index into w of the first word */
    size_t len;
} tm_gram;

static int tm_gram_cmp(const void *a, const void *b)
{
    const tm_gram *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static int tm_is_content(const tm_lexicon *lex, const char *word)
{
    return word[0] && word[1] && !tm_list_has(&lex->lists[TM_STOPWORDS], word) &&
           !tm_list_has(&lex->lists[TM_FILLERS], word);
}

/* Sentences end at the transcript's punctuation when it has any, else at
 * pauses of TM_SENTENCE_PAUSE_S. */
static json_t *tm_sentences(const tm_word *w, size_t n)
{
    int punct = 0;
    for (size_t i = 0; i < n; i++)
        punct |= w[i].ends_sentence;
    json_t *list = json_array();
    size_t begin = 0, longest = 0, count = 0;
    for (size_t i = 0; list && i < n; i++) {
        int end = i + 1 == n || (punct ? w[i].ends_sentence
                                       : w[i + 1].start - w[i].end >= TM_SENTENCE_PAUSE_S);
        if (!end)
            continue;
        size_t len = i + 1 - begin;
        longest = len > longest ? len : longest;
        count++;
        json_array_append_new(list, json_pack("{s:f, s:f, s:I}", "start", tm_round3(w[begin].start),
                                              "end", tm_round3(w[i].end), "words", (json_int_t)len));
        begin = i + 1;
    }
    return json_pack("{s:s, s:I, s:f, s:I, s:o}", "segmented_by", punct ? "punctuation" : "pauses",
                     "count", (json_int_t)count, "mean_words",
                     count ? tm_round3((double)n / (double)count) : 0.0, "max_words",
                     (json_int_t)longest, "items", list);
}

/* Moving-average type-token ratio (Covington & McFall 2010) over the kept
 * words; shorter answers get the plain type-token ratio. */
static double tm_mattr(const tm_word *w, const size_t *idx, size_t m, size_t *window)
{
    size_t win = m < TM_MATTR_WINDOW ? m : TM_MATTR_WINDOW;
    *window = win;
    if (!win)
        return 0.0;
    double sum = 0.0;
    size_t nwin = m - win + 1;
    for (size_t s = 0; s < nwin; s++) {
        size_t types = 0;
        for (size_t a = s; a < s + win; a++) {
            size_t b = s;
            while (b < a && strcmp(w[idx[b]].word, w[idx[a]].word) != 0)
                b++;
            types += b == a;
        }
        sum += (double)types / (double)win;
    }
    return sum / (double)nwin;
}

static json_t *tm_top_words(const tm_lexicon *lex, const tm_word *w, const size_t *idx, size_t m)
{
    tm_gram *g = calloc(m ? m : 1, sizeof(*g));
    json_t *arr = json_array();
    size_t k = 0;
    for (size_t i = 0; g && i < m; i++)
        if (tm_is_content(lex, w[idx[i]].word))
            g[k++] = (tm_gram){(char *)w[idx[i]].word, idx[i], 1};
    if (!g || !arr)
        goto fail;
    qsort(g, k, sizeof(*g), tm_gram_cmp);
    /* pick the TM_TOP_WORDS largest runs (ties: alphabetical) */
    for (int pick = 0; pick < TM_TOP_WORDS; pick++) {
        size_t best = k, best_n = 1;
        for (size_t a = 0; a < k;) {
            size_t b = a;
            while (b < k && strcmp(g[a].text, g[b].text) == 0)
                b++;
            if (g[a].len && b - a > best_n) {
                best = a;
                best_n = b - a;
            }
            a = b;
        }
        if (best == k)
            break;
        if (json_array_append_new(arr, json_pack("{s:s, s:I, s:f}", "word", g[best].text, "count",
                                                 (json_int_t)best_n, "first_s",
                                                 tm_round3(w[g[best].pos].start))) != 0)
            goto fail;
        for (size_t j = best; j < best + best_n; j++)
            g[j].len = 0; /* used */
    }
    free(g);
    return arr;
fail:
    free(g);
    json_decref(arr);
    return NULL;
}

/* Phrases of 2 or 3 kept words with a content word, said at least twice;
 * a 2-word phrase inside a listed 3-word one with the same count is left out. */
static json_t *tm_repeated(const tm_lexicon *lex, const tm_word *w, const size_t *idx, size_t m)
{
    json_t *arr = json_array();
    tm_gram *g = calloc(m ? 2 * m : 1, sizeof(*g));
    size_t k = 0;
    if (!arr || !g)
        goto fail;
    for (size_t len = 3; len >= 2; len--) {
        for (size_t i = 0; i + len <= m; i++) {
            int content = 0;
            size_t sz = 1;
            for (size_t j = 0; j < len; j++) {
                content |= tm_is_content(lex, w[idx[i + j]].word);
                sz += strlen(w[idx[i + j]].word) + 1;
            }
            if (!content)
                continue;
            char *t = malloc(sz);
            if (!t)
                goto fail;
            t[0] = '\0';
            for (size_t j = 0; j < len; j++) {
                if (j)
                    strcat(t, " ");
                strcat(t, w[idx[i + j]].word);
            }
            g[k++] = (tm_gram){t, idx[i], len};
        }
    }
    qsort(g, k, sizeof(*g), tm_gram_cmp);
    json_t *found = json_array();
    for (size_t a = 0; found && a < k;) {
        size_t b = a;
        while (b < k && strcmp(g[a].text, g[b].text) == 0)
            b++;
        if (b - a >= 2) {
            json_t *starts = json_array();
            for (size_t j = a; j < b; j++)
                json_array_append_new(starts, json_real(tm_round3(w[g[j].pos].start)));
            json_array_append_new(found, json_pack("{s:s, s:I, s:I, s:o}", "phrase", g[a].text,
                                                   "words", (json_int_t)g[a].len, "count",
                                                   (json_int_t)(b - a), "starts", starts));
        }
        a = b;
    }
    /* most repeated first, longer first on ties; drop 2-grams inside kept 3-grams */
    size_t nf = json_array_size(found);
    for (int pick = 0; pick < TM_TOP_PHRASES; pick++) {
        json_t *best = NULL;
        size_t bi = 0;
        for (size_t i = 0; i < nf; i++) {
            json_t *f = json_array_get(found, i);
            if (!f || json_is_null(f))
                continue;
            json_int_t c = json_integer_value(json_object_get(f, "count"));
            json_int_t l = json_integer_value(json_object_get(f, "words"));
            if (!best || c > json_integer_value(json_object_get(best, "count")) ||
                (c == json_integer_value(json_object_get(best, "count")) &&
                 l > json_integer_value(json_object_get(best, "words")))) {
                best = f;
                bi = i;
            }
        }
        if (!best)
            break;
        int inside = 0;
        char needle[256], hay[256];
        snprintf(needle, sizeof(needle), " %s ", json_string_value(json_object_get(best, "phrase")));
        size_t ai;
        json_t *kept;
        json_array_foreach(arr, ai, kept) {
            snprintf(hay, sizeof(hay), " %s ", json_string_value(json_object_get(kept, "phrase")));
            if (strstr(hay, needle) && json_integer_value(json_object_get(kept, "count")) ==
                                           json_integer_value(json_object_get(best, "count")))
                inside = 1;
        }
        if (!inside)
            json_array_append(arr, best);
        else
            pick--;
        json_array_set_new(found, bi, json_null());
    }
    json_decref(found);
    for (size_t i = 0; i < k; i++)
        free(g[i].text);
    free(g);
    return arr;
fail:
    for (size_t i = 0; g && i < k; i++)
        free(g[i].text);
    free(g);
    json_decref(arr);
    return NULL;
}

int tm_style_add(const tm_lexicon *lex, const tm_word *w, size_t n, const unsigned char *filler,
                 json_t *out, char *err, size_t errlen)
{
    int rc = -1;
    size_t m = 0, window = 0;
    size_t *idx = malloc((n ? n : 1) * sizeof(*idx));
    if (!idx)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (!filler[i])
            idx[m++] = i;
    double mattr = tm_mattr(w, idx, m, &window);
    int bad = json_object_set_new(out, "sentences", tm_sentences(w, n));
    bad |= json_object_set_new(out, "vocabulary",
                               json_pack("{s:f, s:I, s:I}", "mattr", tm_round3(mattr), "window",
                                         (json_int_t)window, "words", (json_int_t)m));
    bad |= json_object_set_new(out, "top_words", tm_top_words(lex, w, idx, m));
    bad |= json_object_set_new(out, "repeated_phrases", tm_repeated(lex, w, idx, m));
    if (bad)
        goto out;
    rc = 0;
out:
    if (rc)
        snprintf(err, errlen, "out of memory computing style metrics");
    free(idx);
    return rc;
}

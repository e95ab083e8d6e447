/* The rule, kept simple on purpose (no punctuation or grammar is available,
 * only words and their times):
 *  - "um", "uh", "er", "ah", "hmm", "erm" are always fillers.
 *  - "like" is a filler only when set off from its neighbours: a silence of at
 *    least PAUSE_S before or after it, or another filler from the list above
 *    right next to it ("so, like, um, ..."). Run into its neighbours it is a
 *    verb or preposition ("I like Python", "looks like rain") and not counted.
 *  - "you know" and "i mean" count once, at the first word's start, unless the
 *    word before makes them a question or clause ("do you know", "what I
 *    mean") or the word after, with no pause in between, is their object
 *    ("you know the answer", "I mean it"). */
#include "fillers.h"

#include <stdio.h>
#include <string.h>

#define PAUSE_S 0.3

static const char *const SINGLE[] = {"um", "uh", "er", "ah", "hmm", "erm", NULL};

static const char *const YOU_KNOW_BEFORE[] = {"do", "did", "does", "don't", "didn't",
                                              "doesn't", "if", "whether", "what", "how",
                                              "that", "as", "would", "will", NULL};
static const char *const YOU_KNOW_AFTER[] = {"that", "what", "how", "why", "where", "when",
                                             "who", "whether", "if", "the", "a", "an",
                                             "it", "this", "him", "her", "them", "me",
                                             "about", "my", "your", NULL};
static const char *const I_MEAN_BEFORE[] = {"what", "which", "that", "do", "did", "don't",
                                            "didn't", NULL};
static const char *const I_MEAN_AFTER[] = {"it", "that", "to", "what", "this", "you", NULL};

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

static int is_single(const tm_word *w, size_t n, size_t i)
{
    return i < n && in_list(w[i].word, SINGLE);
}

static int like_is_filler(const tm_word *w, size_t n, size_t i)
{
    int pause_before = i > 0 && w[i].start - w[i - 1].end >= PAUSE_S;
    int pause_after = i + 1 < n && w[i + 1].start - w[i].end >= PAUSE_S;
    return pause_before || pause_after || (i > 0 && is_single(w, n, i - 1)) ||
           is_single(w, n, i + 1);
}

/* Phrase "first second" at i, checked against the words around it. */
static int phrase_is_filler(const tm_word *w, size_t n, size_t i, const char *first,
                            const char *second, const char *const *before,
                            const char *const *after)
{
    if (i + 1 >= n || strcmp(w[i].word, first) != 0 || strcmp(w[i + 1].word, second) != 0)
        return 0;
    if (i > 0 && in_list(w[i - 1].word, before))
        return 0;
    if (i + 2 < n && w[i + 2].start - w[i + 1].end < PAUSE_S && in_list(w[i + 2].word, after))
        return 0;
    return 1;
}

static int add(json_t *fillers, const char *word, double start, double end)
{
    json_t *f = json_pack("{s:s, s:f, s:f}", "word", word, "start", start, "end", end);
    return f ? json_array_append_new(fillers, f) : -1;
}

int fillers_find(const tm_word *w, size_t n, json_t *fillers, char *err, size_t errlen)
{
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        int rc = 0;
        if (is_single(w, n, i) || (strcmp(w[i].word, "like") == 0 && like_is_filler(w, n, i))) {
            rc = add(fillers, w[i].word, w[i].start, w[i].end);
        } else if (phrase_is_filler(w, n, i, "you", "know", YOU_KNOW_BEFORE, YOU_KNOW_AFTER)) {
            rc = add(fillers, "you know", w[i].start, w[i + 1].end);
            i++;
        } else if (phrase_is_filler(w, n, i, "i", "mean", I_MEAN_BEFORE, I_MEAN_AFTER)) {
            rc = add(fillers, "i mean", w[i].start, w[i + 1].end);
            i++;
        } else {
            continue;
        }
        if (rc < 0) {
            snprintf(err, errlen, "out of memory listing fillers");
            return -1;
        }
        count++;
    }
    return count;
}

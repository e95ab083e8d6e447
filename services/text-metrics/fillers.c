/* The rules, kept simple on purpose (the recogniser gives words and their
 * times, no punctuation or grammar). PAUSE_S of silence "sets a word off".
 *  - Words of the fillers list (um, uh, er, ...) are always fillers.
 *  - "like", "so", "basically", "actually" are fillers when set off from their
 *    neighbours: a pause before or after, or an always-filler right next to
 *    them ("so, um, ..."). Run into their neighbours they are content: "I like
 *    Python", "looks like rain", "so that", "so many", "it actually works".
 *    "so" needs the pause after it (or a filler next to it): a pause only
 *    before is how a new clause starts ("... . So we shipped it").
 *  - "you know" and "i mean" count once, at the first word's start, unless the
 *    word before makes them a question or clause ("do you know", "what I
 *    mean") or the word after, with no pause in between, is their object
 *    ("you know the answer", "I mean it").
 *  - "kind of" and "sort of" are fillers unless a determiner or question word
 *    before them makes them a noun phrase ("what kind of", "this sort of"). */
#include "fillers.h"

#include "tm_parts.h"

#include <stdio.h>
#include <string.h>

#define PAUSE_S 0.3

static const char *const SET_OFF[] = {"like", "basically", "actually", NULL};

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
static const char *const KIND_OF_BEFORE[] = {"a", "an", "the", "what", "which", "this", "that",
                                             "these", "those", "any", "some", "every", "each",
                                             "same", "different", "one", "no", "other",
                                             "all", "my", "our", "your", "their", NULL};

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

static int is_always(const tm_lexicon *lex, const tm_word *w, size_t n, size_t i)
{
    return i < n && tm_list_has(&lex->lists[TM_FILLERS], w[i].word);
}

static int pause_before(const tm_word *w, size_t i)
{
    return i > 0 && w[i].start - w[i - 1].end >= PAUSE_S;
}

static int pause_after(const tm_word *w, size_t n, size_t i)
{
    return i + 1 < n && w[i + 1].start - w[i].end >= PAUSE_S;
}

static int set_off(const tm_lexicon *lex, const tm_word *w, size_t n, size_t i, int need_after)
{
    int near_filler = (i > 0 && is_always(lex, w, n, i - 1)) || is_always(lex, w, n, i + 1);
    if (near_filler || pause_after(w, n, i))
        return 1;
    return !need_after && pause_before(w, i);
}

/* Phrase "first second" at i, checked against the words around it. */
static int phrase_is_filler(const tm_word *w, size_t n, size_t i, const char *first,
                            const char *second, const char *const *before,
                            const char *const *after)
{
    if (i + 1 >= n || strcmp(w[i].word, first) != 0 || strcmp(w[i + 1].word, second) != 0)
        return 0;
    if (i > 0 && !pause_before(w, i) && in_list(w[i - 1].word, before))
        return 0;
    if (after && i + 2 < n && !pause_after(w, n, i + 1) && in_list(w[i + 2].word, after))
        return 0;
    return 1;
}

/* Words the filler at i spans (0: none). */
static size_t filler_at(const tm_lexicon *lex, const tm_word *w, size_t n, size_t i)
{
    if (is_always(lex, w, n, i))
        return 1;
    if (in_list(w[i].word, SET_OFF) && set_off(lex, w, n, i, 0))
        return 1;
    if (strcmp(w[i].word, "so") == 0 && set_off(lex, w, n, i, 1))
        return 1;
    if (phrase_is_filler(w, n, i, "you", "know", YOU_KNOW_BEFORE, YOU_KNOW_AFTER) ||
        phrase_is_filler(w, n, i, "i", "mean", I_MEAN_BEFORE, I_MEAN_AFTER) ||
        phrase_is_filler(w, n, i, "kind", "of", KIND_OF_BEFORE, NULL) ||
        phrase_is_filler(w, n, i, "sort", "of", KIND_OF_BEFORE, NULL))
        return 2;
    return 0;
}

int fillers_find(const tm_lexicon *lex, const tm_word *w, size_t n, json_t *fillers,
                 unsigned char *mark, char *err, size_t errlen)
{
    int count = 0;
    char phrase[128];
    for (size_t i = 0; i < n; i++) {
        size_t len = filler_at(lex, w, n, i);
        if (!len)
            continue;
        if (len == 2)
            snprintf(phrase, sizeof(phrase), "%s %s", w[i].word, w[i + 1].word);
        else
            snprintf(phrase, sizeof(phrase), "%s", w[i].word);
        json_t *f = json_pack("{s:s, s:f, s:f, s:I}", "word", phrase, "start",
                              tm_round3(w[i].start), "end", tm_round3(w[i + len - 1].end),
                              "index", (json_int_t)i);
        if (!f || json_array_append_new(fillers, f) != 0) {
            snprintf(err, errlen, "out of memory listing fillers");
            return -1;
        }
        for (size_t k = 0; mark && k < len; k++)
            mark[i + k] = 1;
        i += len - 1;
        count++;
    }
    return count;
}

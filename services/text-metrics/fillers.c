/* Fillers: the words of fillers.txt wherever they occur, and the phrases of
 * filler_rules.txt in the contexts their rules give (tm_filler_rules.h; the
 * rules and their reasons are data, one file per language). PAUSE_S of
 * silence "sets a word off". */
#include "fillers.h"

#include "tm_parts.h"

#include <stdio.h>
#include <string.h>

#define PAUSE_S 0.3

static int in_list(const char *w, char *const *list)
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

/* Whether rule r's phrase, at w[i..i+len), is a filler there. */
static int rule_applies(const tm_lexicon *lex, const tm_filler_rule *r, const tm_word *w, size_t n,
                        size_t i)
{
    size_t len = r->nwords, last = i + len - 1;
    if (i + len > n)
        return 0;
    for (size_t k = 0; k < len; k++)
        if (strcmp(w[i + k].word, r->words[k]) != 0)
            return 0;
    /* The words right next to it, said without a pause, make it content. */
    if (i > 0 && !pause_before(w, i) && in_list(w[i - 1].word, r->before))
        return 0;
    if (last + 1 < n && !pause_after(w, n, last) && in_list(w[last + 1].word, r->after))
        return 0;
    if (r->when == TM_WHEN_UNLESS)
        return 1;
    int near_filler = (i > 0 && is_always(lex, w, n, i - 1)) || is_always(lex, w, n, last + 1);
    if (near_filler || pause_after(w, n, last))
        return 1;
    return r->when == TM_WHEN_SET_OFF && pause_before(w, i);
}

/* Words the filler at i spans (0: none). */
static size_t filler_at(const tm_lexicon *lex, const tm_word *w, size_t n, size_t i)
{
    if (is_always(lex, w, n, i))
        return 1;
    for (size_t k = 0; k < lex->filler_rules.n; k++)
        if (rule_applies(lex, &lex->filler_rules.v[k], w, n, i))
            return lex->filler_rules.v[k].nwords;
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
        size_t used = 0;
        phrase[0] = '\0';
        for (size_t k = 0; k < len && used < sizeof(phrase); k++)
            used += (size_t)snprintf(phrase + used, sizeof(phrase) - used, "%s%s", k ? " " : "", w[i + k].word);
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

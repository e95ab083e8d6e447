/* STAR structure of an answer: where the candidate sets the scene
 * (situation), names the job to do (task), says what they did (action) and
 * what came of it (result).
 *
 * Two sources, both from the language's data files:
 * - cues (star_<part>.txt): phrases whose words are literal, "*" (any one
 *   word) or "@class" (a word of that class in star_words.txt, e.g. "i @past"
 *   for "i rewrote"); at each word the longest cue of any part wins, on a
 *   tie the one with more literal words;
 * - position: an answer that tells a story (it has an action cue) usually
 *   opens with the situation and closes with the result, said in words no
 *   list can hold ("our checkout conversion had been dropping..."). So its
 *   first sentence, when it says 5 words or more before any cue and that
 *   cue is not of a result (an answer may open with its outcome), is the
 *   situation, and its last, when no cue is in it, the result. Sentences end at punctuation, or at pauses when there is none
 *   (tm_style's rule); a story told in one breath gets no position cue.
 * Each word belongs to the part whose cue came last before it. */
#include "tm_star.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAR_POSITION_MIN_WORDS 5 /* shorter sentences ("Sure.") set no scene */
#define STAR_CUE_TEXT_WORDS 5     /* a position cue quotes the sentence's first words */

static const char *const STAR_KEYS[TM_STAR_PARTS] = {"situation", "task", "action", "result"};
static const char STAR_LETTERS[TM_STAR_PARTS] = {'S', 'T', 'A', 'R'};

typedef enum { STAR_BY_NONE, STAR_BY_CUE, STAR_BY_FIRST_SENTENCE, STAR_BY_LAST_SENTENCE } star_by;
static const char *const STAR_BY_NAMES[] = {"", "cue", "first_sentence", "last_sentence"};

typedef struct star_hit {
    int part;     /* -1: no cue starts at this word */
    size_t len;   /* words of the cue */
    star_by by;
} star_hit;

/* 1 when word is in class cls of star_words.txt ("past wrote", or a suffix
 * "past *ed" that leaves at least 3 letters before it). */
static int star_class_has(const tm_list *classes, const char *cls, const char *word)
{
    size_t wl = strlen(word);
    for (size_t k = 0; k < classes->n; k++) {
        const tm_entry *e = &classes->entries[k];
        if (e->nwords != 2 || strcmp(e->words[0], cls) != 0)
            continue;
        const char *v = e->words[1];
        if (v[0] == '*') {
            size_t sl = strlen(v + 1);
            if (sl && wl >= sl + 3 && strcmp(word + wl - sl, v + 1) == 0)
                return 1;
        } else if (strcmp(v, word) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Words of e matched at w[i..n), 0 if e does not match; *literal gets the
 * number of its literal words. */
static size_t star_entry_match(const tm_entry *e, const tm_list *classes, const tm_word *w, size_t n, size_t i,
                               size_t *literal)
{
    *literal = 0;
    if (i + e->nwords > n)
        return 0;
    for (size_t j = 0; j < e->nwords; j++) {
        const char *p = e->words[j], *word = w[i + j].word;
        if (strcmp(p, "*") == 0)
            continue;
        if (p[0] == '@' && p[1]) {
            if (!star_class_has(classes, p + 1, word))
                return 0;
        } else if (strcmp(p, word) == 0) {
            (*literal)++;
        } else {
            return 0;
        }
    }
    for (size_t j = 0; j + 1 < e->nwords; j++)
        if (w[i + j].ends_sentence) /* "... on first. I created" is no "first i" */
            return 0;
    return e->nwords;
}

/* The best cue of any part starting at w[i]: longest, then most literal,
 * then the earlier part. */
static star_hit star_best_cue(const tm_lexicon *lex, const tm_word *w, size_t n, size_t i)
{
    star_hit best = {.part = -1, .len = 0, .by = STAR_BY_NONE};
    size_t best_literal = 0;
    for (int c = 0; c < TM_STAR_PARTS; c++) {
        const tm_list *l = &lex->lists[TM_STAR_SITUATION + c];
        for (size_t k = 0; k < l->n; k++) {
            size_t literal = 0, len = star_entry_match(&l->entries[k], &lex->lists[TM_STAR_WORDS], w, n, i, &literal);
            if (len && (len > best.len || (len == best.len && literal > best_literal))) {
                best = (star_hit){.part = c, .len = len, .by = STAR_BY_CUE};
                best_literal = literal;
            }
        }
    }
    return best;
}

/* Index one past the end of the sentence starting at begin. */
static size_t star_sentence_end(const tm_word *w, size_t n, size_t begin, int punct)
{
    for (size_t i = begin; i < n; i++)
        if (i + 1 == n || (punct ? w[i].ends_sentence : w[i + 1].start - w[i].end >= TM_SENTENCE_PAUSE_S))
            return i + 1;
    return n;
}

/* Index of the first word in [from, to) that starts a cue, else to. */
static size_t star_first_cue(const star_hit *hit, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (hit[i].part >= 0)
            return i;
    return to;
}

/* The position rule (top of file) on the first and last sentences long
 * enough to say something; the opening counts up to its first cue, so that
 * an answer told in one breath ("so we had this client who ... and i had to")
 * still opens with its situation. */
static void star_position_cues(const tm_word *w, size_t n, star_hit *hit)
{
    int punct = 0, story = 0;
    for (size_t i = 0; i < n; i++) {
        punct |= w[i].ends_sentence;
        story |= hit[i].part == TM_STAR_ACTION_PART;
    }
    if (!story)
        return;
    size_t first_b = n, first_e = n, last_b = n, last_e = n, count = 0;
    for (size_t b = 0, e; b < n; b = e) {
        e = star_sentence_end(w, n, b, punct);
        if (e - b < STAR_POSITION_MIN_WORDS)
            continue;
        if (count++ == 0) {
            first_b = b;
            first_e = e;
        }
        last_b = b;
        last_e = e;
    }
    if (count == 0)
        return;
    size_t cue = star_first_cue(hit, first_b, first_e);
    /* an answer that opens with its outcome ("revenue grew by forty percent") */
    int opens_with_result = cue < first_e && hit[cue].part == TM_STAR_RESULT_PART;
    if (cue - first_b >= STAR_POSITION_MIN_WORDS && !opens_with_result)
        hit[first_b] = (star_hit){.part = TM_STAR_SITUATION_PART, .len = 1, .by = STAR_BY_FIRST_SENTENCE};
    if (count >= 2 && star_first_cue(hit, last_b, last_e) == last_e)
        hit[last_b] = (star_hit){.part = TM_STAR_RESULT_PART, .len = 1, .by = STAR_BY_LAST_SENTENCE};
}

/* {"cue": the words said, start, end, index, by}; a position cue quotes the
 * first words of its sentence. */
static json_t *star_cue_json(const tm_word *w, size_t n, size_t i, const star_hit *h)
{
    char text[256] = "";
    size_t quoted = h->by == STAR_BY_CUE ? h->len : STAR_CUE_TEXT_WORDS, used = 0, last = i;
    for (size_t j = i; j < n && j < i + quoted; j++) {
        if (h->by != STAR_BY_CUE && j > i && w[j - 1].ends_sentence)
            break;
        int k = snprintf(text + used, sizeof text - used, "%s%s", j > i ? " " : "", w[j].word);
        if (k < 0 || (size_t)k >= sizeof text - used)
            break;
        used += (size_t)k;
        last = j;
    }
    return json_pack("{s:s, s:f, s:f, s:I, s:s}", "cue", text, "start", tm_round3(w[i].start), "end",
                     tm_round3(w[last].end), "index", (json_int_t)i, "by", STAR_BY_NAMES[h->by]);
}

/* order (letters by first cue), present, in_order, and the per-part objects. */
static json_t *star_json(const tm_word *w, size_t n, const star_hit *hit)
{
    json_t *parts[TM_STAR_PARTS] = {NULL}, *star = json_object();
    size_t words_in[TM_STAR_PARTS] = {0};
    double first[TM_STAR_PARTS] = {-1, -1, -1, -1};
    int current = -1, bad = !star;
    for (int c = 0; c < TM_STAR_PARTS; c++)
        bad |= !(parts[c] = json_array());
    for (size_t i = 0; !bad && i < n; i++) {
        if (hit[i].part >= 0) {
            current = hit[i].part;
            bad |= json_array_append_new(parts[current], star_cue_json(w, n, i, &hit[i])) != 0;
            if (first[current] < 0)
                first[current] = tm_round3(w[i].start);
        }
        if (current >= 0)
            words_in[current]++;
    }
    char order[TM_STAR_PARTS + 1] = "";
    int present = 0, in_order = 1;
    double prev = -1;
    for (int c = 0; c < TM_STAR_PARTS; c++) {
        if (first[c] < 0)
            continue;
        present++;
        if (first[c] < prev)
            in_order = 0;
        prev = first[c];
    }
    for (int k = 0; k < present; k++) {
        int best = -1;
        for (int c = 0; c < TM_STAR_PARTS; c++)
            if (first[c] >= 0 && !strchr(order, STAR_LETTERS[c]) && (best < 0 || first[c] < first[best]))
                best = c;
        order[k] = STAR_LETTERS[best];
        order[k + 1] = '\0';
    }
    for (int c = 0; !bad && c < TM_STAR_PARTS; c++) {
        json_t *p = json_pack("{s:O, s:f, s:o}", "cues", parts[c], "share",
                              n ? tm_round3((double)words_in[c] / (double)n) : 0.0, "first_s",
                              first[c] >= 0 ? json_real(first[c]) : json_null());
        bad |= json_object_set_new(star, STAR_KEYS[c], p) != 0;
    }
    if (!bad) {
        bad |= json_object_set_new(star, "present", json_integer(present)) != 0;
        bad |= json_object_set_new(star, "order", json_string(order)) != 0;
        bad |= json_object_set_new(star, "in_order", json_boolean(in_order)) != 0;
    }
    for (int c = 0; c < TM_STAR_PARTS; c++)
        json_decref(parts[c]);
    if (bad) {
        json_decref(star);
        return NULL;
    }
    return star;
}

json_t *tm_star_new(const tm_lexicon *lex, const tm_word *w, size_t n)
{
    json_t *star = NULL;
    star_hit *hit = malloc((n ? n : 1) * sizeof(*hit));
    if (!hit)
        goto out;
    for (size_t i = 0; i < n; i++)
        hit[i] = (star_hit){.part = -1, .len = 0, .by = STAR_BY_NONE};
    for (size_t i = 0; i < n; i++) {
        hit[i] = star_best_cue(lex, w, n, i);
        if (hit[i].part >= 0)
            i += hit[i].len - 1; /* a cue's own words start no other cue */
    }
    star_position_cues(w, n, hit);
    star = star_json(w, n, hit);
out:
    free(hit);
    return star;
}

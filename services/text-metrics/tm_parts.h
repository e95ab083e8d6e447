/* The parts of the text metrics, each adding its keys to the metrics object.
 * Words are in time order; each returns 0 or -1 (out of memory) with err. */
#ifndef ISIM_TM_PARTS_H
#define ISIM_TM_PARTS_H

#include <jansson.h>
#include <stddef.h>

#include "tm_lexicon.h"

#define TM_WINDOW_S 10.0       /* pace windows */
#define TM_MAX_TIME_S 86400    /* no time in a transcript lies beyond a day */
#define TM_PAUSE_S 0.25        /* a silence between words this long is a pause */
#define TM_LONG_PAUSE_S 2.0    /* pauses listed as evidence */
#define TM_SENTENCE_PAUSE_S 0.7 /* ends a sentence when the transcript has no punctuation */
#define TM_MATTR_WINDOW 50     /* words per moving type-token-ratio window */

/* wpm, windows, articulation_wpm, pauses. */
int tm_pace_add(const tm_word *w, size_t n, double duration, json_t *out, char *err,
                size_t errlen);
/* hedges, action_verbs, quantified, noninclusive, star. */
int tm_content_add(const tm_lexicon *lex, const tm_word *w, size_t n, json_t *out, char *err,
                   size_t errlen);
/* sentences, vocabulary (MATTR), top_words, repeated_phrases; filler[i] marks
 * words that are part of a filler, left out of these. */
int tm_style_add(const tm_lexicon *lex, const tm_word *w, size_t n, const unsigned char *filler,
                 json_t *out, char *err, size_t errlen);

/* round to 3 decimals for stable JSON */
double tm_round3(double v);

#endif

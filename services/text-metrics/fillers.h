/* Filler-word detection on a timed word sequence. */
#ifndef ISIM_FILLERS_H
#define ISIM_FILLERS_H

#include <stddef.h>
#include <jansson.h>

#include "tm_lexicon.h"

/* Appends {"word","start","end","index"} for each filler in w[0..n) to
 * fillers, in order; a two-word filler ("you know") is one entry spanning
 * both words. mark (may be NULL) gets 1 at every word that is part of a
 * filler. The always-fillers come from lex's fillers list; the rules for the
 * ambiguous ones in its filler_rules. Returns the number of fillers or -1 (out of
 * memory) with err. */
int fillers_find(const tm_lexicon *lex, const tm_word *w, size_t n, json_t *fillers,
                 unsigned char *mark, char *err, size_t errlen);

#endif

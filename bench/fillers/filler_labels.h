/* Labelled utterances for filler precision and recall: words separated by
 * spaces, "/" a 0.6 s pause, a word ending in '*' starts a filler a listener
 * marks (a phrase marks its first word). Words last 0.3 s, 0.05 s apart.
 * Shared by the held-out measurement (filler_accuracy) and the unit tests. */
#ifndef ISIM_FILLER_LABELS_H
#define ISIM_FILLER_LABELS_H

#include <stdio.h>

#include "tm_lexicon.h"

typedef struct filler_counts {
    size_t utterances, words, truth, found, hits; /* hits: found where marked */
} filler_counts;

/* Scores one utterance with lex into c; mistakes are written to log (may be
 * NULL). 0, or -1 with err. */
int filler_labels_score(const tm_lexicon *lex, const char *utterance, filler_counts *c, FILE *log, char *err,
                        size_t errlen);
/* Every utterance of a file (lines; # comments and blank lines skipped). */
int filler_labels_score_file(const tm_lexicon *lex, const char *path, filler_counts *c, FILE *log, char *err,
                             size_t errlen);

#endif

/* Labelled answers for STAR precision and recall (bench/star/README.md): one
 * answer a line, "<id>: <words>", a marker [S] [T] [A] [R] (several letters
 * for a span of more than one part, [-] for none) labelling the words after it
 * up to the next marker. Each answer is turned into a transcript (words of
 * 0.3 s, 0.05 s apart, punctuation left on the words as a recogniser writes
 * it) and run through tmetrics_compute, the service's own code path.
 * Shared by the measurement (star_accuracy) and the unit tests. */
#ifndef ISIM_STAR_LABELS_H
#define ISIM_STAR_LABELS_H

#include <stdio.h>

#include "tm_lexicon.h"

enum { STAR_PARTS = 4 };

typedef struct star_part_counts {
    size_t tp, fp, fn;        /* answer level: part present in labels vs. any cue found */
    size_t cues, cues_inside; /* location level: cues found, and those inside a span of the part */
    size_t spans, spans_hit;  /* labelled spans of the part, and those with a cue of it inside */
} star_part_counts;

typedef struct star_counts {
    size_t answers;
    star_part_counts part[STAR_PARTS]; /* situation, task, action, result */
} star_counts;

/* "situation", "task", "action", "result". */
const char *star_part_name(int part);
/* Scores one labelled line with lex into c; mistakes go to log (may be NULL).
 * 0, or -1 with err (a malformed line or an error of the metrics). */
int star_labels_score(const tm_lexicon *lex, const char *line, star_counts *c, FILE *log, char *err,
                      size_t errlen);
/* Every answer of a file (# comments and blank lines skipped). */
int star_labels_score_file(const tm_lexicon *lex, const char *path, star_counts *c, FILE *log, char *err,
                           size_t errlen);
/* tp / (tp + fp), 1 when nothing was found and nothing was there to find. */
double star_precision(const star_part_counts *p);
double star_recall(const star_part_counts *p);
double star_cue_precision(const star_part_counts *p);
double star_span_recall(const star_part_counts *p);

#endif

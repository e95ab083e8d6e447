/* Labelled answers for the content and wording measurements
 * (bench/content/README.md): one answer a line, "<id>: <words>", where
 * "{h" ... "}" marks a hedge, "{q" a quantity, "{v" an action verb, "{n" a
 * non-inclusive term, "|" the end of a sentence and "/" a pause of the
 * speaker. Each answer becomes a transcript (words of 0.3 s, 0.05 s apart,
 * 0.8 s more at a pause; punctuation kept on the words as Whisper writes it,
 * or taken off as pocketsphinx gives none) and goes through tmetrics_compute,
 * the service's own code path. Shared by content_accuracy and the unit tests. */
#ifndef ISIM_CONTENT_LABELS_H
#define ISIM_CONTENT_LABELS_H

#include <jansson.h>
#include <stdio.h>

#include "tm_lexicon.h"

enum { CL_KINDS = 4 };
enum { CL_PUNCTUATED, CL_UNPUNCTUATED, CL_VARIANTS };

#define CL_PAUSE_S 0.8 /* a "/" in the labels */

typedef struct cl_kind_counts {
    size_t spans, spans_found; /* labelled spans, and those an item of the kind overlaps */
    size_t items, items_right; /* items found, and those overlapping a labelled span of the kind */
    size_t count_abs_err;      /* sum over answers of |items - spans| (what the count criteria see) */
    long count_err;            /* the same, signed */
} cl_kind_counts;

typedef struct cl_sentence_counts {
    size_t tp, fp, fn;       /* sentence boundaries inside an answer (its end is not counted) */
    size_t max_abs_err;      /* sum over answers of |found max_words - labelled max| */
    size_t max_exact;        /* answers whose longest sentence has the labelled length */
} cl_sentence_counts;

typedef struct cl_counts {
    size_t answers, words;
    cl_kind_counts kind[CL_KINDS];              /* hedges, quantities, action verbs, non-inclusive */
    cl_sentence_counts sentences[CL_VARIANTS]; /* with punctuation, without */
} cl_counts;

/* "hedges", "quantified", "action_verbs", "noninclusive": the metrics' keys. */
const char *cl_kind_name(int kind);
/* "punctuated", "unpunctuated". */
const char *cl_variant_name(int variant);
/* Scores one labelled line with lex into c; mistakes go to log (may be NULL).
 * 0, or -1 with err (a malformed line or an error of the metrics). */
int cl_score(const tm_lexicon *lex, const char *line, cl_counts *c, FILE *log, char *err, size_t errlen);
/* Every answer of a file (# comments and blank lines skipped). */
int cl_score_file(const tm_lexicon *lex, const char *path, cl_counts *c, FILE *log, char *err, size_t errlen);
/* The words of a labelled line without its markers, space-separated, into
 * out ("" for a comment); *id gets the id. 0, or -1 with err. */
int cl_plain(const char *line, char *id, size_t idlen, char *out, size_t outlen, char *err, size_t errlen);
/* The metrics of one line (labels allowed, punctuation kept) into *m (the
 * caller frees it) and its id into id. 0, or -1 with err. */
int cl_metrics_of(const tm_lexicon *lex, const char *line, json_t **m, char *id, size_t idlen, char *err,
                  size_t errlen);
/* ratio of two counts, 1 when den is 0 */
double cl_ratio(size_t num, size_t den);

#endif

/* Relevance of an answer to its question: TF-IDF cosine similarity between
 * the answer and the question with its talking points, and which talking
 * points the answer covers. */
#ifndef ISIM_REPORT_RELEVANCE_H
#define ISIM_REPORT_RELEVANCE_H

#include <jansson.h>

#define RELEVANCE_POINT_COVERED 0.5 /* share of a point's IDF weight the answer must contain */

/* The answer's language as relevance sees it; either may be NULL. */
typedef struct relevance_lang {
    const json_t *stopwords; /* object used as a set: left out */
    const json_t *suffixes;  /* [[suffix, replacement], ...]: the stemmer's rules */
} relevance_lang;

/* words: the transcript's [{word,start,end}]; points: array of strings or
 * NULL; lang may be NULL (no stop words, no stemming). Returns
 * {"method","similarity","covered_share"(null without points),
 *  "talking_points":[{"text","coverage","covered","matched":[{"term","start"}],"missing":[..]}]}
 * or NULL when out of memory. */
json_t *relevance_compute(const char *question, const json_t *points, const json_t *words,
                          const relevance_lang *lang);

/* "Measured," -> "measur" (with English's rules): lower case, letters,
 * digits and inner apostrophes, the first suffix rule that leaves at least 3
 * bytes applied. Writes at most len bytes; returns 0 when nothing is left. */
int relevance_stem(const char *word, const json_t *suffixes, char *out, size_t len);

#endif

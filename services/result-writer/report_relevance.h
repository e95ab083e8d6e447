/* Relevance of an answer to its question: TF-IDF cosine similarity between
 * the answer and the question with its talking points, and which talking
 * points the answer covers. */
#ifndef ISIM_REPORT_RELEVANCE_H
#define ISIM_REPORT_RELEVANCE_H

#include <jansson.h>

#define RELEVANCE_POINT_COVERED 0.5 /* share of a point's IDF weight the answer must contain */

/* words: the transcript's [{word,start,end}]; points: array of strings or
 * NULL; stopwords: object used as a set, or NULL. Returns
 * {"method","similarity","covered_share"(null without points),
 *  "talking_points":[{"text","coverage","covered","matched":[{"term","start"}],"missing":[..]}]}
 * or NULL when out of memory. */
json_t *relevance_compute(const char *question, const json_t *points, const json_t *words,
                          const json_t *stopwords);

/* "Measured," -> "measur": lowercase, letters/digits/apostrophes, one common
 * English suffix removed. Writes at most len bytes; returns 0 when nothing is left. */
int relevance_stem(const char *word, char *out, size_t len);

#endif

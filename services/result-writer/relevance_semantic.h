/* Relevance that understands paraphrase: sentence embeddings of the
 * question, its talking points and the answer's sentences from an
 * embeddings server (embed_client.h). The lexical measure
 * (report_relevance.h) stays and is what the report falls back on. */
#ifndef ISIM_RELEVANCE_SEMANTIC_H
#define ISIM_RELEVANCE_SEMANTIC_H

#include "embed_client.h"

#include <jansson.h>

#define SEMANTIC_SENTENCE_MAX_WORDS 40 /* a longer run without a full stop is cut here */
/* A pause this long ends a sentence too: the transcriber stores words without
 * punctuation, so in a report pauses are what split sentences; 0.7 s as
 * text-metrics' sentences (TM_SENTENCE_PAUSE_S), a project choice. */
#define SEMANTIC_SENTENCE_GAP_S 0.7
/* A sentence this close to the question reads it back: it is left out, so
 * "Why this job? Good question. Anyway, the weather..." is not on topic
 * (chosen on bench/relevance's dev part, where 0.8-0.9 did the same). */
#define SEMANTIC_RESTATEMENT 0.9

/* Splits words ([{word,start,end}]) into sentences: a word ending in . ? or !
 * ends one, as does a pause of SEMANTIC_SENTENCE_GAP_S or after
 * SEMANTIC_SENTENCE_MAX_WORDS words. Returns [{"text","start"}] (new). */
json_t *semantic_sentences_new(const json_t *words);

/* From the vectors (unit rows: the question, then np points, then ns
 * sentences, dim numbers each) the measure. The reference is the question
 * and its points: the sum of the question's vector and the mean of the
 * points' (the question alone without points); sentences that read the
 * question back (SEMANTIC_RESTATEMENT) are left out of the answer:
 * {"similarity": cosine of the reference and the mean of the answer's sentence vectors,
 *  "restatements": sentences left out,
 *  "best_sentence": {"similarity","start","text"} (closest to the reference; null: none left),
 *  "talking_points": [{"text","similarity"}]} (each point and its closest sentence;
 *  which sentence is not said: on the unit test's example the small model
 *  picked the sentence written for the point for 1 of 4 points). */
json_t *semantic_measure_new(const float *vecs, size_t dim, const json_t *points,
                             const json_t *sentences);

/* The whole measure for the report's relevance.semantic: the above with
 * "source" (the model) and "sentences" (how many), or
 * {"similarity": null, "reason": "..."} when it cannot be had (off, no
 * speech, the server down). Never NULL unless out of memory. */
json_t *semantic_relevance_new(const embed_opts *o, const char *question, const json_t *points,
                               const json_t *words);

#endif

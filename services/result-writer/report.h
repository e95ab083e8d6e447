/* Report stage: assembles the feedback report from the parts the other
 * stages produced, scores it against a rubric and writes tips. Pure: JSON
 * in, JSON out; result-writer stores it and the CLI prints it, so both give
 * the same report. */
#ifndef ISIM_REPORT_H
#define ISIM_REPORT_H

#include <jansson.h>

#define REPORT_VERSION 2

typedef struct report_input {
    const char *question;          /* the text the candidate answered */
    const char *question_id;       /* bank id, or NULL for free text */
    const char *star;              /* bank question expects STAR: "t" or "f"; NULL without one */
    const json_t *talking_points;  /* bank talking points (array of strings) or NULL */
    const json_t *probe, *transcript, *text_metrics, *video_metrics; /* NULL: stage gave nothing */
    const json_t *rubric;          /* checked rubric; NULL: no score or tips */
    const json_t *stopwords;       /* object used as a set, for relevance; may be NULL */
    const json_t *suffixes;        /* relevance's stemming rules (report_langs.h); may be NULL */
    const json_t *behavioural_cues; /* phrases of a behavioural question (report_langs.h); may be NULL */
    const json_t *msgs;            /* the report's texts (data/<lang>/report.json) */
    const char *language;          /* the answer's language code (transcript.language) */
    const json_t *semantic;        /* relevance.semantic (relevance_semantic.h); NULL: not measured */
} report_input;

/* Returns a new object:
 * {"version","question","question_id","duration_s","media","transcript":{"engine","text","words"},
 *  "delivery":{...text metrics...},"on_camera":{...video metrics...},
 *  "relevance":{...},"score":{"overall","rubric","parts","notes"},"tips":[...],
 *  "ai_review":null,"notes":[...]}; NULL when out of memory. */
json_t *report_build(const report_input *in);

/* 1 when the bank's question expects a STAR answer (star "t"; "f": it does
 * not) or, without a bank question (star NULL), when it says one of cues (the language's behavioural_cues.txt, an array of
 * lower-case phrases: "tell me about a time"). */
int report_is_behavioural(const char *star, const char *question, const json_t *cues);

/* Reads a one-word-per-line list (# comments) into an object used as a set. */
int report_wordset_load(const char *path, json_t **out, char *err, size_t errlen);

#endif

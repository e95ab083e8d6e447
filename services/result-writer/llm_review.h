/* Optional AI review of an answer over the OpenAI-compatible chat-completions
 * API (Ollama, vLLM, llama.cpp's server, hosted services). The model must
 * answer with JSON of the shape below; every claim cites transcript spans,
 * which are checked against the transcript's word times. Bounded by a total
 * timeout over all attempts; on any failure the rule-based report stands. */
#ifndef ISIM_LLM_REVIEW_H
#define ISIM_LLM_REVIEW_H

#include <jansson.h>
#include <stddef.h>

typedef struct llm_opts {
    const char *url;     /* API base, e.g. http://127.0.0.1:11434/v1; empty or NULL: off */
    const char *model;
    const char *api_key; /* empty or NULL: no Authorization header */
    int timeout_s;       /* all attempts together */
    int retries;         /* extra attempts after a failure */
} llm_opts;

/* The review the model must return (data/llm/review.schema.json):
 * {"strengths":[{"claim":"...","spans":[{"start":s,"end":e}]}],
 *  "improvements":[same], "outline":["step", ...]}
 * A claim is tied to the answer when it has text and every span of it lies
 * inside the answer (from its first word's start to its last word's end, 1 s
 * of slack) and covers at least one transcript word; each of its spans then
 * gets "words" (what was said in it). Claims not tied are removed, never
 * shown, and counted in "dropped_claims". 0, or -1 with err when the shape is
 * wrong or every claim was dropped. */
int llm_review_validate(json_t *review, const json_t *words, char *err, size_t errlen);

/* Asks the model about report (question and transcript) and returns the
 * validated review; -1 with err after the last failed attempt. *attempts
 * gets the number of requests made. */
int llm_review_run(const llm_opts *o, const json_t *report, json_t **review, int *attempts,
                   char *err, size_t errlen);

/* Sets report's "ai_review": null when off, else {"status":"ok","model",...review}
 * or {"status":"unavailable","reason","attempts"}. Never fails. */
void llm_review_attach(const llm_opts *o, json_t *report);

#endif

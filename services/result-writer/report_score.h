/* Score and tips from a versioned rubric (data/rubric/v2.json, documented in
 * docs/rubric.md): each criterion is a metric with a good range and the
 * values where its score falls to 0; a part's score is the weighted mean of
 * its criteria that could be measured, the overall score the weighted mean of
 * the parts that could be scored. */
#ifndef ISIM_REPORT_SCORE_H
#define ISIM_REPORT_SCORE_H

#include <jansson.h>
#include <stddef.h>

typedef struct score_input {
    const json_t *rubric;
    const json_t *probe, *words, *text_metrics, *video_metrics, *relevance;
    int behavioural;   /* STAR applies */
    const json_t *msgs;    /* the report's texts in its language (report_msgs.h) */
    const char *language;  /* its code: the rubric's "languages" may change criteria for it */
    double duration_s;
} score_input;

/* Checks a rubric's shape (version, parts with weights, criteria with
 * weight and at least one bound); 0 or -1 with err naming the problem. */
int score_rubric_check(const json_t *rubric, char *err, size_t errlen);
/* Checks that the catalog msgs (named catalog in err) has every text the
 * rubric's criteria may need: their advice and what they measure. */
int score_rubric_check_msgs(const json_t *rubric, const json_t *msgs, const char *catalog, char *err,
                            size_t errlen);
/* Reads and checks a rubric file. */
int score_rubric_load(const char *path, json_t **out, char *err, size_t errlen);
/* Score of value v against criterion c (0..100). */
double score_criterion(const json_t *c, double v);
/* *score = {"overall","rubric","parts":{delivery|content|on_camera:{score,weight,reason?,criteria:[..]}},"notes":[..]}
 * *tips = [{"part","metric","value","score","good_min"?,"good_max"?,"message","evidence":[{start,end,words,detail}]}]
 * Returns 0 or -1 (out of memory). */
int score_compute(const score_input *in, json_t **score, json_t **tips);

#endif

/* Report stage: assembles the feedback report from the parts the other
 * stages produced. Pure: JSON in, JSON out; result-writer stores it and the
 * CLI prints it, so both give the same report. */
#ifndef ISIM_REPORT_H
#define ISIM_REPORT_H

#include <jansson.h>

#define REPORT_VERSION 1

/* Any part may be NULL when its stage produced nothing. Returns a new object:
 * {"version","question","duration_s","media","transcript":{"engine","text","words"},
 *  "delivery":{...text metrics...},"on_camera":{...video metrics...},"notes":[...]} */
json_t *report_build(const char *question, const json_t *probe, const json_t *transcript,
                     const json_t *text_metrics, const json_t *video_metrics);

#endif

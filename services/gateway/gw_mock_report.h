/* The combined report of a mock interview, from its answers' reports: a
 * pure function of JSON, so it is tested without a database. */
#ifndef ISIM_GW_MOCK_REPORT_H
#define ISIM_GW_MOCK_REPORT_H

#include <jansson.h>

/* A criterion's score must move this much (of 100) to count as improved or dropped. */
#define MOCK_CHANGE_MIN 5.0
#define MOCK_TOP_TIPS 3
#define MOCK_CHANGES_MAX 5

/* answers: [{"position", "question", "question_id", "interview_id",
 * "status", "failure_reason", "score" (a report's score object or null),
 * "tips" (a report's tips or null)}] in position order. Returns
 * {"questions", "answered", "complete", "processing", "failed", "overall",
 *  "parts", "answers", "change", "top_tips"}: means over the complete
 * answers (null without any), the change from the first complete answer to
 * the last (null with fewer than two), and the tips that cost the most points
 * across all answers. NULL when out of memory. */
json_t *mock_report_build(const json_t *answers);

#endif

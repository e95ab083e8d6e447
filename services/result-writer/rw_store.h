/* result-writer's effects in PostgreSQL, each keyed by interview id and
 * stage so a redelivered message changes nothing. */
#ifndef ISIM_RW_STORE_H
#define ISIM_RW_STORE_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

enum { RW_OK = 0, RW_GONE = 1, RW_ERR = -1 };

/* state: started/finished/failed; a failure marks the interview failed with
 * reason (*failed_now = 1 when this call did; a later failure's reason replaces
 * the reason, and does not set it). */
int rw_store_status(PGconn *c, const char *id, const char *stage, const char *state,
                    const char *reason, int *failed_now, char *err, size_t errlen);
int rw_store_converted(PGconn *c, const char *id, const json_t *msg, char *err, size_t errlen);
int rw_store_transcript(PGconn *c, const char *id, const json_t *transcript, char *err, size_t errlen);
/* kind: "video" or "text" */
int rw_store_metrics(PGconn *c, const char *id, const char *kind, const json_t *data, char *err,
                     size_t errlen);
/* What the report needs besides the interview's rows. */
typedef struct rw_report_cfg {
    const json_t *rubric;
    const struct report_langs *langs; /* texts and stop words per language */
    const struct llm_opts *llm; /* AI review; NULL or no URL: off */
    const struct embed_opts *embed; /* relevance.semantic's embeddings server; NULL or no URL: off */
} rw_report_cfg;

/* When every part is in, builds and stores the report and marks the interview
 * complete (once). The question's bank entry (interviews.question_id joined
 * with questions) gives talking points and whether a STAR answer is expected; without one the
 * question text alone is used. The optional AI review runs here, inside the
 * transaction, bounded by its own timeout. *completed is set to 1 when this
 * call completed it. */
int rw_store_try_complete(PGconn *c, const char *id, const rw_report_cfg *rc, int *completed,
                          char *err, size_t errlen);
/* Current status and reason of the interview, for progress events. */
int rw_store_status_of(PGconn *c, const char *id, char *status, size_t slen, char *reason,
                       size_t rlen, char *err, size_t errlen);

#endif

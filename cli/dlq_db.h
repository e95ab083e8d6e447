/* The interview row a replay needs: failed ones set back to processing, so
 * that result-writer completes them when the replayed stage is done. */
#ifndef ISIM_DLQ_DB_H
#define ISIM_DLQ_DB_H

#include <libpq-fe.h>
#include <stddef.h>

typedef enum {
    DLQ_DB_RESET = 0, /* was failed, now processing (dry run: would be) */
    DLQ_DB_AS_IS,     /* neither failed nor complete (processing...): left as it is */
    DLQ_DB_COMPLETE,  /* complete: its report is built, a replay would change nothing in it */
    DLQ_DB_GONE,      /* no such interview (erased) */
} dlq_db_state;

/* dry_run: only looks. status[slen] gets the interview's status before
 * (empty when gone). 0, or -1 with err. */
int dlq_interview_prepare(PGconn *c, const char *interview_id, int dry_run, dlq_db_state *st, char *status,
                          size_t slen, char *err, size_t errlen);

#endif

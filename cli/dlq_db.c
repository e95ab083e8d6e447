#include "dlq_db.h"

#include <stdio.h>
#include <string.h>

#include "pg_db.h"

int dlq_interview_prepare(PGconn *c, const char *interview_id, int dry_run, dlq_db_state *st, char *status,
                          size_t slen, char *err, size_t errlen)
{
    int rc = -1;
    PGresult *r = NULL;
    const char *p[] = {interview_id};
    status[0] = '\0';
    if (!dry_run) {
        if (pg_exec(c,
                    "UPDATE interviews SET status = 'processing', failure_reason = NULL, updated_at = now() "
                    "WHERE id = $1 AND status = 'failed' RETURNING id",
                    1, p, &r, err, errlen) != 0)
            goto out;
        if (PQntuples(r) > 0) {
            snprintf(status, slen, "failed");
            *st = DLQ_DB_RESET;
            rc = 0;
            goto out;
        }
        PQclear(r);
        r = NULL;
    }
    if (pg_exec(c, "SELECT status FROM interviews WHERE id = $1", 1, p, &r, err, errlen) != 0)
        goto out;
    if (PQntuples(r) == 0) {
        *st = DLQ_DB_GONE;
    } else {
        snprintf(status, slen, "%s", PQgetvalue(r, 0, 0));
        if (!strcmp(status, "complete"))
            *st = DLQ_DB_COMPLETE;
        else /* failed only since the UPDATE above, if not a dry run: left so */
            *st = dry_run && !strcmp(status, "failed") ? DLQ_DB_RESET : DLQ_DB_AS_IS;
    }
    rc = 0;
out:
    PQclear(r);
    return rc;
}

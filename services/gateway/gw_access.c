#include "gw_access.h"

#include <stdio.h>
#include <string.h>

#include "gw_http.h"
#include "isim_util.h"

int gw_list_owner(struct mg_connection *conn, gw_app *app, const gw_user *u, char out[ISIM_UUID_LEN + 1])
{
    char err[512], asked[ISIM_UUID_LEN + 2] = "";
    PGresult *r = NULL;
    int rc = -1;
    int has = gw_query_param(conn, "user_id", asked, sizeof(asked));
    snprintf(out, ISIM_UUID_LEN + 1, "%s", u->id);
    if (!has)
        return 0;
    if (has < 0 || !util_uuid_valid(asked)) {
        gw_send_error(conn, 422, "invalid_parameter", "\"user_id\" must be the id of a person you coach.");
        return -1;
    }
    util_ascii_lower(asked);
    if (strcmp(asked, u->id) == 0)
        return 0;
    const char *p[] = {u->id, asked};
    if (gw_db_query(app, "SELECT " GW_SQL_SEES("$1::uuid", "$2::uuid"), 2, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
        gw_send_error(conn, 403, "forbidden", "You may see only your own interviews and those of the members of "
                                              "the cohorts you coach.");
        goto out;
    }
    memcpy(out, asked, ISIM_UUID_LEN + 1); /* a valid uuid: exactly ISIM_UUID_LEN characters */
    rc = 0;
out:
    PQclear(r);
    return rc;
}

int gw_question_editor(struct mg_connection *conn, gw_app *app, const gw_user *u, char org[ISIM_UUID_LEN + 1])
{
    char err[512];
    PGresult *r = NULL;
    int rc = -1;
    org[0] = '\0';
    if (strcmp(u->role, "admin") == 0)
        return 0;
    const char *p[] = {u->id};
    if (gw_db_query(app,
                    "SELECT organisation_id FROM users u WHERE id = $1::uuid AND organisation_id IS NOT NULL "
                    "AND EXISTS (SELECT 1 FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id "
                    "  WHERE m.user_id = u.id AND m.role = 'coach' AND c.organisation_id = u.organisation_id)",
                    1, p, &r, err, sizeof(err)) != 0) {
        gw_db_unavailable(conn, err);
        goto out;
    }
    if (PQntuples(r) == 0) {
        gw_send_error(conn, 403, "forbidden", "Only an administrator, or a coach for their organisation's own "
                                              "questions, may change the question bank.");
        goto out;
    }
    snprintf(org, ISIM_UUID_LEN + 1, "%s", PQgetvalue(r, 0, 0));
    rc = 0;
out:
    PQclear(r);
    return rc;
}

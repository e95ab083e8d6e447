/* Who may see whose interviews, in one place: a person sees their own, and a
 * coach sees those of the members of the cohorts they coach; nobody else
 * (administrators included) sees anyone's recordings or reports. */
#ifndef ISIM_GW_ACCESS_H
#define ISIM_GW_ACCESS_H

/* An SQL condition, true when the user viewer (an SQL uuid expression) may
 * see the interviews of the user owner (another). */
#define GW_SQL_SEES(viewer, owner)                                                                                   \
    "(" owner " = " viewer " OR EXISTS (SELECT 1 FROM cohort_members gw_coach "                                     \
    "JOIN cohort_members gw_member ON gw_member.cohort_id = gw_coach.cohort_id "                                    \
    "WHERE gw_coach.user_id = " viewer " AND gw_coach.role = 'coach' AND gw_member.user_id = " owner                \
    " AND gw_member.role = 'member'))"

/* An SQL condition, true when the question in table alias q is offered to
 * the user viewer: the shared bank's (no organisation) or their own
 * organisation's. */
#define GW_SQL_OFFERED(viewer, q)                                                                                    \
    "(" q ".organisation_id IS NULL OR " q ".organisation_id = (SELECT organisation_id FROM users WHERE id = " viewer \
    "))"

#include "gw_api.h"
#include "gw_auth.h"
#include "isim_util.h"

/* The person whose interviews a list shows: the caller, or ?user_id= when the
 * caller coaches them. 0 with out filled, else -1 with 422, 403 or 503 sent. */
int gw_list_owner(struct mg_connection *conn, gw_app *app, const gw_user *u, char out[ISIM_UUID_LEN + 1]);

/* Who may change a question: an administrator any (*org empty), a coach
 * their organisation's own (*org its id). 0, or -1 with 403 sent. */
int gw_question_editor(struct mg_connection *conn, gw_app *app, const gw_user *u, char org[ISIM_UUID_LEN + 1]);

#endif

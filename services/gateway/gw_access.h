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

#endif

// Coaching as plain data: who coaches which cohort, whose interview the
// viewer is looking at, comments in reading order and as marks on the
// report's time axis, a member's scores as a sparkline, and whom an
// administrator can still add to a cohort.

import type { Cohort, CohortPerson, CohortRef, Comment, Interview, Me, OverviewScore, Ref, User } from '../types';
import type { TimeMark } from './timeaxis';

/**
 * Where the coaching pages live. Under /history because the gateway serves
 * the app only for its known first path segments (services/gateway/gw_web.c,
 * gw_web_routes); a segment of their own (/coach) needs that list to grow.
 */
export const COACHING_PATH = '/history/coaching';
export const cohortPath = (id: string) => `${COACHING_PATH}/cohorts/${encodeURIComponent(id)}`;
export const memberPath = (id: string) => `${COACHING_PATH}/people/${encodeURIComponent(id)}`;

/** Whether a path is one of the coaching pages (the History entry of the navigation is not current there). */
export function isCoachingPath(path: string): boolean {
  return path === COACHING_PATH || path.startsWith(`${COACHING_PATH}/`);
}

/** The cohorts a person coaches (from GET /v1/me). */
export function coachedCohorts(me: Pick<Me, 'cohorts'> | null | undefined): CohortRef[] {
  return (me?.cohorts ?? []).filter((c) => c.role === 'coach');
}

/** Whether a person coaches a cohort: the Coaching page is theirs. */
export function isCoach(me: Pick<Me, 'cohorts'> | null | undefined): boolean {
  return coachedCohorts(me).length > 0;
}

/** Whether the viewer owns the interview; a server without `user` on interviews shows only one's own. */
export function isOwnInterview(iv: Pick<Interview, 'user'>, me: Pick<Me, 'id'> | null | undefined): boolean {
  return !iv.user || !me || iv.user.id === me.id;
}

/** Comments in reading order, as the API gives them: on the whole answer first, then by moment, then by age. */
export function sortComments(list: readonly Comment[]): Comment[] {
  const at = (c: Comment) => (typeof c.at_s === 'number' ? c.at_s : -Infinity);
  return [...list].sort((a, b) => at(a) - at(b) || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

/** The comments at a moment, as marks on the report's charts. */
export function commentMarks(list: readonly Comment[]): TimeMark[] {
  return sortComments(list)
    .filter((c) => typeof c.at_s === 'number' && Number.isFinite(c.at_s))
    .map((c) => ({ id: c.id, t: c.at_s as number, label: c.body }));
}

/** The moment to send for a comment at the video's time t: a tenth of a second, within [0, duration] when it is known. */
export function commentMoment(t: number, duration: number | null | undefined): number {
  let v = Number.isFinite(t) && t > 0 ? Math.round(t * 10) / 10 : 0;
  if (typeof duration === 'number' && Number.isFinite(duration) && duration > 0 && v > duration) {
    v = Math.floor(duration * 10) / 10;
  }
  return v;
}

/** Whether the viewer wrote the comment (only its author may delete it). */
export function isAuthor(c: Comment, me: Pick<Me, 'id'> | null | undefined): boolean {
  return !!me && c.author.id === me.id;
}

/** A member's scores as a sparkline: x = completion (s since the epoch), y = the score; unreadable dates left out. */
export function sparkData(scores: readonly OverviewScore[]): [number[], (number | null)[]] {
  const pts = scores
    .map((s) => [Date.parse(s.completed_at) / 1000, typeof s.score === 'number' ? s.score : null] as const)
    .filter(([x]) => Number.isFinite(x))
    .sort((a, b) => a[0] - b[0]);
  return [pts.map((p) => p[0]), pts.map((p) => p[1])];
}

/** The change from the first score to the latest; null without both. */
export function scoreChange(first: number | null | undefined, latest: number | null | undefined): number | null {
  return typeof first === 'number' && typeof latest === 'number' ? latest - first : null;
}

/** A person as the coach of the cohorts they are in knows them: their name and those cohorts. */
export interface Member extends Ref {
  email: string | null;
  cohorts: Ref[];
}

/** A member of the given cohorts (each with its people) by id, or null when none has them as a member. */
export function findMember(cohorts: readonly Cohort[], userId: string): Member | null {
  let found: Member | null = null;
  for (const c of cohorts) {
    const p = (c.people ?? []).find((x) => x.id === userId && x.role === 'member');
    if (!p) continue;
    found ??= { id: p.id, name: p.name, email: p.email, cohorts: [] };
    found.cohorts.push({ id: c.id, name: c.name });
  }
  return found;
}

/** The people an administrator may add to a cohort: those of its organisation who are not in it yet, by name. */
export function addable(users: readonly User[], cohort: Pick<Cohort, 'organisation'>, people: readonly CohortPerson[]): User[] {
  const org = cohort.organisation?.id;
  if (!org) return [];
  const inIt = new Set(people.map((p) => p.id));
  return users.filter((u) => u.organisation?.id === org && !inIt.has(u.id))
    .sort((a, b) => a.name.localeCompare(b.name));
}

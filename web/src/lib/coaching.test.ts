import { describe, expect, it } from 'vitest';
import {
  COACHING_PATH, addable, coachedCohorts, cohortPath, isCoachingPath, memberPath, commentMarks, commentMoment, findMember, isAuthor, isCoach, isOwnInterview, scoreChange,
  sortComments, sparkData,
} from './coaching';
import { Playhead } from '../components/playhead';
import type { Cohort, CohortPerson, Comment, User } from '../types';

const comment = (id: string, at_s: number | null, created_at: string, author = 'u-coach', body = `comment ${id}`): Comment => ({
  id, interview_id: 'iv', at_s, body, created_at, author: { id: author, name: author, is_candidate: author === 'u-cand' },
});

const user = (id: string, org: string | null, name = id): User => ({
  id, name, email: `${id}@example.test`, role: 'user', disabled: false, created_at: '2025-01-01T00:00:00Z',
  invitation_pending: false, organisation: org ? { id: org, name: `Org ${org}` } : null, cohorts: [],
});

const person = (id: string, role: 'member' | 'coach', name = id): CohortPerson => ({
  id, name, email: null, role, added_at: '2025-01-01T00:00:00Z',
});

const cohort = (id: string, people: CohortPerson[], org = 'o1'): Cohort => ({
  id, name: `Cohort ${id}`, created_at: '2025-01-01T00:00:00Z', organisation: { id: org, name: `Org ${org}` },
  role: 'coach', members: people.filter((p) => p.role === 'member').length, coaches: [], people,
});

describe('who coaches', () => {
  it('finds the cohorts a person coaches, and none without cohorts', () => {
    const me = { cohorts: [{ id: 'a', name: 'A', role: 'member' as const }, { id: 'b', name: 'B', role: 'coach' as const }] };
    expect(coachedCohorts(me).map((c) => c.id)).toEqual(['b']);
    expect(isCoach(me)).toBe(true);
    expect(isCoach({ cohorts: [{ id: 'a', name: 'A', role: 'member' }] })).toBe(false);
    expect(isCoach({})).toBe(false);
    expect(isCoach(null)).toBe(false);
  });

  it('tells the candidate from their coach on an interview', () => {
    expect(isOwnInterview({ user: { id: 'u1', name: 'Alex' } }, { id: 'u1' })).toBe(true);
    expect(isOwnInterview({ user: { id: 'u1', name: 'Alex' } }, { id: 'u2' })).toBe(false);
    // a server without "user" on interviews shows only one's own
    expect(isOwnInterview({}, { id: 'u2' })).toBe(true);
  });
});

describe('the coaching pages\' addresses', () => {
  it('live under a path the gateway serves the app for, apart from the History page', () => {
    expect(COACHING_PATH.split('/')[1]).toBe('history');
    expect(cohortPath('c/1')).toBe(`${COACHING_PATH}/cohorts/c%2F1`);
    expect(memberPath('u1')).toBe(`${COACHING_PATH}/people/u1`);
    expect(isCoachingPath(COACHING_PATH)).toBe(true);
    expect(isCoachingPath(memberPath('u1'))).toBe(true);
    expect(isCoachingPath('/history')).toBe(false);
    expect(isCoachingPath(`${COACHING_PATH}x`)).toBe(false);
  });
});

describe('comments', () => {
  const list = [
    comment('c3', 12.5, '2025-01-01T10:00:03Z'),
    comment('c1', null, '2025-01-01T10:00:05Z'),
    comment('c2', 3, '2025-01-01T10:00:01Z', 'u-cand'),
    comment('c4', 12.5, '2025-01-01T10:00:02Z'),
    comment('c0', null, '2025-01-01T10:00:00Z'),
  ];

  it('reads whole-answer comments first, then by moment, then by age (as the API orders them)', () => {
    expect(sortComments(list).map((c) => c.id)).toEqual(['c0', 'c1', 'c2', 'c4', 'c3']);
    expect(list[0].id).toBe('c3'); // the input is left alone
  });

  it('marks only the comments at a moment, in time order', () => {
    expect(commentMarks(list)).toEqual([
      { id: 'c2', t: 3, label: 'comment c2' },
      { id: 'c4', t: 12.5, label: 'comment c4' },
      { id: 'c3', t: 12.5, label: 'comment c3' },
    ]);
    expect(commentMarks([])).toEqual([]);
  });

  it('sends the video time to a tenth of a second, never past the recording', () => {
    expect(commentMoment(12.345, 20)).toBe(12.3);
    expect(commentMoment(0, 20)).toBe(0);
    expect(commentMoment(-1, 20)).toBe(0);
    expect(commentMoment(Number.NaN, 20)).toBe(0);
    expect(commentMoment(20.96, 20.94)).toBe(20.9);
    expect(commentMoment(33.33, null)).toBe(33.3);
    expect(commentMoment(33.33, 0)).toBe(33.3); // length unknown
  });

  it('lets only the author delete a comment', () => {
    const c = comment('c', 1, '2025-01-01T00:00:00Z', 'u-coach');
    expect(isAuthor(c, { id: 'u-coach' })).toBe(true);
    expect(isAuthor(c, { id: 'u-cand' })).toBe(false);
    expect(isAuthor({ ...c, author: { id: null, name: null, is_candidate: null } }, { id: 'u-coach' })).toBe(false);
    expect(isAuthor(c, null)).toBe(false);
  });

  it('go to the charts through the playhead: every subscriber gets them, now and when they change', () => {
    const p = new Playhead();
    const seen: number[][] = [];
    const stop = p.subscribeMarks((ms) => seen.push(ms.map((x) => x.t)));
    p.setMarks(commentMarks(list));
    stop();
    p.setMarks([]);
    expect(seen).toEqual([[], [3, 12.5, 12.5]]);
    expect(p.marks).toEqual([]);
  });
});

describe('a cohort overview', () => {
  it('draws a member\'s scores oldest first, leaving out unreadable dates and keeping missing scores as gaps', () => {
    const [xs, ys] = sparkData([
      { interview_id: 'b', completed_at: '2025-01-02T00:00:00Z', score: 70 },
      { interview_id: 'a', completed_at: '2025-01-01T00:00:00Z', score: 60 },
      { interview_id: 'x', completed_at: 'not a date', score: 99 },
      { interview_id: 'c', completed_at: '2025-01-03T00:00:00Z', score: null },
    ]);
    expect(xs).toEqual([Date.parse('2025-01-01T00:00:00Z') / 1000, Date.parse('2025-01-02T00:00:00Z') / 1000,
      Date.parse('2025-01-03T00:00:00Z') / 1000]);
    expect(ys).toEqual([60, 70, null]);
    expect(sparkData([])).toEqual([[], []]);
  });

  it('gives the change from the first score to the latest', () => {
    expect(scoreChange(60, 72.5)).toBe(12.5);
    expect(scoreChange(80, 70)).toBe(-10);
    expect(scoreChange(null, 70)).toBeNull();
    expect(scoreChange(70, undefined)).toBeNull();
  });
});

describe('a member\'s page', () => {
  it('finds a member in the cohorts one coaches, with each cohort they are in', () => {
    const cohorts = [
      cohort('a', [person('coach', 'coach'), person('alex', 'member', 'Alex')]),
      cohort('b', [person('coach', 'coach'), person('sam', 'member')]),
      cohort('c', [person('alex', 'member', 'Alex')]),
    ];
    expect(findMember(cohorts, 'alex')).toEqual({
      id: 'alex', name: 'Alex', email: null, cohorts: [{ id: 'a', name: 'Cohort a' }, { id: 'c', name: 'Cohort c' }],
    });
    // a fellow coach is no member
    expect(findMember(cohorts, 'coach')).toBeNull();
    expect(findMember(cohorts, 'nobody')).toBeNull();
    expect(findMember([{ ...cohorts[0], people: undefined }], 'alex')).toBeNull();
  });
});

describe('adding people to a cohort', () => {
  it('offers the people of its organisation who are not in it yet, by name', () => {
    const users = [user('u3', 'o1', 'Zoe'), user('u1', 'o1', 'Ann'), user('u2', 'o2', 'Bob'), user('u4', null, 'Cy'), user('u5', 'o1', 'Dee')];
    const c = cohort('a', [person('u5', 'member')]);
    expect(addable(users, c, c.people ?? []).map((u) => u.name)).toEqual(['Ann', 'Zoe']);
    expect(addable(users, { organisation: null }, [])).toEqual([]);
  });
});

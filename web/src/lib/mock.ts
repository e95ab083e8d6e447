// Mock interviews without the DOM: the plan of a draw from the bank, which
// place to answer, the combined report's changes in plain words, and links
// to an answer's moment.

import { lookup, type Messages } from '../i18n';
import type { Formatters } from './format';
import type {
  CriterionChange, MockChange, MockInterview, MockInterviewSummary, MockPlan, MockPlanKind, MockReport,
} from '../types';

/**
 * Where the mock interview pages live. Under /interviews/ (a mock interview
 * is a row of interviews) because the gateway serves the app for the first
 * path segments it knows (services/gateway/gw_web.c's gw_web_routes), so a
 * reloaded or bookmarked /interviews/mock/... opens the page.
 */
export const MOCK_BASE = '/interviews/mock';
export const mockPaths = {
  list: MOCK_BASE,
  /** The next question; with a place, that place (recorded again). */
  run: (id: string, position?: number) =>
    `${MOCK_BASE}/${encodeURIComponent(id)}${position ? `?position=${position}` : ''}`,
  report: (id: string) => `${MOCK_BASE}/${encodeURIComponent(id)}/report`,
};

/** A mock interview holds 1 to this many questions (the API's limit). */
export const MOCK_MAX_QUESTIONS = 10;
/** The kinds of a plan, in the order the setup shows them. */
export const PLAN_KINDS: MockPlanKind[] = ['general', 'behavioural', 'situational', 'technical', 'role'];
/** The API's limits on the times (seconds). */
export const THINKING_MAX_S = 300;
export const ANSWER_MIN_S = 15;
export const ANSWER_MAX_S = 600;

/**
 * The mix of a draw of `total` questions, as the server's default for four:
 * one general opener, then behavioural questions alternating with the
 * role's own (or, without a role, situational ones), behavioural first.
 * One question alone is the role's own, or a behavioural one.
 */
export function defaultPlan(total: number, withRole: boolean): MockPlan {
  const n = Math.max(1, Math.min(MOCK_MAX_QUESTIONS, Math.round(total)));
  const other: MockPlanKind = withRole ? 'role' : 'situational';
  if (n === 1) return withRole ? { role: 1 } : { behavioural: 1 };
  const rest = n - 1;
  const plan: MockPlan = { general: 1, behavioural: Math.ceil(rest / 2) };
  if (rest >= 2) plan[other] = Math.floor(rest / 2);
  return plan;
}

/** How many questions a plan draws. */
export function planTotal(plan: MockPlan): number {
  return PLAN_KINDS.reduce((sum, k) => sum + Math.max(0, plan[k] ?? 0), 0);
}

export type PlanProblem = 'none' | 'too_many' | 'role_without_role';

/** What keeps a plan from being sent, or null. */
export function planProblem(plan: MockPlan, withRole: boolean): PlanProblem | null {
  const total = planTotal(plan);
  if (total < 1) return 'none';
  if (total > MOCK_MAX_QUESTIONS) return 'too_many';
  if ((plan.role ?? 0) > 0 && !withRole) return 'role_without_role';
  return null;
}

/** The plan without its empty kinds (what the API is sent). */
export function compactPlan(plan: MockPlan): MockPlan {
  const out: MockPlan = {};
  for (const k of PLAN_KINDS) if ((plan[k] ?? 0) > 0) out[k] = Math.round(plan[k]!);
  return out;
}

/** A whole number of seconds within [min, max], or null when the text is no number. */
export function secondsWithin(text: string, min: number, max: number): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** A bank role slug as words ("software-engineer" -> "software engineer"). */
export function roleName(role: string): string {
  return role.replace(/-/g, ' ');
}

/** The place to answer now: the one asked for (a re-recording) while the mock interview takes answers, else the next open one. */
export function placeToAnswer(mock: Pick<MockInterview, 'status' | 'questions' | 'next'>, asked?: number | null): number | null {
  if (mock.status !== 'in_progress') return null;
  if (asked && mock.questions.some((q) => q.position === asked)) return asked;
  return mock.next?.position ?? null;
}

/** Places whose answer failed, which can be recorded again while the mock interview is in progress. */
export function failedPlaces(mock: Pick<MockInterview, 'questions'>): number[] {
  return mock.questions.filter((q) => q.status === 'failed').map((q) => q.position);
}

/** A mock interview's name: its title, else its role and level, else its date. */
export function mockTitle(
  mock: Pick<MockInterviewSummary, 'title' | 'role' | 'level' | 'created_at'>, m: Messages, f: Formatters,
): string {
  if (mock.title?.trim()) return mock.title.trim();
  const level = mock.level && mock.level !== 'any' ? lookup(m.mock.levels, mock.level) ?? mock.level : null;
  if (mock.role) return m.mock.titleForRole(roleName(mock.role), level);
  return m.mock.titleOn(f.date(mock.created_at));
}

/** Whether the combined report may still change by itself (answers still processing). */
export function reportSettled(r: Pick<MockReport, 'processing'>): boolean {
  return r.processing === 0;
}

/** The report page of an answer, opened at a moment (seconds) when there is one. */
export function momentHref(interviewId: string, start: number | null | undefined): string {
  const base = `/interviews/${encodeURIComponent(interviewId)}`;
  return typeof start === 'number' && Number.isFinite(start) && start >= 0
    ? `${base}?t=${Math.round(start * 10) / 10}` : base;
}

/** The moment a report's address asks for (?t=12.5, what momentHref writes), in seconds, or null. */
export function momentOf(t: string | undefined | null): number | null {
  if (!t || !/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** A metric's name in the interface language (the catalog's label, else the key in words). */
export function metricName(m: Messages, metric: string): string {
  return lookup(m.metrics, metric)?.label ?? metric.replace(/_/g, ' ');
}

/** A part's name (delivery, content, on camera) in the interface language. */
export function partName(m: Messages, part: string | null | undefined): string {
  return (part && lookup(m.parts, part)) || (part ?? '').replace(/_/g, ' ');
}

/** The parts of a score, in the order the report shows them. */
export const PART_ORDER = ['delivery', 'content', 'on_camera'];

export interface ChangeWords {
  /** The overall score from the first complete answer to the last. */
  overall: string;
  /** Each part's. */
  parts: string[];
  improved: string[];
  dropped: string[];
}

function criterion(c: CriterionChange, m: Messages, f: Formatters): string {
  return m.mock.change.criterion(metricName(m, c.metric), f.score(c.first_score), f.score(c.last_score),
    Math.round(c.delta_score), typeof c.first_value === 'number' ? f.number(c.first_value) : null,
    typeof c.last_value === 'number' ? f.number(c.last_value) : null);
}

/** What changed from the first complete answer to the last, in sentences of the interface language. */
export function describeChange(change: MockChange, m: Messages, f: Formatters): ChangeWords {
  const rank = (p: string) => {
    const i = PART_ORDER.indexOf(p);
    return i < 0 ? PART_ORDER.length : i;
  };
  const parts = Object.keys(change.parts ?? {}).sort((a, b) => rank(a) - rank(b));
  return {
    overall: m.mock.change.overall(f.score(change.overall.first), f.score(change.overall.last),
      Math.round(change.overall.delta), change.from_position, change.to_position),
    parts: parts.map((p) => {
      const c = change.parts[p];
      return m.mock.change.part(partName(m, p), f.score(c.first), f.score(c.last), Math.round(c.delta));
    }),
    improved: change.improved.map((c) => criterion(c, m, f)),
    dropped: change.dropped.map((c) => criterion(c, m, f)),
  };
}

// Retakes side by side: the figures of each attempt at a question, from
// the score objects GET /v1/interviews/{id} gives in "attempts".

import type { Attempt, Report } from '../types';

/** The criteria compared across attempts, in the order shown. */
export const KEY_CRITERIA = [
  'pace_wpm', 'fillers_per_100_words', 'long_pauses_per_minute', 'hedges_per_100_words',
  'talking_points_covered', 'star_parts', 'facing_camera_ratio',
];

export const ATTEMPT_PARTS = ['delivery', 'content', 'on_camera'] as const;

export interface AttemptFigures {
  overall: number | null;
  parts: Record<string, number | null>;
  /** Each key criterion's measured value. */
  criteria: Record<string, number | null>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** An attempt's overall score, part scores and key criteria values (null where the report has none). */
export function attemptFigures(score: Report['score'] | null | undefined): AttemptFigures {
  const parts: Record<string, number | null> = {};
  const criteria: Record<string, number | null> = {};
  for (const k of KEY_CRITERIA) criteria[k] = null;
  for (const p of ATTEMPT_PARTS) {
    const part = score?.parts?.[p];
    parts[p] = num(part?.score);
    for (const c of part?.criteria ?? []) if (c.metric in criteria) criteria[c.metric] = num(c.value);
  }
  return { overall: num(score?.overall), parts, criteria };
}

/** The key criteria that at least one attempt has a value for. */
export function criteriaShown(figures: AttemptFigures[]): string[] {
  return KEY_CRITERIA.filter((k) => figures.some((x) => x.criteria[k] !== null));
}

/** The attempts worth a comparison: two or more (one is the report itself). */
export function comparable(attempts: Attempt[] | null | undefined): Attempt[] {
  return attempts && attempts.length >= 2 ? attempts : [];
}

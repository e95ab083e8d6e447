// The History page's trends as plain data: the answers in order of
// completion, each figure's values over time (x = completion, seconds since
// the epoch, as uPlot's time axis wants), and a figure's summary (count,
// first, latest, best, mean, least-squares change per answer), the same
// arithmetic as the gateway's trends (services/gateway/gw_trends.c), so a
// filter the API does not have (a question typed by the candidate) gets it too.

import type { Better, HistoryItem, HistoryMetricKey, HistoryTrend } from '../types';

/** Every figure, in the order the metric picker offers them. */
export const HISTORY_METRICS: readonly HistoryMetricKey[] = [
  'score', 'delivery_score', 'content_score', 'on_camera_score',
  'pace_wpm', 'fillers_per_100_words', 'hedges_per_100_words', 'facing_camera_ratio',
];

/** What kind of number a figure is: how it is scaled and written. */
export type MetricKind = 'score' | 'wpm' | 'per100' | 'share';

export const METRIC_KIND: Record<HistoryMetricKey, MetricKind> = {
  score: 'score', delivery_score: 'score', content_score: 'score', on_camera_score: 'score',
  pace_wpm: 'wpm', fillers_per_100_words: 'per100', hedges_per_100_words: 'per100', facing_camera_ratio: 'share',
};

/** Which way each figure is better (as the API's trends say). */
export const METRIC_BETTER: Record<HistoryMetricKey, Better> = {
  score: 'higher', delivery_score: 'higher', content_score: 'higher', on_camera_score: 'higher',
  pace_wpm: 'in_range', fillers_per_100_words: 'lower', hedges_per_100_words: 'lower', facing_camera_ratio: 'higher',
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A figure of one answer: its metrics; the score and parts from a server older than the metrics. */
export function metricValue(h: HistoryItem, key: HistoryMetricKey): number | null {
  if (h.metrics && key in h.metrics) return num(h.metrics[key]);
  switch (key) {
    case 'score': return num(h.score);
    case 'delivery_score': return num(h.parts?.delivery);
    case 'content_score': return num(h.parts?.content);
    case 'on_camera_score': return num(h.parts?.on_camera);
    default: return null;
  }
}

/** Whether two lists hold the same answers (by interview id, in any order). */
export function sameAnswers(a: readonly HistoryItem[], b: readonly HistoryItem[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map((h) => h.interview_id));
  return b.every((h) => ids.has(h.interview_id));
}

/** The answers with a readable completion time, oldest first. */
export function byCompletion(items: readonly HistoryItem[]): HistoryItem[] {
  return items.filter((h) => !Number.isNaN(Date.parse(h.completed_at)))
    .sort((a, b) => Date.parse(a.completed_at) - Date.parse(b.completed_at));
}

/** Trend data: x = completion time (s), overall and the three parts. */
export function trendData(items: HistoryItem[]): (number | null)[][] {
  const sorted = byCompletion(items);
  return [
    sorted.map((h) => Date.parse(h.completed_at) / 1000),
    ...(['score', 'delivery_score', 'content_score', 'on_camera_score'] as const)
      .map((k) => sorted.map((h) => metricValue(h, k))),
  ];
}

/** One figure over time: [x (s), values] of the answers oldest first, null where it is missing. */
export function metricData(items: readonly HistoryItem[], key: HistoryMetricKey): [number[], (number | null)[]] {
  const sorted = byCompletion(items);
  return [sorted.map((h) => Date.parse(h.completed_at) / 1000), sorted.map((h) => metricValue(h, key))];
}

/** A figure's summary as the API gives it, without which way is better (the caller knows). */
export type TrendSummary = Omit<HistoryTrend, 'better'>;

/** The summary of values in order (oldest first; null: that answer lacks the figure, and still counts as one given). */
export function summarise(values: readonly (number | null)[], better: Better): TrendSummary {
  const pts: [number, number][] = [];
  values.forEach((v, i) => {
    const y = num(v);
    if (y !== null) pts.push([i, y]);
  });
  const n = pts.length;
  if (n === 0) return { count: 0, first: null, last: null, best: null, mean: null, slope: null };
  const ys = pts.map((p) => p[1]);
  const mx = pts.reduce((s, p) => s + p[0], 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0, sxx = 0;
  for (const [x, y] of pts) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  return {
    count: n,
    first: ys[0],
    last: ys[n - 1],
    best: better === 'higher' ? Math.max(...ys) : better === 'lower' ? Math.min(...ys) : null,
    mean: my,
    slope: n >= 2 ? sxy / sxx : null,
  };
}

/** Whether a change per answer goes the better way: 1, -1, 0 (none, or a figure judged by a range). */
export function direction(slope: number | null, better: Better): -1 | 0 | 1 {
  if (slope === null || better === 'in_range' || Math.abs(slope) < 1e-9) return 0;
  return (slope > 0) === (better === 'higher') ? 1 : -1;
}

/** The value axis of a figure: scores 0-100, shares 0-1, counts from 0 up to the data (and a little room). */
export function metricRange(kind: MetricKind, values: readonly (number | null)[]): [number, number] {
  if (kind === 'score') return [0, 100];
  if (kind === 'share') return [0, 1];
  const max = Math.max(0, ...values.filter((v): v is number => num(v) !== null));
  if (max === 0) return [0, kind === 'wpm' ? 200 : 5];
  return [0, Math.ceil(max * 1.15)];
}

const HALF_DAY_S = 12 * 3600;

/** The trend's time axis: the data's span and 5 % on each side, at least
 * half a day (one interview, or several the same day, still reads as a day).
 * Computed from the data alone, so redrawing never widens it. */
export function trendRange(xs: number[]): [number, number] {
  if (xs.length === 0) {
    const now = Date.now() / 1000;
    return [now - HALF_DAY_S, now + HALF_DAY_S];
  }
  const min = Math.min(...xs), max = Math.max(...xs);
  const pad = Math.max((max - min) * 0.05, HALF_DAY_S);
  return [min - pad, max + pad];
}

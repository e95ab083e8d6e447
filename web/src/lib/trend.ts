import type { HistoryItem } from '../types';

/** Trend data: x = completion time (s), overall and the three parts. */
export function trendData(items: HistoryItem[]): (number | null)[][] {
  const sorted = [...items].filter((h) => !Number.isNaN(Date.parse(h.completed_at)))
    .sort((a, b) => Date.parse(a.completed_at) - Date.parse(b.completed_at));
  const n = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return [
    sorted.map((h) => Date.parse(h.completed_at) / 1000),
    sorted.map((h) => n(h.score)),
    sorted.map((h) => n(h.parts?.delivery)),
    sorted.map((h) => n(h.parts?.content)),
    sorted.map((h) => n(h.parts?.on_camera)),
  ];
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

// Mapping between the recording's time axis (seconds) and a chart's pixels.
// A chart plots [min, max] seconds over `width` CSS pixels starting at `left`.

export interface TimeAxis {
  min: number;
  max: number;
  /** Width of the plotting area in pixels. */
  width: number;
  /** Pixel offset of the plotting area's left edge (default 0). */
  left?: number;
}

function span(axis: TimeAxis): number {
  const s = axis.max - axis.min;
  return s > 0 ? s : 1;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Time t (s) -> x pixel; t outside [min, max] is clamped to the plot's edges. */
export function timeToX(t: number, axis: TimeAxis): number {
  const left = axis.left ?? 0;
  if (!Number.isFinite(t)) return left;
  const tt = clamp(t, axis.min, axis.max);
  return left + ((tt - axis.min) / span(axis)) * axis.width;
}

/** x pixel (e.g. a click's offsetX) -> time (s), clamped to [min, max]. */
export function xToTime(x: number, axis: TimeAxis): number {
  const left = axis.left ?? 0;
  if (axis.width <= 0 || !Number.isFinite(x)) return axis.min;
  const t = axis.min + ((x - left) / axis.width) * span(axis);
  return clamp(t, axis.min, Math.max(axis.min, axis.max));
}

/** The report's length in seconds: media duration, else the latest time any series reaches. */
export function reportDuration(candidates: (number | null | undefined)[]): number {
  let d = 0;
  for (const c of candidates) if (typeof c === 'number' && Number.isFinite(c) && c > d) d = c;
  return d;
}

/** A moment marked on the recording's time axis (a comment), drawn on every chart. */
export interface TimeMark {
  id: string;
  /** Seconds from the start of the recording. */
  t: number;
  /** What is at that moment, as text. */
  label: string;
}

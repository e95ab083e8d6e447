// The report's timeline charts as plain data (x = seconds of the recording),
// aligned with uPlot.join. The Chart component turns a spec into uPlot options.

import uPlot from 'uplot';
import type { Messages } from '../i18n';
import type { PauseItem, Report, Word } from '../types';
import { reportDuration } from './timeaxis';

export type SeriesKind = 'line' | 'step' | 'points';

export interface SeriesSpec {
  label: string;
  scale: string;
  kind: SeriesKind;
  color: string;
  /** What the values are: a key of the catalog's chart units; a share is shown without one. */
  unit?: 'wpm' | 'share' | 'dB' | 'Hz';
}

export interface ChartSpec {
  id: string;
  title: string;
  description: string;
  series: SeriesSpec[];
  /** y scales: fixed ranges where the values are shares. */
  scales: Record<string, { label: string; range?: [number, number] }>;
  /** [x, y1, y2, ...] aligned; null or undefined = no value there. */
  data: (number | null | undefined)[][];
  /** Number of actual (non-null) points over all series. */
  points: number;
}

/** [x, y...]: x ascending and unique, then the values of each series at those x. */
export type Table = [number[], ...(number | null)[][]];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function countPoints(data: (number | null | undefined)[][]): number {
  let n = 0;
  for (let s = 1; s < data.length; s++) for (const v of data[s]) if (v !== null && v !== undefined) n++;
  return n;
}

function joined(tables: Table[]): (number | null | undefined)[][] {
  const nonEmpty = tables.filter((t) => t[0].length > 0);
  if (nonEmpty.length === 0) return [[], ...tables.flatMap((t) => t.slice(1).map(() => []))];
  if (nonEmpty.length !== tables.length) {
    // keep every series: give an empty table one x point with a null value
    const x0 = nonEmpty[0][0][0];
    tables = tables.map((t) => (t[0].length ? t : ([[x0], ...t.slice(1).map(() => [null])] as Table)));
  }
  return uPlot.join(tables as unknown as uPlot.AlignedData[]) as unknown as (number | null | undefined)[][];
}

/** Sorts a table by x and merges duplicate x (last wins). */
function table(points: [number, number | null][]): Table {
  const sorted = [...points].filter((p) => Number.isFinite(p[0])).sort((a, b) => a[0] - b[0]);
  const xs: number[] = [], ys: (number | null)[] = [];
  for (const [x, y] of sorted) {
    if (xs.length && xs[xs.length - 1] === x) ys[ys.length - 1] = y;
    else { xs.push(x); ys.push(y); }
  }
  return [xs, ys];
}

/** One value per second as a table: x = the second, y = the value of `key` (null where absent). */
export function perSecond<S extends { t: number }>(secs: readonly S[], key: keyof S): Table {
  return table(secs.map((s) => [s.t, num(s[key])]));
}

/** A chart from its description and its series' tables (one table per series, in order). */
function chart(spec: Omit<ChartSpec, 'data' | 'points'>, tables: Table[]): ChartSpec {
  const data = joined(tables);
  return { ...spec, data, points: countPoints(data) };
}

/** Silences of at least minGap seconds between consecutive words. */
export function transcriptGaps(words: readonly Word[], minGap = 0.5): PauseItem[] {
  const out: PauseItem[] = [];
  for (let i = 1; i < words.length; i++) {
    const gap = words[i].start - words[i - 1].end;
    if (gap >= minGap) out.push({ start: words[i - 1].end, end: words[i].start, duration_s: gap });
  }
  return out;
}

/** Pauses: the audio's list, else the transcript's long pauses, else gaps between words. */
export function reportPauses(r: Report): PauseItem[] {
  const voice = r.voice?.pauses?.list ?? [];
  if (voice.length) return voice;
  const long = r.delivery?.pauses?.long ?? [];
  if (long.length) return long;
  return transcriptGaps(r.transcript?.words ?? []);
}

export function duration(r: Report): number {
  const words = r.transcript?.words ?? [];
  const voice = r.voice?.seconds ?? [];
  const cam = r.on_camera?.seconds ?? [];
  return reportDuration([
    r.media?.duration_s, r.duration_s, r.delivery?.duration_s,
    words.length ? words[words.length - 1].end : null,
    voice.length ? voice[voice.length - 1].t + 1 : null,
    cam.length ? cam[cam.length - 1].t + 1 : null,
  ]);
}

function paceChart(r: Report, dur: number, m: Messages): ChartSpec {
  const w = r.delivery?.pace_windows ?? [];
  const pts: [number, number | null][] = [];
  for (const win of w) pts.push([win.start, num(win.wpm)]);
  if (w.length) pts.push([Math.max(w[w.length - 1].end, dur), num(w[w.length - 1].wpm)]);
  const t = m.charts.pace;
  return chart({
    id: 'pace', title: t.title, description: t.description,
    series: [{ label: t.series, scale: 'wpm', kind: 'step', color: '#1f5fbf', unit: 'wpm' }],
    scales: { wpm: { label: m.charts.units.wpm } },
  }, [table(pts)]);
}

function pausesChart(r: Report, dur: number, m: Messages): ChartSpec {
  const speaking = perSecond(r.voice?.seconds ?? [], 'speaking');
  const pauses = reportPauses(r);
  const silence: [number, number | null][] = [[0, 0]];
  for (const p of pauses) {
    silence.push([p.start, 1]);
    silence.push([p.end, 0]);
  }
  if (dur > 0) silence.push([dur, 0]);
  const fillers = table((r.delivery?.fillers ?? []).map((f) => [f.start, 1]));
  const t = m.charts.pauses;
  return chart({
    id: 'pauses', title: t.title, description: t.description,
    series: [
      { label: t.speaking, scale: 'share', kind: 'line', color: '#2e7d32', unit: 'share' },
      { label: t.pause, scale: 'share', kind: 'step', color: '#b26a00' },
      { label: t.filler, scale: 'share', kind: 'points', color: '#c62828' },
    ],
    scales: { share: { label: m.charts.units.share, range: [0, 1.05] } },
  }, [speaking, table(silence), fillers]);
}

function voiceChart(r: Report, m: Messages): ChartSpec {
  const secs = r.voice?.seconds ?? [];
  const t = m.charts.voice;
  return chart({
    id: 'voice', title: t.title, description: t.description,
    series: [
      { label: t.loudness, scale: 'db', kind: 'line', color: '#6a1b9a', unit: 'dB' },
      { label: t.pitch, scale: 'hz', kind: 'line', color: '#00838f', unit: 'Hz' },
    ],
    scales: { db: { label: m.charts.units.dB }, hz: { label: m.charts.units.Hz } },
  }, [perSecond(secs, 'loudness'), perSecond(secs, 'pitch_hz')]);
}

function cameraChart(r: Report, m: Messages): ChartSpec {
  const secs = r.on_camera?.seconds ?? [];
  const t = m.charts.camera;
  return chart({
    id: 'camera', title: t.title, description: t.description,
    series: [
      { label: t.face, scale: 'share', kind: 'line', color: '#1f5fbf', unit: 'share' },
      { label: t.facing, scale: 'share', kind: 'line', color: '#ad1457', unit: 'share' },
    ],
    scales: { share: { label: m.charts.units.share, range: [0, 1.05] } },
  }, [perSecond(secs, 'face'), perSecond(secs, 'facing')]);
}

/** Every timeline chart of a report, on one time axis [0, duration], labelled in the catalog's language. */
export function reportCharts(r: Report, m: Messages): { duration: number; charts: ChartSpec[] } {
  const dur = duration(r);
  return { duration: dur, charts: [paceChart(r, dur, m), pausesChart(r, dur, m), voiceChart(r, m), cameraChart(r, m)] };
}

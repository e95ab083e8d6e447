// Formatting with Intl (no date library needed).

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDateFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const numFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const pctFmt = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
}

const shortTimeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** Labels of a time axis: hours within a span of two days or less, dates beyond. */
export function formatAxisTimes(secs: number[], spanS: number): string[] {
  const fmt = spanS <= 2 * 86400 ? shortTimeFmt : shortDateFmt;
  return secs.map((s) => fmt.format(new Date(s * 1000)));
}

/** Seconds -> "m:ss" (or "h:mm:ss"). */
export function formatClock(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '0:00';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

/** Seconds with one decimal, e.g. "12.3 s". */
export function formatSeconds(s: number | null | undefined): string {
  return typeof s === 'number' && Number.isFinite(s) ? `${s.toFixed(1)} s` : '–';
}

export function formatNumber(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? numFmt.format(v) : '–';
}

export function formatPercent(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? pctFmt.format(v) : '–';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function formatScore(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? String(Math.round(v)) : '–';
}

/** What each rubric criterion measures (docs/rubric.md). */
export const METRICS: Record<string, { label: string; what: string }> = {
  pace_wpm: { label: 'Pace', what: 'Words per minute from your first to your last word; 100-165 is easy to follow.' },
  fillers_per_100_words: { label: 'Fillers', what: 'Filler words ("um", "uh", "like") per 100 words; at most 4 is good.' },
  long_pauses_per_minute: { label: 'Long pauses', what: 'Silences of 2 seconds or more per minute; at most 2 is good.' },
  hedges_per_100_words: { label: 'Hedges', what: 'Hedging phrases ("I think", "maybe") per 100 words; at most 2 is good.' },
  talking_points_covered: { label: 'Talking points', what: 'Share of the talking points the question expects that your answer covered.' },
  question_similarity: { label: 'On topic', what: 'How closely your words match the question and its talking points (TF-IDF cosine).' },
  star_parts: { label: 'STAR structure', what: 'How many of Situation, Task, Action and Result your story contains.' },
  quantified_results: { label: 'Quantified results', what: 'Numbers, percentages or amounts that make your result concrete.' },
  action_verbs_per_100_words: { label: 'Action verbs', what: 'Strong action verbs ("built", "led") per 100 words.' },
  vocabulary_mattr: { label: 'Vocabulary', what: 'Variety of words (moving-average type-token ratio over 50 words).' },
  sentence_max_words: { label: 'Longest sentence', what: 'Words in your longest sentence; at most 40 keeps listeners with you.' },
  noninclusive_terms: { label: 'Inclusive language', what: 'Terms from the non-inclusive list; zero is the goal.' },
  brightness: { label: 'Lighting', what: 'Mean brightness of the picture (0-255); 70-200 shows your face well.' },
  motion: { label: 'Steadiness', what: 'How much the picture changes between frames; a steady camera stays low.' },
  face_present_ratio: { label: 'Face in frame', what: 'Share of the time your face was found in the picture.' },
  facing_camera_ratio: { label: 'Facing the camera', what: 'Share of the time you faced the camera.' },
};

export function metricLabel(metric: string | undefined): string {
  if (!metric) return '';
  return METRICS[metric]?.label ?? metric.replace(/_/g, ' ');
}

export const PART_LABELS: Record<string, string> = {
  delivery: 'Delivery',
  content: 'Content',
  on_camera: 'On camera',
};

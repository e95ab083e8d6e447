// Numbers, dates, durations, plurals and language names in one interface
// language, all through the browser's Intl: formatters(locale) makes them
// once per locale (Intl objects are costly to build, cheap to use).

/** A plural's forms, chosen by Intl.PluralRules; `zero` (optional) is for exactly 0, as ICU's "=0". */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string; zero?: string };

export interface Formatters {
  readonly locale: string;
  /** Up to two decimals; '–' for no number. */
  number(v: number | null | undefined): string;
  /** A share 0..1 as a whole percentage; '–' for no number. */
  percent(v: number | null | undefined): string;
  /** Date and time of an ISO timestamp; '' when there is none. */
  date(iso: string | null | undefined): string;
  /** Labels of a time axis (x in seconds since the epoch): hours within two days, dates beyond. */
  axisTimes(secs: number[], spanS: number): string[];
  /** Seconds as a clock, "m:ss" or "h:mm:ss". */
  clock(seconds: number | null | undefined): string;
  /** Seconds with one decimal and the unit, e.g. "12.3 sec" / "12,3 s"; '–' for no number. */
  seconds(v: number | null | undefined): string;
  /** A length of time in words, e.g. "10 minutes", "1 minute, 30 seconds", "10 minutos". */
  duration(seconds: number): string;
  /** A size in bytes with its unit (B, kB, MB). */
  bytes(n: number): string;
  /** A 0-100 score rounded; '–' for none. */
  score(v: number | null | undefined): string;
  /** Rounded to a whole number; '–' for no number. */
  integer(v: number | null | undefined): string;
  /** How far an instant is from now: "in 3 days", "2 hours ago", "amanhã". */
  relative(iso: string | null | undefined, now?: number): string;
  /** The form of a word for n (Intl.PluralRules). */
  plural(n: number, forms: PluralForms): string;
  /** A language's name in this locale ("Portuguese (Brazil)", "português (Brasil)"), capitalised. */
  language(code: string): string;
  /** "a, b and c" / "a, b e c". */
  list(items: string[]): string;
}

const DASH = '–';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Seconds -> "m:ss" (or "h:mm:ss"): the same in every language. */
export function formatClock(seconds: number | null | undefined): string {
  if (!isNum(seconds) || seconds < 0) return '0:00';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(r).padStart(2, '0')}`;
}

const DAY = 86400;
/** A relative time's unit, its length and the distance below which it is used (seconds):
 * "in 30 days" (the keys' choices), "in 3 months", "next year". */
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ['second', 1, 60], ['minute', 60, 3600], ['hour', 3600, DAY], ['day', DAY, 45 * DAY],
  ['month', 30.44 * DAY, 365 * DAY], ['year', 365.25 * DAY, Infinity],
];

function make(locale: string): Formatters {
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const shortDate = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });
  const shortTime = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  const unit = (u: string, display: 'short' | 'long', digits = 0) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: display, maximumFractionDigits: digits });
  const sec1 = new Intl.NumberFormat(locale, {
    style: 'unit', unit: 'second', unitDisplay: 'short', minimumFractionDigits: 1, maximumFractionDigits: 1,
  });
  const longUnits = { hour: unit('hour', 'long'), minute: unit('minute', 'long'), second: unit('second', 'long') };
  const sizes = { byte: unit('byte', 'short'), kilobyte: unit('kilobyte', 'short'), megabyte: unit('megabyte', 'short', 1) };
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const rules = new Intl.PluralRules(locale);
  const names = new Intl.DisplayNames(locale, { type: 'language', languageDisplay: 'standard' });
  const units = new Intl.ListFormat(locale, { type: 'unit', style: 'long' });
  const and = new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' });
  const capitalise = (s: string) => (s ? s[0].toLocaleUpperCase(locale) + s.slice(1) : s);

  return {
    locale,
    number: (v) => (isNum(v) ? num.format(v) : DASH),
    integer: (v) => (isNum(v) ? int.format(v) : DASH),
    percent: (v) => (isNum(v) ? pct.format(v) : DASH),
    date(iso) {
      if (!iso) return '';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
    },
    axisTimes(secs, spanS) {
      const fmt = spanS <= 2 * 86400 ? shortTime : shortDate;
      return secs.map((s) => fmt.format(new Date(s * 1000)));
    },
    clock: formatClock,
    seconds: (v) => (isNum(v) ? sec1.format(v) : DASH),
    duration(seconds) {
      const s = Math.max(0, Math.round(seconds));
      const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      const parts: string[] = [];
      if (h) parts.push(longUnits.hour.format(h));
      if (m) parts.push(longUnits.minute.format(m));
      if (r || parts.length === 0) parts.push(longUnits.second.format(r));
      return units.format(parts);
    },
    bytes(n) {
      if (n < 1000) return sizes.byte.format(n);
      if (n < 1000 * 1000) return sizes.kilobyte.format(n / 1000);
      return sizes.megabyte.format(n / 1000 / 1000);
    },
    score: (v) => (isNum(v) ? int.format(Math.round(v)) : DASH),
    relative(iso, now = Date.now()) {
      if (!iso) return '';
      const t = Date.parse(iso);
      if (Number.isNaN(t)) return '';
      const diff = (t - now) / 1000;
      const [unit, size] = RELATIVE_UNITS.find(([, , below]) => Math.abs(diff) < below)!;
      return rel.format(Math.round(diff / size), unit);
    },
    plural(n, forms) {
      if (n === 0 && forms.zero !== undefined) return forms.zero;
      return forms[rules.select(n)] ?? forms.other;
    },
    language(code) {
      try {
        return capitalise(names.of(code) ?? code);
      } catch {
        return code;
      }
    },
    list: (items) => and.format(items),
  };
}

const cache = new Map<string, Formatters>();

/** The formatters of a locale (made once, then kept). */
export function formatters(locale: string): Formatters {
  let f = cache.get(locale);
  if (!f) {
    f = make(locale);
    cache.set(locale, f);
  }
  return f;
}

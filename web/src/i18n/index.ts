// The interface languages: which catalog a person gets (their browser's
// languages, or the one they chose, remembered in localStorage), and
// looking texts up by a key that comes from data (a metric, a stage).

import { en, type Messages } from './en';
import { ptBR } from './pt-BR';

export type { Messages } from './en';

/** Every interface language, by its BCP 47 tag. */
export const CATALOGS = { en, 'pt-BR': ptBR } satisfies Record<string, Messages>;
export type Lang = keyof typeof CATALOGS;
export const LANGS = Object.keys(CATALOGS) as Lang[];
export const DEFAULT_LANG: Lang = 'en';

/** Where the person's choice is kept. */
export const STORAGE_KEY = 'isim.lang';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as string[]).includes(v);
}

/** The catalog of a tag's language (pt, pt-BR, pt-PT -> pt-BR), or null when there is none. */
export function langOf(tag: string): Lang | null {
  const t = tag.trim().toLowerCase();
  if (!t) return null;
  const exact = LANGS.find((l) => l.toLowerCase() === t);
  if (exact) return exact;
  const primary = t.split(/[-_]/)[0];
  return LANGS.find((l) => l.toLowerCase().split('-')[0] === primary) ?? null;
}

/** The first of the browser's languages (navigator.languages, most wanted first) that has a catalog, else English. */
export function pickLanguage(prefs: readonly string[] | null | undefined): Lang {
  for (const p of prefs ?? []) {
    const l = langOf(p);
    if (l) return l;
  }
  return DEFAULT_LANG;
}

/** The part of Storage used here (localStorage, or a stand-in in tests). */
export type LangStore = Pick<Storage, 'getItem' | 'setItem'>;

function stored(store: LangStore | null): Lang | null {
  try {
    const v = store?.getItem(STORAGE_KEY);
    return isLang(v) ? v : null;
  } catch {
    return null; // storage blocked (privacy settings): follow the browser
  }
}

/** The language to start with: the person's earlier choice, else their browser's. */
export function initialLanguage(store: LangStore | null, prefs: readonly string[] | null | undefined): Lang {
  return stored(store) ?? pickLanguage(prefs);
}

/** Remembers a choice; storage that refuses only loses the memory. */
export function rememberLanguage(store: LangStore | null, lang: Lang): void {
  try {
    store?.setItem(STORAGE_KEY, lang);
  } catch {
    // not remembered, still switched
  }
}

export function catalog(lang: Lang): Messages {
  return CATALOGS[lang];
}

/** A text of a catalog table by a key from data (a metric, a stage, a category), or undefined. */
export function lookup<T>(table: { [key: string]: T }, key: string | null | undefined): T | undefined {
  return key != null && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

import { describe, expect, it } from 'vitest';
import {
  CATALOGS, LANGS, STORAGE_KEY, catalog, initialLanguage, langOf, lookup, pickLanguage, rememberLanguage,
  type LangStore,
} from './index';

/** localStorage's behaviour for the two calls used. */
function memoryStore(start: Record<string, string> = {}): LangStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(start));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, String(v)) };
}

const refusing: LangStore = {
  getItem: () => { throw new DOMException('blocked', 'SecurityError'); },
  setItem: () => { throw new DOMException('full', 'QuotaExceededError'); },
};

describe('choosing the interface language', () => {
  it('gives every Portuguese Brazilian Portuguese, and anything else English', () => {
    expect(pickLanguage(['pt-BR'])).toBe('pt-BR');
    expect(pickLanguage(['pt'])).toBe('pt-BR');
    expect(pickLanguage(['pt-PT', 'en'])).toBe('pt-BR');
    expect(pickLanguage(['PT_br'])).toBe('pt-BR');
    expect(pickLanguage(['en-US', 'en'])).toBe('en');
    expect(pickLanguage(['de-DE', 'fr'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });

  it('takes the first of the browser\'s languages that it has', () => {
    expect(pickLanguage(['fr-FR', 'pt-BR', 'en'])).toBe('pt-BR');
    expect(pickLanguage(['en-GB', 'pt-BR'])).toBe('en');
    expect(langOf('es')).toBeNull();
    expect(langOf('')).toBeNull();
  });

  it('prefers the choice the person made, remembered across visits', () => {
    const store = memoryStore();
    expect(initialLanguage(store, ['pt-BR'])).toBe('pt-BR');
    rememberLanguage(store, 'en');
    expect(store.data.get(STORAGE_KEY)).toBe('en');
    expect(initialLanguage(store, ['pt-BR'])).toBe('en');
    rememberLanguage(store, 'pt-BR');
    expect(initialLanguage(store, ['en-US'])).toBe('pt-BR');
  });

  it('ignores a stored value that is no language of the app', () => {
    expect(initialLanguage(memoryStore({ [STORAGE_KEY]: 'klingon' }), ['pt'])).toBe('pt-BR');
  });

  it('still works when storage is refused (privacy settings)', () => {
    expect(initialLanguage(refusing, ['pt-BR'])).toBe('pt-BR');
    expect(() => rememberLanguage(refusing, 'en')).not.toThrow();
    expect(initialLanguage(null, ['en'])).toBe('en');
  });
});

/** Every key path of a catalog, with what kind of value it holds. */
function shape(v: unknown, path = ''): string[] {
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => shape(x, `${path}.${k}`));
  return [`${path}:${typeof v}`];
}

describe('the catalogs', () => {
  it('all have the English keys, each of the same kind (the compiler checks it too)', () => {
    const english = shape(CATALOGS.en);
    for (const l of LANGS) expect(shape(catalog(l))).toEqual(english);
  });

  it('leave no Portuguese text empty or forgotten in English', () => {
    const leaves = (v: unknown): string[] =>
      v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : typeof v === 'string' ? [v] : [];
    const pt = leaves(CATALOGS['pt-BR']);
    expect(pt.every((s) => s.trim().length > 0)).toBe(true);
    const en = new Set(leaves(CATALOGS.en));
    // the same in both languages: units and letters only
    const allowed = new Set(['dB', 'Hz', 'S', 'T', 'A', 'R']);
    expect(pt.filter((s) => en.has(s) && !allowed.has(s))).toEqual([]);
  });

  it('fill in values with the language\'s numbers and plurals', () => {
    expect(CATALOGS.en.picker.shown(1, 1)).toBe('1 of 1 question');
    expect(CATALOGS.en.picker.shown(3, 1200)).toBe('3 of 1,200 questions');
    expect(CATALOGS['pt-BR'].picker.shown(1, 1)).toBe('1 de 1 pergunta');
    expect(CATALOGS['pt-BR'].picker.shown(0, 0)).toBe('0 de 0 perguntas');
    expect(CATALOGS['pt-BR'].picker.shown(3, 1200)).toBe('3 de 1.200 perguntas');
    expect(CATALOGS['pt-BR'].account.keys.inDays(1)).toBe('Em 1 dia');
    expect(CATALOGS['pt-BR'].account.keys.inDays(30)).toBe('Em 30 dias');
    expect(CATALOGS['pt-BR'].report.figures.wpm(142.4)).toBe('142 ppm');
  });

  it('look up texts by a key from data, and nothing else', () => {
    expect(lookup(CATALOGS['pt-BR'].progress.stages, 'transcriber')).toBe('Transcrevendo sua fala');
    expect(lookup(CATALOGS.en.parts, 'toString')).toBeUndefined();
    expect(lookup(CATALOGS.en.parts, undefined)).toBeUndefined();
  });
});

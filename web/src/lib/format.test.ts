import { describe, expect, it } from 'vitest';
import { formatters } from './format';

// Intl puts (narrow) no-break spaces in some outputs; compare with plain ones.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const en = formatters('en');
const pt = formatters('pt-BR');
const NOW = Date.parse('2026-06-15T12:00:00Z');
const inDays = (d: number) => new Date(NOW + d * 86_400_000).toISOString();

describe('formatters', () => {
  it('are made once per locale', () => {
    expect(formatters('pt-BR')).toBe(pt);
    expect(en.locale).toBe('en');
  });

  it('write numbers, percentages and scores the way each language does', () => {
    expect(en.number(1234.5)).toBe('1,234.5');
    expect(pt.number(1234.5)).toBe('1.234,5');
    expect(en.number(null)).toBe('–');
    expect(plain(pt.percent(0.94))).toBe('94%');
    expect(pt.score(72.6)).toBe('73');
    expect(en.integer(Number.NaN)).toBe('–');
  });

  it('write seconds and lengths of time with Intl units', () => {
    expect(plain(en.seconds(12.34))).toBe('12.3 sec');
    expect(plain(pt.seconds(12.34))).toBe('12,3 s');
    expect(en.duration(600)).toBe('10 minutes');
    expect(pt.duration(600)).toBe('10 minutos');
    expect(en.duration(90)).toBe('1 minute, 30 seconds');
    expect(pt.duration(90)).toBe('1 minuto e 30 segundos');
    expect(en.duration(1)).toBe('1 second');
    expect(pt.duration(3)).toBe('3 segundos');
    expect(en.clock(75)).toBe('1:15');
    expect(pt.clock(3725)).toBe('1:02:05');
  });

  it('write sizes', () => {
    expect(plain(en.bytes(1_500_000))).toBe('1.5 MB');
    expect(plain(pt.bytes(1_500_000))).toBe('1,5 MB');
    expect(plain(pt.bytes(12_300))).toBe('12 kB');
  });

  it('write dates in the language', () => {
    expect(plain(en.date('2026-12-01T12:00:00Z'))).toMatch(/Dec.*2026/);
    expect(plain(pt.date('2026-12-01T12:00:00Z'))).toMatch(/dez\..*2026/);
    expect(pt.date('not a date')).toBe('');
    expect(en.date(null)).toBe('');
  });

  it('say how far an instant is, in the largest unit that fits', () => {
    expect(en.relative(inDays(90), NOW)).toBe('in 3 months');
    expect(pt.relative(inDays(90), NOW)).toBe('em 3 meses');
    expect(en.relative(inDays(1), NOW)).toBe('tomorrow');
    expect(pt.relative(inDays(1), NOW)).toBe('amanhã');
    expect(pt.relative(inDays(-1 / 12), NOW)).toBe('há 2 horas');
    expect(en.relative(inDays(30), NOW)).toBe('in 30 days');
    expect(pt.relative(inDays(29.99), NOW)).toBe('em 30 dias');
    expect(en.relative(inDays(365), NOW)).toBe('next year');
    expect(pt.relative(inDays(-3 * 365), NOW)).toBe('há 3 anos');
    expect(en.relative('', NOW)).toBe('');
  });

  it('choose plural forms with Intl.PluralRules, and an exact zero when given', () => {
    const q = { one: 'question', other: 'questions' };
    expect(en.plural(1, q)).toBe('question');
    expect(en.plural(0, q)).toBe('questions');
    expect(en.plural(2, q)).toBe('questions');
    const p = { one: 'pergunta', other: 'perguntas' };
    // Brazilian Portuguese (CLDR) says "one" for 0 and 1 ...
    expect(pt.plural(0, p)).toBe('pergunta');
    expect(pt.plural(1, p)).toBe('pergunta');
    expect(pt.plural(2, p)).toBe('perguntas');
    // ... and a catalog can say what exactly zero reads as
    expect(pt.plural(0, { ...p, zero: 'perguntas' })).toBe('perguntas');
  });

  it('name languages in the interface language, capitalised', () => {
    expect(en.language('pt-BR')).toBe('Portuguese (Brazil)');
    expect(pt.language('pt-BR')).toBe('Português (Brasil)');
    expect(pt.language('pt-br')).toBe('Português (Brasil)');
    expect(pt.language('en')).toBe('Inglês');
    expect(en.language('not a tag!')).toBe('not a tag!');
  });

  it('join lists', () => {
    expect(en.list(['a', 'b', 'c'])).toBe('a, b, and c');
    expect(pt.list(['a', 'b', 'c'])).toBe('a, b e c');
  });

  it('show hours on a one-day time axis and dates on a long one', () => {
    const t = Date.parse('2026-12-01T15:00:00Z') / 1000;
    const [short] = en.axisTimes([t], 86_400);
    const [long] = en.axisTimes([t], 30 * 86_400);
    expect(short).not.toEqual(long);
    expect(short).toMatch(/\d:\d\d/);
    expect(long).not.toMatch(/\d:\d\d/);
    expect(pt.axisTimes([t], 30 * 86_400)[0]).toMatch(/dez/);
  });
});

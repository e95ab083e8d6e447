import { describe, expect, it } from 'vitest';
import sample from '../fixtures/sample-report.json';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import type { Report, Word } from '../types';
import { markWords, transcriptSource, wordIndexAt } from './transcript';

const words: Word[] = [
  { word: 'so', start: 0.5, end: 0.8 },
  { word: 'um', start: 0.9, end: 1.2 },
  { word: 'i', start: 2.5, end: 2.6 },
  { word: 'think', start: 2.6, end: 3.0 },
  { word: 'it', start: 3.1, end: 3.3 },
];

describe('wordIndexAt', () => {
  it('is -1 before the first word', () => {
    expect(wordIndexAt(words, 0)).toBe(-1);
    expect(wordIndexAt(words, 0.49)).toBe(-1);
  });
  it('finds the word being said', () => {
    expect(wordIndexAt(words, 0.5)).toBe(0);
    expect(wordIndexAt(words, 0.95)).toBe(1);
    expect(wordIndexAt(words, 2.6)).toBe(3);
    expect(wordIndexAt(words, 3.2)).toBe(4);
  });
  it('keeps a word through a short gap, not through a pause', () => {
    expect(wordIndexAt(words, 0.85)).toBe(0);
    expect(wordIndexAt(words, 2.0)).toBe(-1);
    expect(wordIndexAt(words, 2.0, Infinity)).toBe(1);
    expect(wordIndexAt(words, 99)).toBe(-1);
  });
  it('handles an empty transcript', () => {
    expect(wordIndexAt([], 1)).toBe(-1);
  });
  it('agrees with a linear scan on the sample report', () => {
    const w = (sample as unknown as Report).transcript!.words!;
    for (let t = 0; t < 26; t += 0.37) {
      let expected = -1;
      for (let i = 0; i < w.length; i++) if (w[i].start <= t) expected = i;
      if (expected >= 0 && t > w[expected].end + 0.25) expected = -1;
      expect(wordIndexAt(w, t)).toBe(expected);
    }
  });
});

describe('markWords', () => {
  it('marks fillers, hedges (multi-word) and non-inclusive terms', () => {
    const m = markWords(words, {
      fillers: [{ word: 'um', start: 0.9, end: 1.2, index: 1 }],
      hedges: { count: 1, items: [{ phrase: 'i think', start: 2.5, end: 3.0, index: 2 }] },
      noninclusive: { count: 1, items: [{ term: 'it', suggestion: 'this', start: 3.1, end: 3.3 }] },
    }, en);
    expect(m.get(0)).toBeUndefined();
    expect(m.get(1)?.kind).toBe('filler');
    expect(m.get(2)?.kind).toBe('hedge');
    expect(m.get(3)?.kind).toBe('hedge');
    expect(m.get(4)?.kind).toBe('noninclusive');
    expect(m.get(4)?.note).toContain('"this"');
  });
  it('copes with a null delivery and the sample report', () => {
    expect(markWords(words, null, en).size).toBe(0);
    const r = sample as unknown as Report;
    const m = markWords(r.transcript!.words!, r.delivery, en);
    expect([...m.values()].filter((x) => x.kind === 'hedge').length).toBe(r.delivery!.hedges!.count);
    expect(r.transcript!.words![14].word).toBe('might');
    expect(m.get(14)?.kind).toBe('hedge');
  });
});

describe('transcriptSource', () => {
  it('names the server and its model', () => {
    expect(transcriptSource({ engine: 'openai', model: 'whisper-tiny.en' }, en))
      .toBe('Transcribed by the speech-to-text server (whisper-tiny.en).');
  });
  it('says when the built-in recogniser stood in, and why', () => {
    const s = transcriptSource({ engine: 'pocketsphinx', note: 'The openai engine failed (no answer); transcribed by the pocketsphinx engine.' }, en);
    expect(s).toContain('built-in recogniser');
    expect(s).toContain('openai engine failed');
  });
  it('says it in Portuguese, the server\'s note as the server wrote it', () => {
    expect(transcriptSource({ engine: 'openai', model: 'whisper-small' }, ptBR))
      .toBe('Transcrito pelo servidor de reconhecimento de fala (whisper-small).');
    expect(transcriptSource({ engine: 'pocketsphinx', note: 'The openai engine failed.' }, ptBR))
      .toBe('Transcrito pelo reconhecedor embutido (pocketsphinx), que erra mais. The openai engine failed.');
  });
  it('leaves out the no-speech note and handles a missing transcript', () => {
    expect(transcriptSource({ engine: 'openai', model: 'm', note: 'no speech detected' }, en)).toBe('Transcribed by the speech-to-text server (m).');
    expect(transcriptSource(null, en)).toBe('The recording has no sound track.');
  });
});

// Transcript helpers: which word is being said at time t, and which words
// the report marks (fillers, hedges, non-inclusive terms) with an explanation.

import type { Messages } from '../i18n';
import type { Delivery, Word } from '../types';

/**
 * Index of the word being said at time t: the last word whose start <= t,
 * provided t is not more than `tolerance` seconds after its end (a pause
 * highlights nothing). -1 before the first word or in a pause. Binary
 * search: words are sorted by start.
 */
export function wordIndexAt(words: readonly Pick<Word, 'start' | 'end'>[], t: number, tolerance = 0.25): number {
  let lo = 0, hi = words.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid].start <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  return t <= words[found].end + tolerance ? found : -1;
}

export type MarkKind = 'filler' | 'hedge' | 'noninclusive';

export interface WordMark {
  kind: MarkKind;
  /** The phrase found (may span several words). */
  phrase: string;
  /** Why it is marked, in plain words. */
  note: string;
}

export const MARK_KINDS: readonly MarkKind[] = ['filler', 'hedge', 'noninclusive'];

function wordsIn(phrase: string): number {
  const n = phrase.trim().split(/\s+/).filter(Boolean).length;
  return n > 0 ? n : 1;
}

/** Finds the first word index at or after `start` (for items without an index). */
function indexAtTime(words: readonly Word[], start: number): number {
  let lo = 0, hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid].start < start - 0.01) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Word index -> mark, from delivery.fillers, delivery.hedges.items and delivery.noninclusive.items. */
export function markWords(words: readonly Word[], delivery: Delivery | null | undefined, m: Messages): Map<number, WordMark> {
  const legend = m.transcript.legend;
  const marks = new Map<number, WordMark>();
  if (!delivery) return marks;
  const add = (kind: MarkKind, phrase: string, index: number | undefined, start: number, note: string) => {
    let i = typeof index === 'number' && index >= 0 && index < words.length ? index : indexAtTime(words, start);
    for (let k = 0; k < wordsIn(phrase) && i < words.length; k++, i++) {
      if (!marks.has(i)) marks.set(i, { kind, phrase, note });
    }
  };
  for (const f of delivery.fillers ?? []) {
    if (f && typeof f.start === 'number') add('filler', f.word ?? '', f.index, f.start, legend.filler.note);
  }
  for (const h of delivery.hedges?.items ?? []) {
    if (h && typeof h.start === 'number') add('hedge', h.phrase ?? '', h.index, h.start, legend.hedge.note);
  }
  for (const n of delivery.noninclusive?.items ?? []) {
    if (!n || typeof n.start !== 'number') continue;
    const note = n.suggestion ? m.transcript.suggestion(n.suggestion) : legend.noninclusive.note;
    add('noninclusive', n.term ?? '', n.index, n.start, note);
  }
  return marks;
}

/** How the transcript was made, in words for the candidate: the engine and
 * model, and why the embedded engine stood in when it did (the server's note). */
export function transcriptSource(t: { engine?: string; model?: string; note?: string } | null | undefined, m: Messages): string {
  const engine = t?.engine ?? 'none';
  const note = t?.note && t.note !== 'no speech detected' ? ` ${t.note}` : '';
  if (engine === 'openai') return `${m.transcript.byServer(t?.model ?? 'Whisper')}${note}`;
  if (engine === 'pocketsphinx') return `${m.transcript.byPocketsphinx}${note}`;
  if (engine === 'none') return m.transcript.noSound;
  return `${m.transcript.byEngine(engine)}${note}`;
}

import { useEffect, useMemo, useRef } from 'preact/hooks';
import { MARK_LEGEND, markWords, wordIndexAt, type MarkKind } from '../lib/transcript';
import type { Delivery, Word } from '../types';
import type { Playhead } from './playhead';

interface Props {
  words: Word[];
  delivery: Delivery | null | undefined;
  playhead: Playhead;
}

/** The timed transcript: the word being said is highlighted, a click on a word seeks there. */
export function Transcript({ words, delivery, playhead }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const marks = useMemo(() => markWords(words, delivery), [words, delivery]);
  const kinds = useMemo(() => new Set([...marks.values()].map((m) => m.kind)), [marks]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const spans = el.querySelectorAll<HTMLElement>('[data-i]');
    let cur = -1;
    return playhead.subscribe((t) => {
      const i = wordIndexAt(words, t);
      if (i === cur) return;
      if (cur >= 0) spans[cur]?.classList.remove('current');
      cur = i;
      if (i < 0) return;
      const w = spans[i];
      if (!w) return;
      w.classList.add('current');
      // keep the current word visible inside the transcript box (not the page)
      const top = w.offsetTop - el.offsetTop;
      if (top < el.scrollTop || top + w.offsetHeight > el.scrollTop + el.clientHeight) {
        el.scrollTop = Math.max(0, top - el.clientHeight / 3);
      }
    });
  }, [words, playhead]);

  const onClick = (e: MouseEvent) => {
    const target = (e.target as HTMLElement).closest<HTMLElement>('[data-i]');
    if (!target) return;
    const i = Number(target.dataset.i);
    if (words[i]) playhead.seek(words[i].start);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = wordIndexAt(words, playhead.time, Infinity);
    const next = e.key === 'ArrowRight' ? Math.min(words.length - 1, i + 1) : Math.max(0, i - 1);
    if (words[next]) playhead.seek(words[next].start);
  };

  if (words.length === 0) {
    return <p class="muted">No speech was recognised in this recording.</p>;
  }

  return (
    <div class="transcript-panel">
      <div ref={box} class="transcript" role="region" tabIndex={0} aria-label="Transcript words"
        aria-describedby="transcript-hint" onClick={onClick} onKeyDown={onKey}>
        {words.map((w, i) => {
          const m = marks.get(i);
          return (
            <span key={i} data-i={i} class={m ? `w mark mark-${m.kind}` : 'w'} title={m ? `${MARK_LEGEND[m.kind].label}: ${m.note}` : undefined}>
              {w.word}{' '}
            </span>
          );
        })}
      </div>
      <p id="transcript-hint" class="hint">Click a word (or use the arrow keys here) to play from that moment.</p>
      {kinds.size > 0 && (
        <dl class="legend" aria-label="Marked words">
          {(Object.keys(MARK_LEGEND) as MarkKind[]).filter((k) => kinds.has(k)).map((k) => (
            <div key={k}>
              <dt><span class={`mark mark-${k}`}>{MARK_LEGEND[k].label}</span></dt>
              <dd>{MARK_LEGEND[k].note}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

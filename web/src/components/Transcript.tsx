import { useEffect, useMemo, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { MARK_KINDS, markWords, wordIndexAt } from '../lib/transcript';
import type { Delivery, Word } from '../types';
import type { Playhead } from './playhead';

interface Props {
  words: Word[];
  /** The language the words are in (the report's), for the lang attribute. */
  lang?: string;
  delivery: Delivery | null | undefined;
  playhead: Playhead;
}

/** The timed transcript: the word being said is highlighted, a click on a word seeks there. */
export function Transcript({ words, lang, delivery, playhead }: Props) {
  const { m } = useI18n();
  const legend = m.transcript.legend;
  const box = useRef<HTMLDivElement>(null);
  const marks = useMemo(() => markWords(words, delivery, m), [words, delivery, m]);
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
    return <p class="muted">{m.transcript.none}</p>;
  }

  return (
    <div class="transcript-panel">
      <div ref={box} class="transcript" role="region" tabIndex={0} aria-label={m.transcript.words} lang={lang}
        aria-describedby="transcript-hint" onClick={onClick} onKeyDown={onKey}>
        {words.map((w, i) => {
          const mark = marks.get(i);
          return (
            <span key={i} data-i={i} class={mark ? `w mark mark-${mark.kind}` : 'w'} title={mark ? m.transcript.mark(legend[mark.kind].label, mark.note) : undefined}>
              {w.word}{' '}
            </span>
          );
        })}
      </div>
      <p id="transcript-hint" class="hint no-print">{m.transcript.hint}</p>
      {kinds.size > 0 && (
        <dl class="legend" aria-label={m.transcript.marked}>
          {MARK_KINDS.filter((k) => kinds.has(k)).map((k) => (
            <div key={k}>
              <dt><span class={`mark mark-${k}`}>{legend[k].label}</span></dt>
              <dd>{legend[k].note}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

// Comments on a report, by its candidate and their coaches: each at a
// moment of the recording (a click plays from there; the charts mark it)
// or on the whole answer. Only these people see them (the API checks).

import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n/context';
import { duration as reportLength } from '../lib/charts';
import { commentMarks, commentMoment, isAuthor, isOwnInterview, sortComments } from '../lib/coaching';
import { errorMessage } from '../lib/errors';
import type { Comment, Interview, Report } from '../types';
import type { Playhead } from './playhead';
import { ErrorBox } from './ui';
import { useAction } from './useAction';
import '../coach.css';

const MAX_LENGTH = 2000;

function playFrom(playhead: Playhead, t: number) {
  playhead.seek(t);
  document.getElementById('report-video')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

/** The video's current time, re-rendering once a second at most. */
function useSecond(playhead: Playhead): number {
  const [s, setS] = useState(Math.floor(playhead.time));
  useEffect(() => playhead.subscribe((t) => setS(Math.floor(t))), [playhead]);
  return s;
}

function CommentItem({ c, playhead, onDelete }: { c: Comment; playhead: Playhead; onDelete: (c: Comment) => Promise<void> }) {
  const { m, f } = useI18n();
  const t = m.comments;
  const { me } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const at = typeof c.at_s === 'number' ? c.at_s : null;
  const who = isAuthor(c, me) ? t.you : c.author.name ?? t.someone;
  return (
    <li class="comment" data-comment-id={c.id} data-at={at ?? ''}>
      <p class="comment-meta">
        {at === null ? <span class="tag">{t.whole}</span> : (
          <>
            <button type="button" class="link jump comment-time" data-t={at} aria-label={t.playFrom(f.clock(at))}
              onClick={() => playFrom(playhead, at)}>{f.clock(at)}</button>
            <span class="print-inline">{f.clock(at)}</span>
          </>
        )}{' '}
        <strong class="comment-author">{who}</strong>
        {c.author.is_candidate !== null && <span class="hint"> ({c.author.is_candidate ? t.candidate : t.coach})</span>}
        {' · '}<time class="hint" dateTime={c.created_at}>{f.date(c.created_at)}</time>
      </p>
      <p class="comment-body">{c.body}</p>
      {isAuthor(c, me) && (
        <p class="comment-actions no-print">
          {confirming ? (
            <span class="confirm" role="group" aria-label={t.confirm}>
              <span>{t.confirmText}</span>
              <button type="button" class="danger small" onClick={() => onDelete(c)}>{m.common.delete}</button>
              <button type="button" class="secondary small" onClick={() => setConfirming(false)}>{m.common.keep}</button>
            </span>
          ) : (
            <button type="button" class="secondary small" aria-label={t.deleteLabel(at === null ? null : f.clock(at))}
              onClick={() => setConfirming(true)}>{m.common.delete}</button>
          )}
        </p>
      )}
    </li>
  );
}

/** The comments panel of a report; its moments are marked on the playhead's charts. */
export function ReportComments({ iv, report, playhead }: { iv: Interview; report: Report; playhead: Playhead }) {
  const { m, f } = useI18n();
  const t = m.comments;
  const { me } = useAuth();
  const [comments, setComments] = useState<Comment[] | null>(null);
  const [body, setBody] = useState('');
  const [where, setWhere] = useState<'moment' | 'whole'>('moment');
  const [announce, setAnnounce] = useState('');
  const { error, setError, busy, run } = useAction();
  const now = useSecond(playhead);
  const length = useMemo(() => reportLength(report), [report]);

  useEffect(() => {
    setComments(null);
    api.listComments(iv.id).then((list) => setComments(sortComments(list)), (e) => setError(errorMessage(e, m)));
  }, [iv.id]);

  useEffect(() => {
    playhead.setMarks(commentMarks(comments ?? []));
  }, [comments, playhead]);
  useEffect(() => () => playhead.setMarks([]), [playhead]);

  const add = (e: Event) => {
    e.preventDefault();
    const text = body.trim();
    if (!text) return;
    const at = where === 'moment' ? commentMoment(playhead.time, length) : null;
    run(async () => {
      try {
        const c = await api.addComment(iv.id, text, at);
        setComments((old) => sortComments([...(old ?? []), c]));
        setBody('');
        setAnnounce(t.added);
      } catch (err) {
        // the only 422 left once the text is checked: a moment past the recording's end
        if (err instanceof ApiError && err.status === 422 && at !== null) throw new Error(t.afterEnd);
        throw err;
      }
    });
  };

  const remove = (c: Comment) => run(async () => {
    await api.deleteComment(iv.id, c.id);
    setComments((old) => (old ?? []).filter((x) => x.id !== c.id));
    setAnnounce(t.deleted);
  });

  const list = comments ?? [];
  const own = isOwnInterview(iv, me);
  return (
    <section class={`card comments-panel${list.length === 0 ? ' no-print' : ''}`} aria-labelledby="comments-title"
      data-count={comments === null ? '' : list.length}>
      <h2 id="comments-title">{t.title}</h2>
      <p class="hint">{own ? t.seenByOwn : t.seenBy(iv.user?.name ?? '')}</p>
      {comments !== null && list.length === 0 && <p class="muted">{t.none}</p>}
      {list.length > 0 && <ol class="comments">{list.map((c) => <CommentItem key={c.id} c={c} playhead={playhead} onDelete={remove} />)}</ol>}
      <form class="form comment-form no-print" onSubmit={add}>
        <label for="comment-body">{t.label}</label>
        <textarea id="comment-body" rows={3} required maxLength={MAX_LENGTH} value={body}
          onInput={(e) => setBody(e.currentTarget.value)} />
        <fieldset class="comment-where">
          <legend>{t.where}</legend>
          <label class="choice">
            <input type="radio" name="comment-where" value="moment" checked={where === 'moment'}
              onChange={() => setWhere('moment')} /> {t.atMoment(f.clock(now))}
          </label>
          <label class="choice">
            <input type="radio" name="comment-where" value="whole" checked={where === 'whole'}
              onChange={() => setWhere('whole')} /> {t.wholeAnswer}
          </label>
        </fieldset>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy || !body.trim()}>{t.submit}</button>
        <p class="sr-only" role="status">{announce}</p>
      </form>
    </section>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { api } from '../api';
import { lookup } from '../i18n';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import {
  applyProgressEvent, initialProgress, progressFromInterview, stageElapsed, type ProgressState,
} from '../lib/progress';
import { useAction } from './useAction';
import { ErrorBox } from './ui';
import type { ProgressEvent } from '../types';

interface Props {
  interviewId: string;
  onComplete: () => void;
  /** Shown under the failure reason (e.g. a "new attempt" button). */
  failedActions?: ComponentChildren;
  /** Client time (ms) the processing is counted from (the upload's end). */
  since?: number;
}

const EVENTS = ['snapshot', 'progress', 'complete', 'failed', 'deleted'];

/** Live per-stage progress from the interview's server-sent events. */
export function LiveProgress({ interviewId, onComplete, failedActions, since }: Props) {
  const { m, f } = useI18n();
  const [p, setP] = useState<ProgressState>(() => initialProgress('uploaded'));
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const start = useRef(since ?? Date.now());
  const completed = useRef(false);
  // Bumped by "Try again": the stream starts over for the new attempt.
  const [run, setRun] = useState(0);
  const retry = useAction();

  useEffect(() => {
    let es: EventSource | null = null;
    let poll: number | undefined;
    let closed = false;
    const finish = (state: ProgressState) => {
      if (state.status === 'complete' && !completed.current) {
        completed.current = true;
        onComplete();
      }
    };
    const refresh = () =>
      api.getInterview(interviewId).then((iv) => {
        if (closed) return;
        const state = progressFromInterview(iv);
        setP((old) => ({ ...state, stages: state.stages.length ? state.stages : old.stages }));
        if (state.done) {
          es?.close();
          window.clearInterval(poll);
          finish(state);
        }
      }, (e) => !closed && setError(errorMessage(e, m)));

    refresh();
    const handle = (name: string) => (msg: MessageEvent) => {
      let ev: ProgressEvent;
      try {
        ev = JSON.parse(msg.data) as ProgressEvent;
      } catch {
        return;
      }
      ev.event = ev.event || name;
      setP((old) => {
        const next = applyProgressEvent(old, ev, Date.now());
        if (next.done) {
          es?.close();
          if (next.status === 'complete') queueMicrotask(() => finish(next));
          if (next.status === 'failed' && !next.failureReason) refresh();
        }
        return next;
      });
    };
    if (typeof EventSource !== 'undefined') {
      es = new EventSource(api.eventsUrl(interviewId));
      for (const name of EVENTS) es.addEventListener(name, handle(name) as EventListener);
      es.onerror = () => {
        // A closed stream (auth lost, server gone): fall back to polling.
        if (es && es.readyState === EventSource.CLOSED && !poll) poll = window.setInterval(refresh, 2000);
      };
    } else {
      poll = window.setInterval(refresh, 2000);
    }
    const tick = window.setInterval(() => setNow(Date.now()), 500);
    return () => {
      closed = true;
      es?.close();
      window.clearInterval(poll);
      window.clearInterval(tick);
    };
  }, [interviewId, run]);

  const tryAgain = () =>
    retry.run(async () => {
      await api.retryInterview(interviewId);
      start.current = Date.now();
      completed.current = false;
      setP(initialProgress('uploaded'));
      setRun((n) => n + 1);
    });

  const total = (now - start.current) / 1000;
  return (
    <section class="progress-panel" aria-labelledby="progress-title">
      <h2 id="progress-title">
        {p.status === 'failed' ? m.progress.failed : p.status === 'complete' ? m.progress.ready : m.progress.preparing}
      </h2>
      {p.status !== 'failed' && p.status !== 'complete' && (
        <p class="muted">{m.progress.working(f.clock(total))}</p>
      )}
      <ol class="stages" aria-live="polite">
        {p.stages.map((s) => {
          const el = stageElapsed(s, now);
          return (
            <li key={s.name} class={`stage stage-${s.state}`} data-stage={s.name} data-state={s.state}>
              <span class="stage-icon" aria-hidden="true">
                {s.state === 'finished' ? '✓' : s.state === 'failed' ? '✗' : s.state === 'started' ? '◌' : '·'}
              </span>
              <span class="stage-name">{lookup(m.progress.stages, s.name) ?? s.name}</span>
              <span class="stage-state">
                {s.state === 'waiting' && m.progress.waiting}
                {s.state === 'started' && m.progress.started(el !== null ? f.seconds(el) : null)}
                {s.state === 'finished' && m.progress.finished(el !== null ? f.seconds(el) : null)}
                {s.state === 'failed' && m.progress.stageFailed(s.reason && s.reason !== p.failureReason ? s.reason : null)}
              </span>
            </li>
          );
        })}
      </ol>
      {p.status === 'failed' && (
        <div class="error" role="alert">
          <p>{p.failureReason ?? m.progress.notProcessed}</p>
          <div class="buttons">
            <button type="button" onClick={tryAgain} disabled={retry.busy}>{m.common.tryAgain}</button>
            {failedActions}
          </div>
          <ErrorBox error={retry.error} />
        </div>
      )}
      {p.deleted && <p role="alert">{m.progress.deleted}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { DeviceControls } from '../components/DeviceControls';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { UploadPanel } from '../components/UploadPanel';
import { useAction } from '../components/useAction';
import { useCamera } from '../components/useCamera';
import { useCountdown } from '../components/useCountdown';
import { useRecorder } from '../components/useRecorder';
import { useUploadJob } from '../components/useUploadJob';
import { useI18n } from '../i18n/context';
import { answerLeft, spokenLeft } from '../lib/countdown';
import { mockPaths, mockTitle, placeToAnswer } from '../lib/mock';
import { mockErrorMessage } from '../lib/mockErrors';
import type { MockInterview } from '../types';
import { MAX_RECORDING_S } from './Record';
import '../mock.css';

type Phase = 'loading' | 'ready' | 'thinking' | 'recording' | 'sending' | 'attaching' | 'answered' | 'closed';

/** One question after another: think, record (stopped at the time limit), upload, attach, next. */
export function MockRun({ id }: { id: string }) {
  const { m, f } = useI18n();
  const t = m.mock.run;
  useTitle(m.mock.pageTitle);
  const { query, route } = useLocation();
  const { me } = useAuth();
  const [mock, setMock] = useState<MockInterview | null>(null);
  const [loadError, setLoadError] = useState<{ message: string; notFound: boolean } | null>(null);
  const [place, setPlace] = useState<number | null>(null);
  const [phase, setPhase] = useState<Phase>('loading');
  const [autoStopped, setAutoStopped] = useState(false);
  const camera = useCamera();
  const countdown = useCountdown();
  const recorder = useRecorder();
  const job = useUploadJob();
  const attach = useAction();
  const finish = useAction();
  const stoppedByHand = useRef(false);

  const maxS = Math.min(mock?.answer_max_s ?? MAX_RECORDING_S, me?.limits?.max_duration_s ?? MAX_RECORDING_S);
  const asked = Number(query.position) || null;

  useEffect(() => {
    let gone = false;
    api.getMock(id).then((mk) => {
      if (gone) return;
      setMock(mk);
      const p = placeToAnswer(mk, asked);
      setPlace(p);
      setPhase(p === null ? 'closed' : 'ready');
      if (p !== null) camera.start('', '');
    }, (e) => {
      if (gone || (e instanceof ApiError && e.status === 401)) return;
      const notFound = e instanceof ApiError && e.status === 404;
      setLoadError({ notFound, message: notFound ? m.mock.report.notFound : mockErrorMessage(e, m) });
    });
    return () => { gone = true; };
  }, [id]);

  const current = mock?.questions.find((q) => q.position === place) ?? null;
  const total = mock?.questions.length ?? 0;
  // What the callbacks of timers and the recorder act on: the state now, not when they were made.
  const live = useRef({ mock, place });
  live.current = { mock, place };

  // ---- think, record, send, attach ----
  const beginRecording = () => {
    const stream = camera.streamRef.current;
    if (!stream) return;
    stoppedByHand.current = false;
    const ok = recorder.start(stream, maxS, (blob) => {
      setAutoStopped(!stoppedByHand.current);
      send(blob, false);
    });
    if (ok) setPhase('recording');
  };

  const start = () => {
    const { mock } = live.current;
    if (!mock) return;
    camera.resume();
    setAutoStopped(false);
    setPhase('thinking');
    countdown.start(mock.thinking_s, beginRecording);
  };

  const stop = () => {
    stoppedByHand.current = true;
    recorder.stop();
  };

  const attachAnswer = (interviewId: string) => {
    const { mock, place } = live.current;
    if (!mock || place === null) return;
    setPhase('attaching');
    attach.run(async () => {
      try {
        const updated = await api.attachAnswer(mock.id, interviewId, place);
        setMock(updated);
        setPhase('answered');
        if (!updated.next) camera.stop();
      } catch (e) {
        throw new Error(mockErrorMessage(e, m));
      }
    });
  };

  const send = async (blob: Blob, retry: boolean) => {
    const { mock, place } = live.current;
    const question = mock?.questions.find((q) => q.position === place)?.question;
    if (!mock || !question) return;
    setPhase('sending');
    const interviewId = await job.send(blob, async () =>
      (await api.createInterview({ question_id: question.id }, mock.language || undefined)).id, retry);
    if (interviewId) attachAnswer(interviewId);
  };

  const rerecord = () => {
    recorder.reset();
    job.reset();
    setAutoStopped(false);
    camera.attach();
    setPhase('ready');
  };

  const next = () => {
    if (!mock?.next) return;
    recorder.reset();
    job.reset();
    setPlace(mock.next.position);
    // the thinking time of the next question starts at once, as in an interview
    window.setTimeout(() => {
      camera.attach();
      start();
    }, 0);
  };

  const finishIt = () => finish.run(async () => {
    try {
      await api.finishMock(id);
    } catch (e) {
      throw new Error(mockErrorMessage(e, m));
    }
    route(mockPaths.report(id));
  });

  if (loadError) {
    return (
      <div class="narrow">
        <h1>{m.mock.title}</h1>
        <ErrorBox error={loadError.message} />
        <p><a href={mockPaths.list}>{m.mock.report.all}</a></p>
      </div>
    );
  }
  if (!mock) return <Loading what={t.loading} />;

  const title = mockTitle(mock, m, f);
  const left = answerLeft(maxS, recorder.elapsed);
  const spoken = phase === 'thinking' && countdown.running
    ? (() => { const s = spokenLeft(countdown.left, mock.thinking_s); return s ? t.thinkingLeft(f.duration(s)) : ''; })()
    : phase === 'recording'
      ? (() => { const s = spokenLeft(left, maxS, 30, 5); return s ? t.answerLeftSpoken(f.duration(s)) : ''; })()
      : '';
  const showStage = phase === 'ready' || phase === 'thinking' || phase === 'recording';
  const mediaError = camera.error;
  const canRecord = !!recorder.mimeType && !mediaError && !!camera.streamRef.current;

  if (phase === 'closed' || !current) {
    return (
      <div class="narrow-wide mock-run">
        <h1>{title}</h1>
        <p>{mock.status === 'finished' ? t.finished : t.noPlace}</p>
        <div class="buttons">
          {mock.status === 'in_progress' && (
            <button type="button" onClick={finishIt} disabled={finish.busy}>{t.finish}</button>
          )}
          <a class={`button ${mock.status === 'in_progress' ? 'secondary' : ''}`} href={mockPaths.report(id)}>{t.toReport}</a>
        </div>
        <ErrorBox error={finish.error} />
      </div>
    );
  }

  return (
    <div class="record mock-run">
      <h1>{title}</h1>
      <section class="card question-box" aria-labelledby="mock-position">
        <p class="mock-position" id="mock-position" data-testid="mock-position">{t.position(current.position, total)}</p>
        <p class="question-text" data-testid="question-text" lang={current.question.language}>{current.question.text}</p>
        {current.question.talking_points.length > 0 && (
          <details>
            <summary>{m.record.talkingPoints}</summary>
            <ul lang={current.question.language}>{current.question.talking_points.map((p) => <li key={p}>{p}</li>)}</ul>
          </details>
        )}
      </section>

      <p class="sr-only" role="status" aria-live="polite" data-testid="mock-announce">{spoken}</p>

      {!recorder.mimeType && <ErrorBox error={m.media.unsupported} />}
      {mediaError && (
        <ErrorBox error={mediaError}>
          <button type="button" class="secondary" onClick={() => camera.start()}>{m.common.tryAgain}</button>
        </ErrorBox>
      )}

      <div class={`stage-area ${showStage ? '' : 'hidden'}`}>
        <div class={`preview-wrap ${mediaError ? 'hidden' : ''}`}>
          <video ref={camera.videoRef} class="preview" muted autoPlay playsInline aria-label={m.record.preview} />
          {phase === 'thinking' && (
            <div class="overlay" role="timer" aria-live="off" data-testid="thinking">
              <span class="big">{countdown.left}</span>
              <span>{m.record.thinkingNow}</span>
            </div>
          )}
          {phase === 'recording' && (
            <div class="rec-badge" role="timer" aria-live="off">
              <span class="dot" aria-hidden="true" /> {m.record.rec(f.clock(recorder.elapsed), f.clock(maxS))}
            </div>
          )}
        </div>
        <div class="controls card">
          <DeviceControls camera={camera} locked={phase === 'recording'} />
          {phase === 'ready' && (
            <p class="hint">{t.ready(mock.thinking_s > 0 ? f.duration(mock.thinking_s) : null, f.duration(maxS))}</p>
          )}
          {phase === 'recording' && (
            <>
              <p class="time-left" data-testid="answer-left" aria-hidden="true">{t.answerLeft(f.clock(left))}</p>
              <progress class="time-bar" max={maxS} value={recorder.elapsed} aria-label={t.timeLeft} />
            </>
          )}
          <div class="buttons">
            {phase === 'ready' && <button type="button" onClick={start} disabled={!canRecord}>{t.start}</button>}
            {phase === 'thinking' && <button type="button" onClick={countdown.skip}>{t.skip}</button>}
            {phase === 'recording' && <button type="button" class="danger" onClick={stop}>{m.record.stop}</button>}
          </div>
        </div>
      </div>

      {autoStopped && (phase === 'sending' || phase === 'attaching' || phase === 'answered') && (
        <p class="notice" data-testid="auto-stopped">{t.autoStopped}</p>
      )}

      {(phase === 'sending' || phase === 'attaching') && (
        <UploadPanel job={job} onRetry={() => recorder.blob && send(recorder.blob, true)} onRerecord={rerecord} />
      )}
      {phase === 'attaching' && (
        <div class="mock-attach">
          {attach.busy && <p role="status">{t.attach}</p>}
          {attach.error && (
            <ErrorBox error={attach.error}>
              <button type="button" onClick={() => job.interviewId && attachAnswer(job.interviewId)}>{m.common.tryAgain}</button>
            </ErrorBox>
          )}
        </div>
      )}

      {phase === 'answered' && (
        <section class="card mock-answered" aria-labelledby="answered-title">
          <h2 id="answered-title">{t.sent(current.position)}</h2>
          <p class="muted">{t.processing}</p>
          <div class="buttons">
            {mock.next ? (
              <>
                <button type="button" onClick={next}>{t.next(mock.next.position, total)}</button>
                <a class="button secondary" href={mockPaths.report(id)}>{t.reportSoFar}</a>
              </>
            ) : (
              <>
                <button type="button" onClick={finishIt} disabled={finish.busy}>{t.finish}</button>
                <a class="button secondary" href={mockPaths.report(id)}>{t.reportSoFar}</a>
              </>
            )}
          </div>
          <ErrorBox error={finish.error} />
        </section>
      )}
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ENGLISH_ONLY } from '../api';
import { useAuth } from '../auth';
import { DeviceControls } from '../components/DeviceControls';
import { ErrorBox, useTitle } from '../components/ui';
import { LiveProgress } from '../components/LiveProgress';
import { UploadPanel } from '../components/UploadPanel';
import { useCamera } from '../components/useCamera';
import { useCountdown } from '../components/useCountdown';
import { useRecorder } from '../components/useRecorder';
import { useUploadJob } from '../components/useUploadJob';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import { defaultInterviewLanguage, interviewLanguageChoices } from '../lib/languages';
import { AUTO_LANGUAGE, type Languages, type Question } from '../types';

/** Longest recording when the server does not say (ISIM_MAX_DURATION_S's default). */
export const MAX_RECORDING_S = 600;
/** How long "all stages done" stays on screen before the report opens. */
const COMPLETE_PAUSE_MS = 600;
const THINKING_CHOICES = [0, 3, 5, 10, 15, 30];

type Phase = 'starting' | 'preview' | 'countdown' | 'recording' | 'review' | 'sending';

export function Record() {
  const { m, f, lang } = useI18n();
  const { query, route } = useLocation();
  const questionId = query.question_id || '';
  const customText = query.question || '';
  useTitle(m.record.title);
  const { me } = useAuth();
  const maxRecordingS = me?.limits?.max_duration_s ?? MAX_RECORDING_S;

  const [question, setQuestion] = useState<Question | null>(null);
  const [qError, setQError] = useState<string | null>(null);
  const [langs, setLangs] = useState<Languages | null>(null);
  // null until the person chooses: the question's language, else the interface's
  const [chosenLanguage, setChosenLanguage] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>('starting');
  const [thinking, setThinking] = useState(5);
  const camera = useCamera();
  const countdown = useCountdown();
  const recorder = useRecorder();
  const job = useUploadJob();

  const questionText = question?.text ?? customText;
  const interviewLanguage = langs ? chosenLanguage ?? defaultInterviewLanguage(langs, question?.language, lang) : null;

  // ---- the question, and the languages the answer may be in ----
  useEffect(() => {
    if (questionId) api.getQuestion(questionId).then(setQuestion, (e) => setQError(errorMessage(e, m)));
    else if (!customText) setQError(m.record.noQuestion);
  }, [questionId, customText]);

  useEffect(() => {
    api.languages().then(setLangs, (e) => {
      // recording matters more than the choice: offer what every server takes
      console.warn('GET /v1/languages failed:', e);
      setLangs(ENGLISH_ONLY);
    });
  }, []);

  // ---- camera, microphone, level meter ----
  const startCamera = async (cam?: string, mic?: string) => {
    await camera.start(cam, mic);
    setPhase('preview');
  };

  useEffect(() => {
    startCamera('', '');
  }, []);

  // ---- recording ----
  const beginRecording = () => {
    const stream = camera.streamRef.current;
    if (!stream) return;
    if (recorder.start(stream, maxRecordingS, () => setPhase('review'))) setPhase('recording');
  };

  const start = () => {
    camera.resume();
    setPhase('countdown');
    countdown.start(thinking, beginRecording);
  };

  const cancelCountdown = () => {
    countdown.cancel();
    setPhase('preview');
  };

  const rerecord = () => {
    recorder.reset();
    job.reset();
    if (!camera.streamRef.current) startCamera();
    else {
      camera.attach();
      setPhase('preview');
    }
  };

  // ---- upload ----
  const send = async (retry = false) => {
    const recording = recorder.blob;
    if (!recording) return;
    setPhase('sending');
    const id = await job.send(recording, async () => {
      const target = questionId ? { question_id: questionId } : { question: customText };
      return (await api.createInterview(target, langs?.perInterview ? interviewLanguage ?? undefined : undefined)).id;
    }, retry);
    if (id) camera.stop();
  };

  // ---- view ----
  const mediaError = camera.error;
  const canRecord = !!recorder.mimeType && !mediaError && !!camera.streamRef.current;
  const showPreview = phase === 'starting' || phase === 'preview' || phase === 'countdown' || phase === 'recording';
  const { elapsed } = recorder;
  const { upload, interviewId } = job;

  return (
    <div class="record">
      <h1>{m.record.title}</h1>
      <ErrorBox error={qError} />
      {questionText && (
        <section class="card question-box" aria-label={m.record.question}>
          <p class="question-text" data-testid="question-text" lang={question?.language}>{questionText}</p>
          {question && question.talking_points.length > 0 && (
            <details>
              <summary>{m.record.talkingPoints}</summary>
              <ul lang={question.language}>{question.talking_points.map((t) => <li key={t}>{t}</li>)}</ul>
            </details>
          )}
          {langs && interviewLanguage && (
            <div class="answer-language">
              <label for="interview-language">{m.record.language}</label>
              <select id="interview-language" value={interviewLanguage} aria-describedby="interview-language-hint"
                disabled={phase === 'sending' || !langs.perInterview}
                onChange={(e) => setChosenLanguage(e.currentTarget.value)}>
                {interviewLanguageChoices(langs).map((code) => (
                  <option key={code} value={code}>{code === AUTO_LANGUAGE ? m.record.languageAuto : f.language(code)}</option>
                ))}
              </select>
              <p id="interview-language-hint" class="hint">
                {langs.perInterview ? m.record.languageHint : m.record.languageOnlyEnglish}
              </p>
            </div>
          )}
        </section>
      )}

      {!recorder.mimeType && <ErrorBox error={m.media.unsupported} />}
      {mediaError && (
        <ErrorBox error={mediaError}>
          <button type="button" class="secondary" onClick={() => startCamera()}>{m.common.tryAgain}</button>
        </ErrorBox>
      )}

      <div class={`stage-area ${showPreview ? '' : 'hidden'}`}>
        <div class={`preview-wrap ${mediaError ? 'hidden' : ''}`}>
          <video ref={camera.videoRef} class="preview" muted autoPlay playsInline aria-label={m.record.preview} />
          {phase === 'countdown' && (
            <div class="overlay" role="timer" aria-live="assertive">
              <span class="big">{countdown.left}</span>
              <span>{m.record.thinkingNow}</span>
            </div>
          )}
          {phase === 'recording' && (
            <div class="rec-badge" role="timer" aria-live="off">
              <span class="dot" aria-hidden="true" /> {m.record.rec(f.clock(elapsed), f.clock(maxRecordingS))}
            </div>
          )}
        </div>
        <div class="controls card">
          <DeviceControls camera={camera} locked={phase === 'recording'} />
          <label for="thinking">{m.record.thinking}</label>
          <select id="thinking" value={String(thinking)} disabled={phase !== 'preview'}
            onChange={(e) => setThinking(Number(e.currentTarget.value))}>
            {THINKING_CHOICES.map((s) => <option key={s} value={String(s)}>{s === 0 ? m.record.thinkingNone : f.duration(s)}</option>)}
          </select>
          <p class="hint">{m.record.maxLength(f.duration(maxRecordingS))}</p>
          <div class="buttons">
            {phase === 'preview' && (
              <button type="button" onClick={start} disabled={!canRecord}>{m.record.start}</button>
            )}
            {phase === 'countdown' && (
              <>
                <button type="button" onClick={countdown.skip}>{m.record.startNow}</button>
                <button type="button" class="secondary" onClick={cancelCountdown}>{m.common.cancel}</button>
              </>
            )}
            {phase === 'recording' && (
              <button type="button" class="danger" onClick={recorder.stop}>{m.record.stop}</button>
            )}
            {phase === 'starting' && <p role="status">{m.record.starting}</p>}
          </div>
          {phase === 'recording' && (
            <progress class="time-bar" max={maxRecordingS} value={elapsed} aria-label={m.record.timeUsed} />
          )}
        </div>
      </div>

      {(phase === 'review' || phase === 'sending') && recorder.url && (
        <section class="review" aria-labelledby="review-title">
          <h2 id="review-title">{m.record.yourRecording}</h2>
          <video class="playback" src={recorder.url} controls playsInline aria-label={m.record.recordedAnswer} />
          <p class="muted">{m.record.recordedSize(f.clock(elapsed), f.bytes(recorder.blob?.size ?? 0))}</p>
          {phase === 'review' && (
            <div class="buttons">
              <button type="button" onClick={() => send(false)}>{m.record.send}</button>
              <button type="button" class="secondary" onClick={rerecord}>{m.record.rerecord}</button>
            </div>
          )}
        </section>
      )}

      {phase === 'sending' && <UploadPanel job={job} onRetry={() => send(true)} onRerecord={rerecord} />}

      {upload.kind === 'uploaded' && interviewId && (
        <LiveProgress
          interviewId={interviewId}
          since={job.uploadedAt ?? undefined}
          onComplete={() => window.setTimeout(() => route(`/interviews/${interviewId}`), COMPLETE_PAUSE_MS)}
          failedActions={<button type="button" onClick={rerecord}>{m.record.newAttempt}</button>}
        />
      )}
    </div>
  );
}

import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, ENGLISH_ONLY } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, useTitle } from '../components/ui';
import { LiveProgress } from '../components/LiveProgress';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import { defaultInterviewLanguage, interviewLanguageChoices } from '../lib/languages';
import { describeMediaError, pickMimeType } from '../lib/media';
import {
  UploadCancelled, initialUpload, uploadFraction, uploadReducer, uploadWithRetry,
} from '../lib/upload';
import { AUTO_LANGUAGE, type Languages, type Question } from '../types';

/** Longest recording when the server does not say (ISIM_MAX_DURATION_S's default). */
export const MAX_RECORDING_S = 600;
/** How long "all stages done" stays on screen before the report opens. */
const COMPLETE_PAUSE_MS = 600;
const THINKING_CHOICES = [0, 3, 5, 10, 15, 30];

type Phase = 'starting' | 'preview' | 'countdown' | 'recording' | 'review' | 'sending';

interface Devices {
  cams: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
}

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
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [devices, setDevices] = useState<Devices>({ cams: [], mics: [] });
  const [camId, setCamId] = useState('');
  const [micId, setMicId] = useState('');
  const [thinking, setThinking] = useState(5);
  const [countdown, setCountdown] = useState(0);
  const [elapsed, setElapsed] = useState(0);
  const [recording, setRecording] = useState<Blob | null>(null);
  const [recordingUrl, setRecordingUrl] = useState<string | null>(null);
  const [upload, dispatch] = useReducer(uploadReducer, initialUpload);
  const [interviewId, setInterviewId] = useState<string | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const [uploadedAt, setUploadedAt] = useState<number | null>(null);

  const videoRef = useRef<HTMLVideoElement>(null);
  const meterRef = useRef<HTMLMeterElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const audioRef = useRef<{ ctx: AudioContext; raf: number } | null>(null);
  const recorderRef = useRef<MediaRecorder | null>(null);
  const timerRef = useRef<number | undefined>(undefined);
  const abortRef = useRef<(() => void) | null>(null);

  const mimeType = typeof MediaRecorder !== 'undefined' ? pickMimeType((t) => MediaRecorder.isTypeSupported(t)) : null;
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
  const stopMeter = () => {
    if (audioRef.current) {
      cancelAnimationFrame(audioRef.current.raf);
      audioRef.current.ctx.close().catch(() => {});
      audioRef.current = null;
    }
  };
  const stopStream = () => {
    stopMeter();
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
  };

  const startMeter = (stream: MediaStream) => {
    stopMeter();
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx || stream.getAudioTracks().length === 0) return;
    const ctx = new Ctx();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const state = { ctx, raf: 0 };
    const loop = () => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (let i = 0; i < buf.length; i++) sum += buf[i] * buf[i];
      const rms = Math.sqrt(sum / buf.length);
      // dBFS mapped to 0..1 over -60..0 dB
      const db = rms > 0 ? 20 * Math.log10(rms) : -100;
      if (meterRef.current) meterRef.current.value = Math.max(0, Math.min(1, (db + 60) / 60));
      state.raf = requestAnimationFrame(loop);
    };
    state.raf = requestAnimationFrame(loop);
    audioRef.current = state;
  };

  const startCamera = async (cam = camId, mic = micId) => {
    setMediaError(null);
    if (!window.isSecureContext) {
      setMediaError(m.media.insecure);
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      setMediaError(m.media.unsupported);
      return;
    }
    stopStream();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: cam ? { deviceId: { exact: cam } } : { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
        audio: mic ? { deviceId: { exact: mic } } : { echoCancellation: true, noiseSuppression: true },
      });
      streamRef.current = stream;
      if (videoRef.current) {
        videoRef.current.srcObject = stream;
        videoRef.current.play().catch(() => {});
      }
      startMeter(stream);
      const all = await navigator.mediaDevices.enumerateDevices();
      setDevices({ cams: all.filter((d) => d.kind === 'videoinput'), mics: all.filter((d) => d.kind === 'audioinput') });
      setCamId(stream.getVideoTracks()[0]?.getSettings().deviceId ?? cam);
      setMicId(stream.getAudioTracks()[0]?.getSettings().deviceId ?? mic);
      setPhase('preview');
    } catch (e) {
      setMediaError(describeMediaError(e, m).message);
      setPhase('preview');
    }
  };

  useEffect(() => {
    startCamera('', '');
    return () => {
      window.clearInterval(timerRef.current);
      if (recorderRef.current && recorderRef.current.state !== 'inactive') recorderRef.current.stop();
      abortRef.current?.();
      stopStream();
    };
  }, []);

  useEffect(() => () => {
    if (recordingUrl) URL.revokeObjectURL(recordingUrl);
  }, [recordingUrl]);

  // ---- recording ----
  const beginRecording = () => {
    const stream = streamRef.current;
    if (!stream || !mimeType) return;
    // ~2.6 Mbit/s: 10 minutes stay near 200 MB, well under the gateway's
    // default upload limit (ISIM_MAX_UPLOAD_BYTES, 512 MiB)
    const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_500_000, audioBitsPerSecond: 128_000 });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => {
      if (e.data && e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      window.clearInterval(timerRef.current);
      const blob = new Blob(chunks, { type: rec.mimeType || mimeType });
      setRecording(blob);
      setRecordingUrl(URL.createObjectURL(blob));
      setPhase('review');
    };
    recorderRef.current = rec;
    rec.start(1000);
    const t0 = performance.now();
    setElapsed(0);
    setPhase('recording');
    timerRef.current = window.setInterval(() => {
      const s = (performance.now() - t0) / 1000;
      setElapsed(s);
      if (s >= maxRecordingS && rec.state === 'recording') rec.stop();
    }, 250);
  };

  const start = () => {
    audioRef.current?.ctx.resume().catch(() => {});
    if (thinking <= 0) {
      beginRecording();
      return;
    }
    setPhase('countdown');
    const end = performance.now() + thinking * 1000;
    setCountdown(thinking);
    timerRef.current = window.setInterval(() => {
      const left = Math.ceil((end - performance.now()) / 1000);
      if (left <= 0) {
        window.clearInterval(timerRef.current);
        beginRecording();
      } else {
        setCountdown(left);
      }
    }, 100);
  };

  const cancelCountdown = () => {
    window.clearInterval(timerRef.current);
    setPhase('preview');
  };

  const stop = () => {
    const rec = recorderRef.current;
    if (rec && rec.state !== 'inactive') rec.stop();
  };

  const rerecord = () => {
    setRecording(null);
    setRecordingUrl(null);
    setInterviewId(null);
    setSendError(null);
    setUploadedAt(null);
    dispatch({ type: 'reset' });
    if (!streamRef.current) startCamera();
    else {
      if (videoRef.current) videoRef.current.srcObject = streamRef.current;
      setPhase('preview');
    }
  };

  // ---- upload ----
  const send = async (retry = false) => {
    if (!recording) return;
    setSendError(null);
    setPhase('sending');
    if (retry) dispatch({ type: 'retry', total: recording.size });
    else dispatch({ type: 'start', total: recording.size });
    let id = interviewId;
    try {
      if (!id) {
        const target = questionId ? { question_id: questionId } : { question: customText };
        const created = await api.createInterview(target, langs?.perInterview ? interviewLanguage ?? undefined : undefined);
        id = created.id;
        setInterviewId(id);
      }
      const headers: Record<string, string> = { 'Content-Type': recording.type || 'video/webm' };
      if (api.csrfToken) headers['X-CSRF-Token'] = api.csrfToken;
      const job = uploadWithRetry({
        url: api.recordingUrl(id),
        body: recording,
        headers,
        resumed: retry,
        onProgress: (loaded, total) => dispatch({ type: 'progress', loaded, total }),
      });
      abortRef.current = job.abort;
      await job.promise;
      abortRef.current = null;
      dispatch({ type: 'done' });
      setUploadedAt(Date.now());
      stopStream();
    } catch (e) {
      abortRef.current = null;
      if (e instanceof UploadCancelled) {
        dispatch({ type: 'cancel' });
        return;
      }
      const status = e instanceof ApiError ? e.status : (e as { status?: number }).status;
      if (status === 401) {
        api.setCsrfToken(null);
        route(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
        return;
      }
      dispatch({ type: 'fail', error: errorMessage(e, m) });
      setSendError(errorMessage(e, m));
    }
  };

  const cancelUpload = () => abortRef.current?.();

  const newAttempt = () => rerecord();

  // ---- view ----
  const canRecord = !!mimeType && !mediaError && !!streamRef.current;
  const showPreview = phase === 'starting' || phase === 'preview' || phase === 'countdown' || phase === 'recording';
  const frac = uploadFraction(upload);

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

      {!mimeType && <ErrorBox error={m.media.unsupported} />}
      {mediaError && (
        <ErrorBox error={mediaError}>
          <button type="button" class="secondary" onClick={() => startCamera()}>{m.common.tryAgain}</button>
        </ErrorBox>
      )}

      <div class={`stage-area ${showPreview ? '' : 'hidden'}`}>
        <div class={`preview-wrap ${mediaError ? 'hidden' : ''}`}>
          <video ref={videoRef} class="preview" muted autoPlay playsInline aria-label={m.record.preview} />
          {phase === 'countdown' && (
            <div class="overlay" role="timer" aria-live="assertive">
              <span class="big">{countdown}</span>
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
          <label for="mic-level">{m.record.micLevel}</label>
          <meter id="mic-level" ref={meterRef} min={0} max={1} low={0.25} high={0.9} optimum={0.6} value={0} />
          <label for="camera-select">{m.record.camera}</label>
          <select id="camera-select" value={camId} disabled={phase === 'recording' || devices.cams.length === 0}
            onChange={(e) => { setCamId(e.currentTarget.value); startCamera(e.currentTarget.value, micId); }}>
            {devices.cams.length === 0 && <option value="">{m.record.noCamera}</option>}
            {devices.cams.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || m.record.cameraN(i + 1)}</option>)}
          </select>
          <label for="mic-select">{m.record.microphone}</label>
          <select id="mic-select" value={micId} disabled={phase === 'recording' || devices.mics.length === 0}
            onChange={(e) => { setMicId(e.currentTarget.value); startCamera(camId, e.currentTarget.value); }}>
            {devices.mics.length === 0 && <option value="">{m.record.noMicrophone}</option>}
            {devices.mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || m.record.microphoneN(i + 1)}</option>)}
          </select>
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
                <button type="button" onClick={() => { window.clearInterval(timerRef.current); beginRecording(); }}>{m.record.startNow}</button>
                <button type="button" class="secondary" onClick={cancelCountdown}>{m.common.cancel}</button>
              </>
            )}
            {phase === 'recording' && (
              <button type="button" class="danger" onClick={stop}>{m.record.stop}</button>
            )}
            {phase === 'starting' && <p role="status">{m.record.starting}</p>}
          </div>
          {phase === 'recording' && (
            <progress class="time-bar" max={maxRecordingS} value={elapsed} aria-label={m.record.timeUsed} />
          )}
        </div>
      </div>

      {(phase === 'review' || phase === 'sending') && recordingUrl && (
        <section class="review" aria-labelledby="review-title">
          <h2 id="review-title">{m.record.yourRecording}</h2>
          <video class="playback" src={recordingUrl} controls playsInline aria-label={m.record.recordedAnswer} />
          <p class="muted">{m.record.recordedSize(f.clock(elapsed), f.bytes(recording?.size ?? 0))}</p>
          {phase === 'review' && (
            <div class="buttons">
              <button type="button" onClick={() => send(false)}>{m.record.send}</button>
              <button type="button" class="secondary" onClick={rerecord}>{m.record.rerecord}</button>
            </div>
          )}
        </section>
      )}

      {phase === 'sending' && (
        <section class="upload card" aria-labelledby="upload-title">
          <h2 id="upload-title">{m.record.upload}</h2>
          <label for="upload-progress">
            {upload.kind === 'uploading' && m.record.uploading(f.bytes(upload.loaded), f.bytes(upload.total), f.percent(frac))}
            {upload.kind === 'uploaded' && m.record.uploaded}
            {upload.kind === 'cancelled' && m.record.uploadCancelled}
            {upload.kind === 'failed' && m.record.uploadFailed}
            {upload.kind === 'idle' && m.record.uploadWaiting}
          </label>
          <progress id="upload-progress" max={1} value={frac} data-state={upload.kind} />
          {upload.kind === 'uploading' && (
            <button type="button" class="secondary" onClick={cancelUpload}>{m.record.cancelUpload}</button>
          )}
          {(upload.kind === 'failed' || upload.kind === 'cancelled') && (
            <div class="buttons">
              <button type="button" onClick={() => send(true)}>{m.record.retryUpload}</button>
              <button type="button" class="secondary" onClick={rerecord}>{m.record.rerecord}</button>
            </div>
          )}
          <ErrorBox error={sendError} />
        </section>
      )}

      {upload.kind === 'uploaded' && interviewId && (
        <LiveProgress
          interviewId={interviewId}
          since={uploadedAt ?? undefined}
          onComplete={() => window.setTimeout(() => route(`/interviews/${interviewId}`), COMPLETE_PAUSE_MS)}
          failedActions={<button type="button" onClick={newAttempt}>{m.record.newAttempt}</button>}
        />
      )}
    </div>
  );
}

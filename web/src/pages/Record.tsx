import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, errorMessage } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, useTitle } from '../components/ui';
import { LiveProgress } from '../components/LiveProgress';
import { describeMediaError, insecureMessage, pickMimeType, unsupportedMessage } from '../lib/media';
import { formatBytes, formatClock } from '../lib/format';
import {
  UploadCancelled, initialUpload, uploadFraction, uploadReducer, uploadWithRetry,
} from '../lib/upload';
import type { Question } from '../types';

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

function deviceLabel(d: MediaDeviceInfo, i: number, kind: string): string {
  return d.label || `${kind} ${i + 1}`;
}

export function Record() {
  const { query, route } = useLocation();
  const questionId = query.question_id || '';
  const customText = query.question || '';
  useTitle('Record your answer');
  const { me } = useAuth();
  const maxRecordingS = me?.limits?.max_duration_s ?? MAX_RECORDING_S;

  const [question, setQuestion] = useState<Question | null>(null);
  const [qError, setQError] = useState<string | null>(null);
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

  // ---- the question ----
  useEffect(() => {
    if (questionId) api.getQuestion(questionId).then(setQuestion, (e) => setQError(errorMessage(e)));
    else if (!customText) setQError('No question chosen.');
  }, [questionId, customText]);

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
      setMediaError(insecureMessage);
      return;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      setMediaError(unsupportedMessage);
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
      setMediaError(describeMediaError(e).message);
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
        const created = await api.createInterview(questionId ? { question_id: questionId } : { question: customText });
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
      dispatch({ type: 'fail', error: errorMessage(e) });
      setSendError(errorMessage(e));
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
      <h1>Record your answer</h1>
      <ErrorBox error={qError} />
      {questionText && (
        <section class="card question-box" aria-label="Question">
          <p class="question-text" data-testid="question-text">{questionText}</p>
          {question && question.talking_points.length > 0 && (
            <details>
              <summary>Talking points to cover</summary>
              <ul>{question.talking_points.map((t) => <li key={t}>{t}</li>)}</ul>
            </details>
          )}
        </section>
      )}

      {!mimeType && <ErrorBox error={unsupportedMessage} />}
      {mediaError && (
        <ErrorBox error={mediaError}>
          <button type="button" class="secondary" onClick={() => startCamera()}>Try again</button>
        </ErrorBox>
      )}

      <div class={`stage-area ${showPreview ? '' : 'hidden'}`}>
        <div class={`preview-wrap ${mediaError ? 'hidden' : ''}`}>
          <video ref={videoRef} class="preview" muted autoPlay playsInline aria-label="Camera preview" />
          {phase === 'countdown' && (
            <div class="overlay" role="timer" aria-live="assertive">
              <span class="big">{countdown}</span>
              <span>Think about your answer; recording starts soon</span>
            </div>
          )}
          {phase === 'recording' && (
            <div class="rec-badge" role="timer" aria-live="off">
              <span class="dot" aria-hidden="true" /> REC {formatClock(elapsed)} / {formatClock(maxRecordingS)}
            </div>
          )}
        </div>
        <div class="controls card">
          <label for="mic-level">Microphone level</label>
          <meter id="mic-level" ref={meterRef} min={0} max={1} low={0.25} high={0.9} optimum={0.6} value={0} />
          <label for="camera-select">Camera</label>
          <select id="camera-select" value={camId} disabled={phase === 'recording' || devices.cams.length === 0}
            onChange={(e) => { setCamId(e.currentTarget.value); startCamera(e.currentTarget.value, micId); }}>
            {devices.cams.length === 0 && <option value="">No camera</option>}
            {devices.cams.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{deviceLabel(d, i, 'Camera')}</option>)}
          </select>
          <label for="mic-select">Microphone</label>
          <select id="mic-select" value={micId} disabled={phase === 'recording' || devices.mics.length === 0}
            onChange={(e) => { setMicId(e.currentTarget.value); startCamera(camId, e.currentTarget.value); }}>
            {devices.mics.length === 0 && <option value="">No microphone</option>}
            {devices.mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{deviceLabel(d, i, 'Microphone')}</option>)}
          </select>
          <label for="thinking">Thinking time before recording</label>
          <select id="thinking" value={String(thinking)} disabled={phase !== 'preview'}
            onChange={(e) => setThinking(Number(e.currentTarget.value))}>
            {THINKING_CHOICES.map((s) => <option key={s} value={String(s)}>{s === 0 ? 'None' : `${s} seconds`}</option>)}
          </select>
          <p class="hint">Answers can be up to {formatClock(maxRecordingS)} long.</p>
          <div class="buttons">
            {phase === 'preview' && (
              <button type="button" onClick={start} disabled={!canRecord}>Start recording</button>
            )}
            {phase === 'countdown' && (
              <>
                <button type="button" onClick={() => { window.clearInterval(timerRef.current); beginRecording(); }}>Start now</button>
                <button type="button" class="secondary" onClick={cancelCountdown}>Cancel</button>
              </>
            )}
            {phase === 'recording' && (
              <button type="button" class="danger" onClick={stop}>Stop recording</button>
            )}
            {phase === 'starting' && <p role="status">Starting the camera…</p>}
          </div>
          {phase === 'recording' && (
            <progress class="time-bar" max={maxRecordingS} value={elapsed} aria-label="Recording time used" />
          )}
        </div>
      </div>

      {(phase === 'review' || phase === 'sending') && recordingUrl && (
        <section class="review" aria-labelledby="review-title">
          <h2 id="review-title">Your recording</h2>
          <video class="playback" src={recordingUrl} controls playsInline aria-label="Recorded answer" />
          <p class="muted">{formatClock(elapsed)} recorded, {formatBytes(recording?.size ?? 0)}.</p>
          {phase === 'review' && (
            <div class="buttons">
              <button type="button" onClick={() => send(false)}>Send for feedback</button>
              <button type="button" class="secondary" onClick={rerecord}>Re-record</button>
            </div>
          )}
        </section>
      )}

      {phase === 'sending' && (
        <section class="upload card" aria-labelledby="upload-title">
          <h2 id="upload-title">Upload</h2>
          <label for="upload-progress">
            {upload.kind === 'uploading' && `Uploading… ${formatBytes(upload.loaded)} of ${formatBytes(upload.total)} (${Math.round(frac * 100)} %)`}
            {upload.kind === 'uploaded' && 'Uploaded'}
            {upload.kind === 'cancelled' && 'Upload cancelled'}
            {upload.kind === 'failed' && 'Upload failed'}
            {upload.kind === 'idle' && 'Waiting to upload'}
          </label>
          <progress id="upload-progress" max={1} value={frac} data-state={upload.kind} />
          {upload.kind === 'uploading' && (
            <button type="button" class="secondary" onClick={cancelUpload}>Cancel upload</button>
          )}
          {(upload.kind === 'failed' || upload.kind === 'cancelled') && (
            <div class="buttons">
              <button type="button" onClick={() => send(true)}>Retry upload</button>
              <button type="button" class="secondary" onClick={rerecord}>Re-record</button>
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
          failedActions={<button type="button" onClick={newAttempt}>Record a new attempt</button>}
        />
      )}
    </div>
  );
}

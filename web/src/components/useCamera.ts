import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { describeMediaError } from '../lib/media';

export interface Devices {
  cams: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
}

export interface Camera {
  /** The preview <video> (muted, mirrored by the stylesheet). */
  videoRef: { current: HTMLVideoElement | null };
  /** The microphone level <meter>, 0..1 over -60..0 dBFS. */
  meterRef: { current: HTMLMeterElement | null };
  /** The live stream, or null before it starts and after stop(). */
  streamRef: { current: MediaStream | null };
  devices: Devices;
  camId: string;
  micId: string;
  /** Why the camera or microphone could not start, in the interface language. */
  error: string | null;
  /** Starts (or restarts with other devices) the camera and microphone; true when they run. */
  start: (cam?: string, mic?: string) => Promise<boolean>;
  /** Stops the tracks and the level meter. */
  stop: () => void;
  /** Shows the stream in the preview again (after the element was hidden or replaced). */
  attach: () => void;
  /** Resumes the level meter's audio context (browsers start it suspended until a click). */
  resume: () => void;
}

/**
 * The camera and microphone of a recording page: preview, level meter and
 * device choice. Started by the page (start()), stopped when it unmounts.
 */
export function useCamera(): Camera {
  const { m } = useI18n();
  const videoRef = useRef<HTMLVideoElement>(null);
  const meterRef = useRef<HTMLMeterElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const audioRef = useRef<{ ctx: AudioContext; raf: number } | null>(null);
  const [devices, setDevices] = useState<Devices>({ cams: [], mics: [] });
  const [camId, setCamId] = useState('');
  const [micId, setMicId] = useState('');
  const [error, setError] = useState<string | null>(null);

  const stopMeter = () => {
    if (audioRef.current) {
      cancelAnimationFrame(audioRef.current.raf);
      audioRef.current.ctx.close().catch(() => {});
      audioRef.current = null;
    }
  };
  const stop = () => {
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

  const attach = () => {
    const v = videoRef.current;
    if (v && streamRef.current && v.srcObject !== streamRef.current) {
      v.srcObject = streamRef.current;
      v.play().catch(() => {});
    }
  };

  const start = async (cam = camId, mic = micId): Promise<boolean> => {
    setError(null);
    if (!window.isSecureContext) {
      setError(m.media.insecure);
      return false;
    }
    if (!navigator.mediaDevices?.getUserMedia) {
      setError(m.media.unsupported);
      return false;
    }
    stop();
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: cam ? { deviceId: { exact: cam } } : { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' },
        audio: mic ? { deviceId: { exact: mic } } : { echoCancellation: true, noiseSuppression: true },
      });
      streamRef.current = stream;
      attach();
      startMeter(stream);
      const all = await navigator.mediaDevices.enumerateDevices();
      setDevices({ cams: all.filter((d) => d.kind === 'videoinput'), mics: all.filter((d) => d.kind === 'audioinput') });
      setCamId(stream.getVideoTracks()[0]?.getSettings().deviceId ?? cam);
      setMicId(stream.getAudioTracks()[0]?.getSettings().deviceId ?? mic);
      return true;
    } catch (e) {
      setError(describeMediaError(e, m).message);
      return false;
    }
  };

  useEffect(() => stop, []);

  return {
    videoRef, meterRef, streamRef, devices, camId, micId, error, start, stop, attach,
    resume: () => { audioRef.current?.ctx.resume().catch(() => {}); },
  };
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { pickMimeType } from '../lib/media';

export interface Recorder {
  /** The format this browser records in, or null when it cannot record. */
  mimeType: string | null;
  /** Seconds recorded so far (or in all, once stopped). */
  elapsed: number;
  /** The last recording, and a URL to play it back. */
  blob: Blob | null;
  url: string | null;
  recording: boolean;
  /** Records the stream until stop(), or until maxS seconds have passed; onStop gets the recording. */
  start: (stream: MediaStream, maxS: number, onStop?: (blob: Blob) => void) => boolean;
  stop: () => void;
  /** Forgets the last recording. */
  reset: () => void;
}

/** MediaRecorder with a time limit: the recording of one answer. */
export function useRecorder(): Recorder {
  const [elapsed, setElapsed] = useState(0);
  const [blob, setBlob] = useState<Blob | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const recorderRef = useRef<MediaRecorder | null>(null);
  const timerRef = useRef<number | undefined>(undefined);
  const mimeType = typeof MediaRecorder !== 'undefined' ? pickMimeType((t) => MediaRecorder.isTypeSupported(t)) : null;

  const stop = () => {
    const rec = recorderRef.current;
    if (rec && rec.state !== 'inactive') rec.stop();
  };

  const start = (stream: MediaStream, maxS: number, onStop?: (blob: Blob) => void): boolean => {
    if (!mimeType) return false;
    // ~2.6 Mbit/s: 10 minutes stay near 200 MB, well under the gateway's
    // default upload limit (ISIM_MAX_UPLOAD_BYTES, 512 MiB)
    const rec = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 2_500_000, audioBitsPerSecond: 128_000 });
    const chunks: Blob[] = [];
    rec.ondataavailable = (e) => {
      if (e.data && e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      window.clearInterval(timerRef.current);
      const b = new Blob(chunks, { type: rec.mimeType || mimeType });
      setBlob(b);
      setUrl(URL.createObjectURL(b));
      setRecording(false);
      onStop?.(b);
    };
    recorderRef.current = rec;
    rec.start(1000);
    const t0 = performance.now();
    setElapsed(0);
    setRecording(true);
    timerRef.current = window.setInterval(() => {
      const s = (performance.now() - t0) / 1000;
      setElapsed(s);
      if (s >= maxS && rec.state === 'recording') rec.stop();
    }, 250);
    return true;
  };

  const reset = () => {
    setBlob(null);
    setUrl(null);
    setElapsed(0);
  };

  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);

  useEffect(() => () => {
    window.clearInterval(timerRef.current);
    const rec = recorderRef.current;
    if (rec && rec.state !== 'inactive') {
      rec.onstop = null;
      rec.stop();
    }
  }, []);

  return { mimeType, elapsed, blob, url, recording, start, stop, reset };
}

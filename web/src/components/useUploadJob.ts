import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import { UploadCancelled, initialUpload, uploadReducer, uploadWithRetry, type UploadState } from '../lib/upload';

export interface UploadJob {
  upload: UploadState;
  /** The interview the recording goes to, once created. */
  interviewId: string | null;
  /** Why the last attempt failed, in the interface language. */
  error: string | null;
  /** Client time (ms) the upload ended. */
  uploadedAt: number | null;
  /**
   * Creates the interview (the first time only: a retry resumes the same
   * one) and uploads the recording through the gateway, with progress.
   * Resolves with the interview's id once uploaded, else null (cancelled,
   * failed: the state says which).
   */
  send: (recording: Blob, create: () => Promise<string>, retry?: boolean) => Promise<string | null>;
  cancel: () => void;
  /** Back to nothing sent (a new recording). */
  reset: () => void;
}

/** The upload of one recording (PUT /v1/interviews/{id}/recording), shared by the recording pages. */
export function useUploadJob(): UploadJob {
  const { m } = useI18n();
  const { route } = useLocation();
  const [upload, dispatch] = useReducer(uploadReducer, initialUpload);
  const [interviewId, setInterviewId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploadedAt, setUploadedAt] = useState<number | null>(null);
  const idRef = useRef<string | null>(null);
  const abortRef = useRef<(() => void) | null>(null);

  const send = async (recording: Blob, create: () => Promise<string>, retry = false): Promise<string | null> => {
    setError(null);
    if (retry) dispatch({ type: 'retry', total: recording.size });
    else dispatch({ type: 'start', total: recording.size });
    try {
      if (!idRef.current) {
        idRef.current = await create();
        setInterviewId(idRef.current);
      }
      const id = idRef.current;
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
      return id;
    } catch (e) {
      abortRef.current = null;
      if (e instanceof UploadCancelled) {
        dispatch({ type: 'cancel' });
        return null;
      }
      const status = e instanceof ApiError ? e.status : (e as { status?: number }).status;
      if (status === 401) {
        api.setCsrfToken(null);
        route(`/signin?next=${encodeURIComponent(location.pathname + location.search)}`);
        return null;
      }
      dispatch({ type: 'fail', error: errorMessage(e, m) });
      setError(errorMessage(e, m));
      return null;
    }
  };

  const reset = () => {
    idRef.current = null;
    setInterviewId(null);
    setError(null);
    setUploadedAt(null);
    dispatch({ type: 'reset' });
  };

  useEffect(() => () => abortRef.current?.(), []);

  return { upload, interviewId, error, uploadedAt, send, cancel: () => abortRef.current?.(), reset };
}

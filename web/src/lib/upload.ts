// Upload state machine and an XMLHttpRequest uploader (a fetch cannot report
// upload progress).
//   idle -> uploading(loaded, total) -> uploaded | failed | cancelled
//   failed | cancelled -> (retry) -> uploading (attempt + 1)
//   any -> (reset) -> idle

export type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; loaded: number; total: number; attempt: number }
  | { kind: 'uploaded'; total: number; attempt: number }
  | { kind: 'failed'; error: string; attempt: number }
  | { kind: 'cancelled'; attempt: number };

export type UploadEvent =
  | { type: 'start'; total: number }
  | { type: 'progress'; loaded: number; total?: number }
  | { type: 'done' }
  | { type: 'fail'; error: string }
  | { type: 'cancel' }
  | { type: 'retry'; total?: number }
  | { type: 'reset' };

export const initialUpload: UploadState = { kind: 'idle' };

/** Pure transition function; an event that does not apply leaves the state as it is. */
export function uploadReducer(s: UploadState, e: UploadEvent): UploadState {
  switch (e.type) {
    case 'start':
      return s.kind === 'idle' ? { kind: 'uploading', loaded: 0, total: Math.max(0, e.total), attempt: 1 } : s;
    case 'progress':
      if (s.kind !== 'uploading') return s;
      {
        const total = e.total && e.total > 0 ? e.total : s.total;
        const loaded = Math.min(Math.max(e.loaded, s.loaded), total || e.loaded);
        return { ...s, loaded, total };
      }
    case 'done':
      return s.kind === 'uploading' ? { kind: 'uploaded', total: s.total, attempt: s.attempt } : s;
    case 'fail':
      return s.kind === 'uploading' ? { kind: 'failed', error: e.error, attempt: s.attempt } : s;
    case 'cancel':
      return s.kind === 'uploading' ? { kind: 'cancelled', attempt: s.attempt } : s;
    case 'reset':
      return initialUpload;
    case 'retry':
      if (s.kind !== 'failed' && s.kind !== 'cancelled') return s;
      return { kind: 'uploading', loaded: 0, total: Math.max(0, e.total ?? 0), attempt: s.attempt + 1 };
  }
}

/** Share sent, 0..1 (1 once uploaded). */
export function uploadFraction(s: UploadState): number {
  if (s.kind === 'uploaded') return 1;
  if (s.kind !== 'uploading' || s.total <= 0) return 0;
  return Math.min(1, s.loaded / s.total);
}

export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body?: Document | XMLHttpRequestBodyInit | null): void;
  abort(): void;
  withCredentials: boolean;
  readonly status: number;
  readonly responseText: string;
  getResponseHeader?(name: string): string | null;
  upload: { onprogress: ((ev: { loaded: number; total: number; lengthComputable: boolean }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

export interface UploadRequest {
  url: string;
  method?: string;
  body: Blob;
  headers?: Record<string, string>;
  onProgress?: (loaded: number, total: number) => void;
  xhr?: () => XhrLike;
}

export interface RetryingUploadRequest extends UploadRequest {
  /** Waits before each automatic retry after a broken connection, in ms. */
  retryDelaysMs?: number[];
  /** An earlier attempt of this same body was cut off (cancelled or broken). */
  resumed?: boolean;
  sleep?: (ms: number) => Promise<void>;
}

export class UploadError extends Error {
  /** retryAfterS: the server's Retry-After, when it said to come back. */
  constructor(readonly status: number, readonly code: string, message: string, readonly retryAfterS = 0) {
    super(message);
    this.name = 'UploadError';
  }
}

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

// The messages below are for logs; people see each in their language by its code (lib/errors.ts).
function messageFor(status: number, text: string): { code: string; message: string } {
  try {
    const b = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (b?.error?.message) return { code: b.error.code ?? `http_${status}`, message: b.error.message };
  } catch { /* not JSON */ }
  if (status === 413) return { code: 'too_large', message: 'The recording is too large to upload.' };
  return { code: `http_${status}`, message: `The upload failed (server answered ${status}).` };
}

/** Sends body with XMLHttpRequest; resolves with the parsed JSON answer. */
export function xhrUpload<T = unknown>(req: UploadRequest): { promise: Promise<T>; abort: () => void } {
  const xhr = req.xhr ? req.xhr() : (new XMLHttpRequest() as unknown as XhrLike);
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open(req.method ?? 'PUT', req.url);
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(req.headers ?? {})) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (ev) => {
      req.onProgress?.(ev.loaded, ev.lengthComputable ? ev.total : req.body.size);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch {
          resolve(undefined as T);
        }
      } else {
        const m = messageFor(xhr.status, xhr.responseText);
        const after = Number(xhr.getResponseHeader?.('Retry-After') ?? '');
        reject(new UploadError(xhr.status, m.code, m.message, Number.isFinite(after) && after > 0 ? after : 0));
      }
    };
    xhr.onerror = () => reject(new UploadError(0, 'network_error', 'The connection broke during the upload.'));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(req.body);
  });
  return { promise, abort: () => xhr.abort() };
}

/** The server's answer when the recording is already stored. */
export const ALREADY_UPLOADED = 'already_uploaded';

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * xhrUpload that survives what a connection does on its own: a broken
 * connection (a kept-alive socket the server closed just as it was reused, a
 * network blip), or a busy server's 503 with Retry-After (waited for, up to
 * 30 s), is retried after each of retryDelaysMs; and once an attempt
 * was cut off, an "already uploaded" answer means that attempt's body did
 * arrive whole (its answer was what got lost), so the upload is done.
 * Cancelling stops it at once, between attempts too.
 */
export function uploadWithRetry<T = unknown>(
  req: RetryingUploadRequest,
): { promise: Promise<T | undefined>; abort: () => void } {
  const delays = req.retryDelaysMs ?? [500, 2000];
  const sleep = req.sleep ?? sleepMs;
  let current: { abort: () => void } | null = null;
  let aborted = false;
  const promise = (async () => {
    let cutOff = req.resumed ?? false;
    let wait = 0;
    for (let attempt = 0; ; attempt++) {
      if (aborted) throw new UploadCancelled();
      const job = xhrUpload<T>(req);
      current = job;
      try {
        return await job.promise;
      } catch (e) {
        if (e instanceof UploadError && e.status === 409 && e.code === ALREADY_UPLOADED && cutOff) return undefined;
        const busy = e instanceof UploadError && e.status === 503 && e.retryAfterS > 0;
        if (!(e instanceof UploadError) || (e.status !== 0 && !busy) || attempt >= delays.length) throw e;
        if (e.status === 0) cutOff = true;
        wait = busy ? Math.min(30000, Math.max(delays[attempt], e.retryAfterS * 1000)) : delays[attempt];
      } finally {
        current = null;
      }
      await sleep(wait);
    }
  })();
  return {
    promise,
    abort: () => {
      aborted = true;
      current?.abort();
    },
  };
}

import { describe, expect, it } from 'vitest';
import {
  UploadCancelled, UploadError, initialUpload, uploadFraction, uploadReducer, uploadWithRetry, xhrUpload,
  type UploadState, type XhrLike,
} from './upload';

describe('upload state machine', () => {
  it('goes idle -> uploading -> uploaded', () => {
    let s: UploadState = initialUpload;
    s = uploadReducer(s, { type: 'start', total: 1000 });
    expect(s).toEqual({ kind: 'uploading', loaded: 0, total: 1000, attempt: 1 });
    s = uploadReducer(s, { type: 'progress', loaded: 250, total: 1000 });
    expect(uploadFraction(s)).toBe(0.25);
    s = uploadReducer(s, { type: 'progress', loaded: 100 });
    expect(s.kind === 'uploading' && s.loaded).toBe(250); // never goes back
    s = uploadReducer(s, { type: 'done' });
    expect(s).toEqual({ kind: 'uploaded', total: 1000, attempt: 1 });
    expect(uploadFraction(s)).toBe(1);
  });

  it('fails and retries with a new attempt', () => {
    let s = uploadReducer(initialUpload, { type: 'start', total: 10 });
    s = uploadReducer(s, { type: 'fail', error: 'broken' });
    expect(s).toEqual({ kind: 'failed', error: 'broken', attempt: 1 });
    s = uploadReducer(s, { type: 'retry', total: 10 });
    expect(s).toEqual({ kind: 'uploading', loaded: 0, total: 10, attempt: 2 });
  });

  it('cancels and retries', () => {
    let s = uploadReducer(initialUpload, { type: 'start', total: 10 });
    s = uploadReducer(s, { type: 'cancel' });
    expect(s.kind).toBe('cancelled');
    expect(uploadFraction(s)).toBe(0);
    s = uploadReducer(s, { type: 'retry' });
    expect(s.kind).toBe('uploading');
  });

  it('ignores events that do not apply', () => {
    expect(uploadReducer(initialUpload, { type: 'done' })).toBe(initialUpload);
    expect(uploadReducer(initialUpload, { type: 'retry' })).toBe(initialUpload);
    const done = uploadReducer(uploadReducer(initialUpload, { type: 'start', total: 1 }), { type: 'done' });
    expect(uploadReducer(done, { type: 'cancel' })).toBe(done);
    expect(uploadReducer(done, { type: 'fail', error: 'x' })).toBe(done);
    expect(uploadReducer(done, { type: 'start', total: 5 })).toBe(done);
    expect(uploadReducer(done, { type: 'reset' })).toEqual(initialUpload);
  });
});

class FakeXhr implements XhrLike {
  withCredentials = false;
  status = 0;
  responseText = '';
  headers: Record<string, string> = {};
  method = '';
  url = '';
  sent: unknown = null;
  upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  getResponseHeader: (name: string) => string | null = () => null;
  open(method: string, url: string) { this.method = method; this.url = url; }
  setRequestHeader(k: string, v: string) { this.headers[k] = v; }
  send(body: unknown) { this.sent = body; }
  abort() { this.onabort?.(); }
}

describe('xhrUpload', () => {
  const blob = new Blob([new Uint8Array(100)], { type: 'video/webm' });

  it('reports progress and resolves with the JSON answer', async () => {
    const x = new FakeXhr();
    const seen: number[] = [];
    const job = xhrUpload<{ status: string }>({
      url: '/v1/interviews/a/recording', body: blob, headers: { 'X-CSRF-Token': 't' }, xhr: () => x,
      onProgress: (l) => seen.push(l),
    });
    expect(x.method).toBe('PUT');
    expect(x.headers['X-CSRF-Token']).toBe('t');
    expect(x.sent).toBe(blob);
    x.upload.onprogress!({ loaded: 40, total: 100, lengthComputable: true });
    x.upload.onprogress!({ loaded: 100, total: 100, lengthComputable: true });
    x.status = 202;
    x.responseText = '{"id":"a","status":"uploaded"}';
    x.onload!();
    await expect(job.promise).resolves.toEqual({ id: 'a', status: 'uploaded' });
    expect(seen).toEqual([40, 100]);
  });

  it('rejects with the API error message', async () => {
    const x = new FakeXhr();
    const job = xhrUpload({ url: '/u', body: blob, xhr: () => x });
    x.status = 413;
    x.responseText = '{"error":{"code":"too_large","message":"The recording is larger than 500 MB."}}';
    x.onload!();
    const err = (await job.promise.catch((e: unknown) => e)) as UploadError;
    expect(err).toBeInstanceOf(UploadError);
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('The recording is larger than 500 MB.');
  });

  it('rejects on a network error and on cancel', async () => {
    const x1 = new FakeXhr();
    const j1 = xhrUpload({ url: '/u', body: blob, xhr: () => x1 });
    x1.onerror!();
    await expect(j1.promise).rejects.toMatchObject({ code: 'network_error' });
    const x2 = new FakeXhr();
    const j2 = xhrUpload({ url: '/u', body: blob, xhr: () => x2 });
    j2.abort();
    await expect(j2.promise).rejects.toBeInstanceOf(UploadCancelled);
  });
});

describe('uploadWithRetry', () => {
  const blob = new Blob([new Uint8Array(100)], { type: 'video/webm' });
  const answer = (x: FakeXhr, status: number, body: string) => {
    x.status = status;
    x.responseText = body;
    x.onload!();
  };
  const already = '{"error":{"code":"already_uploaded","message":"This interview\'s recording was already submitted."}}';
  // Each attempt's fake, created as the uploader asks for it; sleeps resolve at once.
  const setup = (extra: { resumed?: boolean; retryDelaysMs?: number[] } = {}) => {
    const xs: FakeXhr[] = [];
    const waits: number[] = [];
    const job = uploadWithRetry<{ status: string }>({
      url: '/u', body: blob, ...extra,
      xhr: () => { const x = new FakeXhr(); xs.push(x); return x; },
      sleep: async (ms) => { waits.push(ms); },
    });
    const next = async (n: number) => { while (xs.length < n) await Promise.resolve(); return xs[n - 1]; };
    return { xs, waits, job, next };
  };

  it('retries a broken connection after a wait and resolves with the answer', async () => {
    const { xs, waits, job, next } = setup({ retryDelaysMs: [500, 2000] });
    (await next(1)).onerror!();
    answer(await next(2), 202, '{"status":"uploaded"}');
    await expect(job.promise).resolves.toEqual({ status: 'uploaded' });
    expect(waits).toEqual([500]);
    expect(xs.length).toBe(2);
    expect(xs[1].sent).toBe(blob);
  });

  it('gives up after the last retry with the network error', async () => {
    const { waits, job, next } = setup({ retryDelaysMs: [1, 2] });
    (await next(1)).onerror!();
    (await next(2)).onerror!();
    (await next(3)).onerror!();
    await expect(job.promise).rejects.toMatchObject({ code: 'network_error' });
    expect(waits).toEqual([1, 2]);
  });

  it('waits out a busy server (503 with Retry-After) and tries again', async () => {
    const { waits, job, next } = setup({ retryDelaysMs: [500, 2000] });
    const x = await next(1);
    x.getResponseHeader = (n: string) => (n === 'Retry-After' ? '10' : null);
    answer(x, 503, '{"error":{"code":"busy","message":"Many recordings are arriving right now."}}');
    answer(await next(2), 202, '{"status":"uploaded"}');
    await expect(job.promise).resolves.toEqual({ status: 'uploaded' });
    expect(waits).toEqual([10000]);
  });

  it('does not retry an answer from the server', async () => {
    const { xs, job, next } = setup();
    answer(await next(1), 503, '{"error":{"code":"storage_unavailable","message":"The upload cannot be stored right now."}}');
    await expect(job.promise).rejects.toMatchObject({ status: 503, code: 'storage_unavailable' });
    expect(xs.length).toBe(1);
  });

  it('takes "already uploaded" after a cut-off attempt as done: that body arrived, its answer was lost', async () => {
    const { job, next } = setup();
    (await next(1)).onerror!();
    answer(await next(2), 409, already);
    await expect(job.promise).resolves.toBeUndefined();
  });

  it('takes "already uploaded" as done on a retry after a cancel', async () => {
    const { job, next } = setup({ resumed: true });
    answer(await next(1), 409, already);
    await expect(job.promise).resolves.toBeUndefined();
  });

  it('reports "already uploaded" on a first attempt as the error it is', async () => {
    const { job, next } = setup();
    answer(await next(1), 409, already);
    await expect(job.promise).rejects.toMatchObject({ status: 409, code: 'already_uploaded' });
  });

  it('cancels the attempt in flight and does not start another', async () => {
    const { xs, job, next } = setup();
    await next(1);
    job.abort();
    await expect(job.promise).rejects.toBeInstanceOf(UploadCancelled);
    await Promise.resolve();
    expect(xs.length).toBe(1);
  });

  it('cancels between attempts', async () => {
    const xs: FakeXhr[] = [];
    let wake = () => {};
    const job = uploadWithRetry({
      url: '/u', body: blob,
      xhr: () => { const x = new FakeXhr(); xs.push(x); return x; },
      sleep: () => new Promise<void>((r) => { wake = r; }),
    });
    while (!xs.length) await Promise.resolve();
    xs[0].onerror!();
    await Promise.resolve();
    await Promise.resolve();
    job.abort();
    wake();
    await expect(job.promise).rejects.toBeInstanceOf(UploadCancelled);
    expect(xs.length).toBe(1);
  });
});

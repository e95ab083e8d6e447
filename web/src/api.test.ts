import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, ENGLISH_ONLY, type FetchLike } from './api';

interface Call { url: string; init: RequestInit }

function fake(responses: Response[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init: init ?? {} });
      const r = responses.shift();
      if (!r) throw new Error('no more responses');
      return r;
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('ApiClient', () => {
  it('turns the error shape into a typed ApiError', async () => {
    const f = fake([json(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } })]);
    const api = new ApiClient(f.fetch);
    const err = await api.signIn('a@b.c', 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_credentials');
    expect(err.message).toBe('Wrong email or password.');
  });

  it('reads Retry-After on 429', async () => {
    const f = fake([json(429, { error: { code: 'too_many_attempts', message: 'Too many attempts.' } }, { 'Retry-After': '30' })]);
    const err = await new ApiClient(f.fetch).signIn('a@b.c', 'x').catch((e) => e);
    expect(err.code).toBe('too_many_attempts');
    expect(err.retryAfter).toBe(30);
  });

  it('copes with a body that is not JSON', async () => {
    const f = fake([new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })]);
    const err = await new ApiClient(f.fetch).getInterview('x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
  });

  it('reports a network failure as network_error', async () => {
    const api = new ApiClient(async () => { throw new TypeError('Failed to fetch'); });
    const err = await api.listQuestions().catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network_error');
  });

  it('keeps the CSRF token from sign-in and sends it on state-changing calls only', async () => {
    const me = { id: 'u', name: 'n', email: 'e', role: 'user' };
    const f = fake([
      json(201, { user: me, csrf_token: 'tok123' }),
      json(200, { questions: [] }),
      json(201, { id: 'i', status: 'created', question: 'q', question_id: null }),
      new Response(null, { status: 204 }),
    ]);
    const api = new ApiClient(f.fetch);
    await api.signIn('e', 'p');
    expect(api.csrfToken).toBe('tok123');
    await api.listQuestions({ category: 'technical', includeRetired: true });
    await api.createInterview({ question: 'q' });
    await expect(api.deleteInterview('i')).resolves.toBeUndefined();
    const h = (i: number) => f.calls[i].init.headers as Record<string, string>;
    expect(h(0)['X-CSRF-Token']).toBeUndefined();
    expect(f.calls[1].url).toBe('/v1/questions?category=technical&include_retired=true');
    expect(h(1)['X-CSRF-Token']).toBeUndefined();
    expect(f.calls[2].init.method).toBe('POST');
    expect(h(2)['X-CSRF-Token']).toBe('tok123');
    expect(JSON.parse(f.calls[2].init.body as string)).toEqual({ question: 'q' });
    expect(f.calls[3].init.method).toBe('DELETE');
    expect(h(3)['X-CSRF-Token']).toBe('tok123');
    expect(f.calls[3].init.credentials).toBe('same-origin');
  });

  it('takes the CSRF token from /v1/me', async () => {
    const f = fake([json(200, { id: 'u', name: 'n', role: 'admin', csrf_token: 'abc' })]);
    const api = new ApiClient(f.fetch);
    const me = await api.me();
    expect(me.role).toBe('admin');
    expect(api.csrfToken).toBe('abc');
  });

  it('calls the unauthorised handler on 401, except for quiet calls', async () => {
    const body = { error: { code: 'unauthenticated', message: 'Sign in.' } };
    const f = fake([json(401, body), json(401, body)]);
    const api = new ApiClient(f.fetch);
    const handler = vi.fn();
    api.setUnauthorizedHandler(handler);
    await api.me().catch(() => {});
    expect(handler).not.toHaveBeenCalled();
    await api.history().catch(() => {});
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('forgets the CSRF token on sign-out', async () => {
    const f = fake([json(201, { user: {}, csrf_token: 't' }), new Response(null, { status: 204 })]);
    const api = new ApiClient(f.fetch);
    await api.signIn('e', 'p');
    await api.signOut();
    expect(api.csrfToken).toBeNull();
    expect(f.calls[1].url).toBe('/v1/sessions/current');
  });

  it('builds interview list queries with a cursor', async () => {
    const f = fake([json(200, { interviews: [], next_cursor: null })]);
    await new ApiClient(f.fetch).listInterviews({ limit: 20, cursor: 'c1', status: 'complete' });
    expect(f.calls[0].url).toBe('/v1/interviews?limit=20&cursor=c1&status=complete');
  });

  it('reads the languages the server transcribes', async () => {
    const langs = [{ code: 'en', name: 'English' }, { code: 'pt-BR', name: 'Português (Brasil)' }];
    const f = fake([json(200, { languages: langs, default: 'en', auto: true })]);
    expect(await new ApiClient(f.fetch).languages()).toEqual({ languages: langs, default: 'en', auto: true, perInterview: true });
    expect(f.calls[0].url).toBe('/v1/languages');
  });

  it('offers English only, and no choice, from a server without GET /v1/languages', async () => {
    const f = fake([json(404, { error: { code: 'not_found', message: 'No such endpoint.' } })]);
    expect(await new ApiClient(f.fetch).languages()).toEqual(ENGLISH_ONLY);
  });

  it('does not hide other failures of GET /v1/languages', async () => {
    const f = fake([json(503, { error: { code: 'database_unavailable', message: 'x' } })]);
    await expect(new ApiClient(f.fetch).languages()).rejects.toMatchObject({ status: 503 });
  });

  it('sends the interview\'s language only when one is given', async () => {
    const created = { id: 'i', status: 'created', question: 'q', question_id: 'hard-problem' };
    const f = fake([json(201, created), json(201, created)]);
    const api = new ApiClient(f.fetch);
    await api.createInterview({ question_id: 'hard-problem' }, 'auto');
    await api.createInterview({ question: 'Why?' });
    expect(JSON.parse(String(f.calls[0].init.body))).toEqual({ question_id: 'hard-problem', language: 'auto' });
    expect(JSON.parse(String(f.calls[1].init.body))).toEqual({ question: 'Why?' });
  });
});

describe('ApiClient: the bank and mock interviews', () => {
  it('asks the server to search and filter the bank', async () => {
    const f = fake([json(200, { questions: [] }), json(200, { questions: [] })]);
    const api = new ApiClient(f.fetch);
    await api.listQuestions({ q: '  conflict team ', level: 'senior', role: 'nurse', language: 'en' });
    await api.listQuestions({ q: '   ', level: '' });
    const url = new URL(f.calls[0].url, 'http://x');
    expect(url.pathname).toBe('/v1/questions');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'conflict team', level: 'senior', role: 'nurse', language: 'en' });
    expect(f.calls[1].url).toBe('/v1/questions');
  });

  it('imports a file as it is, with its type and the CSRF token', async () => {
    const f = fake([json(200, { received: 1, created: 1, updated: 0, unchanged: 0 })]);
    const api = new ApiClient(f.fetch);
    api.setCsrfToken('tok');
    const csv = 'id,category,text\nx,general,Why?\n';
    const r = await api.importQuestions(csv, 'csv', 'missing');
    expect(r.created).toBe(1);
    expect(f.calls[0].url).toBe('/v1/question-bank?mode=missing');
    expect(f.calls[0].init.body).toBe(csv);
    const h = f.calls[0].init.headers as Record<string, string>;
    expect(h['Content-Type']).toBe('text/csv');
    expect(h['X-CSRF-Token']).toBe('tok');
  });

  it('attaches an answer at a place, or at the next open one', async () => {
    const mk = { id: 'm', questions: [], next: null };
    const f = fake([json(200, mk), json(200, mk)]);
    const api = new ApiClient(f.fetch);
    await api.attachAnswer('m', 'iv1', 2);
    await api.attachAnswer('m', 'iv2');
    expect(f.calls[0].url).toBe('/v1/mock-interviews/m/answers');
    expect(JSON.parse(String(f.calls[0].init.body))).toEqual({ interview_id: 'iv1', position: 2 });
    expect(JSON.parse(String(f.calls[1].init.body))).toEqual({ interview_id: 'iv2' });
  });

  it('shows a refused draw in the interface language', async () => {
    const { mockErrorMessage } = await import('./lib/mockErrors');
    const { CATALOGS } = await import('./i18n');
    const f = fake([json(422, { error: { code: 'not_enough_questions', message: 'The bank has 0 role question(s)...' } })]);
    const err = await new ApiClient(f.fetch).createMock({ role: 'nurse', level: 'senior', plan: { role: 9 } }).catch((e) => e);
    expect(mockErrorMessage(err, CATALOGS['pt-BR'])).toMatch(/^O banco tem poucas perguntas/);
  });

  it('shows a refused import in the interface language, with the server\'s words naming the row', async () => {
    const { importError } = await import('./lib/mockErrors');
    const { CATALOGS } = await import('./i18n');
    const f = fake([json(422, { error: { code: 'invalid_questions', message: 'Nothing was imported. Row 3: "category" must be one of ...' } })]);
    const err = await new ApiClient(f.fetch).importQuestions('id,category\nx,y\n', 'csv', 'replace').catch((e) => e);
    expect(importError(err, CATALOGS['pt-BR'])).toEqual({
      message: 'Nada foi importado: há uma pergunta errada no arquivo.',
      detail: 'Nothing was imported. Row 3: "category" must be one of ...',
    });
    expect(importError(new Error('boom'), CATALOGS.en)).toEqual({ message: 'boom', detail: null });
  });
});

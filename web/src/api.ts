// Thin typed client of the gateway's REST API (same origin, under /v1).
// Errors of the shape {"error": {"code", "message"}} become an ApiError
// (shown to people in their language by code: lib/errors.ts).
// The browser authenticates with the isim_session cookie; every
// state-changing call carries X-CSRF-Token (kept in memory only).

import type {
  ApiKey, ApiKeyCreated, Cohort, CohortOverview, CohortRole, Comment, History, Interview, InterviewCreated, InterviewPage, Invitation,
  InvitationCreated, Language, Languages, Me, Organisation, Question, QuestionInput, SessionResponse, User,
} from './types';
import type {
  Level, MockInterview, MockInterviewCreate, MockInterviewSummary, MockReport, QuestionImportResult,
} from './types';

/** What a server without GET /v1/languages offers: English, and no choice to send. */
export const ENGLISH_ONLY: Languages = {
  languages: [{ code: 'en', name: 'English' }], default: 'en', auto: false, perInterview: false,
};

/** What DELETE /v1/me needs in its body, word for word. */
export const DELETE_ACCOUNT_PHRASE = 'delete my account';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Do not call the unauthorised handler on 401 (sign-in, the first /v1/me). */
  quiet401?: boolean;
  signal?: AbortSignal;
  /** A body sent as it is (a file's text), with its Content-Type, instead of JSON. */
  raw?: { body: string; contentType: string };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function retryAfterSeconds(res: Response): number | null {
  const h = res.headers.get('Retry-After');
  if (!h) return null;
  const n = Number(h);
  return Number.isFinite(n) ? n : null;
}

/** Builds an ApiError from a failed response, whatever its body holds. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `The server answered ${res.status}.`;
  try {
    const text = await res.text();
    if (text) {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
        if (typeof body.error.code === 'string') code = body.error.code;
        if (typeof body.error.message === 'string') message = body.error.message;
      }
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, retryAfterSeconds(res));
}

export class ApiClient {
  private csrf: string | null = null;
  private onUnauthorized: (() => void) | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly base: string;

  constructor(fetchImpl?: FetchLike, base = '') {
    this.fetchImpl = fetchImpl ?? ((input, init) => fetch(input, init));
    this.base = base;
  }

  setCsrfToken(token: string | null | undefined): void {
    this.csrf = token ?? null;
  }

  get csrfToken(): string | null {
    return this.csrf;
  }

  /** Called when any call (not marked quiet401) answers 401. */
  setUnauthorizedHandler(fn: (() => void) | null): void {
    this.onUnauthorized = fn;
  }

  headers(method: string, json: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (json) h['Content-Type'] = 'application/json';
    if (UNSAFE.has(method) && this.csrf) h['X-CSRF-Token'] = this.csrf;
    return h;
  }

  async request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const method = (opts.method ?? 'GET').toUpperCase();
    const hasBody = opts.body !== undefined;
    const headers = this.headers(method, hasBody);
    if (opts.raw) headers['Content-Type'] = opts.raw.contentType;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        credentials: 'same-origin',
        headers,
        body: opts.raw ? opts.raw.body : hasBody ? JSON.stringify(opts.body) : undefined,
        signal: opts.signal,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
    }
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (res.status === 401 && !opts.quiet401) this.onUnauthorized?.();
      throw err;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  // ---- sessions and account ----
  async signIn(email: string, password: string): Promise<SessionResponse> {
    const r = await this.request<SessionResponse>('/v1/sessions', {
      method: 'POST', body: { email, password }, quiet401: true,
    });
    this.setCsrfToken(r.csrf_token);
    return r;
  }
  async signOut(): Promise<void> {
    try {
      await this.request<void>('/v1/sessions/current', { method: 'DELETE', quiet401: true });
    } finally {
      this.setCsrfToken(null);
    }
  }
  /** Deletes one's own account with every recording; answers how many interviews went. */
  async deleteAccount(): Promise<number> {
    const r = await this.request<{ interviews_deleted: number }>('/v1/me', {
      method: 'DELETE', body: { confirm: DELETE_ACCOUNT_PHRASE },
    });
    this.setCsrfToken(null);
    return r.interviews_deleted;
  }
  async me(): Promise<Me> {
    const me = await this.request<Me>('/v1/me', { quiet401: true });
    if (me.csrf_token) this.setCsrfToken(me.csrf_token);
    return me;
  }
  getInvitation(token: string): Promise<Invitation> {
    return this.request(`/v1/invitations/${encodeURIComponent(token)}`, { quiet401: true });
  }
  async acceptInvitation(token: string, password: string): Promise<SessionResponse> {
    const r = await this.request<SessionResponse>(`/v1/invitations/${encodeURIComponent(token)}/accept`, {
      method: 'POST', body: { password }, quiet401: true,
    });
    this.setCsrfToken(r.csrf_token);
    return r;
  }
  changePassword(current_password: string, new_password: string): Promise<void> {
    return this.request('/v1/me/password', { method: 'PUT', body: { current_password, new_password } });
  }
  async listKeys(): Promise<ApiKey[]> {
    return (await this.request<{ keys: ApiKey[] }>('/v1/me/keys')).keys ?? [];
  }
  /** expiresInDays null: a key that never expires. */
  createKey(name: string, expiresInDays: number | null = null): Promise<ApiKeyCreated> {
    const body = expiresInDays ? { name, expires_in_days: expiresInDays } : { name };
    return this.request('/v1/me/keys', { method: 'POST', body });
  }
  revokeKey(id: string): Promise<void> {
    return this.request(`/v1/me/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  // ---- admin ----
  async listUsers(): Promise<User[]> {
    return (await this.request<{ users: User[] }>('/v1/users')).users ?? [];
  }
  setUserDisabled(id: string, disabled: boolean): Promise<User> {
    return this.request(`/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: { disabled } });
  }
  /** Deletes a user with every recording, key and webhook; answers how many interviews went. */
  async deleteUser(id: string): Promise<number> {
    return (await this.request<{ interviews_deleted: number }>(`/v1/users/${encodeURIComponent(id)}`,
      { method: 'DELETE' })).interviews_deleted;
  }
  invite(email: string, name: string, role: string): Promise<InvitationCreated> {
    return this.request('/v1/invitations', { method: 'POST', body: { email, name, role } });
  }

  // ---- questions ----
  /** The bank, filtered by the server: q (words that must all appear), level (that level's and any level's questions). */
  async listQuestions(params: {
    category?: string; role?: string; level?: Level | ''; language?: string; q?: string; includeRetired?: boolean;
  } = {}): Promise<Question[]> {
    const q = new URLSearchParams();
    if (params.category) q.set('category', params.category);
    if (params.role) q.set('role', params.role);
    if (params.level) q.set('level', params.level);
    if (params.language) q.set('language', params.language);
    const words = params.q?.trim().slice(0, 200);
    if (words) q.set('q', words);
    if (params.includeRetired) q.set('include_retired', 'true');
    const s = q.toString();
    return (await this.request<{ questions: Question[] }>(`/v1/questions${s ? `?${s}` : ''}`)).questions ?? [];
  }
  getQuestion(id: string): Promise<Question> {
    return this.request(`/v1/questions/${encodeURIComponent(id)}`);
  }
  createQuestion(q: QuestionInput): Promise<Question> {
    return this.request('/v1/questions', { method: 'POST', body: q });
  }
  updateQuestion(id: string, q: QuestionInput): Promise<Question> {
    return this.request(`/v1/questions/${encodeURIComponent(id)}`, { method: 'PUT', body: q });
  }
  retireQuestion(id: string): Promise<void> {
    return this.request(`/v1/questions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
  /** Where an administrator downloads the whole bank (a same-origin GET: the session cookie is enough). */
  questionBankUrl(format: 'json' | 'csv'): string {
    return `${this.base}/v1/question-bank?format=${format}`;
  }
  /** Imports a bank file (JSON or CSV text): all of it, or nothing when a question is wrong. */
  importQuestions(text: string, format: 'json' | 'csv', mode: 'replace' | 'missing'): Promise<QuestionImportResult> {
    return this.request(`/v1/question-bank?mode=${mode}`, {
      method: 'POST', raw: { body: text, contentType: format === 'csv' ? 'text/csv' : 'application/json' },
    });
  }

  // ---- mock interviews ----
  createMock(body: MockInterviewCreate): Promise<MockInterview> {
    return this.request('/v1/mock-interviews', { method: 'POST', body });
  }
  async listMocks(): Promise<MockInterviewSummary[]> {
    return (await this.request<{ mock_interviews: MockInterviewSummary[] }>('/v1/mock-interviews')).mock_interviews ?? [];
  }
  getMock(id: string): Promise<MockInterview> {
    return this.request(`/v1/mock-interviews/${encodeURIComponent(id)}`);
  }
  deleteMock(id: string): Promise<void> {
    return this.request(`/v1/mock-interviews/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
  /** Makes an interview (created with the question's question_id) the answer at a place; without one, the first open place. */
  attachAnswer(id: string, interviewId: string, position?: number): Promise<MockInterview> {
    const body = position ? { interview_id: interviewId, position } : { interview_id: interviewId };
    return this.request(`/v1/mock-interviews/${encodeURIComponent(id)}/answers`, { method: 'POST', body });
  }
  finishMock(id: string): Promise<MockInterview> {
    return this.request(`/v1/mock-interviews/${encodeURIComponent(id)}/finish`, { method: 'POST' });
  }
  mockReport(id: string): Promise<MockReport> {
    return this.request(`/v1/mock-interviews/${encodeURIComponent(id)}/report`);
  }

  // ---- interviews ----
  /** The languages the server transcribes; ENGLISH_ONLY from a server that predates them (404). */
  async languages(): Promise<Languages> {
    try {
      const r = await this.request<{ languages?: Language[]; default?: string; auto?: boolean }>('/v1/languages');
      const languages = r.languages ?? [];
      if (languages.length === 0) return ENGLISH_ONLY;
      return { languages, default: r.default ?? languages[0].code, auto: r.auto ?? false, perInterview: true };
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return ENGLISH_ONLY;
      throw e;
    }
  }
  /** language: a code of languages() or "auto"; left out, the server chooses (and an older server accepts no other). */
  createInterview(target: { question_id: string } | { question: string }, language?: string): Promise<InterviewCreated> {
    return this.request('/v1/interviews', { method: 'POST', body: language ? { ...target, language } : target });
  }
  getInterview(id: string): Promise<Interview> {
    return this.request(`/v1/interviews/${encodeURIComponent(id)}`);
  }
  /** user_id: a member of a cohort the caller coaches (else the caller's own). */
  listInterviews(params: { limit?: number; cursor?: string | null; status?: string; question_id?: string; user_id?: string } = {}): Promise<InterviewPage> {
    const q = new URLSearchParams();
    if (params.limit) q.set('limit', String(params.limit));
    if (params.cursor) q.set('cursor', params.cursor);
    if (params.status) q.set('status', params.status);
    if (params.question_id) q.set('question_id', params.question_id);
    if (params.user_id) q.set('user_id', params.user_id);
    const s = q.toString();
    return this.request(`/v1/interviews${s ? `?${s}` : ''}`);
  }
  /** Processes a failed interview again from its stored recording. */
  retryInterview(id: string): Promise<{ id: string; status: string }> {
    return this.request(`/v1/interviews/${encodeURIComponent(id)}/retry`, { method: 'POST' });
  }
  deleteInterview(id: string): Promise<void> {
    return this.request(`/v1/interviews/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
  /** The complete interviews with their figures and trends: of one bank question, or all; of a member one coaches (userId). */
  async history(questionId?: string, userId?: string): Promise<History> {
    const params = new URLSearchParams();
    if (questionId) params.set('question_id', questionId);
    if (userId) params.set('user_id', userId);
    const q = params.toString() ? `?${params}` : '';
    const h = await this.request<History>(`/v1/history${q}`);
    return { ...h, history: h.history ?? [] };
  }

  recordingUrl(id: string): string {
    return `${this.base}/v1/interviews/${encodeURIComponent(id)}/recording`;
  }
  eventsUrl(id: string): string {
    return `${this.base}/v1/interviews/${encodeURIComponent(id)}/events`;
  }

  // ---- organisations and cohorts (administrators manage them; coaches read their cohorts) ----
  async listOrganisations(): Promise<Organisation[]> {
    return (await this.request<{ organisations: Organisation[] }>('/v1/organisations')).organisations ?? [];
  }
  createOrganisation(name: string): Promise<Organisation> {
    return this.request('/v1/organisations', { method: 'POST', body: { name } });
  }
  renameOrganisation(id: string, name: string): Promise<Organisation> {
    return this.request(`/v1/organisations/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } });
  }
  /** Deletes it with its cohorts; its people stay, without an organisation. */
  deleteOrganisation(id: string): Promise<void> {
    return this.request(`/v1/organisations/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
  /** Puts a person in an organisation (null: in none); leaving one takes them out of its cohorts. */
  setUserOrganisation(userId: string, organisationId: string | null): Promise<User> {
    return this.request(`/v1/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body: { organisation_id: organisationId } });
  }
  /** The caller's cohorts (an administrator's: every cohort), each with its coaches. */
  async listCohorts(): Promise<Cohort[]> {
    return (await this.request<{ cohorts: Cohort[] }>('/v1/cohorts')).cohorts ?? [];
  }
  /** A cohort; with everyone in it (people) for its coaches and administrators. */
  getCohort(id: string): Promise<Cohort> {
    return this.request(`/v1/cohorts/${encodeURIComponent(id)}`);
  }
  createCohort(organisationId: string, name: string): Promise<Cohort> {
    return this.request('/v1/cohorts', { method: 'POST', body: { organisation_id: organisationId, name } });
  }
  deleteCohort(id: string): Promise<void> {
    return this.request(`/v1/cohorts/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
  /** Adds a person of the cohort's organisation, or changes their role (422 not_in_organisation). */
  setCohortMember(cohortId: string, userId: string, role: CohortRole): Promise<unknown> {
    return this.request(`/v1/cohorts/${encodeURIComponent(cohortId)}/members/${encodeURIComponent(userId)}`,
      { method: 'PUT', body: { role } });
  }
  removeCohortMember(cohortId: string, userId: string): Promise<void> {
    return this.request(`/v1/cohorts/${encodeURIComponent(cohortId)}/members/${encodeURIComponent(userId)}`,
      { method: 'DELETE' });
  }
  /** Who practised, how often, their scores over time: for the cohort's coaches. */
  cohortOverview(id: string): Promise<CohortOverview> {
    return this.request(`/v1/cohorts/${encodeURIComponent(id)}/overview`);
  }

  // ---- comments on a report (its candidate and their coaches) ----
  async listComments(interviewId: string): Promise<Comment[]> {
    return (await this.request<{ comments: Comment[] }>(`/v1/interviews/${encodeURIComponent(interviewId)}/comments`)).comments ?? [];
  }
  /** atS: the moment of the recording in seconds, or null for the whole answer. */
  addComment(interviewId: string, body: string, atS: number | null): Promise<Comment> {
    return this.request(`/v1/interviews/${encodeURIComponent(interviewId)}/comments`,
      { method: 'POST', body: atS === null ? { body } : { body, at_s: atS } });
  }
  /** By its author only. */
  deleteComment(interviewId: string, commentId: string): Promise<void> {
    return this.request(`/v1/interviews/${encodeURIComponent(interviewId)}/comments/${encodeURIComponent(commentId)}`,
      { method: 'DELETE' });
  }
}

/** The app's single client. */
export const api = new ApiClient();

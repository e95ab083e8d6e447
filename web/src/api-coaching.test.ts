import { describe, expect, it } from 'vitest';
import { ApiClient, type FetchLike } from './api';

interface Call { url: string; method: string; body: unknown; csrf: string | undefined }

/** A server that answers every call with `answer` and notes what was asked. */
function recorder(answer: () => Response): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({
        url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined,
        csrf: headers['X-CSRF-Token'],
      });
      return answer();
    },
  };
}

const ok = (body: unknown) => () => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

describe('the API client: organisations, cohorts, coaches and comments', () => {
  it('manages organisations and who belongs to them with the shapes of the OpenAPI document', async () => {
    const r = recorder(ok({}));
    const api = new ApiClient(r.fetch);
    api.setCsrfToken('t');
    await api.createOrganisation('School');
    await api.renameOrganisation('o/1', 'College');
    await api.deleteOrganisation('o1');
    await api.setUserOrganisation('u1', 'o1');
    await api.setUserOrganisation('u1', null);
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /v1/organisations', 'PATCH /v1/organisations/o%2F1', 'DELETE /v1/organisations/o1',
      'PATCH /v1/users/u1', 'PATCH /v1/users/u1',
    ]);
    expect(r.calls.map((c) => c.body)).toEqual([
      { name: 'School' }, { name: 'College' }, undefined, { organisation_id: 'o1' }, { organisation_id: null },
    ]);
    expect(r.calls.every((c) => c.csrf === 't')).toBe(true);
  });

  it('manages cohorts and their people', async () => {
    const r = recorder(ok({}));
    const api = new ApiClient(r.fetch);
    await api.createCohort('o1', 'Spring');
    await api.getCohort('c1');
    await api.setCohortMember('c1', 'u1', 'coach');
    await api.removeCohortMember('c1', 'u1');
    await api.deleteCohort('c1');
    await api.cohortOverview('c1');
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /v1/cohorts', 'GET /v1/cohorts/c1', 'PUT /v1/cohorts/c1/members/u1', 'DELETE /v1/cohorts/c1/members/u1',
      'DELETE /v1/cohorts/c1', 'GET /v1/cohorts/c1/overview',
    ]);
    expect(r.calls[0].body).toEqual({ organisation_id: 'o1', name: 'Spring' });
    expect(r.calls[2].body).toEqual({ role: 'coach' });
  });

  it('unwraps the lists', async () => {
    expect(await new ApiClient(recorder(ok({ organisations: [{ id: 'o' }] })).fetch).listOrganisations()).toEqual([{ id: 'o' }]);
    expect(await new ApiClient(recorder(ok({ cohorts: [{ id: 'c' }] })).fetch).listCohorts()).toEqual([{ id: 'c' }]);
    expect(await new ApiClient(recorder(ok({ comments: [{ id: 'm' }] })).fetch).listComments('i')).toEqual([{ id: 'm' }]);
    expect(await new ApiClient(recorder(ok({})).fetch).listComments('i')).toEqual([]);
  });

  it('comments at a moment or on the whole answer, and deletes one', async () => {
    const r = recorder(ok({}));
    const api = new ApiClient(r.fetch);
    await api.addComment('i1', 'Slow down here', 12.3);
    await api.addComment('i1', 'Good structure', null);
    await api.addComment('i1', 'At the start', 0);
    await api.deleteComment('i1', 'c9');
    expect(r.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /v1/interviews/i1/comments', 'POST /v1/interviews/i1/comments', 'POST /v1/interviews/i1/comments',
      'DELETE /v1/interviews/i1/comments/c9',
    ]);
    expect(r.calls.slice(0, 3).map((c) => c.body)).toEqual([
      { body: 'Slow down here', at_s: 12.3 }, { body: 'Good structure' }, { body: 'At the start', at_s: 0 },
    ]);
  });

  it('asks for a member\'s interviews and history by user_id', async () => {
    const r = recorder(ok({ interviews: [], next_cursor: null, history: [] }));
    const api = new ApiClient(r.fetch);
    await api.listInterviews({ limit: 20, user_id: 'u 1' });
    await api.history(undefined, 'u1');
    await api.history('hard-problem', 'u1');
    await api.history();
    expect(r.calls.map((c) => c.url)).toEqual([
      '/v1/interviews?limit=20&user_id=u+1', '/v1/history?user_id=u1', '/v1/history?question_id=hard-problem&user_id=u1',
      '/v1/history',
    ]);
  });
});

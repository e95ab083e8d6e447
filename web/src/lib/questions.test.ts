import { describe, expect, it } from 'vitest';
import { ENGLISH_ONLY } from '../api';
import type { Languages, Question } from '../types';
import {
  EMPTY_QUESTION_FORM, isOwnOrganisation, organisationChoices, organisationName, organisationQuestions, questionBody,
  questionFormOf, questionIdFrom, restoreBody, splitPoints, starShown,
} from './questions';

const q = (id: string, organisation_id: string | null, extra: Partial<Question> = {}): Question => ({
  id, category: 'behavioural', role: 'nurse', language: 'pt-br', text: `Question ${id}`, talking_points: ['a', 'b'],
  level: 'mid', star: false, organisation_id, ...extra,
});

const two: Languages = {
  languages: [{ code: 'en', name: 'English' }, { code: 'pt-BR', name: 'Português' }], default: 'en', auto: true, perInterview: true,
};

describe('the question form', () => {
  it('is filled in from a question, its language as the server spells it, its organisation or the shared bank', () => {
    const f = questionFormOf(q('x', 'org-1'), ['en', 'pt-BR']);
    expect(f).toEqual({
      id: 'x', category: 'behavioural', role: 'nurse', level: 'mid', language: 'pt-BR', text: 'Question x',
      points: 'a\nb', star: false, organisation: 'org-1',
    });
    expect(questionFormOf(q('y', null, { language: 'de' }), ['en']).organisation).toBe('');
    expect(questionFormOf(q('y', null, { language: 'de' }), ['en']).language).toBeUndefined();
    // a server before organisations says nothing
    expect(questionFormOf(q('z', null, { organisation_id: undefined }), []).organisation).toBe('');
  });

  it('ticks STAR for a behavioural question until the person chooses', () => {
    expect(starShown({ category: 'behavioural' })).toBe(true);
    expect(starShown({ category: 'technical' })).toBe(false);
    expect(starShown({ category: 'behavioural', star: false })).toBe(false);
    expect(starShown({ category: 'technical', star: true })).toBe(true);
  });

  it('takes talking points one per line, without empty ones', () => {
    expect(splitPoints(' the tools \n\n  what you check\n ')).toEqual(['the tools', 'what you check']);
    expect(splitPoints('')).toEqual([]);
  });
});

describe('an id made from the text', () => {
  it('is its words in lower case without accents, joined by dashes, at most 64 characters', () => {
    expect(questionIdFrom('Tell me about a time you failed.')).toBe('tell-me-about-a-time-you-failed');
    expect(questionIdFrom('  Por que você quer trabalhar aqui?  ')).toBe('por-que-voce-quer-trabalhar-aqui');
    expect(questionIdFrom('?!')).toBe('question');
    const long = questionIdFrom('word '.repeat(40));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });
});

describe('what the form sends', () => {
  const form = { ...EMPTY_QUESTION_FORM, id: ' my-q ', category: 'technical', role: ' ', text: ' How? ', points: 'one\n\ntwo' };

  it('sends a new question as the administrators\' form always did when STAR and organisation are left alone', () => {
    expect(questionBody(form, { langs: ENGLISH_ONLY, creating: true, withOrganisation: false })).toEqual({
      id: 'my-q', category: 'technical', role: 'any', level: 'any', text: 'How?', talking_points: ['one', 'two'],
    });
  });

  it('sends no id on an update, nor an empty one, and the language only to a server with languages', () => {
    const upd = questionBody({ ...form, language: 'pt-BR' }, { langs: two, creating: false, withOrganisation: false });
    expect(upd.id).toBeUndefined();
    expect(upd.language).toBe('pt-BR');
    // the server needs an id: an empty one is made from the text
    expect(questionBody({ ...form, id: ' ' }, { langs: two, creating: true, withOrganisation: false }).id).toBe('how');
    expect(questionBody(form, { langs: two, creating: true, withOrganisation: false }).language).toBe('en');
    expect(questionBody({ ...form, level: undefined }, { langs: ENGLISH_ONLY, creating: true, withOrganisation: false }))
      .not.toHaveProperty('level');
  });

  it('sends STAR once chosen', () => {
    const b = questionBody({ ...form, star: true }, { langs: ENGLISH_ONLY, creating: true, withOrganisation: false });
    expect(b.star).toBe(true);
    expect(questionBody({ ...form, star: false }, { langs: ENGLISH_ONLY, creating: false, withOrganisation: false }).star).toBe(false);
  });

  it('sends an administrator\'s organisation, null for the shared bank; a coach\'s none (the server makes it theirs)', () => {
    const admin = { langs: ENGLISH_ONLY, creating: true, withOrganisation: true };
    expect(questionBody({ ...form, organisation: 'org-1' }, admin).organisation_id).toBe('org-1');
    expect(questionBody(form, admin)).toHaveProperty('organisation_id', null);
    expect(questionBody({ ...form, organisation: 'org-1' }, { ...admin, withOrganisation: false })).not.toHaveProperty('organisation_id');
  });

  it('restores a retired question with its own fields, nothing else changed', () => {
    expect(restoreBody(q('r', 'org-1', { retired: true }))).toEqual({
      category: 'behavioural', role: 'nurse', text: 'Question r', talking_points: ['a', 'b'], retired: false,
    });
  });
});

describe('whose a question is', () => {
  const list = [q('shared', null), q('ours', 'org-1'), q('theirs', 'org-2'), q('old', null, { organisation_id: undefined })];

  it('lists an organisation\'s own questions only, and none without an organisation', () => {
    expect(organisationQuestions(list, 'org-1').map((x) => x.id)).toEqual(['ours']);
    expect(organisationQuestions(list, null)).toEqual([]);
    expect(organisationQuestions(list, undefined)).toEqual([]);
  });

  it('marks a question of the viewer\'s organisation, never the shared bank\'s', () => {
    const me = { organisation: { id: 'org-1', name: 'School' } };
    expect(list.map((x) => isOwnOrganisation(x, me))).toEqual([false, true, false, false]);
    expect(list.map((x) => isOwnOrganisation(x, { organisation: null }))).toEqual([false, false, false, false]);
    expect(isOwnOrganisation(q('ours', 'org-1'), null)).toBe(false);
  });

  it('names the organisation for administrators, null for the shared bank, its id when unknown', () => {
    const orgs = [{ id: 'org-1', name: 'School' }];
    expect(organisationName('org-1', orgs)).toBe('School');
    expect(organisationName(null, orgs)).toBeNull();
    expect(organisationName(undefined, null)).toBeNull();
    expect(organisationName('org-9', orgs)).toBe('org-9');
    expect(organisationName('org-1', null)).toBe('org-1');
  });

  it('offers the organisations by name, keeping the question\'s own when it is not listed', () => {
    const orgs = [{ id: 'b', name: 'Beta' }, { id: 'a', name: 'Alpha' }];
    expect(organisationChoices(orgs, '').map((o) => o.id)).toEqual(['a', 'b']);
    expect(organisationChoices(orgs, 'b').map((o) => o.id)).toEqual(['a', 'b']);
    expect(organisationChoices(orgs, 'gone').map((o) => o.id)).toEqual(['gone', 'a', 'b']);
  });
});

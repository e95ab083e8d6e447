// A bank question as its form edits it, and what the form sends: one form
// for the administrators' question bank and a coach's organisation's own
// questions. Also whose a question is (the shared bank or an organisation's).

import type { Languages, Level, Me, Question, QuestionInput, Ref } from '../types';
import { matchLanguage } from './languages';

export const CATEGORIES = ['behavioural', 'technical', 'situational', 'general'];

export interface QuestionFormState {
  /** Only for a new question; empty: the server's own. */
  id: string;
  category: string;
  role: string;
  /** undefined: a question from a server before levels (none is sent). */
  level?: Level;
  /** A code of the server's languages; undefined: the server's default. */
  language?: string;
  text: string;
  /** The talking points as typed, one per line. */
  points: string;
  /** undefined: not chosen, so not sent (a new question takes the server's default: STAR for behavioural ones). */
  star?: boolean;
  /** Administrators: '' the shared bank, else an organisation's id. */
  organisation: string;
}

export const EMPTY_QUESTION_FORM: QuestionFormState = {
  id: '', category: 'behavioural', role: 'any', level: 'any', text: '', points: '', organisation: '',
};

/** The form filled in with a question to edit; its language as one of the server's codes. */
export function questionFormOf(q: Question, codes: readonly string[]): QuestionFormState {
  return {
    id: q.id, category: q.category, role: q.role, level: q.level,
    language: matchLanguage(q.language, codes) ?? undefined,
    text: q.text, points: q.talking_points.join('\n'), star: q.star, organisation: q.organisation_id ?? '',
  };
}

/** Whether the STAR box shows ticked: the choice made, else what the server would take (behavioural questions). */
export function starShown(form: Pick<QuestionFormState, 'star' | 'category'>): boolean {
  return form.star ?? form.category === 'behavioural';
}

/** Talking points typed one per line: trimmed, empty lines left out. */
export function splitPoints(text: string): string[] {
  return text.split('\n').map((p) => p.trim()).filter(Boolean);
}

export interface QuestionBodyOptions {
  /** The server's languages: none is sent to a server without languages. */
  langs: Languages;
  /** A new question (its id is sent when given) or an update. */
  creating: boolean;
  /** Send the organisation (an administrator's choice); a coach's question is always their organisation's. */
  withOrganisation: boolean;
}

/** What POST or PUT /v1/questions gets from the form. */
export function questionBody(form: QuestionFormState, o: QuestionBodyOptions): QuestionInput {
  const body: QuestionInput = {
    category: form.category,
    role: form.role.trim() || 'any',
    text: form.text.trim(),
    talking_points: splitPoints(form.points),
  };
  // a server before levels has none to take
  if (form.level) body.level = form.level;
  // a server without languages takes none
  if (o.langs.perInterview) body.language = form.language ?? o.langs.default;
  if (form.star !== undefined) body.star = form.star;
  if (o.withOrganisation) body.organisation_id = form.organisation || null;
  if (o.creating) body.id = form.id.trim() || questionIdFrom(body.text);
  return body;
}

/**
 * An id for a new question whose form left it empty (the server needs one):
 * its words in lower case without accents, joined by dashes, at most 64 characters.
 */
export function questionIdFrom(text: string): string {
  const slug = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 64).replace(/-+$/, '') || 'question';
}

/** What PUT /v1/questions/{id} gets to offer a retired question again. */
export function restoreBody(q: Question): QuestionInput {
  return { category: q.category, role: q.role, text: q.text, talking_points: q.talking_points, retired: false };
}

/** An organisation's own questions among a list (none without an organisation). */
export function organisationQuestions(qs: readonly Question[], organisationId: string | null | undefined): Question[] {
  return organisationId ? qs.filter((q) => q.organisation_id === organisationId) : [];
}

/** Whether a question is the viewer's organisation's own, not the shared bank's. */
export function isOwnOrganisation(q: Pick<Question, 'organisation_id'>, me: Pick<Me, 'organisation'> | null | undefined): boolean {
  return !!q.organisation_id && q.organisation_id === me?.organisation?.id;
}

/** The organisations to choose from, by name, with the question's own first kept even when it is not listed (by its id). */
export function organisationChoices(orgs: readonly Ref[], current: string): Ref[] {
  const sorted = [...orgs].sort((a, b) => a.name.localeCompare(b.name));
  return current && !orgs.some((o) => o.id === current) ? [{ id: current, name: current }, ...sorted] : sorted;
}

/** Whose a question is, for the administrators' list: null for the shared bank, else the organisation's name (its id when unknown). */
export function organisationName(id: string | null | undefined, orgs: readonly Ref[] | null | undefined): string | null {
  if (!id) return null;
  return orgs?.find((o) => o.id === id)?.name ?? id;
}

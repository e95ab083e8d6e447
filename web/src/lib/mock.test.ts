import { describe, expect, it } from 'vitest';
import { CATALOGS } from '../i18n';
import { formatters } from './format';
import {
  compactPlan, defaultPlan, describeChange, failedPlaces, metricName, mockTitle, momentHref, momentOf, partName,
  placeToAnswer, planProblem, planTotal, reportSettled, roleName, secondsWithin,
} from './mock';
import type { MockChange, MockInterview, MockQuestion, Question } from '../types';

const en = CATALOGS.en;
const pt = CATALOGS['pt-BR'];
const fEn = formatters('en');
const fPt = formatters('pt-BR');

describe('the plan of a draw', () => {
  it('is the server\'s default for four questions', () => {
    expect(defaultPlan(4, true)).toEqual({ general: 1, behavioural: 2, role: 1 });
    expect(defaultPlan(4, false)).toEqual({ general: 1, behavioural: 2, situational: 1 });
  });

  it('alternates behavioural and the role\'s own after one opener', () => {
    expect(defaultPlan(1, true)).toEqual({ role: 1 });
    expect(defaultPlan(1, false)).toEqual({ behavioural: 1 });
    expect(defaultPlan(2, true)).toEqual({ general: 1, behavioural: 1 });
    expect(defaultPlan(3, true)).toEqual({ general: 1, behavioural: 1, role: 1 });
    expect(defaultPlan(5, true)).toEqual({ general: 1, behavioural: 2, role: 2 });
    expect(defaultPlan(10, false)).toEqual({ general: 1, behavioural: 5, situational: 4 });
    for (let n = 1; n <= 10; n++) {
      expect(planTotal(defaultPlan(n, true))).toBe(n);
      expect(planTotal(defaultPlan(n, false))).toBe(n);
    }
  });

  it('stays within 1 to 10 questions', () => {
    expect(planTotal(defaultPlan(0, false))).toBe(1);
    expect(planTotal(defaultPlan(25, true))).toBe(10);
  });

  it('says what keeps it from being sent', () => {
    expect(planProblem({}, false)).toBe('none');
    expect(planProblem({ general: 0 }, false)).toBe('none');
    expect(planProblem({ behavioural: 6, technical: 5 }, false)).toBe('too_many');
    expect(planProblem({ role: 1 }, false)).toBe('role_without_role');
    expect(planProblem({ role: 1 }, true)).toBeNull();
    expect(planProblem({ general: 1, technical: 3 }, false)).toBeNull();
  });

  it('leaves out the kinds not drawn', () => {
    expect(compactPlan({ general: 1, behavioural: 0, technical: 2, role: 0 })).toEqual({ general: 1, technical: 2 });
  });
});

describe('times', () => {
  it('takes whole seconds within the limits', () => {
    expect(secondsWithin('2', 0, 300)).toBe(2);
    expect(secondsWithin(' 0 ', 0, 300)).toBe(0);
    expect(secondsWithin('300', 0, 300)).toBe(300);
    expect(secondsWithin('301', 0, 300)).toBeNull();
    expect(secondsWithin('14', 15, 600)).toBeNull();
    expect(secondsWithin('2.5', 0, 300)).toBeNull();
    expect(secondsWithin('', 0, 300)).toBeNull();
    expect(secondsWithin('-1', 0, 300)).toBeNull();
  });
});

const q = (id: string): Question => ({ id, category: 'general', role: 'any', text: id, talking_points: [] });
const place = (position: number, status: MockQuestion['status'] = null): MockQuestion => ({
  position, question: q(`q${position}`), interview_id: status ? `iv${position}` : null, status, score: null,
});

describe('which place to answer', () => {
  const mock = (questions: MockQuestion[], status: MockInterview['status'] = 'in_progress') => ({
    status, questions, next: questions.find((x) => !x.interview_id) ?? null,
  });

  it('is the next open one, or the one asked for while in progress', () => {
    const mk = mock([place(1, 'complete'), place(2, 'failed'), place(3)]);
    expect(placeToAnswer(mk)).toBe(3);
    expect(placeToAnswer(mk, 2)).toBe(2);
    expect(placeToAnswer(mk, 9)).toBe(3);
    expect(failedPlaces(mk)).toEqual([2]);
  });

  it('is none when finished or when every place has an answer', () => {
    expect(placeToAnswer(mock([place(1, 'complete')]))).toBeNull();
    expect(placeToAnswer(mock([place(1), place(2)], 'finished'), 1)).toBeNull();
  });
});

describe('names and links', () => {
  it('names a mock interview by its title, role and level, or date', () => {
    const base = { title: '', role: null, level: null, created_at: '2026-03-04T10:00:00Z' };
    expect(mockTitle({ ...base, title: ' Friday practice ' }, en, fEn)).toBe('Friday practice');
    expect(mockTitle({ ...base, role: 'software-engineer', level: 'senior' }, en, fEn)).toBe('Mock interview: software engineer, Senior');
    expect(mockTitle({ ...base, role: 'nurse', level: 'any' }, en, fEn)).toBe('Mock interview: nurse');
    expect(mockTitle({ ...base, role: 'nurse', level: 'mid' }, pt, fPt)).toBe('Entrevista simulada: nurse, Pleno');
    expect(mockTitle(base, en, fEn)).toMatch(/^Mock interview of .*2026/);
    expect(roleName('data-analyst')).toBe('data analyst');
  });

  it('links to a moment of an answer, read back the same', () => {
    expect(momentHref('abc', 12.345)).toBe('/interviews/abc?t=12.3');
    expect(momentHref('abc', 0)).toBe('/interviews/abc?t=0');
    expect(momentHref('abc', null)).toBe('/interviews/abc');
    expect(momentOf('12.3')).toBe(12.3);
    expect(momentOf('0')).toBe(0);
    expect(momentOf('-1')).toBeNull();
    expect(momentOf('1e3')).toBeNull();
    expect(momentOf(undefined)).toBeNull();
  });

  it('names metrics and parts in the interface language', () => {
    expect(metricName(en, 'fillers_per_100_words')).toBe('Fillers');
    expect(metricName(pt, 'fillers_per_100_words')).toBe('Vícios de linguagem');
    expect(metricName(en, 'brand_new_metric')).toBe('brand new metric');
    expect(partName(pt, 'on_camera')).toBe('Presença na câmera');
    expect(partName(en, null)).toBe('');
  });

  it('knows when the combined report stops changing', () => {
    expect(reportSettled({ processing: 0 })).toBe(true);
    expect(reportSettled({ processing: 2 })).toBe(false);
  });
});

const change: MockChange = {
  from_position: 1,
  to_position: 3,
  overall: { first: 61.6, last: 70.2, delta: 8.6 },
  parts: {
    on_camera: { first: 90, last: 90, delta: 0 },
    delivery: { first: 55, last: 72, delta: 17 },
    content: { first: 60, last: 52, delta: -8 },
  },
  improved: [{
    metric: 'fillers_per_100_words', part: 'delivery', first_value: 6.25, last_value: 1.1,
    first_score: 40, last_score: 95, delta_score: 55,
  }],
  dropped: [{
    metric: 'star_parts', part: 'content', first_value: 4, last_value: 2, first_score: 100, last_score: 50, delta_score: -50,
  }],
};

describe('what changed, in plain words', () => {
  it('in English', () => {
    const w = describeChange(change, en, fEn);
    expect(w.overall).toBe('Your overall score went from 62 in answer 1 to 70 in answer 3: 9 points up.');
    expect(w.parts).toEqual(['Delivery: from 55 to 72 (+17).', 'Content: from 60 to 52 (−8).', 'On camera: from 90 to 90 (±0).']);
    expect(w.improved).toEqual(['Fillers: from 40 to 95 points (+55); measured 6.25, then 1.1.']);
    expect(w.dropped).toEqual(['STAR structure: from 100 to 50 points (−50); measured 4, then 2.']);
  });

  it('in Portuguese, with its numbers', () => {
    const w = describeChange({ ...change, overall: { first: 70, last: 64, delta: -6 } }, pt, fPt);
    expect(w.overall).toBe('Sua pontuação geral foi de 70 na resposta 1 para 64 na resposta 3: 6 pontos a menos.');
    expect(w.improved).toEqual(['Vícios de linguagem: de 40 para 95 pontos (+55); medido 6,25, depois 1,1.']);
    expect(w.dropped[0]).toMatch(/^Estrutura STAR: de 100 para 50 pontos \(−50\)/);
  });

  it('without the values when the report has none', () => {
    const w = describeChange({ ...change, improved: [{ ...change.improved[0], first_value: null }] }, en, fEn);
    expect(w.improved).toEqual(['Fillers: from 40 to 95 points (+55).']);
    expect(describeChange({ ...change, overall: { first: 70, last: 70, delta: 0 } }, en, fEn).overall)
      .toMatch(/: the same\.$/);
    expect(describeChange({ ...change, overall: { first: 70, last: 71, delta: 1 } }, en, fEn).overall).toMatch(/: 1 point up\.$/);
    expect(describeChange({ ...change, overall: { first: 70, last: 69, delta: -1 } }, pt, fPt).overall).toMatch(/: 1 ponto a menos\.$/);
  });
});

import { describe, expect, it } from 'vitest';
import { ENGLISH_ONLY } from '../api';
import type { Languages } from '../types';
import { defaultInterviewLanguage, interviewLanguageChoices, matchLanguage, reportLanguage } from './languages';

const server: Languages = {
  languages: [{ code: 'en', name: 'English' }, { code: 'pt-BR', name: 'Português (Brasil)' }],
  default: 'en',
  auto: true,
  perInterview: true,
};

describe('matchLanguage', () => {
  it('finds the server\'s code for a tag, ignoring case, else by its primary language', () => {
    expect(matchLanguage('pt-br', ['en', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('pt-PT', ['en', 'pt-BR'])).toBe('pt-BR');
    expect(matchLanguage('en-GB', ['en', 'pt-BR'])).toBe('en');
    expect(matchLanguage('de', ['en', 'pt-BR'])).toBeNull();
    expect(matchLanguage(null, ['en'])).toBeNull();
  });
});

describe('defaultInterviewLanguage', () => {
  it('proposes the question\'s language', () => {
    expect(defaultInterviewLanguage(server, 'pt-br', 'en')).toBe('pt-BR');
    expect(defaultInterviewLanguage(server, 'en', 'pt-BR')).toBe('en');
  });
  it('else the interface language', () => {
    expect(defaultInterviewLanguage(server, undefined, 'pt-BR')).toBe('pt-BR');
    expect(defaultInterviewLanguage(server, 'fr', 'pt-BR')).toBe('pt-BR');
  });
  it('else the server\'s default', () => {
    expect(defaultInterviewLanguage({ ...server, default: 'pt-BR' }, 'fr', 'de')).toBe('pt-BR');
    expect(defaultInterviewLanguage(ENGLISH_ONLY, 'pt-br', 'pt-BR')).toBe('en');
  });
});

describe('interviewLanguageChoices', () => {
  it('offers detection only where the server takes a language', () => {
    expect(interviewLanguageChoices(server)).toEqual(['en', 'pt-BR', 'auto']);
    expect(interviewLanguageChoices({ ...server, auto: false })).toEqual(['en', 'pt-BR']);
    expect(interviewLanguageChoices(ENGLISH_ONLY)).toEqual(['en']);
  });
});

describe('reportLanguage', () => {
  it('is the report\'s own language first', () => {
    expect(reportLanguage({ language: 'auto', detected_language: 'pt-BR', language_probability: 0.94 }, { language: 'pt-BR' }))
      .toEqual({ code: 'pt-BR', detected: true, probability: 0.94 });
  });
  it('else the detected one, else the one asked for', () => {
    expect(reportLanguage({ language: 'auto', detected_language: 'en', language_probability: null }, null))
      .toEqual({ code: 'en', detected: true, probability: null });
    expect(reportLanguage({ language: 'pt-BR' }, {})).toEqual({ code: 'pt-BR', detected: false, probability: null });
  });
  it('is unknown for an interview of a server without languages', () => {
    expect(reportLanguage({}, {}).code).toBeNull();
    expect(reportLanguage({ language: 'auto', detected_language: null }, { language: null }).code).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import { MAX_PASSWORD, MIN_PASSWORD, passwordProblem } from './password';

describe('passwordProblem', () => {
  it('accepts a long enough password typed twice', () => {
    expect(passwordProblem('a'.repeat(MIN_PASSWORD), 'a'.repeat(MIN_PASSWORD), en)).toBeNull();
    expect(passwordProblem('a'.repeat(MAX_PASSWORD), 'a'.repeat(MAX_PASSWORD), en)).toBeNull();
  });

  it('names a password too short or too long', () => {
    expect(passwordProblem('short', 'short', en)).toBe('Choose a password of at least 10 characters.');
    const long = 'a'.repeat(MAX_PASSWORD + 1);
    expect(passwordProblem(long, long, en)).toBe('Choose a password of at most 128 characters.');
  });

  it('checks the length before the repetition', () => {
    expect(passwordProblem('short', 'other', en)).toBe('Choose a password of at least 10 characters.');
    expect(passwordProblem('long-enough-1', 'long-enough-2', en)).toBe('The two passwords differ.');
  });

  it('says it in Portuguese, with the numbers of the locale', () => {
    expect(passwordProblem('short', 'short', ptBR)).toBe('Escolha uma senha com pelo menos 10 caracteres.');
    expect(passwordProblem('long-enough-1', 'long-enough-2', ptBR)).toBe('As duas senhas não são iguais.');
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_PASSWORD, MIN_PASSWORD, passwordProblem } from './password';

describe('passwordProblem', () => {
  it('accepts a long enough password typed twice', () => {
    expect(passwordProblem('a'.repeat(MIN_PASSWORD), 'a'.repeat(MIN_PASSWORD))).toBeNull();
    expect(passwordProblem('a'.repeat(MAX_PASSWORD), 'a'.repeat(MAX_PASSWORD))).toBeNull();
  });

  it('names a password too short or too long', () => {
    expect(passwordProblem('short', 'short')).toBe('Choose a password of at least 10 characters.');
    const long = 'a'.repeat(MAX_PASSWORD + 1);
    expect(passwordProblem(long, long)).toBe('Choose a password of at most 128 characters.');
  });

  it('checks the length before the repetition', () => {
    expect(passwordProblem('short', 'other')).toBe('Choose a password of at least 10 characters.');
    expect(passwordProblem('long-enough-1', 'long-enough-2')).toBe('The two passwords differ.');
  });
});

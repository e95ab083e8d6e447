// The rules for a new password, as the gateway checks them.

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

/** What is wrong with a new password and its repetition, in plain words; null when nothing. */
export function passwordProblem(pw: string, again: string): string | null {
  if (pw.length < MIN_PASSWORD) return `Choose a password of at least ${MIN_PASSWORD} characters.`;
  if (pw.length > MAX_PASSWORD) return `Choose a password of at most ${MAX_PASSWORD} characters.`;
  if (pw !== again) return 'The two passwords differ.';
  return null;
}

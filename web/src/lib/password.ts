// The rules for a new password, as the gateway checks them.

import type { Messages } from '../i18n';

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

/** What is wrong with a new password and its repetition, in plain words; null when nothing. */
export function passwordProblem(pw: string, again: string, m: Messages): string | null {
  if (pw.length < MIN_PASSWORD) return m.password.tooShort(MIN_PASSWORD);
  if (pw.length > MAX_PASSWORD) return m.password.tooLong(MAX_PASSWORD);
  if (pw !== again) return m.password.differ;
  return null;
}

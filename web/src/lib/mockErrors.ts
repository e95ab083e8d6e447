// The server's errors of mock interviews and of the bank's import, in the
// interface language: their codes are looked up in the catalog's mock and
// bank sections, then as any other error (lib/errors.ts).

import { ApiError } from '../api';
import { lookup, type Messages } from '../i18n';
import { errorMessage } from './errors';

export function mockErrorMessage(e: unknown, m: Messages): string {
  if (e instanceof ApiError) {
    const known = lookup(m.mock.errors, e.code) ?? lookup(m.bank.errors, e.code);
    if (known) return known;
  }
  return errorMessage(e, m);
}

export interface ImportError {
  /** What happened, in the interface language. */
  message: string;
  /** The server's own words, which name the wrong question or CSV row (in English), when it said more. */
  detail: string | null;
}

/** An import's refusal: the catalog's words, and the server's message naming the wrong question or row. */
export function importError(e: unknown, m: Messages): ImportError {
  if (e instanceof ApiError) {
    const known = lookup(m.bank.errors, e.code);
    if (known) return { message: known, detail: e.message || null };
  }
  return { message: errorMessage(e, m), detail: null };
}

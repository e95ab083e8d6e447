// What went wrong, in the interface language: the app's own errors (no
// connection, an error answer without a message) and the server's errors
// whose code the catalog knows come from the catalog; any other server
// error keeps the server's message.

import { ApiError } from '../api';
import { lookup, type Messages } from '../i18n';
import { UploadError } from './upload';

export function errorMessage(e: unknown, m: Messages): string {
  if (e instanceof ApiError || e instanceof UploadError) {
    if (e instanceof UploadError && e.code === 'network_error') return m.errors.uploadBroken;
    const known = lookup(m.errors.codes, e.code);
    if (known) return known;
    if (e.code === `http_${e.status}`) return m.errors.http(e.status);
    return e.message;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

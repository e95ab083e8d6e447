// Recording helpers: the MediaRecorder format and plain-words errors.

import type { Messages } from '../i18n';

export const PREFERRED_TYPES = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/mp4',
];

/** First supported type, or null when the browser can record none of them. */
export function pickMimeType(isTypeSupported: ((t: string) => boolean) | undefined): string | null {
  if (!isTypeSupported) return null;
  for (const t of PREFERRED_TYPES) {
    try {
      if (isTypeSupported(t)) return t;
    } catch { /* some browsers throw on unknown types */ }
  }
  return null;
}

export type MediaProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'insecure' | 'other';

export interface MediaErrorInfo {
  problem: MediaProblem;
  message: string;
}

/** Which problem a getUserMedia / MediaRecorder failure is. */
export function mediaProblem(err: unknown): MediaProblem {
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'busy';
    case 'NotSupportedError':
      return 'unsupported';
    default:
      return 'other';
  }
}

/** Turns a getUserMedia / MediaRecorder failure into words a candidate understands. */
export function describeMediaError(err: unknown, m: Messages): MediaErrorInfo {
  const problem = mediaProblem(err);
  if (problem === 'other') {
    return { problem, message: m.media.other(err instanceof Error && err.message ? err.message : null) };
  }
  return { problem, message: m.media[problem] };
}

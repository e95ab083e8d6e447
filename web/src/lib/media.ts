// Recording helpers: the MediaRecorder format and plain-words errors.

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

/** Turns a getUserMedia / MediaRecorder failure into words a candidate understands. */
export function describeMediaError(err: unknown): MediaErrorInfo {
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return {
        problem: 'denied',
        message: 'Camera and microphone access was denied. Allow access for this site in your browser (the camera icon in the address bar), then reload the page.',
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return {
        problem: 'missing',
        message: 'No camera or microphone was found. Connect one (or choose another device) and try again.',
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        problem: 'busy',
        message: 'The camera or microphone is in use by another application, or could not be started. Close other apps that use it and try again.',
      };
    case 'NotSupportedError':
      return { problem: 'unsupported', message: unsupportedMessage };
    default:
      return {
        problem: 'other',
        message: `The camera could not be started${err instanceof Error && err.message ? `: ${err.message}` : '.'}`,
      };
  }
}

export const unsupportedMessage =
  'This browser cannot record video here. Use a current version of Chrome, Edge, Firefox or Safari.';

export const insecureMessage =
  'The camera is only available on a secure page (https or localhost). Open the simulator over https.';

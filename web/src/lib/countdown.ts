// Countdowns of the recording pages: the thinking time before recording and
// the time left of an answer. Pure arithmetic on clock readings (ms), so the
// components only feed it performance.now() and render what it says.

/** Whole seconds left until endsAt (ms), rounded up, never below 0. */
export function secondsLeft(endsAt: number, now: number): number {
  return Math.max(0, Math.ceil((endsAt - now) / 1000 - 1e-9));
}

/** Seconds left of an answer of at most maxS seconds after elapsedS, rounded up, never below 0. */
export function answerLeft(maxS: number, elapsedS: number): number {
  return Math.max(0, Math.ceil(maxS - elapsedS - 1e-9));
}

/**
 * Whether a screen reader should hear the seconds left now: at the start,
 * then every `every` seconds, then each of the last `final` seconds. A live
 * region that spoke every second would talk over the candidate's thinking.
 */
export function shouldAnnounce(left: number, total: number, every = 10, final = 3): boolean {
  if (left <= 0) return false;
  if (left === total) return true;
  if (left <= final) return true;
  return left % every === 0;
}

/**
 * What a live region should say while `left` seconds remain: the latest
 * second worth announcing (shouldAnnounce), so its text changes, and is
 * read out, only at those seconds. null when the time is up.
 */
export function spokenLeft(left: number, total: number, every = 10, final = 3): number | null {
  if (left <= 0) return null;
  if (left <= final) return left;
  const up = Math.ceil(left / every) * every;
  return up >= total ? total : up;
}

export type CountdownState =
  | { kind: 'idle' }
  | { kind: 'running'; total: number; endsAt: number }
  | { kind: 'done'; skipped: boolean };

export type CountdownEvent =
  | { type: 'start'; seconds: number; now: number }
  | { type: 'tick'; now: number }
  | { type: 'skip' }
  | { type: 'cancel' };

/** start -> running -> done (time up, or skipped); cancel goes back to idle. A start of 0 s is done at once. */
export function countdownReducer(s: CountdownState, e: CountdownEvent): CountdownState {
  switch (e.type) {
    case 'start':
      return e.seconds > 0
        ? { kind: 'running', total: e.seconds, endsAt: e.now + e.seconds * 1000 }
        : { kind: 'done', skipped: false };
    case 'tick':
      return s.kind === 'running' && e.now >= s.endsAt ? { kind: 'done', skipped: false } : s;
    case 'skip':
      return s.kind === 'running' ? { kind: 'done', skipped: true } : s;
    case 'cancel':
      return s.kind === 'running' ? { kind: 'idle' } : s;
  }
}

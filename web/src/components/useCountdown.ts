import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { countdownReducer, secondsLeft, type CountdownState } from '../lib/countdown';

export interface Countdown {
  state: CountdownState;
  /** Whole seconds left while running. */
  left: number;
  running: boolean;
  /** Counts down `seconds`, then calls onDone (at once for 0). */
  start: (seconds: number, onDone: () => void) => void;
  /** Ends it now and calls onDone. */
  skip: () => void;
  /** Stops it without calling onDone. */
  cancel: () => void;
}

/** The thinking time before recording: a countdown that can be skipped or cancelled. */
export function useCountdown(): Countdown {
  const [state, dispatch] = useReducer(countdownReducer, { kind: 'idle' });
  const [left, setLeft] = useState(0);
  const timer = useRef<number | undefined>(undefined);
  const onDone = useRef<(() => void) | null>(null);

  const end = () => {
    window.clearInterval(timer.current);
    const done = onDone.current;
    onDone.current = null;
    done?.();
  };

  const start = (seconds: number, done: () => void) => {
    window.clearInterval(timer.current);
    onDone.current = done;
    const now = performance.now();
    dispatch({ type: 'start', seconds, now });
    if (seconds <= 0) {
      end();
      return;
    }
    const endsAt = now + seconds * 1000;
    setLeft(seconds);
    timer.current = window.setInterval(() => {
      const t = performance.now();
      setLeft(secondsLeft(endsAt, t));
      dispatch({ type: 'tick', now: t });
      if (t >= endsAt) end();
    }, 100);
  };

  const skip = () => {
    if (state.kind !== 'running') return;
    dispatch({ type: 'skip' });
    end();
  };

  const cancel = () => {
    window.clearInterval(timer.current);
    onDone.current = null;
    dispatch({ type: 'cancel' });
  };

  useEffect(() => () => window.clearInterval(timer.current), []);

  return { state, left, running: state.kind === 'running', start, skip, cancel };
}

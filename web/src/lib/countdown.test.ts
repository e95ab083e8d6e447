import { describe, expect, it } from 'vitest';
import { answerLeft, countdownReducer, secondsLeft, shouldAnnounce, spokenLeft, type CountdownState } from './countdown';

describe('seconds left', () => {
  it('rounds up and stops at 0', () => {
    expect(secondsLeft(5000, 0)).toBe(5);
    expect(secondsLeft(5000, 1)).toBe(5);
    expect(secondsLeft(5000, 999)).toBe(5);
    expect(secondsLeft(5000, 1000)).toBe(4);
    expect(secondsLeft(5000, 4999)).toBe(1);
    expect(secondsLeft(5000, 5000)).toBe(0);
    expect(secondsLeft(5000, 9000)).toBe(0);
  });

  it('of an answer', () => {
    expect(answerLeft(20, 0)).toBe(20);
    expect(answerLeft(20, 0.25)).toBe(20);
    expect(answerLeft(20, 19.1)).toBe(1);
    expect(answerLeft(20, 20)).toBe(0);
    expect(answerLeft(20, 25)).toBe(0);
  });
});

describe('what a screen reader hears', () => {
  it('the start, every ten seconds, and the last three', () => {
    const heard: number[] = [];
    for (let left = 30; left >= 0; left--) if (shouldAnnounce(left, 30)) heard.push(left);
    expect(heard).toEqual([30, 20, 10, 3, 2, 1]);
    const short: number[] = [];
    for (let left = 5; left >= 0; left--) if (shouldAnnounce(left, 5)) short.push(left);
    expect(short).toEqual([5, 3, 2, 1]);
  });

  it('keeps saying the last announced value until the next one', () => {
    expect([12, 11, 10, 9, 4, 3, 2, 1, 0].map((left) => spokenLeft(left, 12))).toEqual([12, 12, 10, 10, 10, 3, 2, 1, null]);
    const said = new Set<number | null>();
    for (let left = 30; left >= 1; left--) said.add(spokenLeft(left, 30));
    expect([...said]).toEqual([30, 20, 10, 3, 2, 1]);
  });
});

describe('countdown state', () => {
  it('runs to the end', () => {
    let s: CountdownState = { kind: 'idle' };
    s = countdownReducer(s, { type: 'start', seconds: 2, now: 1000 });
    expect(s).toEqual({ kind: 'running', total: 2, endsAt: 3000 });
    s = countdownReducer(s, { type: 'tick', now: 2999 });
    expect(s.kind).toBe('running');
    s = countdownReducer(s, { type: 'tick', now: 3000 });
    expect(s).toEqual({ kind: 'done', skipped: false });
  });

  it('is skipped or cancelled', () => {
    const running = countdownReducer({ kind: 'idle' }, { type: 'start', seconds: 30, now: 0 });
    expect(countdownReducer(running, { type: 'skip' })).toEqual({ kind: 'done', skipped: true });
    expect(countdownReducer(running, { type: 'cancel' })).toEqual({ kind: 'idle' });
  });

  it('is done at once with no time to think, and ignores what does not apply', () => {
    expect(countdownReducer({ kind: 'idle' }, { type: 'start', seconds: 0, now: 0 })).toEqual({ kind: 'done', skipped: false });
    const idle: CountdownState = { kind: 'idle' };
    expect(countdownReducer(idle, { type: 'skip' })).toBe(idle);
    expect(countdownReducer(idle, { type: 'tick', now: 5 })).toBe(idle);
    const done: CountdownState = { kind: 'done', skipped: false };
    expect(countdownReducer(done, { type: 'cancel' })).toBe(done);
  });
});

import { describe, expect, it } from 'vitest';
import { reportDuration, timeToX, xToTime } from './timeaxis';

describe('time axis', () => {
  const axis = { min: 0, max: 20, width: 400 };

  it('maps time to x linearly', () => {
    expect(timeToX(0, axis)).toBe(0);
    expect(timeToX(10, axis)).toBe(200);
    expect(timeToX(20, axis)).toBe(400);
  });

  it('maps a click x back to time', () => {
    expect(xToTime(0, axis)).toBe(0);
    expect(xToTime(100, axis)).toBe(5);
    expect(xToTime(400, axis)).toBe(20);
  });

  it('round-trips', () => {
    for (const t of [0.1, 3.33, 12.5, 19.9]) expect(xToTime(timeToX(t, axis), axis)).toBeCloseTo(t, 9);
  });

  it('honours the plot offset and a non-zero minimum', () => {
    const a = { min: 5, max: 15, width: 100, left: 50 };
    expect(timeToX(5, a)).toBe(50);
    expect(timeToX(10, a)).toBe(100);
    expect(xToTime(150, a)).toBe(15);
  });

  it('clamps outside the range', () => {
    expect(timeToX(-3, axis)).toBe(0);
    expect(timeToX(99, axis)).toBe(400);
    expect(xToTime(-10, axis)).toBe(0);
    expect(xToTime(1000, axis)).toBe(20);
  });

  it('survives a zero-length axis and bad input', () => {
    const z = { min: 0, max: 0, width: 300 };
    expect(timeToX(0, z)).toBe(0);
    expect(xToTime(150, z)).toBe(0);
    expect(xToTime(10, { min: 0, max: 10, width: 0 })).toBe(0);
    expect(timeToX(Number.NaN, axis)).toBe(0);
  });

  it('takes the longest known duration', () => {
    expect(reportDuration([null, 24.7, undefined, 25.1, Number.NaN])).toBe(25.1);
    expect(reportDuration([])).toBe(0);
  });
});

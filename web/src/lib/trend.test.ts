import { describe, expect, it } from 'vitest';
import { trendData, trendRange } from './trend';

describe('trendRange', () => {
  it('gives one interview a day around it', () => {
    expect(trendRange([1_000_000])).toEqual([1_000_000 - 43_200, 1_000_000 + 43_200]);
  });
  it('pads a long history by 5 % of its span', () => {
    const day = 86_400;
    expect(trendRange([0, 100 * day])).toEqual([-5 * day, 105 * day]);
  });
  it('depends on the data only: the same answer however often it is asked', () => {
    const xs = [1_700_000_000, 1_700_003_600];
    const first = trendRange(xs);
    expect(trendRange(xs)).toEqual(first);
    expect(first[1] - first[0]).toBeLessThan(2 * 86_400);
  });
});

describe('trendData', () => {
  it('sorts by completion and keeps missing parts as gaps', () => {
    const d = trendData([
      { interview_id: 'b', question: 'q', question_id: null, completed_at: '2026-12-02T10:00:00Z', score: 70, parts: { delivery: 80, content: null, on_camera: 60 } },
      { interview_id: 'a', question: 'q', question_id: null, completed_at: '2026-12-01T10:00:00Z', score: null, parts: null },
    ]);
    expect(d[0]).toEqual([Date.parse('2026-12-01T10:00:00Z') / 1000, Date.parse('2026-12-02T10:00:00Z') / 1000]);
    expect(d[1]).toEqual([null, 70]);
    expect(d[3]).toEqual([null, null]);
  });
});

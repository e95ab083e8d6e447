import { describe, expect, it } from 'vitest';
import {
  HISTORY_METRICS, METRIC_BETTER, direction, metricData, metricRange, metricValue, sameAnswers, summarise, trendData,
  trendRange,
} from './trend';
import type { HistoryItem, HistoryMetrics } from '../types';

const metrics = (m: Partial<HistoryMetrics>): HistoryMetrics => ({
  score: null, delivery_score: null, content_score: null, on_camera_score: null, pace_wpm: null,
  fillers_per_100_words: null, hedges_per_100_words: null, facing_camera_ratio: null, ...m,
});
const item = (id: string, completed: string, m: Partial<HistoryMetrics>, question_id: string | null = null): HistoryItem => ({
  interview_id: id, question: 'q', question_id, completed_at: completed, score: m.score ?? null, parts: null, metrics: metrics(m),
});

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

describe('metricValue and metricData', () => {
  it('reads the metrics, and the score and parts from a server older than them', () => {
    const old: HistoryItem = { interview_id: 'a', question: 'q', question_id: null, completed_at: '2026-12-01T10:00:00Z',
      score: 61, parts: { delivery: 70, content: null } };
    expect(metricValue(old, 'score')).toBe(61);
    expect(metricValue(old, 'delivery_score')).toBe(70);
    expect(metricValue(old, 'content_score')).toBeNull();
    expect(metricValue(old, 'pace_wpm')).toBeNull();
    const now = item('b', '2026-12-01T10:00:00Z', { pace_wpm: 151.2, facing_camera_ratio: 0 });
    expect(metricValue(now, 'pace_wpm')).toBe(151.2);
    // a measured 0 stays 0; a missing figure is null
    expect(metricValue(now, 'facing_camera_ratio')).toBe(0);
    expect(metricValue(now, 'hedges_per_100_words')).toBeNull();
  });

  it('puts one figure on the time axis, oldest first, with gaps where it is missing', () => {
    const d = metricData([
      item('c', '2026-12-03T10:00:00Z', { pace_wpm: 140 }),
      item('a', '2026-12-01T10:00:00Z', { pace_wpm: 180 }),
      item('x', 'not a date', { pace_wpm: 1 }),
      item('b', '2026-12-02T10:00:00Z', {}),
    ], 'pace_wpm');
    expect(d[0]).toEqual(['2026-12-01', '2026-12-02', '2026-12-03'].map((day) => Date.parse(`${day}T10:00:00Z`) / 1000));
    expect(d[1]).toEqual([180, null, 140]);
  });
});

describe('summarise: the trend of one figure', () => {
  it('counts, first, latest, best, mean and the least-squares slope per answer, with gaps', () => {
    // scores at answers 0, 1, 3, 4 (answer 2 has none); worked out by hand:
    // x mean 2, y mean 68.75, sxy = 17.5 - 1.25 - 3.75 + 22.5 = 35, sxx = 10
    expect(summarise([60, 70, null, 65, 80], 'higher')).toEqual({ count: 4, first: 60, last: 80, best: 80, mean: 68.75, slope: 3.5 });
  });

  it('takes the lowest as the best where lower is better', () => {
    const s = summarise([4, 1.5, 3], 'lower');
    expect(s.best).toBe(1.5);
    expect(s.slope).toBeCloseTo(-0.5, 12);
    expect(s.mean).toBeCloseTo(8.5 / 3, 12);
  });

  it('names no best for a figure judged by a range (the API knows the rubric)', () => {
    expect(summarise([210, 150], 'in_range').best).toBeNull();
  });

  it('has nulls where there is no value, and no slope below two values', () => {
    expect(summarise([], 'higher')).toEqual({ count: 0, first: null, last: null, best: null, mean: null, slope: null });
    expect(summarise([null, null], 'lower')).toEqual({ count: 0, first: null, last: null, best: null, mean: null, slope: null });
    expect(summarise([null, 42], 'higher')).toEqual({ count: 1, first: 42, last: 42, best: 42, mean: 42, slope: null });
  });

  it('matches the API\'s trends of the same answers', () => {
    // GET /v1/history of five answers (tests/integration/test_history.py recomputes the server's)
    const served = { count: 4, first: 177.215, last: 154.839, mean: 168.9565, slope: -6.8042 };
    const s = summarise([177.215, 172.343, 171.429, 154.839, null], METRIC_BETTER.pace_wpm);
    expect(s.count).toBe(served.count);
    expect(s.first).toBe(served.first);
    expect(s.last).toBe(served.last);
    expect(s.mean).toBeCloseTo(served.mean, 9);
    expect(s.slope).toBeCloseTo(served.slope, 9);
  });
});

describe('direction, range and sameAnswers', () => {
  it('says whether a change goes the better way', () => {
    expect(direction(2, 'higher')).toBe(1);
    expect(direction(-2, 'higher')).toBe(-1);
    expect(direction(-0.3, 'lower')).toBe(1);
    expect(direction(0.3, 'lower')).toBe(-1);
    expect(direction(5, 'in_range')).toBe(0);
    expect(direction(null, 'higher')).toBe(0);
    expect(direction(0, 'lower')).toBe(0);
  });

  it('scales scores to 100, shares to 1, and counts to their data', () => {
    expect(metricRange('score', [12])).toEqual([0, 100]);
    expect(metricRange('share', [0.4])).toEqual([0, 1]);
    expect(metricRange('wpm', [100, null, 200])).toEqual([0, 230]);
    expect(metricRange('per100', [null])).toEqual([0, 5]);
  });

  it('compares the answers of two lists by id', () => {
    const a = item('a', '2026-12-01T10:00:00Z', {}), b = item('b', '2026-12-02T10:00:00Z', {});
    expect(sameAnswers([a, b], [b, a])).toBe(true);
    expect(sameAnswers([a, b], [a])).toBe(false);
    expect(sameAnswers([a], [b])).toBe(false);
  });

  it('offers every figure of the API, with a direction for each', () => {
    expect(HISTORY_METRICS).toHaveLength(8);
    for (const k of HISTORY_METRICS) expect(['higher', 'lower', 'in_range']).toContain(METRIC_BETTER[k]);
  });
});

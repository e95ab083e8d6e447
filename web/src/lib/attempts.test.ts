import { describe, expect, it } from 'vitest';
import { attemptFigures, comparable, criteriaShown } from './attempts';
import { bankFileFormat } from './bank';
import type { Attempt } from '../types';

const score = {
  overall: 72,
  parts: {
    delivery: { score: 80, criteria: [{ metric: 'pace_wpm', value: 141.5, score: 100 }, { metric: 'fillers_per_100_words', value: 2, score: 90 }] },
    content: { score: 60, criteria: [{ metric: 'star_parts', value: 3, score: 75 }, { metric: 'vocabulary_mattr', value: 0.7, score: 80 }] },
    on_camera: null,
  },
};

describe('attempts side by side', () => {
  it('reads the overall and part scores and the key criteria', () => {
    const x = attemptFigures(score);
    expect(x.overall).toBe(72);
    expect(x.parts).toEqual({ delivery: 80, content: 60, on_camera: null });
    expect(x.criteria.pace_wpm).toBe(141.5);
    expect(x.criteria.star_parts).toBe(3);
    expect(x.criteria.facing_camera_ratio).toBeNull();
    expect('vocabulary_mattr' in x.criteria).toBe(false);
  });

  it('copes with an attempt that has no score yet', () => {
    const x = attemptFigures(null);
    expect(x.overall).toBeNull();
    expect(Object.values(x.parts).every((v) => v === null)).toBe(true);
  });

  it('shows the criteria some attempt has, in a fixed order', () => {
    expect(criteriaShown([attemptFigures(null), attemptFigures(score)]))
      .toEqual(['pace_wpm', 'fillers_per_100_words', 'star_parts']);
  });

  it('compares two attempts or more only', () => {
    const a: Attempt = { id: 'a', created_at: '2026-01-01T00:00:00Z', status: 'complete', score };
    expect(comparable(null)).toEqual([]);
    expect(comparable([a])).toEqual([]);
    expect(comparable([a, { ...a, id: 'b' }])).toHaveLength(2);
  });
});

describe('bank files', () => {
  it('are JSON or CSV, by name, else by type', () => {
    expect(bankFileFormat('questions.JSON', '')).toBe('json');
    expect(bankFileFormat('bank.csv', 'application/vnd.ms-excel')).toBe('csv');
    expect(bankFileFormat('export', 'text/csv; charset=utf-8')).toBe('csv');
    expect(bankFileFormat('export', 'application/json')).toBe('json');
    expect(bankFileFormat('notes.txt', 'text/plain')).toBeNull();
  });
});

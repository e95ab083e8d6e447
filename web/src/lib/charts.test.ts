import { describe, expect, it } from 'vitest';
import sample from '../fixtures/sample-report.json';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import type { Report } from '../types';
import { perSecond, reportCharts, transcriptGaps } from './charts';

describe('report charts', () => {
  it('draws every chart from the sample report', () => {
    const { duration, charts } = reportCharts(sample as unknown as Report, en);
    expect(duration).toBeCloseTo(25, 0);
    expect(charts.map((c) => c.id)).toEqual(['pace', 'pauses', 'voice', 'camera']);
    for (const c of charts) {
      expect(c.points).toBeGreaterThan(0);
      expect(c.data.length).toBe(c.series.length + 1);
      const n = c.data[0].length;
      for (const s of c.data) expect(s.length).toBe(n);
      // x ascending
      for (let i = 1; i < n; i++) expect(c.data[0][i]! > c.data[0][i - 1]!).toBe(true);
    }
    const pace = charts[0];
    expect(pace.data[1].slice(0, 3)).toEqual([186, 162, 139.535]);
  });

  it('survives an empty report with nulls', () => {
    const { duration, charts } = reportCharts({ transcript: null, delivery: null, voice: null, on_camera: null }, en);
    expect(duration).toBe(0);
    for (const c of charts) expect(c.data.length).toBe(c.series.length + 1);
    expect(charts.find((c) => c.id === 'voice')!.points).toBe(0);
  });

  it('keeps null values as gaps', () => {
    const { charts } = reportCharts({ voice: { seconds: [{ t: 0, loudness: -20, pitch_hz: null }, { t: 1, loudness: null, pitch_hz: 120 }] } }, en);
    const voice = charts.find((c) => c.id === 'voice')!;
    expect(voice.data[1]).toEqual([-20, null]);
    expect(voice.data[2]).toEqual([null, 120]);
    expect(voice.points).toBe(2);
  });

  it('labels the charts in the language of the catalog, with the same data', () => {
    const r = sample as unknown as Report;
    const english = reportCharts(r, en).charts;
    const portuguese = reportCharts(r, ptBR).charts;
    expect(english.map((c) => c.title)).toEqual(['Pace', 'Speaking, pauses and fillers', 'Loudness and pitch', 'Face on camera']);
    expect(portuguese.map((c) => c.title)).toEqual(['Ritmo', 'Fala, pausas e vícios de linguagem', 'Volume e tom', 'Rosto na câmera']);
    expect(portuguese[0].scales.wpm.label).toBe('ppm');
    expect(portuguese.map((c) => c.data)).toEqual(english.map((c) => c.data));
  });

  it('finds gaps between words', () => {
    expect(transcriptGaps([
      { word: 'a', start: 0, end: 1 }, { word: 'b', start: 1.2, end: 2 }, { word: 'c', start: 3, end: 3.5 },
    ])).toEqual([{ start: 2, end: 3, duration_s: 1 }]);
  });

  it('keeps the camera shares per second', () => {
    const { charts } = reportCharts({ on_camera: { seconds: [{ t: 0, face: 1, facing: 0.5 }, { t: 1, face: 0, facing: null }] } }, en);
    const camera = charts.find((c) => c.id === 'camera')!;
    expect(camera.data).toEqual([[0, 1], [1, 0], [0.5, null]]);
    expect(camera.points).toBe(3);
  });
});

describe('perSecond', () => {
  it('sorts by second, keeps the last of a repeated second, and nulls what is not a number', () => {
    const secs = [{ t: 2, v: 5 }, { t: 0, v: Number.NaN }, { t: 1, v: 3 }, { t: 1, v: 4 }, { t: 3, v: undefined }];
    expect(perSecond(secs, 'v')).toEqual([[0, 1, 2, 3], [null, 4, 5, null]]);
  });

  it('gives an empty table for no seconds', () => {
    expect(perSecond<{ t: number; v: number }>([], 'v')).toEqual([[], []]);
  });
});

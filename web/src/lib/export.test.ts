import { describe, expect, it } from 'vitest';
import { pdfTitle, reportExport } from './export';
import sample from '../fixtures/sample-report.json';
import type { Interview, Report } from '../types';

const iv: Interview = {
  id: '6f1c2a52-3b1e-4d59-9a51-0d5d1ad9e0f1', question: sample.question, question_id: null, status: 'complete',
  created_at: '2026-12-02T10:00:00Z', completed_at: '2026-12-02T10:01:00Z', language: 'en',
  report: sample as unknown as Report, video_url: 'http://s3.example/media/x/video.webm?X-Amz-Signature=abc',
  poster_url: 'http://s3.example/media/x/poster.jpg?X-Amz-Signature=def', stages: {},
} as Interview;

describe('reportExport', () => {
  it('is the interview as the API gave it, with its report, without the expiring media links', () => {
    const { filename, json } = reportExport(iv);
    expect(filename).toBe(`interview-${iv.id}.json`);
    const back = JSON.parse(json);
    expect(back.report).toEqual(sample);
    expect(back.id).toBe(iv.id);
    expect(back.question).toBe(iv.question);
    expect(back.completed_at).toBe(iv.completed_at);
    expect(back.stages).toEqual({});
    expect('video_url' in back).toBe(false);
    expect('poster_url' in back).toBe(false);
    expect(json).not.toContain('X-Amz-Signature');
    // the page's copy is untouched
    expect(iv.video_url).toContain('video.webm');
  });
});

describe('pdfTitle', () => {
  it('names the PDF after the question and the day', () => {
    expect(pdfTitle('Interview report', 'Tell me about a time you solved a hard problem.', '2026-12-02T10:00:00Z'))
      .toBe('Interview report - Tell me about a time you solved a hard problem. - 2026-12-02');
  });
  it('keeps file names safe and short', () => {
    const t = pdfTitle('Report', 'What is 1/2 of "this": <that>? '.repeat(5), 'not a date');
    expect(t).not.toMatch(/[\\/:*?"<>|]/);
    expect(t.length).toBeLessThanOrEqual('Report - '.length + 60);
  });
});

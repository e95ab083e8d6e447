import { describe, expect, it } from 'vitest';
import { applyProgressEvent, initialProgress, progressFromInterview, stageElapsed } from './progress';

describe('progress', () => {
  it('starts with the known stages waiting', () => {
    const p = initialProgress();
    expect(p.stages.map((s) => s.name)).toEqual(['converter', 'transcriber', 'video-metrics', 'text-metrics']);
    expect(p.stages.every((s) => s.state === 'waiting')).toBe(true);
    expect(p.done).toBe(false);
  });

  it('follows stage events to completion', () => {
    let p = initialProgress();
    p = applyProgressEvent(p, { event: 'progress', status: 'processing', stage: 'converter', state: 'started' }, 1000);
    p = applyProgressEvent(p, { event: 'progress', status: 'processing', topic: 'interview.converted' }, 1500);
    p = applyProgressEvent(p, { event: 'progress', stage: 'converter', state: 'finished' }, 3000);
    const conv = p.stages[0];
    expect(conv.state).toBe('finished');
    expect(stageElapsed(conv, 9999)).toBe(2);
    expect(p.status).toBe('processing');
    p = applyProgressEvent(p, { event: 'progress', stage: 'transcriber', state: 'started' }, 3000);
    expect(stageElapsed(p.stages[1], 4500)).toBe(1.5);
    p = applyProgressEvent(p, { event: 'complete', status: 'complete' }, 5000);
    expect(p.done).toBe(true);
    expect(p.status).toBe('complete');
    expect(p.stages.every((s) => s.state === 'finished')).toBe(true);
    expect(stageElapsed(p.stages[0], 9999)).toBe(2);
  });

  it('records a failure reason', () => {
    let p = initialProgress();
    p = applyProgressEvent(p, { event: 'failed', status: 'failed', stage: 'converter', state: 'failed', reason: 'not a video' }, 10);
    expect(p.done).toBe(true);
    expect(p.failureReason).toBe('not a video');
    expect(p.stages[0].state).toBe('failed');
  });

  it('ends on a snapshot of a finished interview', () => {
    expect(applyProgressEvent(initialProgress(), { event: 'snapshot', status: 'complete' }, 1).done).toBe(true);
    const f = applyProgressEvent(initialProgress(), { event: 'snapshot', status: 'failed', reason: 'bad file' }, 1);
    expect(f.done && f.failureReason).toBe('bad file');
    expect(applyProgressEvent(initialProgress(), { event: 'snapshot', status: 'processing' }, 1).done).toBe(false);
  });

  it('adds unknown stages after the known ones', () => {
    const p = applyProgressEvent(initialProgress(), { event: 'progress', stage: 'llm', state: 'started' }, 1);
    expect(p.stages[p.stages.length - 1].name).toBe('llm');
  });

  it('reads the interview snapshot', () => {
    const p = progressFromInterview({
      status: 'processing', failure_reason: null,
      stages: { transcriber: { state: 'started', started_at: '2026-01-01T00:00:02Z' }, converter: { state: 'finished', started_at: '2026-01-01T00:00:00Z', finished_at: '2026-01-01T00:00:01.5Z' } },
    });
    expect(p.stages[0]).toMatchObject({ name: 'converter', state: 'finished' });
    expect(stageElapsed(p.stages[0], 0)).toBe(1.5);
    expect(p.stages[1].state).toBe('started');
    expect(p.stages[2].state).toBe('waiting');
    expect(progressFromInterview({ status: 'complete', failure_reason: null }).done).toBe(true);
  });
});

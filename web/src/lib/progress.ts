// Live processing progress: the interview's stages, from GET
// /v1/interviews/{id} and the server-sent events that follow.

import type { Interview, InterviewStatus, ProgressEvent, StageInfo } from '../types';

export const STAGE_ORDER = ['converter', 'transcriber', 'video-metrics', 'text-metrics'];

export interface StageView {
  name: string;
  state: 'waiting' | 'started' | 'finished' | 'failed';
  startedAt: number | null;
  finishedAt: number | null;
  reason: string | null;
}

export interface ProgressState {
  status: InterviewStatus;
  stages: StageView[];
  failureReason: string | null;
  /** complete, failed or deleted: the stream is over. */
  done: boolean;
  deleted: boolean;
}

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

function normState(s: string | undefined): StageView['state'] {
  return s === 'started' || s === 'finished' || s === 'failed' ? s : 'waiting';
}

function sortStages(stages: StageView[]): StageView[] {
  const rank = (n: string) => {
    const i = STAGE_ORDER.indexOf(n);
    return i < 0 ? STAGE_ORDER.length : i;
  };
  return [...stages].sort((a, b) => rank(a.name) - rank(b.name));
}

export function initialProgress(status: InterviewStatus = 'uploaded'): ProgressState {
  return {
    status,
    stages: STAGE_ORDER.map((name) => ({ name, state: 'waiting', startedAt: null, finishedAt: null, reason: null })),
    failureReason: null,
    done: status === 'complete' || status === 'failed',
    deleted: false,
  };
}

export function progressFromInterview(iv: Pick<Interview, 'status' | 'stages' | 'failure_reason'>): ProgressState {
  const p = initialProgress(iv.status);
  const stages = new Map(p.stages.map((s) => [s.name, s]));
  for (const [name, info] of Object.entries(iv.stages ?? {}) as [string, StageInfo][]) {
    stages.set(name, {
      name,
      state: normState(info.state),
      startedAt: ms(info.started_at),
      finishedAt: ms(info.finished_at),
      reason: info.reason ?? null,
    });
  }
  return { ...p, stages: sortStages([...stages.values()]), failureReason: iv.failure_reason ?? null };
}

/** Applies one event (at client time `now`, ms) to the progress. */
export function applyProgressEvent(p: ProgressState, ev: ProgressEvent, now: number): ProgressState {
  let next: ProgressState = { ...p };
  if (ev.status) next.status = ev.status;
  if (ev.stage && ev.state) {
    const state = normState(ev.state);
    let found = false;
    const stages = p.stages.map((s) => {
      if (s.name !== ev.stage) return s;
      found = true;
      return {
        ...s,
        state,
        startedAt: s.startedAt ?? now,
        finishedAt: state === 'finished' || state === 'failed' ? s.finishedAt ?? now : s.finishedAt,
        reason: ev.reason ?? s.reason,
      };
    });
    if (!found) {
      stages.push({
        name: ev.stage, state, startedAt: now,
        finishedAt: state === 'finished' || state === 'failed' ? now : null, reason: ev.reason ?? null,
      });
    }
    next.stages = sortStages(stages);
  }
  // a snapshot of a finished interview (opened late, or a reconnect) ends it too
  const over = ev.event === 'snapshot' && (ev.status === 'complete' || ev.status === 'failed');
  if (ev.event === 'complete' || (over && ev.status === 'complete')) {
    // complete means every stage is done, whichever events were missed
    const stages = next.stages.map((s) => (s.state === 'failed' ? s : {
      ...s, state: 'finished' as const, startedAt: s.startedAt ?? now, finishedAt: s.finishedAt ?? now,
    }));
    next = { ...next, stages, status: 'complete', done: true };
  } else if (ev.event === 'failed' || ev.status === 'failed') {
    next = { ...next, status: 'failed', done: true, failureReason: ev.reason ?? next.failureReason };
  } else if (ev.event === 'deleted') {
    next = { ...next, done: true, deleted: true };
  }
  return next;
}

/** Seconds a stage has taken so far (or took). */
export function stageElapsed(s: StageView, now: number): number | null {
  if (s.startedAt === null) return null;
  const end = s.finishedAt ?? now;
  return Math.max(0, (end - s.startedAt) / 1000);
}

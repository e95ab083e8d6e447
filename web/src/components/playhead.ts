// The video's current time, shared by the transcript and the charts without
// re-rendering the page on every frame; and the moments marked on the
// recording (comments), which the charts draw.

import type { TimeMark } from '../lib/timeaxis';

export type PlayheadListener = (t: number) => void;
export type MarksListener = (marks: readonly TimeMark[]) => void;

export class Playhead {
  private t = 0;
  private listeners = new Set<PlayheadListener>();
  private markList: readonly TimeMark[] = [];
  private markListeners = new Set<MarksListener>();
  seekHandler: ((t: number) => void) | null = null;

  get time(): number {
    return this.t;
  }

  set(t: number): void {
    if (t === this.t) return;
    this.t = t;
    for (const l of this.listeners) l(t);
  }

  subscribe(l: PlayheadListener): () => void {
    this.listeners.add(l);
    l(this.t);
    return () => this.listeners.delete(l);
  }

  /** Ask the video to go to t seconds. */
  seek(t: number): void {
    this.seekHandler?.(t);
    this.set(t);
  }

  get marks(): readonly TimeMark[] {
    return this.markList;
  }

  /** Replaces the marked moments; every subscriber redraws them. */
  setMarks(marks: readonly TimeMark[]): void {
    this.markList = marks;
    for (const l of this.markListeners) l(marks);
  }

  subscribeMarks(l: MarksListener): () => void {
    this.markListeners.add(l);
    l(this.markList);
    return () => this.markListeners.delete(l);
  }
}

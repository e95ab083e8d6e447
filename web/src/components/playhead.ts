// The video's current time, shared by the transcript and the charts without
// re-rendering the page on every frame.

export type PlayheadListener = (t: number) => void;

export class Playhead {
  private t = 0;
  private listeners = new Set<PlayheadListener>();
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
}

import { describe, expect, it } from 'vitest';
import { describeMediaError, pickMimeType } from './media';

describe('media', () => {
  it('prefers VP9, then VP8, then any WebM, then MP4', () => {
    expect(pickMimeType(() => true)).toBe('video/webm;codecs=vp9,opus');
    expect(pickMimeType((t) => t !== 'video/webm;codecs=vp9,opus')).toBe('video/webm;codecs=vp8,opus');
    expect(pickMimeType((t) => t === 'video/mp4')).toBe('video/mp4');
    expect(pickMimeType(() => false)).toBeNull();
    expect(pickMimeType(undefined)).toBeNull();
    expect(pickMimeType(() => { throw new Error('x'); })).toBeNull();
  });

  it('explains getUserMedia errors', () => {
    const err = (name: string) => Object.assign(new Error('x'), { name });
    expect(describeMediaError(err('NotAllowedError')).problem).toBe('denied');
    expect(describeMediaError(err('NotAllowedError')).message).toMatch(/denied/);
    expect(describeMediaError(err('NotFoundError')).problem).toBe('missing');
    expect(describeMediaError(err('NotFoundError')).message).toMatch(/No camera or microphone/);
    expect(describeMediaError(err('NotReadableError')).problem).toBe('busy');
    expect(describeMediaError(err('Weird')).problem).toBe('other');
    expect(describeMediaError(null).problem).toBe('other');
  });
});

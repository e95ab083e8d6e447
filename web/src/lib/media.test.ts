import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
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
    expect(describeMediaError(err('NotAllowedError'), en).problem).toBe('denied');
    expect(describeMediaError(err('NotAllowedError'), en).message).toMatch(/denied/);
    expect(describeMediaError(err('NotFoundError'), en).problem).toBe('missing');
    expect(describeMediaError(err('NotFoundError'), en).message).toMatch(/No camera or microphone/);
    expect(describeMediaError(err('NotReadableError'), en).problem).toBe('busy');
    expect(describeMediaError(err('Weird'), en).problem).toBe('other');
    expect(describeMediaError(null, en).problem).toBe('other');
  });

  it('explains them in Portuguese too, keeping the browser\'s own detail', () => {
    const err = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(describeMediaError(err('NotAllowedError'), ptBR).message).toMatch(/foi negado/);
    expect(describeMediaError(err('Weird', 'device lost'), ptBR).message).toBe('Não foi possível ligar a câmera: device lost');
    expect(describeMediaError(null, ptBR).message).toBe('Não foi possível ligar a câmera.');
  });
});

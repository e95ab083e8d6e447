import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import { errorMessage } from './errors';
import { UploadError } from './upload';

describe('errorMessage', () => {
  it('says what the app itself found in the interface language', () => {
    const offline = new ApiError(0, 'network_error', 'The server could not be reached.');
    expect(errorMessage(offline, en)).toBe(en.errors.codes.network_error);
    expect(errorMessage(offline, ptBR)).toMatch(/^Não foi possível falar com o servidor/);
    expect(errorMessage(new UploadError(0, 'network_error', 'broke'), ptBR)).toBe('A conexão caiu durante o envio.');
    expect(errorMessage(new UploadError(413, 'too_large', 'big'), ptBR)).toBe('A gravação é grande demais para ser enviada.');
  });

  it('words an answer without a message of its own from its status', () => {
    expect(errorMessage(new ApiError(502, 'http_502', 'Bad Gateway'), ptBR)).toBe('O servidor respondeu 502.');
    expect(errorMessage(new UploadError(500, 'http_500', 'The upload failed (server answered 500).'), en)).toBe('The server answered 500.');
  });

  it('translates server errors whose code it knows, and keeps the others as the server wrote them', () => {
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'The email or password is not right.'), ptBR))
      .toBe('E-mail ou senha incorretos.');
    expect(errorMessage(new ApiError(422, 'invalid_question', '"text" must be the question.'), ptBR))
      .toBe('"text" must be the question.');
  });

  it('keeps any other error\'s message', () => {
    expect(errorMessage(new Error('It broke.'), ptBR)).toBe('It broke.');
    expect(errorMessage('plain', en)).toBe('plain');
  });
});

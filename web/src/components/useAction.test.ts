import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { en } from '../i18n/en';
import { ptBR } from '../i18n/pt-BR';
import { errorMessage } from '../lib/errors';
import { runAction } from './useAction';

const inEnglish = (e: unknown) => errorMessage(e, en);

function recorder() {
  const calls: string[] = [];
  return {
    calls,
    report: {
      setError: (e: string | null) => calls.push(`error ${e}`),
      setBusy: (b: boolean) => calls.push(`busy ${b}`),
    },
  };
}

describe('runAction', () => {
  it('clears the error, is busy while the action runs, then not', async () => {
    const { calls, report } = recorder();
    await runAction(async () => { calls.push('run'); }, report, inEnglish);
    expect(calls).toEqual(['busy true', 'error null', 'run', 'busy false']);
  });

  it('turns a failure into its message and does not reject', async () => {
    const { calls, report } = recorder();
    await runAction(async () => { throw new Error('It broke.'); }, report, inEnglish);
    expect(calls).toEqual(['busy true', 'error null', 'error It broke.', 'busy false']);
  });

  it('shows the message of an API error', async () => {
    const { calls, report } = recorder();
    const err = new ApiError(409, 'conflict', 'That name is taken.');
    await runAction(() => Promise.reject(err), report, inEnglish);
    expect(calls).toContain('error That name is taken.');
  });

  it('describes the failure in the language it is given', async () => {
    const { calls, report } = recorder();
    const err = new ApiError(0, 'network_error', 'The server could not be reached.');
    await runAction(() => Promise.reject(err), report, (e) => errorMessage(e, ptBR));
    expect(calls).toContain(`error ${ptBR.errors.codes.network_error}`);
  });
});

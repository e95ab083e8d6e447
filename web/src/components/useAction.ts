import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';

/** Where runAction reports: the error shown to the user, and whether it is running. */
export interface ActionReport {
  setError: (error: string | null) => void;
  setBusy: (busy: boolean) => void;
}

/**
 * Runs an action the user asked for: clears the last error and marks busy,
 * awaits it, turns a failure into its message (describe), and clears busy
 * at the end. Never rejects.
 */
export async function runAction(
  action: () => Promise<unknown>, report: ActionReport, describe: (e: unknown) => string,
): Promise<void> {
  report.setBusy(true);
  report.setError(null);
  try {
    await action();
  } catch (err) {
    report.setError(describe(err));
  } finally {
    report.setBusy(false);
  }
}

export interface Action {
  /** The message of the last failure (or one set with setError), shown in an ErrorBox. */
  error: string | null;
  setError: (error: string | null) => void;
  /** True while an action runs (for disabling its button). */
  busy: boolean;
  /** Runs an action with runAction: the error and busy of this hook follow it. */
  run: (action: () => Promise<unknown>) => Promise<void>;
}

/** An error message and a busy flag for the actions of one form or section. */
export function useAction(): Action {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { m } = useI18n();
  const run = (action: () => Promise<unknown>) => runAction(action, { setError, setBusy }, (e) => errorMessage(e, m));
  return { error, setError, busy, run };
}

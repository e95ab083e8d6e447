import { useI18n } from '../i18n/context';
import { MAX_PASSWORD, MIN_PASSWORD } from '../lib/password';

interface NewPasswordFieldsProps {
  /** Put before each element id, so that the ids stay unique on the page. */
  idPrefix?: string;
  /** The label of the second field. */
  repeatLabel: string;
  password: string;
  repeat: string;
  onPassword: (value: string) => void;
  onRepeat: (value: string) => void;
  /** Let the browser refuse a password of the wrong length too (minlength, maxlength). */
  browserLengthCheck?: boolean;
}

/** A new password, its length hint and the same password again: the labelled fields of a form. */
export function NewPasswordFields(p: NewPasswordFieldsProps) {
  const { m } = useI18n();
  const id = (name: string) => `${p.idPrefix ?? ''}${name}`;
  return (
    <>
      <label for={id('new-password')}>{m.password.newPassword}</label>
      <input id={id('new-password')} type="password" autoComplete="new-password" required
        minLength={p.browserLengthCheck ? MIN_PASSWORD : undefined} maxLength={p.browserLengthCheck ? MAX_PASSWORD : undefined}
        value={p.password} onInput={(e) => p.onPassword(e.currentTarget.value)} aria-describedby={id('pw-hint')} />
      <p id={id('pw-hint')} class="hint">{m.password.lengthHint(MIN_PASSWORD, MAX_PASSWORD)}</p>
      <label for={id('repeat-password')}>{p.repeatLabel}</label>
      <input id={id('repeat-password')} type="password" autoComplete="new-password" required value={p.repeat}
        onInput={(e) => p.onRepeat(e.currentTarget.value)} />
    </>
  );
}

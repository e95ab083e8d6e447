import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, errorMessage } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { formatDate } from '../lib/format';
import type { Invitation } from '../types';

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

export function passwordProblem(pw: string, again: string): string | null {
  if (pw.length < MIN_PASSWORD) return `Choose a password of at least ${MIN_PASSWORD} characters.`;
  if (pw.length > MAX_PASSWORD) return `Choose a password of at most ${MAX_PASSWORD} characters.`;
  if (pw !== again) return 'The two passwords differ.';
  return null;
}

export function Invite({ token }: { token: string }) {
  useTitle('Accept invitation');
  const { setMe } = useAuth();
  const { route } = useLocation();
  const [inv, setInv] = useState<Invitation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.getInvitation(token).then(setInv, (e) => {
      setLoadError(e instanceof ApiError && e.status === 404
        ? 'This invitation link is not valid: it may have expired or been used already. Ask your administrator for a new one.'
        : errorMessage(e));
    });
  }, [token]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = passwordProblem(pw, again);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.acceptInvitation(token, pw);
      setMe(r.user);
      route('/', true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <div class="narrow"><h1>Invitation</h1><ErrorBox error={loadError} /></div>;
  if (!inv) return <Loading />;
  return (
    <div class="narrow">
      <h1>Welcome, {inv.name}</h1>
      <p>You were invited as <strong data-testid="invited-email">{inv.email}</strong>. Choose a password to finish setting up your account.</p>
      <p class="muted">This invitation is valid until {formatDate(inv.expires_at)}.</p>
      <form class="card form" onSubmit={submit}>
        <label for="new-password">New password</label>
        <input id="new-password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD}
          maxLength={MAX_PASSWORD} value={pw} onInput={(e) => setPw(e.currentTarget.value)} aria-describedby="pw-hint" />
        <p id="pw-hint" class="hint">{MIN_PASSWORD} to {MAX_PASSWORD} characters.</p>
        <label for="repeat-password">Repeat the password</label>
        <input id="repeat-password" type="password" autoComplete="new-password" required value={again}
          onInput={(e) => setAgain(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Set password and continue'}</button>
      </form>
    </div>
  );
}

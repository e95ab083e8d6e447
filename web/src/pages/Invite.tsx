import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, errorMessage } from '../api';
import { useAuth } from '../auth';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { formatDate } from '../lib/format';
import { passwordProblem } from '../lib/password';
import type { Invitation } from '../types';

export function Invite({ token }: { token: string }) {
  useTitle('Accept invitation');
  const { setMe } = useAuth();
  const { route } = useLocation();
  const [inv, setInv] = useState<Invitation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, run } = useAction();

  useEffect(() => {
    api.getInvitation(token).then(setInv, (e) => {
      setLoadError(e instanceof ApiError && e.status === 404
        ? 'This invitation link is not valid: it may have expired or been used already. Ask your administrator for a new one.'
        : errorMessage(e));
    });
  }, [token]);

  const submit = (e: Event) => {
    e.preventDefault();
    const problem = passwordProblem(pw, again);
    if (problem) {
      setError(problem);
      return;
    }
    run(async () => {
      const r = await api.acceptInvitation(token, pw);
      setMe(r.user);
      route('/', true);
    });
  };

  if (loadError) return <div class="narrow"><h1>Invitation</h1><ErrorBox error={loadError} /></div>;
  if (!inv) return <Loading />;
  return (
    <div class="narrow">
      <h1>Welcome, {inv.name}</h1>
      <p>You were invited as <strong data-testid="invited-email">{inv.email}</strong>. Choose a password to finish setting up your account.</p>
      <p class="muted">This invitation is valid until {formatDate(inv.expires_at)}.</p>
      <form class="card form" onSubmit={submit}>
        <NewPasswordFields repeatLabel="Repeat the password" password={pw} repeat={again}
          onPassword={setPw} onRepeat={setAgain} browserLengthCheck />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Set password and continue'}</button>
      </form>
    </div>
  );
}

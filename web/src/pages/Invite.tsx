import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import { passwordProblem } from '../lib/password';
import type { Invitation } from '../types';

export function Invite({ token }: { token: string }) {
  const { m, f } = useI18n();
  useTitle(m.invite.pageTitle);
  const { setMe } = useAuth();
  const { route } = useLocation();
  const [inv, setInv] = useState<Invitation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const { error, setError, busy, run } = useAction();

  useEffect(() => {
    api.getInvitation(token).then(setInv, (e) => {
      setLoadError(e instanceof ApiError && e.status === 404 ? m.invite.invalid : errorMessage(e, m));
    });
  }, [token]);

  const submit = (e: Event) => {
    e.preventDefault();
    const problem = passwordProblem(pw, again, m);
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

  if (loadError) return <div class="narrow"><h1>{m.invite.title}</h1><ErrorBox error={loadError} /></div>;
  if (!inv) return <Loading />;
  return (
    <div class="narrow">
      <h1>{m.invite.welcome(inv.name)}</h1>
      <p>{m.invite.invitedAs(<strong data-testid="invited-email">{inv.email}</strong>)}</p>
      <p class="muted">{m.invite.validUntil(f.date(inv.expires_at), f.relative(inv.expires_at))}</p>
      <form class="card form" onSubmit={submit}>
        <NewPasswordFields repeatLabel={m.invite.repeat} password={pw} repeat={again}
          onPassword={setPw} onRepeat={setAgain} browserLengthCheck />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? m.invite.busy : m.invite.submit}</button>
      </form>
    </div>
  );
}

import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError } from '../api';
import { safeNext, useAuth } from '../auth';
import { ErrorBox, useTitle } from '../components/ui';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';

export function SignIn() {
  const { m, f } = useI18n();
  useTitle(m.signIn.title);
  const { setMe } = useAuth();
  const { query, route } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.signIn(email.trim(), password);
      setMe(r.user);
      route(safeNext(query.next), true);
    } catch (err) {
      let msg = errorMessage(err, m);
      if (err instanceof ApiError && err.status === 429 && err.retryAfter) {
        // whole minutes once it is a minute or more
        const s = err.retryAfter >= 60 ? Math.ceil(err.retryAfter / 60) * 60 : err.retryAfter;
        msg += ` ${m.signIn.tryAgainIn(f.duration(s))}`;
      }
      setError(msg);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <h1>{m.signIn.title}</h1>
      <p class="muted">{m.signIn.intro}</p>
      {query.deleted === '1' && <p class="ok" role="status">{m.signIn.deleted}</p>}
      <form class="card form" onSubmit={submit}>
        <label for="email">{m.common.email}</label>
        <input id="email" type="email" autoComplete="username" required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">{m.signIn.password}</label>
        <input id="password" type="password" autoComplete="current-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? m.signIn.busy : m.signIn.submit}</button>
      </form>
      <p class="muted">{m.signIn.noAccount}</p>
    </div>
  );
}

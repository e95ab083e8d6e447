import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ApiError, errorMessage } from '../api';
import { safeNext, useAuth } from '../auth';
import { ErrorBox, useTitle } from '../components/ui';

export function SignIn() {
  useTitle('Sign in');
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
      let msg = errorMessage(err);
      if (err instanceof ApiError && err.status === 429 && err.retryAfter) {
        msg += ` Try again in ${err.retryAfter} seconds.`;
      }
      setError(msg);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <h1>Sign in</h1>
      <p class="muted">Practise interview answers on camera and get feedback you can act on.</p>
      {query.deleted === '1' && <p class="ok" role="status">Your account and all your recordings were deleted.</p>}
      <form class="card form" onSubmit={submit}>
        <label for="email">Email</label>
        <input id="email" type="email" autoComplete="username" required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" type="password" autoComplete="current-password" required value={password}
          onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p class="muted">No account? Ask your administrator for an invitation.</p>
    </div>
  );
}

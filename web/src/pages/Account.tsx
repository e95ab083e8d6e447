import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';
import { useAuth } from '../auth';
import { CopyButton, ErrorBox, useTitle } from '../components/ui';
import { formatDate } from '../lib/format';
import type { ApiKey, ApiKeyCreated } from '../types';
import { passwordProblem } from './Invite';

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(false);
    const problem = passwordProblem(pw, again);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.changePassword(current, pw);
      setDone(true);
      setCurrent('');
      setPw('');
      setAgain('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      <form class="form" onSubmit={submit}>
        <label for="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" required value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)} />
        <label for="account-new-password">New password</label>
        <input id="account-new-password" type="password" autoComplete="new-password" required value={pw}
          onInput={(e) => setPw(e.currentTarget.value)} aria-describedby="account-pw-hint" />
        <p id="account-pw-hint" class="hint">10 to 128 characters.</p>
        <label for="account-repeat-password">Repeat the new password</label>
        <input id="account-repeat-password" type="password" autoComplete="new-password" required value={again}
          onInput={(e) => setAgain(e.currentTarget.value)} />
        <ErrorBox error={error} />
        {done && <p class="ok" role="status">Your password was changed.</p>}
        <button type="submit" disabled={busy}>Change password</button>
      </form>
    </section>
  );
}

function Keys() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = () => api.listKeys().then(setKeys, (e) => setError(errorMessage(e)));
  useEffect(() => {
    load();
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const k = await api.createKey(name.trim());
      setCreated(k);
      setName('');
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.revokeKey(id);
      setConfirming(null);
      if (created?.id === id) setCreated(null);
      setKeys((old) => (old ?? []).filter((k) => k.id !== id));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p class="muted">Keys let scripts use the API as you (<code>Authorization: Bearer &lt;key&gt;</code>).</p>
      <form class="form row-form" onSubmit={create}>
        <label for="key-name">Name of a new key</label>
        <div class="row">
          <input id="key-name" type="text" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" disabled={!name.trim()}>Create key</button>
        </div>
      </form>
      {created && (
        <div class="notice" role="status">
          <p>Your new key “{created.name}”. Copy it now: it is shown only once.</p>
          <p><code class="secret" data-testid="new-api-key">{created.api_key}</code> <CopyButton text={created.api_key} /></p>
        </div>
      )}
      <ErrorBox error={error} />
      {keys && keys.length === 0 && <p class="muted">No API keys.</p>}
      {keys && keys.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{formatDate(k.created_at)}</td>
                  <td class="row-actions">
                    {confirming === k.id ? (
                      <span class="confirm" role="group" aria-label="Confirm revoking">
                        <span>Revoke? Scripts using it stop working.</span>
                        <button type="button" class="danger small" onClick={() => revoke(k.id)}>Revoke</button>
                        <button type="button" class="secondary small" onClick={() => setConfirming(null)}>Keep</button>
                      </span>
                    ) : (
                      <button type="button" class="secondary small" aria-label={`Revoke the key ${k.name}`} onClick={() => setConfirming(k.id)}>Revoke</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Account() {
  useTitle('Account');
  const { me } = useAuth();
  return (
    <div>
      <h1>Account</h1>
      {me && (
        <dl class="figures">
          <div><dt>Name</dt><dd>{me.name}</dd></div>
          <div><dt>Email</dt><dd>{me.email ?? '–'}</dd></div>
          <div><dt>Role</dt><dd>{me.role}</dd></div>
          <div><dt>Member since</dt><dd>{formatDate(me.created_at)}</dd></div>
        </dl>
      )}
      <div class="two-col">
        <PasswordForm />
        <Keys />
      </div>
    </div>
  );
}

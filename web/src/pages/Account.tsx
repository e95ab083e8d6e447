import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { DELETE_ACCOUNT_PHRASE, api } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { CopyButton, ErrorBox, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useList } from '../components/useList';
import { formatDate } from '../lib/format';
import { passwordProblem } from '../lib/password';
import type { ApiKey, ApiKeyCreated } from '../types';

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const { error, setError, busy, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    const problem = passwordProblem(pw, again);
    if (problem) {
      setError(problem);
      return;
    }
    run(async () => {
      await api.changePassword(current, pw);
      setDone(true);
      setCurrent('');
      setPw('');
      setAgain('');
    });
  };

  return (
    <section class="card" aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      <form class="form" onSubmit={submit}>
        <label for="current-password">Current password</label>
        <input id="current-password" type="password" autoComplete="current-password" required value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)} />
        <NewPasswordFields idPrefix="account-" repeatLabel="Repeat the new password" password={pw} repeat={again}
          onPassword={setPw} onRepeat={setAgain} />
        <ErrorBox error={error} />
        {done && <p class="ok" role="status">Your password was changed.</p>}
        <button type="submit" disabled={busy}>Change password</button>
      </form>
    </section>
  );
}

function Keys() {
  const { items: keys, setItems: setKeys, reload, error, run } = useList<ApiKey>(() => api.listKeys());
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const create = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const k = await api.createKey(name.trim(), days ? Number(days) : null);
      setCreated(k);
      setName('');
      reload();
    });
  };

  const revoke = (id: string) => run(async () => {
    await api.revokeKey(id);
    setConfirming(null);
    if (created?.id === id) setCreated(null);
    setKeys((old) => (old ?? []).filter((k) => k.id !== id));
  });

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
        <label for="key-expiry">Expires</label>
        <select id="key-expiry" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
          <option value="">Never</option>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
        </select>
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
        <DataTable columns={['Name', 'Created', 'Expires']} actions>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>{formatDate(k.created_at)}</td>
              <td>{k.expires_at ? formatDate(k.expires_at) : 'Never'}</td>
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
        </DataTable>
      )}
    </section>
  );
}

function DeleteAccount() {
  const { route } = useLocation();
  const [typed, setTyped] = useState('');
  const { error, busy, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      await api.deleteAccount();
      route('/signin?deleted=1');
      window.dispatchEvent(new CustomEvent('isim:signed-out'));
    });
  };
  return (
    <section class="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">Delete my account</h2>
      <p>This deletes your account, every recording and report, your API keys and webhooks. It cannot be undone.</p>
      <form class="form" onSubmit={submit}>
        <label for="delete-confirm">Type “{DELETE_ACCOUNT_PHRASE}” to confirm</label>
        <input id="delete-confirm" type="text" autoComplete="off" value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" class="danger" disabled={busy || typed.trim() !== DELETE_ACCOUNT_PHRASE}>
          Delete my account
        </button>
      </form>
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
      <DeleteAccount />
    </div>
  );
}

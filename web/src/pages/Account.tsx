import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { MyCohorts } from '../components/MyCohorts';
import { NewPasswordFields } from '../components/NewPasswordFields';
import { CopyButton, ErrorBox, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useList } from '../components/useList';
import { useI18n } from '../i18n/context';
import { passwordProblem } from '../lib/password';
import type { ApiKey, ApiKeyCreated } from '../types';

function PasswordForm() {
  const { m } = useI18n();
  const t = m.account.password;
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState('');
  const [again, setAgain] = useState('');
  const [done, setDone] = useState(false);
  const { error, setError, busy, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    const problem = passwordProblem(pw, again, m);
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
      <h2 id="pw-title">{t.title}</h2>
      <form class="form" onSubmit={submit}>
        <label for="current-password">{t.current}</label>
        <input id="current-password" type="password" autoComplete="current-password" required value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)} />
        <NewPasswordFields idPrefix="account-" repeatLabel={t.repeat} password={pw} repeat={again}
          onPassword={setPw} onRepeat={setAgain} />
        <ErrorBox error={error} />
        {done && <p class="ok" role="status">{t.changed}</p>}
        <button type="submit" disabled={busy}>{t.submit}</button>
      </form>
    </section>
  );
}

const EXPIRY_DAYS = [30, 90, 365];

function Keys() {
  const { m, f } = useI18n();
  const t = m.account.keys;
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
      <h2 id="keys-title">{t.title}</h2>
      <p class="muted">{t.intro(<code>Authorization: Bearer &lt;key&gt;</code>)}</p>
      <form class="form row-form" onSubmit={create}>
        <label for="key-name">{t.name}</label>
        <div class="row">
          <input id="key-name" type="text" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" disabled={!name.trim()}>{t.create}</button>
        </div>
        <label for="key-expiry">{t.expires}</label>
        <select id="key-expiry" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
          <option value="">{m.common.never}</option>
          {EXPIRY_DAYS.map((d) => <option key={d} value={String(d)}>{t.inDays(d)}</option>)}
        </select>
      </form>
      {created && (
        <div class="notice" role="status">
          <p>{t.created(created.name)}</p>
          <p><code class="secret" data-testid="new-api-key">{created.api_key}</code> <CopyButton text={created.api_key} /></p>
        </div>
      )}
      <ErrorBox error={error} />
      {keys && keys.length === 0 && <p class="muted">{t.none}</p>}
      {keys && keys.length > 0 && (
        <DataTable columns={[m.common.name, m.common.created, t.expires]} actions>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>{f.date(k.created_at)}</td>
              <td>{k.expires_at ? <>{f.date(k.expires_at)} <span class="hint">({f.relative(k.expires_at)})</span></> : m.common.never}</td>
              <td class="row-actions">
                {confirming === k.id ? (
                  <span class="confirm" role="group" aria-label={t.confirm}>
                    <span>{t.confirmText}</span>
                    <button type="button" class="danger small" onClick={() => revoke(k.id)}>{t.revoke}</button>
                    <button type="button" class="secondary small" onClick={() => setConfirming(null)}>{m.common.keep}</button>
                  </span>
                ) : (
                  <button type="button" class="secondary small" aria-label={t.revokeLabel(k.name)} onClick={() => setConfirming(k.id)}>{t.revoke}</button>
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
  const { m } = useI18n();
  const t = m.account.remove;
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
      <h2 id="delete-title">{t.title}</h2>
      <p>{t.text}</p>
      <form class="form" onSubmit={submit}>
        <label for="delete-confirm">{t.typeToConfirm(t.phrase)}</label>
        <input id="delete-confirm" type="text" autoComplete="off" value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)} />
        <ErrorBox error={error} />
        <button type="submit" class="danger" disabled={busy || typed.trim().toLocaleLowerCase() !== t.phrase}>
          {t.submit}
        </button>
      </form>
    </section>
  );
}

export function Account() {
  const { m, f } = useI18n();
  useTitle(m.account.pageTitle);
  const { me } = useAuth();
  return (
    <div>
      <h1>{m.account.title}</h1>
      {me && (
        <dl class="figures">
          <div><dt>{m.common.name}</dt><dd>{me.name}</dd></div>
          <div><dt>{m.common.email}</dt><dd>{me.email ?? '–'}</dd></div>
          <div><dt>{m.common.role}</dt><dd>{m.common.roles[me.role] ?? me.role}</dd></div>
          <div><dt>{m.account.memberSince}</dt><dd>{f.date(me.created_at)}</dd></div>
        </dl>
      )}
      <MyCohorts />
      <div class="two-col">
        <PasswordForm />
        <Keys />
      </div>
      <DeleteAccount />
    </div>
  );
}

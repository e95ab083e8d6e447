import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { QuestionForm } from '../components/QuestionForm';
import { QuestionTable } from '../components/QuestionTable';
import { CopyButton, ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import { useQuestionBank } from '../components/useQuestionBank';
import { useI18n } from '../i18n/context';
import { bankFileFormat } from '../lib/bank';
import { importError, type ImportError } from '../lib/mockErrors';
import type { InvitationCreated, Organisation, QuestionImportResult, User } from '../types';
import '../mock.css';

function Users() {
  const { m, f } = useI18n();
  const t = m.admin.users;
  const { me } = useAuth();
  const { items: users, setItems: setUsers, reload, error, run } = useList<User>(() => api.listUsers());
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('user');
  const [invited, setInvited] = useState<InvitationCreated | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);

  const invite = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const r = await api.invite(email.trim(), name.trim(), role);
      setInvited(r);
      setEmail('');
      setName('');
      reload();
    });
  };

  const remove = (u: User) => run(async () => {
    await api.deleteUser(u.id);
    setDeleting(null);
    setUsers((old) => (old ?? []).filter((x) => x.id !== u.id));
  });

  const toggle = (u: User) => run(async () => {
    const updated = await api.setUserDisabled(u.id, !u.disabled);
    setUsers((old) => (old ?? []).map((x) => (x.id === u.id ? { ...x, ...updated } : x)));
  });

  const link = invited ? `${location.origin}${invited.path}` : '';

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t.title}</h2>
      <form class="card form invite-form" onSubmit={invite}>
        <h3>{t.invite}</h3>
        <div class="grid3">
          <div class="field">
            <label for="invite-email">{m.common.email}</label>
            <input id="invite-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invite-name">{m.common.name}</label>
            <input id="invite-name" type="text" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invite-role">{m.common.role}</label>
            <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              <option value="user">{m.common.roles.user}</option>
              <option value="admin">{m.common.roles.admin}</option>
            </select>
          </div>
        </div>
        <button type="submit">{t.create}</button>
        {invited && (
          <div class="notice" role="status">
            <p>{t.sendLink(invited.user.email, f.date(invited.expires_at))}</p>
            <p><code class="secret" data-testid="invitation-link">{link}</code> <CopyButton text={link} /></p>
          </div>
        )}
      </form>
      <ErrorBox error={error} />
      {!users && !error && <Loading />}
      {users && (
        <DataTable columns={[m.common.name, m.common.email, m.common.role, m.common.state, t.since]} actions>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email ?? '–'}</td>
              <td>{m.common.roles[u.role] ?? u.role}</td>
              <td>{u.disabled ? t.disabled : u.invitation_pending ? t.pending : t.active}</td>
              <td>{f.date(u.created_at)}</td>
              <td class="row-actions">
                {u.id === me?.id ? <span class="hint">{t.you}</span> : deleting === u.id ? (
                  <span class="confirm" role="group" aria-label={t.confirm}>
                    <span>{t.confirmText(u.name)}</span>
                    <button type="button" class="danger small" onClick={() => remove(u)}>{m.common.delete}</button>
                    <button type="button" class="secondary small" onClick={() => setDeleting(null)}>{m.common.keep}</button>
                  </span>
                ) : (
                  <>
                    <button type="button" class="secondary small" onClick={() => toggle(u)}
                      aria-label={t.toggleLabel(u.disabled, `${u.name} (${u.email ?? u.id})`)}>
                      {u.disabled ? t.enable : t.disable}
                    </button>
                    <button type="button" class="secondary small" onClick={() => setDeleting(u.id)}
                      aria-label={t.deleteLabel(`${u.name} (${u.email ?? u.id})`)}>{m.common.delete}</button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** Export (JSON, CSV downloads) and import (a file, all of it or nothing) of the whole bank. */
function BankTools({ onImported }: { onImported: () => void }) {
  const { m } = useI18n();
  const t = m.bank;
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'replace' | 'missing'>('replace');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<QuestionImportResult | null>(null);
  const [error, setError] = useState<ImportError | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    setError(null);
    if (!file) return setError({ message: t.import.noFile, detail: null });
    const format = bankFileFormat(file.name, file.type);
    if (!format) return setError({ message: t.import.wrongType, detail: null });
    setBusy(true);
    try {
      setResult(await api.importQuestions(await file.text(), format, mode));
      onImported();
    } catch (err) {
      setError(importError(err, m));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="bank-tools">
      <section class="card" aria-labelledby="bank-export-title">
        <h3 id="bank-export-title">{t.export.title}</h3>
        <p class="hint">{t.export.hint}</p>
        <div class="buttons">
          <a class="button secondary" href={api.questionBankUrl('json')} download="questions.json" data-format="json">{t.export.json}</a>
          <a class="button secondary" href={api.questionBankUrl('csv')} download="questions.csv" data-format="csv">{t.export.csv}</a>
        </div>
      </section>
      <form class="card form" aria-labelledby="bank-import-title" onSubmit={submit}>
        <h3 id="bank-import-title">{t.import.title}</h3>
        <p class="hint" id="bank-import-hint">{t.import.hint}</p>
        <label for="bank-file">{t.import.file}</label>
        <input id="bank-file" type="file" accept=".json,.csv,application/json,text/csv" aria-describedby="bank-import-hint"
          onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setResult(null); setError(null); }} />
        <label for="bank-mode">{t.import.mode}</label>
        <select id="bank-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as 'replace' | 'missing')}>
          <option value="replace">{t.import.modes.replace}</option>
          <option value="missing">{t.import.modes.missing}</option>
        </select>
        <button type="submit" disabled={busy}>{busy ? t.import.busy : t.import.submit}</button>
        {result && (
          <p class="ok" role="status" data-testid="import-result">
            {t.import.result(result.received, result.created, result.updated, result.unchanged)}
          </p>
        )}
        {error && (
          <div class="error" role="alert" data-testid="import-error">
            <p>{error.message}</p>
            {error.detail && <p lang="en">{error.detail}</p>}
          </div>
        )}
      </form>
    </div>
  );
}

function Questions() {
  const { m } = useI18n();
  const t = m.admin.questions;
  // null: not loaded (or a server before organisations): no choice is offered nor sent
  const [orgs, setOrgs] = useState<Organisation[] | null>(null);
  useEffect(() => {
    api.listOrganisations().then(setOrgs, (e) => console.warn('GET /v1/organisations failed:', e));
  }, []);
  const bank = useQuestionBank(() => api.listQuestions({ includeRetired: true }));

  return (
    <section aria-labelledby="bank-title">
      <h2 id="bank-title">{t.title}</h2>
      <BankTools onImported={bank.reload} />
      <QuestionForm editing={bank.editing} langs={bank.langs} organisations={orgs} run={bank.run}
        onSaved={bank.saved} onCancel={() => bank.setEditing(null)} />
      <ErrorBox error={bank.error} />
      {bank.items && (
        <QuestionTable questions={bank.items} organisations={orgs} showOrganisation onEdit={bank.setEditing} onRetire={bank.retire} />
      )}
    </section>
  );
}

export function Admin() {
  const { m } = useI18n();
  useTitle(m.admin.pageTitle);
  const { me } = useAuth();
  if (me?.role !== 'admin') {
    return (
      <div class="narrow">
        <h1>{m.admin.title}</h1>
        <p role="alert">{m.admin.onlyAdmins}</p>
      </div>
    );
  }
  return (
    <div>
      <h1>{m.admin.title}</h1>
      <p><a href="/admin/organisations">{m.orgs.link}</a></p>
      <Users />
      <Questions />
    </div>
  );
}

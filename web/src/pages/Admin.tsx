import { useState } from 'preact/hooks';
import { api } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { CopyButton, ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import { formatDate } from '../lib/format';
import type { InvitationCreated, Question, QuestionInput, User } from '../types';
import { categoryLabel } from './Picker';

const CATEGORIES = ['behavioural', 'technical', 'situational', 'general'];

function Users() {
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
      <h2 id="users-title">Users</h2>
      <form class="card form invite-form" onSubmit={invite}>
        <h3>Invite someone</h3>
        <div class="grid3">
          <div class="field">
            <label for="invite-email">Email</label>
            <input id="invite-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invite-name">Name</label>
            <input id="invite-name" type="text" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invite-role">Role</label>
            <select id="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              <option value="user">User</option>
              <option value="admin">Administrator</option>
            </select>
          </div>
        </div>
        <button type="submit">Create invitation</button>
        {invited && (
          <div class="notice" role="status">
            <p>Send this link to {invited.user.email}; it is valid until {formatDate(invited.expires_at)}:</p>
            <p><code class="secret" data-testid="invitation-link">{link}</code> <CopyButton text={link} /></p>
          </div>
        )}
      </form>
      <ErrorBox error={error} />
      {!users && !error && <Loading />}
      {users && (
        <DataTable columns={['Name', 'Email', 'Role', 'State', 'Since']} actions>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email ?? '–'}</td>
              <td>{u.role}</td>
              <td>{u.disabled ? 'Disabled' : u.invitation_pending ? 'Invitation pending' : 'Active'}</td>
              <td>{formatDate(u.created_at)}</td>
              <td class="row-actions">
                {u.id === me?.id ? <span class="hint">you</span> : deleting === u.id ? (
                  <span class="confirm" role="group" aria-label="Confirm deleting">
                    <span>Delete {u.name} and all their recordings?</span>
                    <button type="button" class="danger small" onClick={() => remove(u)}>Delete</button>
                    <button type="button" class="secondary small" onClick={() => setDeleting(null)}>Keep</button>
                  </span>
                ) : (
                  <>
                    <button type="button" class="secondary small" onClick={() => toggle(u)}
                      aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name} (${u.email ?? u.id})`}>
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button type="button" class="secondary small" onClick={() => setDeleting(u.id)}
                      aria-label={`Delete ${u.name} (${u.email ?? u.id})`}>Delete</button>
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

const emptyForm: QuestionInput = { id: '', category: 'behavioural', role: 'any', text: '', talking_points: [] };

function Questions() {
  const { items: qs, reload, error, run } = useList<Question>(() => api.listQuestions({ includeRetired: true }));
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<QuestionInput>(emptyForm);
  const [points, setPoints] = useState('');
  const [saved, setSaved] = useState('');

  const edit = (q: Question) => {
    setEditing(q.id);
    setForm({ id: q.id, category: q.category, role: q.role, text: q.text, talking_points: q.talking_points, retired: q.retired });
    setPoints(q.talking_points.join('\n'));
    setSaved('');
    document.getElementById('question-form')?.scrollIntoView({ block: 'start' });
  };

  const reset = () => {
    setEditing(null);
    setForm(emptyForm);
    setPoints('');
  };

  const save = (e: Event) => {
    e.preventDefault();
    const body: QuestionInput = {
      category: form.category,
      role: form.role.trim() || 'any',
      text: form.text.trim(),
      talking_points: points.split('\n').map((p) => p.trim()).filter(Boolean),
    };
    run(async () => {
      if (editing) {
        await api.updateQuestion(editing, body);
        setSaved('The question was saved.');
      } else {
        if (form.id?.trim()) body.id = form.id.trim();
        await api.createQuestion(body);
        setSaved('The question was added.');
      }
      reset();
      reload();
    });
  };

  const retire = (q: Question) => run(async () => {
    if (q.retired) {
      await api.updateQuestion(q.id, { category: q.category, role: q.role, text: q.text, talking_points: q.talking_points, retired: false });
    } else {
      await api.retireQuestion(q.id);
    }
    reload();
  });

  return (
    <section aria-labelledby="bank-title">
      <h2 id="bank-title">Question bank</h2>
      <form id="question-form" class="card form" onSubmit={save}>
        <h3>{editing ? `Edit “${editing}”` : 'Add a question'}</h3>
        <div class="grid3">
          {!editing && (
            <div class="field">
              <label for="qf-id">Id (optional)</label>
              <input id="qf-id" type="text" pattern="[a-z0-9-]*" value={form.id} aria-describedby="qf-id-hint"
                onInput={(e) => setForm({ ...form, id: e.currentTarget.value })} />
              <p id="qf-id-hint" class="hint">Lower-case letters, digits and dashes.</p>
            </div>
          )}
          <div class="field">
            <label for="qf-category">Category</label>
            <select id="qf-category" value={form.category} onChange={(e) => setForm({ ...form, category: e.currentTarget.value })}>
              {CATEGORIES.map((c) => <option key={c} value={c}>{categoryLabel(c)}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="qf-role">Role</label>
            <input id="qf-role" type="text" value={form.role} onInput={(e) => setForm({ ...form, role: e.currentTarget.value })} />
          </div>
        </div>
        <label for="qf-text">Question</label>
        <textarea id="qf-text" required rows={2} value={form.text} onInput={(e) => setForm({ ...form, text: e.currentTarget.value })} />
        <label for="qf-points">Talking points (one per line)</label>
        <textarea id="qf-points" rows={4} value={points} onInput={(e) => setPoints(e.currentTarget.value)} />
        <div class="buttons">
          <button type="submit">{editing ? 'Save' : 'Add question'}</button>
          {editing && <button type="button" class="secondary" onClick={reset}>Cancel</button>}
        </div>
        {saved && <p class="ok" role="status">{saved}</p>}
      </form>
      <ErrorBox error={error} />
      {qs && (
        <DataTable columns={['Question', 'Category', 'Role', 'State']} actions>
          {qs.map((q) => (
            <tr key={q.id} class={q.retired ? 'retired' : ''}>
              <td>{q.text}<br /><span class="hint">{q.id}</span></td>
              <td>{categoryLabel(q.category)}</td>
              <td>{q.role}</td>
              <td>{q.retired ? 'Retired' : 'In use'}</td>
              <td class="row-actions">
                <button type="button" class="secondary small" onClick={() => edit(q)} aria-label={`Edit ${q.id}`}>Edit</button>{' '}
                <button type="button" class="secondary small" onClick={() => retire(q)} aria-label={`${q.retired ? 'Restore' : 'Retire'} ${q.id}`}>
                  {q.retired ? 'Restore' : 'Retire'}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

export function Admin() {
  useTitle('Administration');
  const { me } = useAuth();
  if (me?.role !== 'admin') {
    return (
      <div class="narrow">
        <h1>Administration</h1>
        <p role="alert">This page is for administrators.</p>
      </div>
    );
  }
  return (
    <div>
      <h1>Administration</h1>
      <Users />
      <Questions />
    </div>
  );
}

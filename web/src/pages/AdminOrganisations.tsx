// Administration of organisations and cohorts: organisations (create,
// rename, delete), who belongs to which, cohorts of an organisation, and
// who is in a cohort as a member or a coach.

import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useList, type List } from '../components/useList';
import { lookup, type Messages } from '../i18n';
import { useI18n } from '../i18n/context';
import { addable } from '../lib/coaching';
import { errorMessage } from '../lib/errors';
import type { Cohort, CohortPerson, CohortRole, Organisation, User } from '../types';
import '../coach.css';

/** The codes of these calls in the interface language, else the usual messages. */
function orgError(e: unknown, m: Messages): string {
  const known = e instanceof ApiError ? lookup(m.orgs.errors, e.code) : undefined;
  return known ?? errorMessage(e, m);
}

/** An action of this page: its error shown by code in the interface language. */
function useOrgAction() {
  const { m } = useI18n();
  const a = useAction();
  const run = (fn: () => Promise<unknown>) => a.run(async () => {
    try {
      await fn();
    } catch (e) {
      throw new Error(orgError(e, m));
    }
  });
  return { ...a, run };
}

function Organisations({ orgs, changed }: { orgs: List<Organisation>; changed: () => void }) {
  const { m, f } = useI18n();
  const t = m.orgs.organisations;
  const { error, busy, run } = useOrgAction();
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [done, setDone] = useState('');

  const add = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const o = await api.createOrganisation(name.trim());
      setName('');
      setDone(t.added(o.name));
      changed();
    });
  };
  const rename = (e: Event) => {
    e.preventDefault();
    if (!renaming) return;
    run(async () => {
      await api.renameOrganisation(renaming.id, renaming.name.trim());
      setRenaming(null);
      changed();
    });
  };
  const remove = (o: Organisation) => run(async () => {
    await api.deleteOrganisation(o.id);
    setDeleting(null);
    changed();
  });

  return (
    <section aria-labelledby="orgs-title">
      <h2 id="orgs-title">{t.title}</h2>
      <form class="card form inline-form" onSubmit={add}>
        <div class="field">
          <label for="org-name">{t.name}</label>
          <input id="org-name" type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy || !name.trim()}>{t.add}</button>
      </form>
      {done && <p class="ok" role="status">{done}</p>}
      <ErrorBox error={error ?? orgs.error} />
      {!orgs.items && !orgs.error && <Loading />}
      {orgs.items && orgs.items.length === 0 && <p class="muted">{t.none}</p>}
      {orgs.items && orgs.items.length > 0 && (
        <DataTable class="orgs" columns={[m.common.name, t.people, t.cohorts, m.common.created]} actions>
          {orgs.items.map((o) => (
            <tr key={o.id} data-org-id={o.id}>
              <td>
                {renaming?.id === o.id ? (
                  <form class="rename" onSubmit={rename}>
                    <label class="sr-only" for={`rename-${o.id}`}>{t.newName(o.name)}</label>
                    <input id={`rename-${o.id}`} type="text" required maxLength={200} value={renaming.name}
                      onInput={(e) => setRenaming({ id: o.id, name: e.currentTarget.value })} />
                    <button type="submit" class="small" disabled={busy || !renaming.name.trim()}>{m.common.save}</button>
                    <button type="button" class="secondary small" onClick={() => setRenaming(null)}>{m.common.cancel}</button>
                  </form>
                ) : o.name}
              </td>
              <td>{f.number(o.people)}</td>
              <td>{f.number(o.cohorts)}</td>
              <td>{f.date(o.created_at)}</td>
              <td class="row-actions">
                {deleting === o.id ? (
                  <span class="confirm" role="group" aria-label={t.confirm}>
                    <span>{t.confirmText(o.name)}</span>
                    <button type="button" class="danger small" onClick={() => remove(o)}>{m.common.delete}</button>
                    <button type="button" class="secondary small" onClick={() => setDeleting(null)}>{m.common.keep}</button>
                  </span>
                ) : (
                  <>
                    <button type="button" class="secondary small" aria-label={t.renameLabel(o.name)}
                      onClick={() => setRenaming({ id: o.id, name: o.name })}>{t.rename}</button>{' '}
                    <button type="button" class="secondary small" aria-label={t.deleteLabel(o.name)}
                      onClick={() => setDeleting(o.id)}>{m.common.delete}</button>
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

function People({ users, orgs, changed }: { users: List<User>; orgs: Organisation[]; changed: () => void }) {
  const { m, f } = useI18n();
  const t = m.orgs.people;
  const { error, busy, run } = useOrgAction();
  const [done, setDone] = useState('');

  const move = (u: User, orgId: string) => run(async () => {
    const updated = await api.setUserOrganisation(u.id, orgId || null);
    users.setItems((old) => (old ?? []).map((x) => (x.id === u.id ? { ...x, ...updated } : x)));
    setDone(t.moved(u.name, orgs.find((o) => o.id === orgId)?.name ?? null));
    changed();
  });

  return (
    <section aria-labelledby="org-people-title">
      <h2 id="org-people-title">{t.title}</h2>
      <p class="hint">{t.hint}</p>
      {done && <p class="ok" role="status">{done}</p>}
      <ErrorBox error={error ?? users.error} />
      {!users.items && !users.error && <Loading />}
      {users.items && (
        <DataTable class="org-people" columns={[m.common.name, m.common.email, t.organisation, t.cohorts]}>
          {users.items.map((u) => (
            <tr key={u.id} data-user-id={u.id}>
              <td>{u.name}</td>
              <td>{u.email ?? '–'}</td>
              <td>
                <label class="sr-only" for={`org-of-${u.id}`}>{t.organisationOf(u.name)}</label>
                <select id={`org-of-${u.id}`} value={u.organisation?.id ?? ''} disabled={busy}
                  onChange={(e) => move(u, e.currentTarget.value)}>
                  <option value="">{t.none}</option>
                  {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
                </select>
              </td>
              <td>{(u.cohorts ?? []).length === 0 ? '–'
                : f.list((u.cohorts ?? []).map((c) => `${c.name} (${m.cohorts.roles[c.role]})`))}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

/** Who is in a cohort, with their role; adding people of its organisation. */
function CohortPeople({ cohort, users, changed }: { cohort: Cohort; users: User[]; changed: () => void }) {
  const { m } = useI18n();
  const t = m.orgs.cohorts;
  const roles = m.cohorts.roles;
  const people = useList<CohortPerson>(async () => (await api.getCohort(cohort.id)).people ?? []);
  const { error, busy, run } = useOrgAction();
  const [who, setWho] = useState('');
  const [role, setRole] = useState<CohortRole>('member');
  const candidates = addable(users, cohort, people.items ?? []);
  const pick = candidates.some((u) => u.id === who) ? who : candidates[0]?.id ?? '';

  const put = (userId: string, r: CohortRole) => run(async () => {
    await api.setCohortMember(cohort.id, userId, r);
    people.reload();
    changed();
  });
  const add = (e: Event) => {
    e.preventDefault();
    if (pick) put(pick, role);
  };
  const remove = (p: CohortPerson) => run(async () => {
    await api.removeCohortMember(cohort.id, p.id);
    people.setItems((old) => (old ?? []).filter((x) => x.id !== p.id));
    changed();
  });

  return (
    <div class="people" id={`cohort-people-${cohort.id}`}>
      <ErrorBox error={error ?? people.error} />
      {!people.items && !people.error && <Loading />}
      {people.items && people.items.length === 0 && <p class="muted">{t.empty}</p>}
      {people.items && people.items.length > 0 && (
        <DataTable columns={[m.common.name, m.common.email, m.common.role]} caption={t.peopleOf(cohort.name)} actions>
          {people.items.map((p) => (
            <tr key={p.id} data-user-id={p.id}>
              <td>{p.name}</td>
              <td>{p.email ?? '–'}</td>
              <td>
                <label class="sr-only" for={`role-${cohort.id}-${p.id}`}>{t.roleOf(p.name)}</label>
                <select id={`role-${cohort.id}-${p.id}`} value={p.role} disabled={busy}
                  onChange={(e) => put(p.id, e.currentTarget.value as CohortRole)}>
                  <option value="member">{roles.member}</option>
                  <option value="coach">{roles.coach}</option>
                </select>
              </td>
              <td class="row-actions">
                <button type="button" class="secondary small" disabled={busy} aria-label={t.removeLabel(p.name, cohort.name)}
                  onClick={() => remove(p)}>{t.remove}</button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {people.items && (candidates.length === 0 ? <p class="hint">{t.nobodyToAdd}</p> : (
        <form class="inline-form" onSubmit={add}>
          <div class="field">
            <label for={`add-who-${cohort.id}`}>{t.person}</label>
            <select id={`add-who-${cohort.id}`} value={pick} onChange={(e) => setWho(e.currentTarget.value)}>
              {candidates.map((u) => <option key={u.id} value={u.id}>{u.email ? `${u.name} (${u.email})` : u.name}</option>)}
            </select>
          </div>
          <div class="field">
            <label for={`add-role-${cohort.id}`}>{m.common.role}</label>
            <select id={`add-role-${cohort.id}`} value={role} onChange={(e) => setRole(e.currentTarget.value as CohortRole)}>
              <option value="member">{roles.member}</option>
              <option value="coach">{roles.coach}</option>
            </select>
          </div>
          <button type="submit" disabled={busy || !pick} aria-label={t.addLabel(cohort.name)}>{t.addPerson}</button>
        </form>
      ))}
    </div>
  );
}

function Cohorts({ cohorts, orgs, users, changed }: {
  cohorts: List<Cohort>; orgs: Organisation[]; users: User[]; changed: () => void;
}) {
  const { m, f } = useI18n();
  const t = m.orgs.cohorts;
  const { error, busy, run } = useOrgAction();
  const [org, setOrg] = useState('');
  const [name, setName] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const orgId = orgs.some((o) => o.id === org) ? org : orgs[0]?.id ?? '';

  const add = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const c = await api.createCohort(orgId, name.trim());
      setName('');
      setOpen(c.id);
      changed();
    });
  };
  const remove = (c: Cohort) => run(async () => {
    await api.deleteCohort(c.id);
    setDeleting(null);
    changed();
  });

  return (
    <section aria-labelledby="cohorts-title">
      <h2 id="cohorts-title">{t.title}</h2>
      {orgs.length === 0 ? <p class="hint">{t.needOrganisation}</p> : (
        <form class="card form inline-form" onSubmit={add}>
          <div class="field">
            <label for="cohort-org">{t.organisation}</label>
            <select id="cohort-org" value={orgId} onChange={(e) => setOrg(e.currentTarget.value)}>
              {orgs.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="cohort-name">{t.name}</label>
            <input id="cohort-name" type="text" required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <button type="submit" disabled={busy || !name.trim() || !orgId}>{t.add}</button>
        </form>
      )}
      <ErrorBox error={error ?? cohorts.error} />
      {!cohorts.items && !cohorts.error && <Loading />}
      {cohorts.items && cohorts.items.length === 0 && <p class="muted">{t.none}</p>}
      {(cohorts.items ?? []).map((c) => (
        <article key={c.id} class="card cohort-admin" data-cohort-id={c.id} aria-labelledby={`cohort-${c.id}`}>
          <h3 id={`cohort-${c.id}`}>{c.name}</h3>
          <p class="hint">
            {c.organisation?.name ?? '–'} · {m.coach.members(c.members)} · {c.coaches.length
              ? t.coachedBy(f.list(c.coaches.map((x) => x.name))) : t.noCoach}
          </p>
          <div class="buttons">
            <button type="button" class="secondary small" aria-expanded={open === c.id} aria-controls={`cohort-people-${c.id}`}
              aria-label={t.manageLabel(c.name)} onClick={() => setOpen(open === c.id ? null : c.id)}>{t.manage}</button>
            {deleting === c.id ? (
              <span class="confirm" role="group" aria-label={t.confirm}>
                <span>{t.confirmText(c.name)}</span>
                <button type="button" class="danger small" onClick={() => remove(c)}>{m.common.delete}</button>
                <button type="button" class="secondary small" onClick={() => setDeleting(null)}>{m.common.keep}</button>
              </span>
            ) : (
              <button type="button" class="secondary small" aria-label={t.deleteLabel(c.name)}
                onClick={() => setDeleting(c.id)}>{m.common.delete}</button>
            )}
          </div>
          {open === c.id && <CohortPeople cohort={c} users={users} changed={changed} />}
        </article>
      ))}
    </section>
  );
}

/** /admin/organisations */
export function AdminOrganisations() {
  const { m } = useI18n();
  const t = m.orgs;
  useTitle(t.pageTitle);
  const { me } = useAuth();
  const admin = me?.role === 'admin';
  const orgs = useList<Organisation>(() => (admin ? api.listOrganisations() : Promise.resolve([])));
  const users = useList<User>(() => (admin ? api.listUsers() : Promise.resolve([])));
  const cohorts = useList<Cohort>(() => (admin ? api.listCohorts() : Promise.resolve([])));
  if (!admin) {
    return (
      <div class="narrow">
        <h1>{t.title}</h1>
        <p role="alert">{m.admin.onlyAdmins}</p>
      </div>
    );
  }
  // counts and memberships change together: read them again after any change
  const changed = () => {
    orgs.reload();
    users.reload();
    cohorts.reload();
  };
  return (
    <div>
      <p class="crumbs"><a href="/admin">{m.admin.title}</a></p>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <Organisations orgs={orgs} changed={changed} />
      <People users={users} orgs={orgs.items ?? []} changed={changed} />
      <Cohorts cohorts={cohorts} orgs={orgs.items ?? []} users={users.items ?? []} changed={changed} />
    </div>
  );
}

// Coaching: the cohorts a person coaches, and a member's interviews and
// progress (the History page, read only, for that member).

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAuth } from '../auth';
import { OrganisationQuestions } from '../components/OrganisationQuestions';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import { useI18n } from '../i18n/context';
import { COACHING_PATH, cohortPath, findMember, isCoach, type Member } from '../lib/coaching';
import { errorMessage } from '../lib/errors';
import type { Cohort } from '../types';
import { History } from './History';
import '../coach.css';

/** COACHING_PATH: the cohorts one coaches, each opening its overview; the organisation's own questions. */
export function Coaching() {
  const { m, f } = useI18n();
  const t = m.coach;
  useTitle(t.pageTitle);
  const { me } = useAuth();
  const { items, error } = useList<Cohort>(() => api.listCohorts());
  const coached = (items ?? []).filter((c) => c.role === 'coach');
  return (
    <div>
      <h1>{t.title}</h1>
      <p class="muted">{t.intro}</p>
      <ErrorBox error={error} />
      {!items && !error && <Loading what={t.loading} />}
      {items && coached.length === 0 && <p>{t.none}</p>}
      {coached.length > 0 && (
        <ul class="cohort-cards">
          {coached.map((c) => (
            <li key={c.id} class="card" data-cohort-id={c.id}>
              <h2><a href={cohortPath(c.id)}>{c.name}</a></h2>
              <p class="hint">{c.organisation?.name ?? ''}{c.organisation ? ' · ' : ''}{t.members(c.members)}</p>
              {c.coaches.length > 1 && <p class="hint">{t.coachedWith(f.list(c.coaches.map((x) => x.name)))}</p>}
            </li>
          ))}
        </ul>
      )}
      {me?.organisation && isCoach(me) && <OrganisationQuestions organisation={me.organisation} />}
    </div>
  );
}

/** COACHING_PATH/people/:id: a member of a cohort one coaches, their interviews and progress. */
export function MemberPage({ id }: { id: string }) {
  const { m, f } = useI18n();
  const t = m.coach.member;
  const [member, setMember] = useState<Member | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useTitle(member ? t.title(member.name) : m.coach.pageTitle);

  useEffect(() => {
    setMember(undefined);
    setError(null);
    (async () => {
      const coached = (await api.listCohorts()).filter((c) => c.role === 'coach');
      const full = await Promise.all(coached.map((c) => api.getCohort(c.id)));
      setMember(findMember(full, id));
    })().catch((e) => setError(errorMessage(e, m)));
  }, [id]);

  const crumbs = (
    <p class="crumbs">
      <a href={COACHING_PATH}>{m.coach.title}</a>
      {member && member.cohorts.map((c) => (
        <span key={c.id}> › <a href={cohortPath(c.id)}>{c.name}</a></span>
      ))}
    </p>
  );
  if (error) return <div>{crumbs}<ErrorBox error={error} /></div>;
  if (member === undefined) return <Loading />;
  if (member === null) {
    return (
      <div class="narrow">
        {crumbs}
        <h1>{m.report.notFoundTitle}</h1>
        <p role="alert">{t.notFound}</p>
      </div>
    );
  }
  return (
    <div>
      {crumbs}
      {member.email && <p class="hint">{member.email} · {t.inCohorts(f.list(member.cohorts.map((c) => c.name)))}</p>}
      <History key={member.id} owner={member} />
    </div>
  );
}

// The account page's organisation and cohorts: where the person belongs,
// their role in each cohort and who coaches them (who can see their reports).

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAuth } from '../auth';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import type { Cohort } from '../types';
import { DataTable } from './DataTable';
import { ErrorBox } from './ui';

export function MyCohorts() {
  const { m, f } = useI18n();
  const t = m.cohorts.mine;
  const { me, setMe } = useAuth();
  const [cohorts, setCohorts] = useState<Cohort[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // an administrator may have changed them since sign-in: read them again
    api.me().then(setMe, () => {});
    api.listCohorts().then(setCohorts, (e) => setError(errorMessage(e, m)));
  }, []);

  const mine = (cohorts ?? []).filter((c) => c.role);
  const coaches = mine.some((c) => c.role === 'member' && c.coaches.some((x) => x.id !== me?.id));
  return (
    <section class="card" aria-labelledby="my-cohorts-title">
      <h2 id="my-cohorts-title">{t.title}</h2>
      <dl class="figures">
        <div><dt>{t.organisation}</dt><dd data-testid="my-organisation">{me?.organisation?.name ?? t.noOrganisation}</dd></div>
      </dl>
      <ErrorBox error={error} />
      {cohorts && mine.length === 0 && <p class="muted">{t.none}</p>}
      {mine.length > 0 && (
        <DataTable class="my-cohorts" columns={[t.cohort, t.role, t.coaches]}>
          {mine.map((c) => (
            <tr key={c.id} data-cohort-id={c.id}>
              <td>{c.name}</td>
              <td>{c.role ? m.cohorts.roles[c.role] : '–'}</td>
              <td>{c.coaches.length ? f.list(c.coaches.map((x) => x.name)) : <span class="muted">{t.noCoach}</span>}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {coaches && <p class="hint">{t.coachesSee}</p>}
    </section>
  );
}

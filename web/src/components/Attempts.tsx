import { DataTable } from './DataTable';
import { ScoreBadge, StatusBadge } from './ui';
import { useI18n } from '../i18n/context';
import { ATTEMPT_PARTS, attemptFigures, comparable, criteriaShown } from '../lib/attempts';
import { metricName, partName } from '../lib/mock';
import type { Interview } from '../types';
import '../mock.css';

/**
 * Retakes side by side: every attempt at this interview's question (its
 * "attempts", oldest first), with the date, the overall and part scores and
 * the key criteria's values, each linked to its report. Nothing when the
 * question was answered once.
 */
export function Attempts({ iv }: { iv: Pick<Interview, 'id' | 'attempts'> }) {
  const { m, f } = useI18n();
  const t = m.attempts;
  const attempts = comparable(iv.attempts);
  if (attempts.length === 0) return null;
  const figures = attempts.map((a) => attemptFigures(a.score));
  const criteria = criteriaShown(figures);
  return (
    <section aria-labelledby="attempts-title" class="attempts">
      <h2 id="attempts-title">{t.title}</h2>
      <p class="muted">{t.intro}</p>
      <DataTable class="attempts-table" caption={t.caption} columns={[t.figure, ...attempts.map((_, i) => t.attempt(i + 1))]}>
        <tr>
          <th scope="row">{t.recorded}</th>
          {attempts.map((a, i) => (
            <td key={a.id} data-attempt={a.id}>
              {a.id === iv.id ? (
                <strong aria-current="page">{f.date(a.created_at)} ({t.thisOne})</strong>
              ) : (
                <a href={`/interviews/${a.id}`} aria-label={`${t.open(i + 1)}: ${f.date(a.created_at)}`}>{f.date(a.created_at)}</a>
              )}
            </td>
          ))}
        </tr>
        <tr>
          <th scope="row">{t.overall}</th>
          {attempts.map((a, i) => (
            <td key={a.id}>
              {a.status === 'complete' ? <ScoreBadge score={figures[i].overall} /> : <StatusBadge status={a.status} />}
            </td>
          ))}
        </tr>
        {ATTEMPT_PARTS.map((p) => (
          <tr key={p}>
            <th scope="row">{partName(m, p)}</th>
            {figures.map((x, i) => <td key={attempts[i].id}><ScoreBadge score={x.parts[p]} /></td>)}
          </tr>
        ))}
        {criteria.map((k) => (
          <tr key={k} data-metric={k}>
            <th scope="row">{metricName(m, k)}</th>
            {figures.map((x, i) => <td key={attempts[i].id}>{f.number(x.criteria[k])}</td>)}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

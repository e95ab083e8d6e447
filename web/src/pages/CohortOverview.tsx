// A cohort's overview for its coaches: who practised, how often and how
// recently, their scores (mean, first, latest) and a sparkline of each
// member's scores over time; each member opens their interviews.

import { useEffect, useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { api, ApiError } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, ScoreBadge, useTitle } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';
import { useI18n } from '../i18n/context';
import { COACHING_PATH, memberPath, scoreChange, sparkData } from '../lib/coaching';
import { errorMessage } from '../lib/errors';
import { trendRange } from '../lib/trend';
import type { CohortOverview, OverviewPerson } from '../types';
import '../coach.css';

/** A member's scores over time, without axes: its text alternative lists them. */
function Sparkline({ p }: { p: OverviewPerson }) {
  const { m, f } = useI18n();
  const data = useMemo(() => sparkData(p.scores), [p.scores]);
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 40,
    padding: [6, 6, 6, 6],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true, range: () => trendRange(data[0]) }, y: { range: [0, 100] } },
    axes: [{ show: false }, { show: false }],
    series: [{}, { stroke: '#1f5fbf', width: 2, spanGaps: true, points: { show: true, size: 5, fill: '#1f5fbf' } }],
  }), [data]);
  if (data[0].length === 0) return <span class="muted">–</span>;
  const label = m.coach.overview.sparkLabel(p.name, data[1].map((v) => f.score(v)));
  return (
    <div class="spark" role="img" aria-label={label} data-points={data[0].length}>
      <UPlotChart class="spark-box" options={options} data={data as unknown as uPlot.AlignedData} />
    </div>
  );
}

function Change({ p }: { p: OverviewPerson }) {
  const { f } = useI18n();
  const d = scoreChange(p.first_score, p.latest_score);
  if (d === null || p.answers < 2) return null;
  const r = Math.round(d);
  return <span class={r > 0 ? 'change-up' : r < 0 ? 'change-down' : 'hint'}> ({r > 0 ? '+' : ''}{f.integer(r)})</span>;
}

/** COACHING_PATH/cohorts/:id */
export function CohortPage({ id }: { id: string }) {
  const { m, f } = useI18n();
  const t = m.coach.overview;
  const [o, setO] = useState<CohortOverview | null>(null);
  const [error, setError] = useState<string | null>(null);
  useTitle(o ? o.name : m.coach.pageTitle);

  useEffect(() => {
    setO(null);
    setError(null);
    api.cohortOverview(id).then(setO, (e) =>
      setError(e instanceof ApiError && e.status === 404 ? t.notFound : errorMessage(e, m)));
  }, [id]);

  const crumbs = <p class="crumbs"><a href={COACHING_PATH}>{m.coach.title}</a></p>;
  if (error) return <div class="narrow">{crumbs}<h1>{m.coach.title}</h1><ErrorBox error={error} /></div>;
  if (!o) return <Loading />;
  const c = t.columns;
  return (
    <div>
      {crumbs}
      <h1>{o.name}</h1>
      <dl class="figures cohort-figures">
        <div data-figure="members"><dt>{t.members}</dt><dd>{f.number(o.members)}</dd></div>
        <div data-figure="practised"><dt>{t.practised}</dt><dd>{t.practisedOf(o.practised, o.members)}</dd></div>
        <div data-figure="mean"><dt>{t.meanScore}</dt><dd>{f.score(o.mean_score)}</dd></div>
      </dl>
      {o.people.length === 0 ? <p>{t.noMembers}</p> : (
        <DataTable class="overview" caption={t.caption}
          columns={[c.name, c.answers, c.mocks, c.last, c.mean, c.first, c.latest, c.trend]}>
          {o.people.map((p) => {
            const latest = p.scores.length ? p.scores[p.scores.length - 1] : null;
            return (
              <tr key={p.user_id} data-user-id={p.user_id}>
                <th scope="row">
                  <a href={memberPath(p.user_id)} aria-label={t.interviewsLabel(p.name)}>{p.name}</a>
                  {p.email && <span class="what">{p.email}</span>}
                </th>
                <td data-col="answers">{f.number(p.answers)}</td>
                <td data-col="mocks">{f.number(p.mock_interviews)}</td>
                <td data-col="last">{p.last_practised_at
                  ? <time dateTime={p.last_practised_at} title={f.date(p.last_practised_at)}>{f.relative(p.last_practised_at)}</time>
                  : <span class="muted">{t.never}</span>}</td>
                <td data-col="mean"><ScoreBadge score={p.mean_score} label={c.mean} /></td>
                <td data-col="first"><ScoreBadge score={p.first_score} label={c.first} /></td>
                <td data-col="latest"><ScoreBadge score={p.latest_score} label={c.latest} /><Change p={p} /></td>
                <td data-col="trend">
                  <Sparkline p={p} />
                  {latest && <a href={`/interviews/${encodeURIComponent(latest.interview_id)}`} class="hint"
                    aria-label={t.latestLabel(p.name)}>{t.latest}</a>}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}

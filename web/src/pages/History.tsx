import { useEffect, useMemo, useState } from 'preact/hooks';
import { sameAnswers, trendData, trendRange } from '../lib/trend';
import type uPlot from 'uplot';
import { api } from '../api';
import { DataTable } from '../components/DataTable';
import { MetricTrend } from '../components/MetricTrend';
import { ErrorBox, Loading, ScoreBadge, StatusBadge, useTitle } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import type { History as HistoryBody, HistoryItem, InterviewSummary } from '../types';

const PAGE = 20;

/** The trend's lines, in the order of trendData: the overall score, then the parts (a key of the catalog's parts). */
const TREND_SERIES = [
  { part: null, color: '#222', width: 3 },
  { part: 'delivery', color: '#1f5fbf', width: 2 },
  { part: 'content', color: '#2e7d32', width: 2 },
  { part: 'on_camera', color: '#ad1457', width: 2 },
] as const;

function Trend({ items }: { items: HistoryItem[] }) {
  const { m, f } = useI18n();
  const t = m.history.trend;
  const data = useMemo(() => trendData(items), [items]);
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 220,
    scales: {
      x: {
        time: true,
        // From the data, not from the range uPlot passes in: that is the
        // previous range on a redraw, so padding it again widened the axis to
        // years. One interview (or several the same day) gets half a day each side.
        range: () => trendRange(data[0] as number[]),
      },
      y: { range: [0, 100] },
    },
    cursor: { drag: { x: false, y: false, setScale: false } },
    axes: [
      { values: (u, vals) => f.axisTimes(vals, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)),
        stroke: '#444', grid: { stroke: '#e3e3e3' } },
      { stroke: '#444', grid: { stroke: '#e3e3e3' }, label: t.axis },
    ],
    series: [
      { label: t.date, value: (_u: uPlot, v: number) => (v ? f.date(new Date(v * 1000).toISOString()) : '–') },
      ...TREND_SERIES.map((s) => ({
        label: s.part ? m.parts[s.part] : t.overall, stroke: s.color, width: s.width, spanGaps: true,
        points: { show: true, size: 7, fill: s.color },
        value: (_u: uPlot, v: number | null) => f.score(v),
      })),
    ],
  }), [data, m, f]);
  return (
    <figure class="chart" data-chart="trend" data-points={data[0].length}>
      <figcaption><strong>{t.title}</strong> <span class="muted">{t.description}</span></figcaption>
      <UPlotChart options={options} data={data as unknown as uPlot.AlignedData} />
    </figure>
  );
}

/** The signed-in person's interviews; with owner, those of a member they coach (read only). */
export function History({ owner }: { owner?: { id: string; name: string } }) {
  const { m, f } = useI18n();
  useTitle(owner ? m.coach.member.title(owner.name) : m.history.pageTitle);
  const [rows, setRows] = useState<InterviewSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  /** The API's answers: across all questions (''), and of each bank question asked for. */
  const [served, setServed] = useState<Record<string, HistoryBody>>({});
  const [error, setError] = useState<string | null>(null);
  const [question, setQuestion] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');

  const loadMore = async (from: string | null) => {
    try {
      const page = await api.listInterviews({ limit: PAGE, cursor: from, user_id: owner?.id });
      setRows((old) => [...(from ? old ?? [] : []), ...page.interviews]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(errorMessage(e, m));
    }
  };

  useEffect(() => {
    loadMore(null);
    api.history(undefined, owner?.id).then((h) => {
      setHistory(h.history);
      setServed({ '': h });
    }, (e) => setError(errorMessage(e, m)));
  }, []);

  const scores = useMemo(() => new Map(history.map((h) => [h.interview_id, h.score])), [history]);
  const questions = useMemo(() => {
    const all = [...(rows ?? []).map((r) => r.question), ...history.map((h) => h.question)];
    return [...new Set(all)].sort((a, b) => a.localeCompare(b));
  }, [rows, history]);
  const shownRows = (rows ?? []).filter((r) => !question || r.question === question);
  const shownHistory = useMemo(() => history.filter((h) => !question || h.question === question), [history, question]);
  // A bank question's trends come from the API (?question_id=), which knows
  // the best pace; a question typed by the candidate has no id to ask by.
  const questionId = question && shownHistory.length > 0 && shownHistory.every((h) => h.question_id === shownHistory[0].question_id)
    ? shownHistory[0].question_id : null;
  useEffect(() => {
    if (questionId && !served[questionId]) {
      api.history(questionId, owner?.id).then((h) => setServed((old) => ({ ...old, [questionId]: h })), () => {});
    }
  }, [questionId]);
  const servedNow = !question ? served[''] : questionId ? served[questionId] : undefined;
  // Only while the API's answer is about exactly the answers shown (not after a delete).
  const serverTrends = servedNow && sameAnswers(servedNow.history, shownHistory) ? servedNow.trends : null;

  const remove = async (id: string) => {
    setBusy(true);
    try {
      await api.deleteInterview(id);
      setRows((old) => (old ?? []).filter((r) => r.id !== id));
      setHistory((old) => old.filter((h) => h.interview_id !== id));
      setAnnounce(m.history.deleted);
      setConfirming(null);
    } catch (e) {
      setError(errorMessage(e, m));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <h1>{owner ? m.coach.member.title(owner.name) : m.history.title}</h1>
      <ErrorBox error={error} />
      <p class="sr-only" role="status">{announce}</p>
      {questions.length > 1 && (
        <div class="filters">
          <div class="field wide">
            <label for="h-question">{m.common.question}</label>
            <select id="h-question" value={question} onChange={(e) => setQuestion(e.currentTarget.value)}>
              <option value="">{m.history.allQuestions}</option>
              {questions.map((q) => <option key={q} value={q}>{q}</option>)}
            </select>
          </div>
        </div>
      )}
      {shownHistory.length > 0 && <Trend items={shownHistory} />}
      {shownHistory.length > 0 && <MetricTrend items={shownHistory} serverTrends={serverTrends}
        title={owner ? m.coach.member.figures(owner.name) : undefined} />}
      {rows === null && !error && <Loading what={m.history.loading} />}
      {rows !== null && shownRows.length === 0 && (
        <p>{owner ? m.coach.member.empty(owner.name) : m.history.empty(<a href="/">{m.history.emptyLink}</a>)}</p>
      )}
      {shownRows.length > 0 && (
        <DataTable class="history" caption={m.history.caption}
          columns={[m.common.question, m.history.recorded, m.history.status, m.common.score]} actions={!owner}>
          {shownRows.map((r) => (
            <tr key={r.id} data-interview-id={r.id}>
              <td><a href={`/interviews/${r.id}`}>{r.question}</a></td>
              <td>{f.date(r.created_at)}</td>
              <td><StatusBadge status={r.status} /></td>
              <td><ScoreBadge score={scores.get(r.id) ?? r.score ?? null} label={m.common.score} /></td>
              {!owner && <td class="row-actions">
                {confirming === r.id ? (
                  <span class="confirm" role="group" aria-label={m.history.confirm}>
                    <span>{m.history.confirmText}</span>
                    <button type="button" class="danger small" disabled={busy} onClick={() => remove(r.id)}>{m.common.delete}</button>
                    <button type="button" class="secondary small" onClick={() => setConfirming(null)}>{m.common.keep}</button>
                  </span>
                ) : (
                  <button type="button" class="secondary small" aria-label={m.history.deleteLabel(r.question, f.date(r.created_at))}
                    onClick={() => setConfirming(r.id)}>{m.common.delete}</button>
                )}
              </td>}
            </tr>
          ))}
        </DataTable>
      )}
      {cursor && <button type="button" class="secondary" onClick={() => loadMore(cursor)}>{m.history.more}</button>}
    </div>
  );
}

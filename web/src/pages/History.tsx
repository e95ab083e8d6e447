import { useEffect, useMemo, useState } from 'preact/hooks';
import { trendData, trendRange } from '../lib/trend';
import type uPlot from 'uplot';
import { api, errorMessage } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, ScoreBadge, StatusBadge, useTitle } from '../components/ui';
import { UPlotChart } from '../components/UPlotChart';
import { formatAxisTimes, formatDate, formatScore } from '../lib/format';
import type { HistoryItem, InterviewSummary } from '../types';

const PAGE = 20;

const TREND_SERIES = [
  { label: 'Overall', color: '#222', width: 3 },
  { label: 'Delivery', color: '#1f5fbf', width: 2 },
  { label: 'Content', color: '#2e7d32', width: 2 },
  { label: 'On camera', color: '#ad1457', width: 2 },
];

function Trend({ items }: { items: HistoryItem[] }) {
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
      { values: (u, vals) => formatAxisTimes(vals, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)),
        stroke: '#444', grid: { stroke: '#e3e3e3' } },
      { stroke: '#444', grid: { stroke: '#e3e3e3' }, label: 'score' },
    ],
    series: [
      { label: 'Date', value: (_u: uPlot, v: number) => (v ? formatDate(new Date(v * 1000).toISOString()) : '–') },
      ...TREND_SERIES.map((s) => ({
        label: s.label, stroke: s.color, width: s.width, spanGaps: true,
        points: { show: true, size: 7, fill: s.color },
        value: (_u: uPlot, v: number | null) => formatScore(v),
      })),
    ],
  }), [data]);
  return (
    <figure class="chart" data-chart="trend" data-points={data[0].length}>
      <figcaption><strong>Scores over time</strong> <span class="muted">Overall score and the three parts of each completed answer.</span></figcaption>
      <UPlotChart options={options} data={data as unknown as uPlot.AlignedData} />
    </figure>
  );
}

export function History() {
  useTitle('History');
  const [rows, setRows] = useState<InterviewSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [question, setQuestion] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');

  const loadMore = async (from: string | null) => {
    try {
      const page = await api.listInterviews({ limit: PAGE, cursor: from });
      setRows((old) => [...(from ? old ?? [] : []), ...page.interviews]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  useEffect(() => {
    loadMore(null);
    api.history().then(setHistory, (e) => setError(errorMessage(e)));
  }, []);

  const scores = useMemo(() => new Map(history.map((h) => [h.interview_id, h.score])), [history]);
  const questions = useMemo(() => {
    const all = [...(rows ?? []).map((r) => r.question), ...history.map((h) => h.question)];
    return [...new Set(all)].sort((a, b) => a.localeCompare(b));
  }, [rows, history]);
  const shownRows = (rows ?? []).filter((r) => !question || r.question === question);
  const shownHistory = history.filter((h) => !question || h.question === question);

  const remove = async (id: string) => {
    setBusy(true);
    try {
      await api.deleteInterview(id);
      setRows((old) => (old ?? []).filter((r) => r.id !== id));
      setHistory((old) => old.filter((h) => h.interview_id !== id));
      setAnnounce('The interview and its recording were deleted.');
      setConfirming(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <h1>Your interviews</h1>
      <ErrorBox error={error} />
      <p class="sr-only" role="status">{announce}</p>
      {questions.length > 1 && (
        <div class="filters">
          <div class="field wide">
            <label for="h-question">Question</label>
            <select id="h-question" value={question} onChange={(e) => setQuestion(e.currentTarget.value)}>
              <option value="">All questions</option>
              {questions.map((q) => <option key={q} value={q}>{q}</option>)}
            </select>
          </div>
        </div>
      )}
      {shownHistory.length > 0 && <Trend items={shownHistory} />}
      {rows === null && !error && <Loading what="Loading your interviews…" />}
      {rows !== null && shownRows.length === 0 && (
        <p>No interviews yet. <a href="/">Choose a question</a> and record your first answer.</p>
      )}
      {shownRows.length > 0 && (
        <DataTable class="history" caption="Interviews, newest first" columns={['Question', 'Recorded', 'Status', 'Score']} actions>
          {shownRows.map((r) => (
            <tr key={r.id} data-interview-id={r.id}>
              <td><a href={`/interviews/${r.id}`}>{r.question}</a></td>
              <td>{formatDate(r.created_at)}</td>
              <td><StatusBadge status={r.status} /></td>
              <td><ScoreBadge score={scores.get(r.id) ?? r.score ?? null} label="Score" /></td>
              <td class="row-actions">
                {confirming === r.id ? (
                  <span class="confirm" role="group" aria-label="Confirm deletion">
                    <span>Delete the recording and report for good?</span>
                    <button type="button" class="danger small" disabled={busy} onClick={() => remove(r.id)}>Delete</button>
                    <button type="button" class="secondary small" onClick={() => setConfirming(null)}>Keep</button>
                  </span>
                ) : (
                  <button type="button" class="secondary small" aria-label={`Delete the interview “${r.question}” of ${formatDate(r.created_at)}`}
                    onClick={() => setConfirming(r.id)}>Delete</button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {cursor && <button type="button" class="secondary" onClick={() => loadMore(cursor)}>Load more</button>}
    </div>
  );
}

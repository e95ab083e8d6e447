import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { DataTable } from './DataTable';
import { UPlotChart } from './UPlotChart';
import { useI18n, type I18n } from '../i18n/context';
import {
  HISTORY_METRICS, METRIC_BETTER, METRIC_KIND, direction, metricData, metricRange, summarise, trendRange,
  type TrendSummary,
} from '../lib/trend';
import type { HistoryItem, HistoryMetricKey, HistoryTrend } from '../types';

/** A figure's value as people read it: a score, a percentage, or a number with its unit. */
function formatValue({ m, f }: I18n, key: HistoryMetricKey, v: number | null, signed = false): string {
  if (v === null) return '–';
  const sign = signed && v > 0 ? '+' : '';
  switch (METRIC_KIND[key]) {
    case 'score': return `${sign}${signed ? f.number(v) : f.score(v)}`;
    case 'share': return `${sign}${f.percent(v)}`;
    default: return m.history.metrics[key].value(`${sign}${f.number(v)}`);
  }
}

/** One figure of the answers over time: pick it, see it charted, its summary and its values. */
export function MetricTrend({ items, serverTrends, title }: {
  items: HistoryItem[];
  /** The API's trends of exactly these answers, when it has them (it knows the best pace). */
  serverTrends?: Partial<Record<HistoryMetricKey, HistoryTrend>> | null;
  /** The heading, when the answers are not the reader's own (a coach's view). */
  title?: string;
}) {
  const i18n = useI18n();
  const { m, f } = i18n;
  const t = m.history.metricTrend;
  const [key, setKey] = useState<HistoryMetricKey>('pace_wpm');
  const meta = m.history.metrics[key];
  const data = useMemo(() => metricData(items, key), [items, key]);
  const summary: TrendSummary = useMemo(() => {
    const s = serverTrends?.[key];
    return s ?? summarise(data[1], METRIC_BETTER[key]);
  }, [serverTrends, data, key]);

  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => ({
    height: 220,
    scales: {
      x: { time: true, range: () => trendRange(data[0]) },
      y: { range: metricRange(METRIC_KIND[key], data[1]) },
    },
    cursor: { drag: { x: false, y: false, setScale: false } },
    axes: [
      { values: (u, vals) => f.axisTimes(vals, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0)),
        stroke: '#444', grid: { stroke: '#e3e3e3' } },
      { stroke: '#444', grid: { stroke: '#e3e3e3' }, label: meta.unit, size: 56,
        values: (_u, vals) => vals.map((v) => (METRIC_KIND[key] === 'share' ? f.percent(v) : f.number(v))) },
    ],
    series: [
      { label: m.history.trend.date, value: (_u: uPlot, v: number) => (v ? f.date(new Date(v * 1000).toISOString()) : '–') },
      { label: meta.label, stroke: '#1f5fbf', width: 2, spanGaps: true, points: { show: true, size: 8, fill: '#1f5fbf' },
        value: (_u: uPlot, v: number | null) => formatValue(i18n, key, v ?? null) },
    ],
  }), [data, key, i18n]);

  const better = METRIC_BETTER[key];
  const dir = direction(summary.slope, better);
  const dated = data[0].map((x, i) => [x, data[1][i]] as const);
  const figures: [string, string, string][] = [
    ['count', t.count, f.number(summary.count)],
    ['first', t.first, formatValue(i18n, key, summary.first)],
    ['last', t.last, formatValue(i18n, key, summary.last)],
    ['best', t.best, formatValue(i18n, key, summary.best)],
    ['mean', t.mean, formatValue(i18n, key, summary.mean)],
    ['slope', t.slope, summary.slope === null ? '–'
      : `${formatValue(i18n, key, summary.slope, true)}${dir ? ` (${dir > 0 ? t.improving : t.worsening})` : ''}`],
  ];

  return (
    <section class="metric-trend" aria-labelledby="metric-trend-title">
      <h2 id="metric-trend-title">{title ?? t.title}</h2>
      <div class="filters">
        <div class="field">
          <label for="h-metric">{t.metric}</label>
          <select id="h-metric" value={key} onChange={(e) => setKey(e.currentTarget.value as HistoryMetricKey)}>
            {HISTORY_METRICS.map((k) => <option key={k} value={k}>{m.history.metrics[k].label}</option>)}
          </select>
        </div>
      </div>
      <figure class="chart" data-chart="metric" data-metric={key} data-points={summary.count}>
        <figcaption>
          <strong>{meta.label}</strong> <span class="muted">({meta.unit})</span>
          <span class="what">{meta.what} {t.better[better]}</span>
        </figcaption>
        {summary.count === 0 ? <p class="muted">{t.none}</p> : <UPlotChart options={options} data={data as unknown as uPlot.AlignedData} />}
      </figure>
      <dl class="figures trend-summary">
        {figures.map(([id, k, v]) => <div key={id} data-figure={id}><dt>{k}</dt><dd>{v}</dd></div>)}
      </dl>
      <p class="hint">{t.slopeHint}</p>
      {dated.length > 0 && (
        <details class="trend-data">
          <summary>{t.showData}</summary>
          <DataTable caption={t.dataCaption(meta.label)} columns={[m.history.trend.date, meta.label]}>
            {dated.map(([x, v], i) => (
              <tr key={i}>
                <td>{f.date(new Date(x * 1000).toISOString())}</td>
                <td>{formatValue(i18n, key, v)}</td>
              </tr>
            ))}
          </DataTable>
        </details>
      )}
    </section>
  );
}

import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartSpec } from '../lib/charts';
import { useI18n, type I18n } from '../i18n/context';
import { formatClock } from '../lib/format';
import { timeToX, xToTime, type TimeMark } from '../lib/timeaxis';
import type { Playhead } from './playhead';
import { UPlotChart } from './UPlotChart';

const stepped = uPlot.paths.stepped!({ align: 1 });

function seriesOpts(s: ChartSpec['series'][number], { m, f }: I18n): uPlot.Series {
  const unit = s.unit && s.unit !== 'share' ? ` ${m.charts.units[s.unit]}` : '';
  const base: uPlot.Series = {
    label: s.label,
    scale: s.scale,
    stroke: s.color,
    width: 2,
    spanGaps: true,
    value: (_u, v) => (v === null || v === undefined ? '–' : `${f.number(v)}${unit}`),
  };
  if (s.kind === 'step') return { ...base, paths: stepped, points: { show: false }, fill: `${s.color}22` };
  if (s.kind === 'points') return { ...base, paths: () => null, points: { show: true, size: 9, fill: s.color, stroke: s.color }, spanGaps: false };
  return { ...base, points: { show: false } };
}

/** A chart on the recording's time axis: a click seeks the video, a line follows the playhead. */
export function TimelineChart({ spec, duration, playhead }: { spec: ChartSpec; duration: number; playhead: Playhead }) {
  const i18n = useI18n();
  const { m } = i18n;
  const options = useMemo<Omit<uPlot.Options, 'width'>>(() => {
    const scaleIds = Object.keys(spec.scales);
    const scales: uPlot.Scales = { x: { time: false, range: [0, Math.max(duration, 1)] } };
    for (const id of scaleIds) {
      const r = spec.scales[id].range;
      scales[id] = r ? { range: r } : { auto: true };
    }
    return {
      height: 170,
      scales,
      legend: { show: true, live: true },
      cursor: { drag: { x: false, y: false, setScale: false }, points: { show: false } },
      axes: [
        {
          values: (_u, vals) => vals.map((v) => formatClock(v)),
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600],
          stroke: '#444',
          grid: { stroke: '#e3e3e3' },
        },
        ...scaleIds.map((id, i) => ({
          scale: id,
          side: i === 0 ? 3 : 1,
          label: spec.scales[id].label,
          stroke: '#444',
          grid: { show: i === 0, stroke: '#e3e3e3' },
          size: 52,
        })),
      ],
      series: [
        { label: m.charts.time, value: (_u: uPlot, v: number) => (v === null || v === undefined ? '–' : formatClock(v)) },
        ...spec.series.map((s) => seriesOpts(s, i18n)),
      ],
    };
  }, [spec, duration, i18n]);

  const data = useMemo(() => spec.data as unknown as uPlot.AlignedData, [spec]);

  const onCreate = (u: uPlot) => {
    const over = u.over;
    const line = document.createElement('div');
    line.className = 'playhead';
    line.setAttribute('aria-hidden', 'true');
    over.appendChild(line);
    const axis = () => ({ min: u.scales.x.min ?? 0, max: u.scales.x.max ?? duration, width: over.clientWidth });
    const onClick = (e: MouseEvent) => playhead.seek(xToTime(e.offsetX, axis()));
    over.addEventListener('click', onClick);
    // keyboard: the chart is a slider over the recording's time
    const root = u.root;
    const max = Math.max(duration, 0);
    root.tabIndex = 0;
    root.setAttribute('role', 'slider');
    root.setAttribute('aria-label', m.charts.slider(spec.title));
    root.setAttribute('aria-valuemin', '0');
    root.setAttribute('aria-valuemax', String(Math.round(max)));
    const onKey = (e: KeyboardEvent) => {
      const steps: Record<string, number> = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -5, PageUp: 5 };
      let t: number | null = null;
      if (e.key in steps) t = playhead.time + steps[e.key];
      else if (e.key === 'Home') t = 0;
      else if (e.key === 'End') t = max;
      if (t === null) return;
      e.preventDefault();
      playhead.seek(Math.min(max, Math.max(0, t)));
    };
    root.addEventListener('keydown', onKey);
    const place = (t: number) => {
      line.style.transform = `translateX(${timeToX(t, axis()).toFixed(1)}px)`;
      const sec = String(Math.floor(t));
      if (root.getAttribute('aria-valuenow') !== sec) {
        root.setAttribute('aria-valuenow', sec);
        root.setAttribute('aria-valuetext', formatClock(t));
      }
    };
    const unsub = playhead.subscribe(place);
    // the marked moments (comments): a click on one plays from there, hovering shows its text
    const marks = document.createElement('div');
    marks.className = 'time-marks';
    marks.setAttribute('aria-hidden', 'true');
    over.appendChild(marks);
    const drawMarks = (list: readonly TimeMark[]) => {
      marks.replaceChildren(...list.map((mk) => {
        const el = document.createElement('div');
        el.className = 'time-mark';
        el.dataset.t = String(mk.t);
        el.title = `${formatClock(mk.t)} ${mk.label}`;
        el.style.transform = `translateX(${timeToX(mk.t, axis()).toFixed(1)}px)`;
        el.addEventListener('click', (e) => {
          e.stopPropagation();
          playhead.seek(mk.t);
        });
        return el;
      }));
    };
    const unsubMarks = playhead.subscribeMarks(drawMarks);
    const ro = new ResizeObserver(() => {
      place(playhead.time);
      drawMarks(playhead.marks);
    });
    ro.observe(over);
    return () => {
      unsub();
      unsubMarks();
      ro.disconnect();
      root.removeEventListener('keydown', onKey);
      over.removeEventListener('click', onClick);
    };
  };

  return (
    <figure class="chart" data-chart={spec.id} data-points={spec.points}>
      <figcaption>
        <strong>{spec.title}</strong> <span class="muted">{spec.description}</span>
      </figcaption>
      {spec.points === 0 ? (
        <p class="muted">{m.charts.noData}</p>
      ) : (
        <UPlotChart options={options} data={data} onCreate={onCreate} />
      )}
      <p class="sr-only">{m.charts.howTo}</p>
    </figure>
  );
}

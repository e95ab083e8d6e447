import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UPlotChartProps {
  /** Options without width (taken from the container). */
  options: Omit<uPlot.Options, 'width'>;
  data: uPlot.AlignedData;
  onCreate?: (u: uPlot) => void | (() => void);
  class?: string;
}

/** A uPlot chart that follows its container's width. */
export function UPlotChart({ options, data, onCreate, class: cls }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth || 600);
    // The drawn time span, for tests and tools that read the page.
    const showScale = (p: uPlot) => {
      el.dataset.xMin = String(p.scales.x.min);
      el.dataset.xMax = String(p.scales.x.max);
    };
    const hooks = { ...options.hooks, draw: [...(options.hooks?.draw ?? []), showScale] };
    const u = new uPlot({ ...options, hooks, width } as uPlot.Options, data, el);
    const cleanup = onCreate?.(u);
    let last = width;
    const ro = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (Math.abs(w - last) > 2) {
        last = w;
        u.setSize({ width: w, height: options.height });
      }
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      if (typeof cleanup === 'function') cleanup();
      u.destroy();
    };
  }, [options, data]);

  return <div ref={box} class={cls ?? 'uplot-box'} />;
}

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface Series {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Bars instead of a line (counts per bucket). */
  readonly bars?: boolean;
}

/**
 * A time chart (uPlot, canvas): `times` in ms since the epoch. The numbers are also given as a table
 * for screen readers (`summary` names what the chart shows).
 */
export function TimeChart(props: {
  times: readonly number[];
  series: readonly Series[];
  summary: string;
  unit?: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const style = getComputedStyle(document.documentElement);
    const text = style.getPropertyValue('--muted').trim() || '#5b6475';
    const grid = style.getPropertyValue('--border').trim() || '#d9dde5';
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 300),
      height: props.height ?? 220,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        axis,
        {
          ...axis,
          size: 56,
          values: (_u, ticks) =>
            ticks.map((t) => `${Number.isInteger(t) ? t : t.toFixed(1)}${props.unit ?? ''}`),
        },
      ],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.bars ? `${s.color}55` : undefined,
          paths: s.bars ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined,
          points: { show: !s.bars, size: 5 },
          spanGaps: !s.bars,
        })),
      ],
    };
    const data = [
      props.times.map((t) => t / 1000),
      ...props.series.map((s) => [...s.values]),
    ] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 300), height: opts.height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series, props.height, props.unit]);
  return (
    <figure className="chart-figure">
      <div ref={box} className="chart" role="img" aria-label={props.summary} />
    </figure>
  );
}

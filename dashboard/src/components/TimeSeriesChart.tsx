// A time-series chart (uPlot: small and fast with tens of thousands of points).
import { createEffect, onCleanup, onMount } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { theme } from '../lib/theme';

export interface ChartSeries {
  label: string;
  color?: string;
}

export interface TimeSeriesChartProps {
  /** `[timestamps in seconds, ...one array per series]`, all the same length. */
  data: uPlot.AlignedData;
  series: readonly ChartSeries[];
  height?: number;
  /** Formats axis and legend values (bytes, %, ms...). */
  format?: (value: number) => string;
  title?: string;
}

/** Canvas strokes cannot use CSS variables: read the theme's current values. */
function themeColour(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  let host!: HTMLDivElement;
  let chart: uPlot | undefined;

  const options = (width: number): uPlot.Options => {
    const format = props.format ?? ((v: number) => String(v));
    const axis = themeColour('--muted', '#5b6472');
    const grid = themeColour('--grid', 'rgba(0,0,0,0.07)');
    return {
      width,
      height: props.height ?? 220,
      ...(props.title ? { title: props.title } : {}),
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      axes: [
        { stroke: axis, grid: { stroke: grid }, ticks: { stroke: grid } },
        {
          stroke: axis,
          grid: { stroke: grid },
          ticks: { stroke: grid },
          size: 70,
          values: (_u, values) => values.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 1.5,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)),
        })),
      ],
    };
  };

  onMount(() => {
    chart = new uPlot(options(host.clientWidth || 600), props.data, host);
    const observer = new ResizeObserver(() => {
      if (chart && host.clientWidth > 0)
        chart.setSize({ width: host.clientWidth, height: props.height ?? 220 });
    });
    observer.observe(host);
    onCleanup(() => {
      observer.disconnect();
      chart?.destroy();
      chart = undefined;
    });
  });

  let drawnTheme = theme();
  createEffect(() => {
    const data = props.data;
    const seriesCount = props.series.length;
    const currentTheme = theme();
    if (!chart) return;
    if (chart.series.length !== seriesCount + 1 || currentTheme !== drawnTheme) {
      drawnTheme = currentTheme;
      chart.destroy();
      chart = new uPlot(options(host.clientWidth || 600), data, host);
    } else {
      chart.setData(data);
    }
  });

  return <div class="chart" ref={host} />;
}

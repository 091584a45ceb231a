/**
 * The shared shape of the over-time charts (topic depth, in-flight per invoker, healthy invokers): one line per
 * series against simulated seconds, the warm-up shaded, the footer naming scenario and seed.
 */
import type { ChartConfiguration } from 'chart.js';
import type { RunOutput } from '../types.js';
import { axisTitle, baseOptions, colour, renderChart, type ChartDecorations } from './renderChart.js';
import { timeRangeSec, type Series } from './seriesColumns.js';

export interface TimeChartSpec {
  title: string;
  subtitle?: string;
  yTitle: string;
  series: Series[];
  /** Draw steps (a state that holds until the next sample) instead of straight segments. */
  stepped?: boolean;
  /** Integer-valued y axis (counts). */
  integerY?: boolean;
}

export function footerOf(output: RunOutput): string {
  return `owsim · ${output.summary.scenario} · seed ${output.summary.seed}`;
}

/** Warm-up shading when the measured window starts after the first sample. */
export function warmupDecoration(output: RunOutput, series: Series[]): ChartDecorations['shadeBefore'] {
  const warmupSec = output.summary.measuredFromMs / 1000;
  const [first] = timeRangeSec(series);
  return warmupSec > first ? { x: warmupSec, label: 'warm-up' } : undefined;
}

/** The scenario's scheduled faults as shaded intervals (a fault that never healed runs to the chart's end). */
export function faultIntervals(output: RunOutput, lastSec: number): { from: number; to: number; label: string }[] {
  return (output.summary.faults ?? []).map((f) => ({
    from: f.atMs / 1000,
    to: f.healedAtMs === null ? lastSec : f.healedAtMs / 1000,
    label: f.target !== undefined ? `${f.kind} ${f.target}` : f.kind,
  }));
}

export function renderTimeChart(output: RunOutput, spec: TimeChartSpec): Buffer {
  const [firstSec, lastSec] = timeRangeSec(spec.series);
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: spec.series.map((s, i) => ({
        label: s.name,
        data: s.points,
        borderColor: colour(i),
        backgroundColor: colour(i),
        stepped: spec.stepped === true ? 'before' : false,
      })),
    },
    options: {
      ...baseOptions(spec.title, spec.subtitle),
      parsing: false,
      normalized: true,
      scales: {
        x: { type: 'linear', min: firstSec, max: lastSec, title: axisTitle('simulated time (s)'), ticks: { font: { size: 13 } } },
        y: {
          type: 'linear',
          beginAtZero: true,
          // Headroom so a line at its peak does not merge with the plot's top edge.
          grace: '8%',
          title: axisTitle(spec.yTitle),
          ticks: { font: { size: 13 }, ...(spec.integerY === true ? { precision: 0 } : {}) },
        },
      },
    },
  };
  const shade = warmupDecoration(output, spec.series);
  const intervals = faultIntervals(output, lastSec);
  return renderChart(config, { footer: footerOf(output), ...(shade ? { shadeBefore: shade } : {}), ...(intervals.length > 0 ? { intervals } : {}) });
}

/** "top 8 of 40 topics by peak depth" when series were dropped, else undefined. */
export function topNote(shown: number, total: number, what: string, by: string): string | undefined {
  return shown < total ? `${shown} of ${total} ${what} with the highest ${by}` : undefined;
}

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
  /** Horizontal dashed lines across the whole time range (a limit), each in the legend. */
  referenceLines?: { label: string; y: number }[];
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

export type ShadedInterval = { from: number; to: number; label: string; kind: 'fault' | 'burst' };

/**
 * What every time chart shades: the scenario's scheduled faults (a fault that never healed runs to the chart's
 * end) and its workload bursts (`process: burst` windows, one band per distinct window, naming its action or
 * how many share it), read from the resolved scenario.
 */
export function faultIntervals(output: RunOutput, lastSec: number): ShadedInterval[] {
  const faults: ShadedInterval[] = (output.summary.faults ?? []).map((f) => ({
    from: f.atMs / 1000,
    to: f.healedAtMs === null ? lastSec : f.healedAtMs / 1000,
    label: f.target !== undefined ? `${f.kind} ${f.target}` : f.kind,
    kind: 'fault',
  }));
  return [...burstIntervals(output), ...faults];
}

/** Burst windows of the resolved scenario's actions, merged when several actions share one. */
export function burstIntervals(output: RunOutput): ShadedInterval[] {
  const scenario = output.resolvedScenario as { durationMs?: number; workload?: { timeScale?: number; actions?: { name?: string; arrivals?: { process?: string; atMs?: number; forMs?: number } }[] } } | null;
  const end = scenario?.durationMs ?? Infinity;
  // workload.timeScale divides the processes' times (the burst runs at at / timeScale).
  const scale = scenario?.workload?.timeScale ?? 1;
  const windows = new Map<string, { from: number; to: number; names: string[] }>();
  for (const a of scenario?.workload?.actions ?? []) {
    const arr = a.arrivals;
    if (arr?.process !== 'burst' || typeof arr.atMs !== 'number' || typeof arr.forMs !== 'number') continue;
    const key = `${arr.atMs}/${arr.forMs}`;
    const w = windows.get(key) ?? { from: arr.atMs / scale / 1000, to: Math.min((arr.atMs + arr.forMs) / scale, end) / 1000, names: [] };
    w.names.push(a.name ?? '?');
    windows.set(key, w);
  }
  return [...windows.values()].map((w) => ({
    from: w.from,
    to: w.to,
    label: w.names.length === 1 ? `burst ${w.names[0]}` : `burst (${w.names.length} actions)`,
    kind: 'burst',
  }));
}

export function renderTimeChart(output: RunOutput, spec: TimeChartSpec): Buffer {
  const [firstSec, lastSec] = timeRangeSec(spec.series);
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: [
        ...spec.series.map((s, i) => ({
          label: s.name,
          data: s.points,
          borderColor: colour(i),
          backgroundColor: colour(i),
          stepped: spec.stepped === true ? ('before' as const) : false,
        })),
        ...(spec.referenceLines ?? []).map((r) => ({
          label: r.label,
          data: [
            { x: firstSec, y: r.y },
            { x: lastSec, y: r.y },
          ],
          borderColor: '#b22222',
          backgroundColor: '#b22222',
          borderDash: [8, 5],
          pointRadius: 0,
        })),
      ],
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

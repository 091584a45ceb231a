/**
 * Capacity charts of a sweep: for each headline metric, the metric (mean over seeds) against the first swept
 * parameter, one line per value of the second (per combination of the remaining parameters when there are
 * more). Values of the first parameter that share a unit (`4`, `8`; `100/s`, `200/s`; `1GB`, `2GB`) are plotted
 * on a linear axis by their number; otherwise the points sit evenly spaced, labelled with the values.
 */
import type { ChartConfiguration } from 'chart.js';
import { HEADLINE_METRICS } from '../compare.js';
import { resultValue, type SweepOutcome } from '../../sweep/runSweep.js';
import { axisTitle, baseOptions, colour, renderChart } from './renderChart.js';

export interface CapacityChart {
  file: string;
  metric: string;
  png: Buffer;
}

/** Numbers and their common unit suffix, or null when the values are not all "number + the same suffix". */
export function numericAxis(values: readonly string[]): { numbers: number[]; unit: string } | null {
  let unit: string | undefined;
  const numbers: number[] = [];
  for (const v of values) {
    const m = /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(\S*)\s*$/i.exec(v);
    if (!m) return null;
    if (unit !== undefined && unit !== m[2]) return null;
    unit = m[2]!;
    numbers.push(Number(m[1]));
  }
  return { numbers, unit: unit ?? '' };
}

export function capacityChartFile(metric: string): string {
  return `capacity-${metric.replace(/[^A-Za-z0-9_-]+/g, '-')}.png`;
}

/** Metrics beyond the headline ones that get a capacity chart when the sweep's runs have them (with a store). */
const EXTRA_CHART_METRICS = [
  'oom.crashes',
  'oom.peakHeapFraction',
  'oom.activationsLost',
  'store.lostRecords',
  'store.pending',
  'store.writeLatencyMs.p99',
] as const;

/** The metrics a sweep draws a capacity chart of: the headline metrics, then the extras its runs have. */
export function capacityChartMetrics(outcome: SweepOutcome): string[] {
  const extras = EXTRA_CHART_METRICS.filter((m) => outcome.results.some((r) => (r.extra ?? []).some(([c]) => c === m)));
  return [...HEADLINE_METRICS.map(([m]) => m), ...extras];
}

/** `metrics`: draw only these (of capacityChartMetrics), so a pool can share the charts out; default all. */
export function renderCapacityCharts(outcome: SweepOutcome, metrics?: readonly string[]): CapacityChart[] {
  if (outcome.parameters.length === 0 || outcome.results.length === 0) return [];
  const firstValues = [...new Set(outcome.points.map((p) => p.values[0]!))];
  const axis = numericAxis(firstValues);
  const xOf = (value: string): number => (axis ? axis.numbers[firstValues.indexOf(value)]! : firstValues.indexOf(value));

  // Mean over seeds of each metric at each point.
  const charted = capacityChartMetrics(outcome);
  const sums = outcome.points.map(() => ({ n: 0, values: charted.map(() => 0) }));
  for (const r of outcome.results) {
    const s = sums[r.point]!;
    s.n++;
    charted.forEach((metric, i) => (s.values[i]! += resultValue(r, metric) ?? NaN));
  }
  // Lines: one per combination of the parameters after the first, in grid order.
  const lineKeys: string[] = [];
  const lineOf = outcome.points.map((p) => {
    const key = p.values
      .slice(1)
      .map((v, i) => `${outcome.parameters[i + 1]}=${v}`)
      .join(', ');
    if (!lineKeys.includes(key)) lineKeys.push(key);
    return lineKeys.indexOf(key);
  });

  const charts: CapacityChart[] = [];
  const seedsText = `${outcome.seeds.length} seed${outcome.seeds.length === 1 ? '' : 's'}`;
  charted.forEach((metric, m) => {
    if (metrics !== undefined && !metrics.includes(metric)) return;
    const datasets = lineKeys.map((key, line) => ({
      label: key === '' ? metric : key,
      data: outcome.points
        .filter((p) => lineOf[p.index] === line && sums[p.index]!.n > 0)
        .map((p) => ({ x: xOf(p.values[0]!), y: sums[p.index]!.values[m]! / sums[p.index]!.n }))
        .filter((pt) => Number.isFinite(pt.y))
        .sort((a, b) => a.x - b.x),
      borderColor: colour(line),
      backgroundColor: colour(line),
      pointRadius: 4,
    }));
    if (datasets.every((d) => d.data.length === 0)) return;
    const xTitle = axis && axis.unit !== '' ? `${outcome.parameters[0]} (${axis.unit})` : outcome.parameters[0]!;
    const config: ChartConfiguration<'line'> = {
      type: 'line',
      data: { datasets },
      options: {
        ...baseOptions(`${metric} against ${outcome.parameters[0]}`, `mean over ${seedsText} per point; one line per ${outcome.parameters.length > 1 ? outcome.parameters.slice(1).join(' × ') : 'sweep'}`),
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            title: axisTitle(xTitle),
            ...(axis
              ? {}
              : {
                  min: -0.5,
                  max: firstValues.length - 0.5,
                  // One tick per value at its whole-number position (the axis runs from -0.5, so the default ticks fall between).
                  afterBuildTicks: (scale: { ticks: { value: number }[] }) => {
                    scale.ticks = firstValues.map((_, i) => ({ value: i }));
                  },
                }),
            ticks: {
              font: { size: 13 },
              ...(axis ? (axis.numbers.every(Number.isInteger) ? { precision: 0 } : {}) : { stepSize: 1, callback: (v: string | number) => firstValues[Number(v)] ?? '' }),
            },
          },
          y: { type: 'linear', beginAtZero: true, grace: '8%', title: axisTitle(metric), ticks: { font: { size: 13 } } },
        },
      },
    };
    const png = renderChart(config, { footer: `owsim · ${outcome.scenario} · sweep of ${outcome.points.length} points × ${seedsText}` });
    charts.push({ file: capacityChartFile(metric), metric, png });
  });
  return charts;
}

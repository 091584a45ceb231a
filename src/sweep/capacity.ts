/**
 * Capacity charts of a sweep: for each headline metric, the metric (mean over seeds) against the first swept
 * parameter, one line per value of the second (per combination of the remaining parameters when there are
 * more). Values of the first parameter that share a unit (`4`, `8`; `100/s`, `200/s`; `1GB`, `2GB`) are plotted
 * on a linear axis by their number; otherwise the points sit evenly spaced, labelled with the values.
 */
import type { ChartConfiguration } from 'chart.js';
import { HEADLINE_METRICS } from '../report/summaryPaths.js';
import { resultValue, type SweepOutcome } from './runSweep.js';
import { compare, parseCondition, type ParsedCondition } from '../report/thresholds.js';
import { axisTitle, baseOptions, colour, renderChart } from '../report/charts/renderChart.js';

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
  const seedsText = `${outcome.seeds.length} seed${outcome.seeds.length === 1 ? '' : 's'}`;
  return capacityChartConfigs(outcome, metrics).map(({ metric, config }) => ({
    file: capacityChartFile(metric),
    metric,
    png: renderChart(config, { footer: `owsim · ${outcome.scenario} · sweep of ${outcome.points.length} points × ${seedsText}` }),
  }));
}

/** A scenario threshold on `metric` as a condition, or undefined (none, or one that does not parse). */
function thresholdOf(outcome: SweepOutcome, metric: string): ParsedCondition | undefined {
  const expression = outcome.thresholds?.[metric];
  if (expression === undefined) return undefined;
  try {
    return parseCondition(metric, expression);
  } catch {
    return undefined;
  }
}

/**
 * The first x from which a line meets the threshold at every larger x: what `owsim plan` (bisection, assuming
 * the metric is monotone in the swept value) answers for that line; undefined when its last point misses.
 */
export function smallestMeeting(points: readonly { x: number; y: number }[], c: ParsedCondition): { x: number; y: number } | undefined {
  let found: { x: number; y: number } | undefined;
  for (let i = points.length - 1; i >= 0; i--) {
    if (!compare(points[i]!.y, c.operator, c.value)) break;
    found = points[i];
  }
  return found;
}

/** A log y axis when every value is positive and they span more than two decades. */
export function wantsLogAxis(values: readonly number[]): boolean {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) > 100;
}

export function capacityChartConfigs(outcome: SweepOutcome, metrics?: readonly string[]): { metric: string; config: ChartConfiguration<'line'> }[] {
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

  const charts: { metric: string; config: ChartConfiguration<'line'> }[] = [];
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
    const lineCount = datasets.length;
    const threshold = thresholdOf(outcome, metric);
    const allY = datasets.flatMap((d) => d.data.map((p) => p.y));
    const logY = wantsLogAxis(threshold ? [...allY, threshold.value] : allY);
    const [xMin, xMax] = axis ? [Math.min(...axis.numbers), Math.max(...axis.numbers)] : [-0.5, firstValues.length - 0.5];
    const marks: string[] = [];
    if (threshold !== undefined) {
      const picks = datasets.map((d) => ({ label: d.label, pick: smallestMeeting(d.data, threshold) }));
      datasets.push({
        label: `threshold ${outcome.thresholds![metric]!.trim()}`,
        data: [
          { x: xMin, y: threshold.value },
          { x: xMax, y: threshold.value },
        ],
        borderColor: '#b22222',
        backgroundColor: '#b22222',
        pointRadius: 0,
        borderDash: [8, 5],
      } as (typeof datasets)[number]);
      const chosen = picks.filter((p) => p.pick !== undefined);
      if (chosen.length > 0) {
        datasets.push({
          label: 'smallest value meeting it from there on (owsim plan\'s answer)',
          data: chosen.map((p) => p.pick!),
          borderColor: '#111111',
          backgroundColor: 'rgba(0,0,0,0)',
          pointRadius: 11,
          pointStyle: 'circle',
          borderWidth: 2.5,
          showLine: false,
        } as (typeof datasets)[number]);
      }
      for (const p of picks) {
        const at = p.pick === undefined ? 'none' : axis ? String(p.pick.x) : (firstValues[p.pick.x] ?? '?');
        // The line's own values only (`80/s`), not the whole `path=value` key, so the subtitle stays short.
        marks.push(lineCount === 1 ? at : `${p.label.split(', ').map((kv) => kv.slice(kv.indexOf('=') + 1)).join(' ')}: ${at}`);
      }
    }
    const subtitle =
      `mean over ${seedsText} per point; one line per ${outcome.parameters.length > 1 ? outcome.parameters.slice(1).join(' × ') : 'sweep'}` +
      (threshold !== undefined ? ` · smallest ${outcome.parameters[0]} meeting ${outcome.thresholds![metric]!.trim()}: ${marks.join('; ')}` : '') +
      (logY ? ' · log scale' : '');
    const xTitle = axis && axis.unit !== '' ? `${outcome.parameters[0]} (${axis.unit})` : outcome.parameters[0]!;
    const config: ChartConfiguration<'line'> = {
      type: 'line',
      data: { datasets },
      options: {
        ...baseOptions(`${metric} against ${outcome.parameters[0]}`, subtitle),
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
          y: logY
            ? {
                type: 'logarithmic',
                title: axisTitle(`${metric} (log scale)`),
                // Only 1, 2 and 5 × 10^n get a label, so the labels of a decade do not overlap.
                ticks: { font: { size: 13 }, callback: (v: string | number) => (/^[125]0*(\.0+)?$/.test(String(Number(v))) || /^0\.0*[125]$/.test(String(Number(v))) ? Number(v).toLocaleString('en-US') : '') },
              }
            : { type: 'linear', beginAtZero: true, grace: '8%', title: axisTitle(metric), ticks: { font: { size: 13 } } },
        },
      },
    };
    charts.push({ metric, config });
  });
  return charts;
}

/**
 * The latency distribution as cumulative curves: for each x (milliseconds), the share of completed
 * activations that took at most x. Three curves: end-to-end latency, wait (arrival → start) and execution.
 *
 * Data: the exact CDF points in `output.charts` when the run attached them (LatencyHistogram.cdfPoints()),
 * otherwise the summary's quantiles (p50 … p99.9, max) joined by straight lines, which the subtitle says.
 * The x axis turns logarithmic when the values span more than two decades, so a long tail stays readable.
 * Dashed lines mark the latency p50 and p99.
 */
import type { ChartConfiguration } from 'chart.js';
import type { LatencySummary } from '../../sim/LatencyHistogram.js';
import { formatQuantity } from '../format.js';
import type { RunOutput } from '../types.js';
import { axisTitle, baseOptions, colour, renderChart } from './renderChart.js';
import { footerOf } from './timeChart.js';

type Cdf = [number, number][];

/** Approximate CDF points from quantiles. */
export function cdfFromQuantiles(l: LatencySummary): Cdf {
  const points: Cdf = [
    [l.p50, 0.5],
    [l.p90, 0.9],
    [l.p95, 0.95],
    [l.p99, 0.99],
    [l.p999, 0.999],
    [l.max, 1],
  ];
  // Quantiles are non-decreasing in a valid summary; keep the curve monotone anyway.
  for (let i = 1; i < points.length; i++) points[i]![0] = Math.max(points[i]![0], points[i - 1]![0]);
  return points;
}

/** Labels only 1, 2 and 5 times a power of ten on a log axis; the other grid lines stay unlabelled. */
export function logTickLabel(value: number): string {
  if (!(value > 0)) return '';
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const mantissa = value / Math.pow(10, exponent);
  const nice = [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
  return nice ? formatQuantity(value) : '';
}

export function latencyChart(output: RunOutput): Buffer | null {
  const s = output.summary;
  if (s.latencyMs.count === 0) return null;
  const exact = output.charts?.latencyCdf !== undefined && output.charts.latencyCdf.length > 0;
  const curves: { label: string; cdf: Cdf }[] = [
    { label: 'latency (arrival → completion)', cdf: exact ? output.charts!.latencyCdf! : cdfFromQuantiles(s.latencyMs) },
  ];
  const wait = exact ? output.charts?.waitCdf : s.waitMs.count > 0 ? cdfFromQuantiles(s.waitMs) : undefined;
  if (wait && wait.length > 0) curves.push({ label: 'wait (arrival → start)', cdf: wait });
  const exec = exact ? output.charts?.executionCdf : s.executionMs.count > 0 ? cdfFromQuantiles(s.executionMs) : undefined;
  if (exec && exec.length > 0) curves.push({ label: 'execution (start → end)', cdf: exec });

  const positive = curves.flatMap((c) => c.cdf.map(([x]) => x)).filter((x) => x > 0);
  const minX = positive.length > 0 ? Math.min(...positive) : 0;
  const maxX = positive.length > 0 ? Math.max(...positive) : 1;
  const logX = minX > 0 && maxX / minX > 100;

  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: curves.map((c, i) => ({
        label: c.label,
        data: c.cdf.filter(([x]) => !logX || x > 0).map(([x, y]) => ({ x, y: y * 100 })),
        borderColor: colour(i),
        backgroundColor: colour(i),
        borderWidth: i === 0 ? 3 : 2,
        pointRadius: exact ? 0 : 3,
      })),
    },
    options: {
      ...baseOptions(
        'Latency distribution (cumulative, ms)',
        `${s.latencyMs.count} completed activations after warm-up` +
          (exact ? '' : ' · curve through the summary quantiles (p50, p90, p95, p99, p99.9, max)'),
      ),
      parsing: false,
      scales: {
        x: {
          type: logX ? 'logarithmic' : 'linear',
          title: axisTitle(`time (ms${logX ? ', log scale' : ''})`),
          ticks: logX
            ? { font: { size: 13 }, maxRotation: 0, autoSkip: false, callback: (value) => logTickLabel(Number(value)) }
            : { font: { size: 13 }, maxRotation: 0 },
          ...(logX ? {} : { beginAtZero: true }),
        },
        y: {
          type: 'linear',
          min: 0,
          max: 100,
          title: axisTitle('activations at or below (%)'),
          ticks: { font: { size: 13 }, stepSize: 10 },
        },
      },
    },
  };
  return renderChart(config, {
    footer: footerOf(output),
    markers: [
      { x: s.latencyMs.p50, label: `latency p50 ${formatQuantity(s.latencyMs.p50)} ms`, colour: '#333333' },
      { x: s.latencyMs.p99, label: `latency p99 ${formatQuantity(s.latencyMs.p99)} ms`, colour: '#c0392b' },
    ],
  });
}

/**
 * Arrivals and completions per second over time, from the cumulative `arrived` and `completed` columns (the
 * difference between two samples over the interval). Completions below arrivals is a backlog building (in
 * Kafka, queues or lost); completions above them after a burst is the backlog draining.
 */
import type { RunOutput } from '../types.js';
import { timeColumnIndex, type Series } from './seriesColumns.js';
import { renderTimeChart } from './timeChart.js';

function ratePerSec(output: RunOutput, column: string, name: string): Series | null {
  const ts = output.timeseries;
  const t = timeColumnIndex(ts);
  const c = ts.columns.indexOf(column);
  if (t === -1 || c === -1 || ts.rows.length < 2) return null;
  const points: { x: number; y: number }[] = [];
  let max = -Infinity;
  for (let i = 1; i < ts.rows.length; i++) {
    const dt = (ts.rows[i]![t]! - ts.rows[i - 1]![t]!) / 1000;
    if (!(dt > 0)) continue;
    const y = (ts.rows[i]![c]! - ts.rows[i - 1]![c]!) / dt;
    if (y > max) max = y;
    points.push({ x: ts.rows[i]![t]! / 1000, y });
  }
  return { name, points, max };
}

export function throughputChart(output: RunOutput): Buffer | null {
  const arrived = ratePerSec(output, 'arrived', 'arrivals/s');
  const completed = ratePerSec(output, 'completed', 'completions/s');
  if (arrived === null || completed === null) return null;
  const s = output.summary;
  return renderTimeChart(output, {
    title: 'Arrivals and completions per second',
    subtitle: `${s.activations.arrived} arrived, ${s.activations.completed} completed, ${s.activations.timedOut} timed out, ${s.activations.lost} lost · per sample interval`,
    yTitle: 'activations per second',
    series: [arrived, completed],
    stepped: true,
  });
}

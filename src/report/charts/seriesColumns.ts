/**
 * Reading the run's time series for charts. The series is column-oriented: the time column first (`t_ms`;
 * `timeMs` is accepted too), then columns named with dotted prefixes: `depth.<topic>`, `inFlight.<invoker>`,
 * `overflow.<controller>` (0/1), `healthy.<controller>`. A chart asks for one prefix and gets one series per
 * matching column, x in seconds; a chart whose columns are absent gets nothing and is skipped.
 */
import type { TimeSeries } from '../types.js';

const TIME_COLUMNS = ['t_ms', 'timeMs'];

export interface Series {
  /** The column name without its prefix, e.g. the topic name. */
  name: string;
  points: { x: number; y: number }[];
  max: number;
}

/** Index of the time column, or -1 when the series has none. */
export function timeColumnIndex(ts: TimeSeries): number {
  for (const name of TIME_COLUMNS) {
    const i = ts.columns.indexOf(name);
    if (i !== -1) return i;
  }
  return -1;
}

/** One series per column named `<prefix>.<name>`, in column order, x = time in seconds. */
export function seriesWithPrefix(ts: TimeSeries, prefix: string): Series[] {
  const t = timeColumnIndex(ts);
  if (t === -1 || ts.rows.length === 0) return [];
  const out: Series[] = [];
  ts.columns.forEach((column, c) => {
    if (!column.startsWith(`${prefix}.`) || column.length === prefix.length + 1) return;
    let max = -Infinity;
    const points = ts.rows.map((row) => {
      const y = row[c] ?? NaN;
      if (y > max) max = y;
      return { x: (row[t] ?? NaN) / 1000, y };
    });
    out.push({ name: column.slice(prefix.length + 1), points, max });
  });
  return out;
}

/** The `n` series with the largest peaks; ties keep column order. The result stays in column order. */
export function topByMax(series: Series[], n: number): Series[] {
  if (series.length <= n) return series;
  const ranked = series
    .map((s, i) => ({ s, i }))
    .sort((a, b) => b.s.max - a.s.max || a.i - b.i)
    .slice(0, n)
    .sort((a, b) => a.i - b.i);
  return ranked.map((r) => r.s);
}

/** Simulated seconds spanned by the series: [first, last]. */
export function timeRangeSec(series: Series[]): [number, number] {
  const points = series[0]?.points ?? [];
  return [points[0]?.x ?? 0, points[points.length - 1]?.x ?? 0];
}

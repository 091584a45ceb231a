/**
 * The out-of-memory projection of summary.json's `oom.projectedTimeToOomMs`, from the sampled heap series.
 *
 * At the instant the load ends (`atMs`, the scenario's duration) take the invoker whose heap is nearest its
 * limit (largest heap / limit among invokers that are up), measure its growth rate over the preceding
 * window (two samples of its `heapMb.<invoker>` column, `windowMs` apart), and return how long that rate
 * needs to reach the limit. Null when no invoker is up or the nearest one's heap is not growing.
 *
 * Example: limit 1024 MB, heap 700 MB at 60 s and 640 MB at 30 s: 2 MB/s, so (1024 − 700) / 2 = 162 s.
 */
import { assert } from '../../sim/assert.js';

export interface HeapSeries {
  columns: readonly string[];
  rows: readonly (readonly number[])[];
}

/** Index of the last row sampled at or before `tMs`, or -1. */
function rowAtOrBefore(rows: readonly (readonly number[])[], tMs: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]![0]! <= tMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

export function projectTimeToOomMs(series: HeapSeries, invokerNames: readonly string[], heapLimitMb: number, atMs: number, windowMs: number): number | null {
  assert(heapLimitMb > 0, 'projectTimeToOomMs: the heap limit must be positive');
  assert(windowMs > 0, 'projectTimeToOomMs: the window must be positive');
  const end = rowAtOrBefore(series.rows, atMs);
  if (end < 0) return null;
  const endRow = series.rows[end]!;
  const startIndex = rowAtOrBefore(series.rows, endRow[0]! - windowMs);
  if (startIndex < 0 || startIndex === end) return null;
  const startRow = series.rows[startIndex]!;
  let nearest = -1;
  let nearestHeapMb = 0;
  for (const name of invokerNames) {
    const col = series.columns.indexOf(`heapMb.${name}`);
    assert(col >= 0, `projectTimeToOomMs: no heap column for ${name}`);
    const heapMb = endRow[col]!;
    // 0 means the invoker is down at that instant.
    if (heapMb > nearestHeapMb) {
      nearestHeapMb = heapMb;
      nearest = col;
    }
  }
  if (nearest < 0) return null;
  const before = startRow[nearest]!;
  // A crash inside the window makes the earlier sample meaningless (0): no projection from it.
  if (before <= 0) return null;
  const ratePerMs = (nearestHeapMb - before) / (endRow[0]! - startRow[0]!);
  if (!(ratePerMs > 0)) return null;
  return Math.max(0, Math.round((heapLimitMb - nearestHeapMb) / ratePerMs));
}

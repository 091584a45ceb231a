/**
 * A streaming latency summary: exact count, mean, min and max, plus quantiles from an HdrHistogram with three
 * significant digits. Values are milliseconds; the histogram records whole microseconds, so quantiles are
 * exact to 0.1% of the value (or 1 µs). Nothing stores individual samples.
 *
 * Recording is the hot path (three values per completed activation), and hdr-histogram-js's `recordValue`
 * (index by `Math.log2`, auto-resize check, min/max upkeep) cost about 5% of a whole-model run. So `record`
 * only bumps a count in `pending`, an array laid out exactly as the HdrHistogram's own counts (bucket
 * b = max(⌊log2 v⌋ − 10, 0), sub-bucket v >> b, index b·1024 + (v >> b); computed with `Math.clz32`), and the
 * counts are added to the HdrHistogram, one `recordValueWithCount` per non-empty bucket, before anything reads
 * it. Every value lands in the same bucket either way, so the quantiles and CDF points are the same to the bit.
 * Values of 2^31 µs (36 minutes) and more go to the HdrHistogram directly.
 */
import * as hdr from 'hdr-histogram-js';
import { assert } from './assert.js';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

/** HdrHistogram's layout for 3 significant digits and a lowest value of 1: 2048 sub-buckets, half 1024. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 10;
const PENDING_LIMIT = 2 ** 31;
/** Index of the largest value below PENDING_LIMIT, plus one. */
const PENDING_LENGTH = ((31 - SUB_BUCKET_HALF_COUNT_MAGNITUDE) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + 2 ** (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);

/** The HdrHistogram every LatencyHistogram reads through (3 significant digits, auto-resizing, plain JS). */
export const HDR_OPTIONS = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 2,
  autoResize: true,
  numberOfSignificantValueDigits: 3,
  bitBucketSize: 64,
  useWebAssembly: false,
} as const;

/**
 * The counts index of `us`, a whole number of microseconds below 2^31, in HdrHistogram's log-linear layout with
 * 2^halfMagnitude sub-buckets per half: bucket b = max(⌊log2 us⌋ − halfMagnitude, 0), index
 * b·2^halfMagnitude + ⌊us / 2^b⌋, by integer operations only (⌊log2 us⌋ = 31 − clz32(us); 0 for us = 0, where
 * clz32 is 32). LatencyHistogram's layout (half 1,024) and CompactHistogram's (half 128).
 */
export function logLinearIndex(us: number, halfMagnitude: number): number {
  let bucket = 31 - halfMagnitude - Math.clz32(us);
  if (bucket < 0) bucket = 0;
  return (bucket << halfMagnitude) + (us >>> bucket);
}

export class LatencyHistogram {
  private readonly histogram = hdr.build(HDR_OPTIONS);
  /** Counts recorded since the last flush, by HdrHistogram counts index; allocated on first use. */
  private pending: Float64Array | null = null;
  private pendingMaxIndex = -1;
  count = 0;
  private sum = 0;
  min = Infinity;
  max = -Infinity;

  record(valueMs: number): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (!(valueMs >= 0)) assert(false, `latency ${valueMs} ms is negative`);
    this.count++;
    this.sum += valueMs;
    if (valueMs < this.min) this.min = valueMs;
    if (valueMs > this.max) this.max = valueMs;
    const us = Math.round(valueMs * 1000);
    if (us >= PENDING_LIMIT) {
      this.histogram.recordValue(us);
      return;
    }
    const index = logLinearIndex(us, SUB_BUCKET_HALF_COUNT_MAGNITUDE);
    let pending = this.pending;
    if (pending === null) pending = this.pending = new Float64Array(PENDING_LENGTH);
    pending[index]!++;
    if (index > this.pendingMaxIndex) this.pendingMaxIndex = index;
  }

  /** Moves the pending counts into the HdrHistogram (at the lowest value of each bucket: same bucket). */
  private flush(): void {
    const pending = this.pending;
    if (pending === null || this.pendingMaxIndex < 0) return;
    const h = this.histogram as unknown as { valueFromIndex(i: number): number };
    for (let i = 0; i <= this.pendingMaxIndex; i++) {
      const n = pending[i]!;
      if (n === 0) continue;
      this.histogram.recordValueWithCount(h.valueFromIndex(i), n);
      pending[i] = 0;
    }
    this.pendingMaxIndex = -1;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Quantile in milliseconds, q in [0, 100]. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    this.flush();
    return this.histogram.getValueAtPercentile(q) / 1000;
  }

  /**
   * Points of the cumulative distribution for charts: [valueMs, fraction ≤ value], at most about `maxPoints`
   * of them, thinned so each step adds at least 1/maxPoints of the mass. One linear pass over the bucket
   * counts (report time only).
   */
  cdfPoints(maxPoints = 400): [number, number][] {
    const points: [number, number][] = [];
    if (this.count === 0) return points;
    this.flush();
    const h = this.histogram as unknown as {
      countsArrayLength: number;
      getCountAtIndex(i: number): number;
      valueFromIndex(i: number): number;
      highestEquivalentValue(v: number): number;
      totalCount: number;
    };
    const total = h.totalCount;
    const minStep = total / maxPoints;
    let cumulative = 0;
    let lastEmitted = -Infinity;
    for (let i = 0; i < h.countsArrayLength; i++) {
      const n = h.getCountAtIndex(i);
      if (n === 0) continue;
      cumulative += n;
      if (cumulative - lastEmitted >= minStep || cumulative === total) {
        points.push([h.highestEquivalentValue(h.valueFromIndex(i)) / 1000, cumulative / total]);
        lastEmitted = cumulative;
      }
      if (cumulative === total) break;
    }
    return points;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      mean: round3(this.mean),
      p50: round3(this.percentile(50)),
      p90: round3(this.percentile(90)),
      p95: round3(this.percentile(95)),
      p99: round3(this.percentile(99)),
      p999: round3(this.percentile(99.9)),
      max: this.count === 0 ? 0 : round3(this.max),
    };
  }
}

/** Rounds to three decimals so reports do not carry float noise. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

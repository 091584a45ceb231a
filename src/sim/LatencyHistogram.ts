/**
 * A streaming latency summary: exact count, mean, min and max, plus quantiles from an HdrHistogram with three
 * significant digits. Values are milliseconds; the histogram records whole microseconds, so quantiles are
 * exact to 0.1% of the value (or 1 µs). Nothing stores individual samples.
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

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    autoResize: true,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 64,
    useWebAssembly: false,
  });
  count = 0;
  private sum = 0;
  min = Infinity;
  max = -Infinity;

  record(valueMs: number): void {
    if (!(valueMs >= 0)) assert(false, `latency ${valueMs} ms is negative`);
    this.count++;
    this.sum += valueMs;
    if (valueMs < this.min) this.min = valueMs;
    if (valueMs > this.max) this.max = valueMs;
    this.histogram.recordValue(Math.round(valueMs * 1000));
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Quantile in milliseconds, q in [0, 100]. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
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

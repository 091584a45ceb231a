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

  /** Fraction of recorded values at or below `valueMs`. */
  fractionAtOrBelow(valueMs: number): number {
    if (this.count === 0) return 0;
    const bound = Math.round(valueMs * 1000);
    let below = 0;
    // hdr-histogram-js has no public CDF accessor; walk the recorded values once (report time only).
    const text = this.histogram.outputPercentileDistribution(1, 1000);
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 3 || Number.isNaN(Number(cols[0]))) continue;
      if (Number(cols[0]) <= bound) below = Number(cols[1]);
    }
    return below;
  }

  /** Points of the cumulative distribution for charts: [valueMs, fraction]. Report time only. */
  cdfPoints(): [number, number][] {
    const points: [number, number][] = [];
    if (this.count === 0) return points;
    const text = this.histogram.outputPercentileDistribution(5, 1000);
    for (const line of text.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 3 || Number.isNaN(Number(cols[0])) || cols[0] === '') continue;
      points.push([Number(cols[0]), Number(cols[1])]);
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

/**
 * A small streaming latency histogram for breakdowns (one per action, namespace or window), where a full
 * LatencyHistogram (a 188 KB pending array plus an HdrHistogram) per key would not stay bounded for a thousand
 * keys. Same log-linear layout as an HdrHistogram with 256 sub-buckets (half 128): bucket
 * b = max(⌊log2 v⌋ − 7, 0), index b·128 + (v >> b), v in whole microseconds. A value lands in a bucket no wider
 * than 1/128 of itself, so quantiles are exact to 0.8% (the headline figures use 3 significant digits).
 *
 * Counts live in a Uint32Array that grows to the highest index seen (a bucket of 128 counts at a time), so an
 * action whose latencies stay below a second holds about 7 KB. Count, mean and max are exact. Values of
 * 2^36 µs (19 hours) and more are counted in the last bucket.
 */
import { assert } from './assert.js';
import type { LatencySummary } from './LatencyHistogram.js';
import { round3 } from './LatencyHistogram.js';

const HALF_MAGNITUDE = 7;
const HALF = 1 << HALF_MAGNITUDE;
const MAX_US = 2 ** 36 - 1;
const MAX_INDEX = ((36 - 1 - HALF_MAGNITUDE) << HALF_MAGNITUDE) + 2 * HALF;

export class CompactHistogram {
  private counts: Uint32Array = EMPTY;
  count = 0;
  private sum = 0;
  max = 0;

  record(valueMs: number): void {
    if (!(valueMs >= 0)) assert(false, `latency ${valueMs} ms is negative`);
    this.count++;
    this.sum += valueMs;
    if (valueMs > this.max) this.max = valueMs;
    let us = Math.round(valueMs * 1000);
    if (us > MAX_US) us = MAX_US;
    const index = indexOf(us);
    let counts = this.counts;
    if (index >= counts.length) counts = this.grow(index);
    counts[index]!++;
  }

  private grow(index: number): Uint32Array {
    const length = Math.min(MAX_INDEX, (Math.floor(index / HALF) + 1) * HALF);
    const next = new Uint32Array(length);
    next.set(this.counts);
    this.counts = next;
    return next;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Bytes held by the counts (for the memory bound's test). */
  get bytes(): number {
    return this.counts.byteLength;
  }

  /** The q-th percentile (q in [0, 100]) in milliseconds: the highest value of the bucket holding it, at most `max`. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((q / 100) * this.count));
    let seen = 0;
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return Math.min(this.max, highestOf(i) / 1000);
    }
    return this.max;
  }

  /** Adds another histogram's counts (folding keys together). */
  add(other: CompactHistogram): void {
    if (other.counts.length > this.counts.length) this.grow(other.counts.length - 1);
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
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
      max: round3(this.max),
    };
  }
}

const EMPTY = new Uint32Array(0);

function indexOf(us: number): number {
  // ⌊log2 us⌋ = 31 − clz32(us) below 2^32; above it, split off the high part.
  const log2 = us < 2 ** 32 ? 31 - Math.clz32(us) : 32 + 31 - Math.clz32(Math.floor(us / 2 ** 32));
  let bucket = log2 - HALF_MAGNITUDE;
  if (bucket < 0) bucket = 0;
  return (bucket << HALF_MAGNITUDE) + Math.floor(us / 2 ** bucket);
}

/** The highest microsecond value that falls into counts index `i`. */
function highestOf(i: number): number {
  let bucket = (i >> HALF_MAGNITUDE) - 1;
  let sub = i - (bucket << HALF_MAGNITUDE);
  if (bucket < 0) {
    bucket = 0;
    sub = i;
  }
  return (sub + 1) * 2 ** bucket - 1;
}

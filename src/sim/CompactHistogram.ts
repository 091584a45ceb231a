/**
 * A small streaming latency histogram for breakdowns (one per action, namespace or window), where a full
 * LatencyHistogram (a 188 KB pending array plus an HdrHistogram) per key would not stay bounded for a thousand
 * keys. Same log-linear layout as an HdrHistogram with 256 sub-buckets (half 128): bucket
 * b = max(⌊log2 v⌋ − 7, 0), index b·128 + (v >> b), v in whole microseconds. A value lands in a bucket no wider
 * than 1/128 of itself, so quantiles are exact to 0.8% (the headline figures use 3 significant digits).
 *
 * Most keys of a large population see few values (a 5,000-action day leaves most actions a handful of calls),
 * and a dense array costs its full width from the first value (7 KB for a value near one second, 10 KB near a
 * minute). So the first SPARSE_MAX values keep only their bucket indices (4 bytes each, in an array that
 * doubles from 4); the next value turns them into counts in a Uint32Array that grows to the highest index seen
 * (a bucket of 128 counts at a time). Both forms give the same quantiles: the rank-th smallest index is the
 * first index whose running count reaches the rank. Count, mean and max are exact. Values of 2^36 µs
 * (19 hours) and more are counted in the last bucket.
 */
import { assert } from './assert.js';
import type { LatencySummary } from './LatencyHistogram.js';
import { logLinearIndex, round3 } from './LatencyHistogram.js';

const HALF_MAGNITUDE = 7;
const HALF = 1 << HALF_MAGNITUDE;
const MAX_US = 2 ** 36 - 1;
const MAX_INDEX = ((36 - 1 - HALF_MAGNITUDE) << HALF_MAGNITUDE) + 2 * HALF;
/** Values kept as bucket indices before the counts array is built (1 KB of indices, under a dense array's 7 KB). */
export const SPARSE_MAX = 256;

export class CompactHistogram {
  private counts: Uint32Array = EMPTY;
  /** The bucket indices of the values recorded so far while at most SPARSE_MAX; null once `counts` holds them. */
  private indices: Uint32Array | null = EMPTY;
  /** Whether `indices` (first `count` entries) is in ascending order, as percentile() needs it. */
  private sorted = true;
  count = 0;
  private sum = 0;
  max = 0;

  record(valueMs: number): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (!(valueMs >= 0)) assert(false, `latency ${valueMs} ms is negative`);
    this.sum += valueMs;
    if (valueMs > this.max) this.max = valueMs;
    let us = Math.round(valueMs * 1000);
    if (us > MAX_US) us = MAX_US;
    this.recordIndex(indexOf(us));
  }

  private recordIndex(index: number): void {
    const indices = this.indices;
    if (indices !== null) {
      if (this.count < SPARSE_MAX) {
        const list = this.count < indices.length ? indices : this.widen();
        list[this.count++] = index;
        this.sorted = false;
        return;
      }
      this.densify();
    }
    this.count++;
    let counts = this.counts;
    if (index >= counts.length) counts = this.grow(index);
    counts[index]!++;
  }

  private widen(): Uint32Array {
    const next = new Uint32Array(Math.min(SPARSE_MAX, Math.max(4, this.indices!.length * 2)));
    next.set(this.indices!);
    this.indices = next;
    return next;
  }

  /** Turns the kept indices into counts (on the value after SPARSE_MAX, or to add a dense histogram). */
  private densify(): void {
    const indices = this.indices!;
    this.indices = null;
    for (let i = 0; i < this.count; i++) {
      const index = indices[i]!;
      if (index >= this.counts.length) this.grow(index);
      this.counts[index]!++;
    }
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
    return this.counts.byteLength + (this.indices?.byteLength ?? 0);
  }

  /** The q-th percentile (q in [0, 100]) in milliseconds: the highest value of the bucket holding it, at most `max`. */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((q / 100) * this.count));
    const indices = this.indices;
    if (indices !== null) {
      if (!this.sorted) {
        indices.subarray(0, this.count).sort();
        this.sorted = true;
      }
      return Math.min(this.max, highestOf(indices[rank - 1]!) / 1000);
    }
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
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
    if (other.indices !== null) {
      for (let i = 0; i < other.count; i++) this.recordIndex(other.indices[i]!);
      return;
    }
    if (this.indices !== null) this.densify();
    if (other.counts.length > this.counts.length) this.grow(other.counts.length - 1);
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
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
/** 2^b for every bucket b (exact doubles), so that no hot line calls pow. */
const POWERS_OF_TWO: readonly number[] = Array.from({ length: 64 }, (_, b) => 2 ** b);

function indexOf(us: number): number {
  // Below 2^31 µs (36 minutes), integer shifts: `2 ** bucket` with a variable exponent is a call to V8's general
  // pow, which cost ~2% of a whole run.
  if (us < 2 ** 31) return logLinearIndex(us, HALF_MAGNITUDE);
  // Above it, split off the high part; the power of two comes from the table (exact, no pow).
  const log2 = us < 2 ** 32 ? 31 - Math.clz32(us) : 32 + 31 - Math.clz32(Math.floor(us / 2 ** 32));
  const bucket = log2 - HALF_MAGNITUDE;
  return (bucket << HALF_MAGNITUDE) + Math.floor(us / POWERS_OF_TWO[bucket]!);
}

/** The highest microsecond value that falls into counts index `i`. */
function highestOf(i: number): number {
  let bucket = (i >> HALF_MAGNITUDE) - 1;
  let sub = i - (bucket << HALF_MAGNITUDE);
  if (bucket < 0) {
    bucket = 0;
    sub = i;
  }
  return (sub + 1) * POWERS_OF_TWO[bucket]! - 1;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactHistogram, SPARSE_MAX } from '../../src/sim/CompactHistogram.js';

/** The bucket layout as the file header states it, computed with plain division and powers (the reference). */
function referenceIndex(us: number): number {
  const log2 = Math.floor(Math.log2(Math.max(us, 1)));
  const bucket = Math.max(log2 - 7, 0);
  return bucket * 128 + Math.floor(us / Math.pow(2, bucket));
}

function referenceHighest(index: number): number {
  let bucket = Math.floor(index / 128) - 1;
  let sub = index - bucket * 128;
  if (bucket < 0) {
    bucket = 0;
    sub = index;
  }
  return (sub + 1) * Math.pow(2, bucket) - 1;
}

/** The value the histogram reports for `us` alone, with a far larger value beside it so that `max` does not clip. */
function reported(us: number, dense: boolean): number {
  const h = new CompactHistogram();
  // Dense: past SPARSE_MAX values the counts array holds them; sparse: the kept indices do.
  const copies = dense ? SPARSE_MAX + 1 : 1;
  for (let i = 0; i < copies; i++) h.record(us / 1000);
  for (let i = 0; i < copies; i++) h.record(2 ** 36 / 1000);
  return h.percentile(50);
}

describe('CompactHistogram bucket index', () => {
  it('puts every value in the bucket the layout defines, below and above 2^31 µs, sparse and dense', () => {
    // Integers up to 2^36 − 1 µs (the last bucket's limit), biased towards bucket edges.
    const edge = fc.integer({ min: 0, max: 35 }).chain((b) => fc.integer({ min: -2, max: 2 }).map((d) => Math.max(0, 2 ** b + d)));
    const value = fc.oneof(fc.integer({ min: 0, max: 2 ** 36 - 1 }), edge, fc.integer({ min: 0, max: 2 ** 20 }));
    fc.assert(
      fc.property(value, fc.boolean(), (us, dense) => {
        expect(reported(us, dense)).toBe(referenceHighest(referenceIndex(us)) / 1000);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the exact edges: 2^31 − 1 and 2^31 µs fall into the buckets of their magnitude', () => {
    for (const us of [0, 1, 127, 128, 255, 256, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 36 - 1]) {
      expect(reported(us, false)).toBe(referenceHighest(referenceIndex(us)) / 1000);
    }
  });
});

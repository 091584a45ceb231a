/**
 * The schedule functions walk the invoker progression once (the 1×/2×/3×/first-healthy cascade remembers the
 * first candidate of each tier) with a running index. This file keeps the straightforward form — up to four
 * walks, one `find` per tier as docs/openwhisk.md §4 and §6.2 describe it, each position computed with `%` —
 * and checks on random partitions (invoker states, usages, thresholds, hashes including negative ones and
 * Int.MinValue) that both give the same invoker or throw the same JvmException.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createPairwiseCoprimeNumbersUntil,
  JvmException,
  pairwiseCoprimeNumbersUntil,
  schedulePR,
  schedulePrePR,
  type InvokerWithUsage,
  type StepSizes,
} from '../../../src/model/controller/LoadBalancerService.js';
import type { InvokerState } from '../../../src/model/messages.js';
import { indexOutOfBounds, requirementFailed } from '../../../src/model/common/JvmException.js';

const INT_MIN_VALUE = -2147483648;
const STATES: readonly InvokerState[] = ['Healthy', 'UnHealthy', 'Offline', 'Unresponsive'];

/** One `find` over the progression: the first Healthy invoker below `limit` (any Healthy one for null). */
function referenceFind(invokers: readonly InvokerWithUsage[], home: number, step: number, limit: number | null): number {
  const n = invokers.length;
  for (let i = 0; i < n; i++) {
    const index = (home + i * step) % n;
    const invoker = invokers[index]!;
    if (invoker.state !== 'Healthy') continue;
    if (limit === null || invoker.usage < limit) return index;
  }
  return -1;
}

/** find(< T) orElse find(< 2T) orElse find(< 3T) orElse the first Healthy: four walks. */
function referenceCascade(invokers: readonly InvokerWithUsage[], threshold: number, home: number, step: number): number {
  for (let multiple = 1; multiple <= 3; multiple++) {
    const found = referenceFind(invokers, home, step, Math.imul(threshold, multiple));
    if (found >= 0) return found;
  }
  return referenceFind(invokers, home, step, null);
}

/** The step (looked up first, as the Scala does) and the home position, throwing as `IndexedSeq.apply` does. */
function referenceWalk(n: number, hash: number, stepSizes: StepSizes): { home: number; step: number } {
  const steps = stepSizes(n);
  const stepIndex = hash % steps.length;
  if (stepIndex < 0) throw indexOutOfBounds(stepIndex, steps.length);
  const home = hash % n;
  if (home < 0) throw indexOutOfBounds(home, n);
  return { home, step: steps[stepIndex]! };
}

function referencePrePR(invokers: readonly InvokerWithUsage[], threshold: number, hash: number): number | null {
  if (invokers.length === 0) return null;
  const { home, step } = referenceWalk(invokers.length, hash, pairwiseCoprimeNumbersUntil);
  const found = referenceCascade(invokers, threshold, home, step);
  return found < 0 ? null : invokers[found]!.id;
}

function referencePR(invokers: readonly InvokerWithUsage[], threshold: number, hash: number, overflow: boolean): number | null {
  if (!(threshold > 0)) throw requirementFailed('invokerBusyThreshold should be > 0');
  if (invokers.length === 0) return null;
  const { home, step } = referenceWalk(invokers.length, hash, pairwiseCoprimeNumbersUntil);
  const found = overflow ? referenceCascade(invokers, threshold, home, step) : referenceFind(invokers, home, step, threshold);
  return found < 0 ? null : invokers[found]!.id;
}

/** The value returned, or the JvmException thrown (class and message), so both outcomes compare. */
function outcome(f: () => number | null): number | null | string {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof JvmException)) throw e;
    return `threw ${e.message}`;
  }
}

/** An invoker whose usage is a count read through a getter, as the balancers' lazy views read it. */
class CountingView implements InvokerWithUsage {
  reads = 0;
  constructor(
    readonly id: number,
    readonly state: InvokerState,
    private readonly count: number,
  ) {}
  get usage(): number {
    this.reads++;
    return this.count;
  }
}

// Usages cluster around small thresholds so every tier is exercised, with outliers (negative, huge).
const usageArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: -1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }) },
);
const invokerArb = fc.record({ state: fc.constantFrom(...STATES), usage: usageArb });
const partitionArb = fc.array(invokerArb, { maxLength: 24 });
// Thresholds: the usual small ones, ≤ 0 (MB accepts them, the PR rejects them), fractions (Int arithmetic
// truncates the multiples) and values whose 2× and 3× wrap around 32 bits.
const thresholdArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 0 }) },
  { weight: 1, arbitrary: fc.double({ min: 0.5, max: 40, noNaN: true }) },
  { weight: 1, arbitrary: fc.integer({ min: 2 ** 29, max: 2 ** 31 - 1 }) },
);
const hashArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 31 - 1 }) },
  { weight: 2, arbitrary: fc.integer({ min: INT_MIN_VALUE, max: -1 }) },
  { weight: 1, arbitrary: fc.constant(INT_MIN_VALUE) },
);

function views(partition: readonly { state: InvokerState; usage: number }[]): CountingView[] {
  // Ids differ from positions so a position returned as an id would show.
  return partition.map((p, i) => new CountingView(100 + i, p.state, p.usage));
}

describe('the single-walk cascade equals the four-walk find/orElse chain', () => {
  it('schedulePR, overflow true and false: same invoker or same JvmException', () => {
    fc.assert(
      fc.property(partitionArb, thresholdArb, hashArb, fc.boolean(), (partition, threshold, hash, overflow) => {
        const invokers = views(partition);
        const expected = outcome(() => referencePR(invokers, threshold, hash, overflow));
        expect(outcome(() => schedulePR(invokers, threshold, hash, overflow, createPairwiseCoprimeNumbersUntil()))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('schedulePrePR: same invoker or same JvmException', () => {
    fc.assert(
      fc.property(partitionArb, thresholdArb, hashArb, (partition, threshold, hash) => {
        const invokers = views(partition);
        expect(outcome(() => schedulePrePR(invokers, threshold, hash))).toEqual(outcome(() => referencePrePR(invokers, threshold, hash)));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads each invoker\'s usage at most once, and only the Healthy ones', () => {
    fc.assert(
      fc.property(partitionArb, fc.integer({ min: 1, max: 40 }), fc.nat(), (partition, threshold, hash) => {
        const invokers = views(partition);
        schedulePR(invokers, threshold, hash, true);
        for (const invoker of invokers) {
          expect(invoker.reads).toBeLessThanOrEqual(invoker.state === 'Healthy' ? 1 : 0);
        }
      }),
    );
  });

  it('a fully busy partition falls through every tier to the Healthy invoker nearest home', () => {
    // 5 invokers, hash 7: home 2, step 2 (coprimes of 5: 1, 2, 3); walk 2, 4, 1, 3, 0. Invoker 2 is not Healthy.
    const states: InvokerState[] = ['Healthy', 'Healthy', 'Offline', 'Healthy', 'Healthy'];
    const invokers = states.map((s, i) => new CountingView(i, s, 100));
    expect(schedulePR(invokers, 16, 7, true)).toBe(4);
    expect(schedulePR(invokers, 16, 7, false)).toBeNull();
    // One below 3T (invoker 3) and one below 2T (invoker 0): 2T wins although 3T comes first in walk order.
    const mixed = [31, 100, 0, 47, 100].map((u, i) => new CountingView(i, states[i]!, u));
    expect(schedulePR(mixed, 16, 7, true)).toBe(0);
  });
});

/**
 * Replays OpenWhisk's ShardingContainerPoolBalancerTests in the slot era (SH2 a72ee3e3) and at HEAD
 * (1fae641a, memory-based), with the inputs of those Scala tests. Where Scala can only check a set because
 * of ThreadLocalRandom, the set check is kept and the exact sequence of a seeded rng is pinned as well.
 */
import { describe, expect, it } from 'vitest';
import { ForcibleSemaphore } from '../../src/model/common/ForcibleSemaphore.js';
import { JvmException } from '../../src/model/common/JvmException.js';
import { NestedSemaphore } from '../../src/model/common/NestedSemaphore.js';
import {
  MIN_MEMORY_MB,
  pairwiseCoprimeNumbersUntil,
  schedule,
  scheduleSlotsSH2,
  ShardingContainerPoolBalancerState,
  ShardingContainerPoolBalancerStateSH2,
  type InvokerHealth,
  type ScheduleResult,
} from '../../src/model/controller/ShardingContainerPoolBalancer.js';
import type { InvokerState } from '../../src/model/messages.js';
import { createRng } from '../../src/sim/rng.js';
import { openSuite, SOURCES } from './expectations.js';

const defaultUserMemoryMb = 1024;
const STD_MEMORY_MB = 256;

function health(i: number, status: InvokerState, userMemoryMb = defaultUserMemoryMb): InvokerHealth {
  return { id: i, status, userMemoryMb };
}
const healthy = (i: number, memoryMb = defaultUserMemoryMb) => health(i, 'Healthy', memoryMb);
const unhealthy = (i: number) => health(i, 'UnHealthy');
const offline = (i: number) => health(i, 'Offline');
const ids = (invokers: readonly InvokerHealth[]) => invokers.map((i) => i.id);
const distinctSorted = <T>(values: readonly T[]) => [...new Set(values)].sort();
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The overload fallback's stream; a fixed seed makes the "random" choices reproducible. */
const newRng = () => createRng(42, 'sharding/overload');

describe('ShardingContainerPoolBalancerTests (SH2 a72ee3e3, slots)', () => {
  const suite = openSuite(SOURCES.shardingSH2);
  const slots = 10;
  const newState = () => new ShardingContainerPoolBalancerStateSH2({ blackboxFraction: 0.5, invokerBusyThreshold: slots });
  const semaphores = (count: number, max: number) => range(count).map(() => new ForcibleSemaphore(max));

  it('updates invoker state, growing the slots and keeping valid old data', () => {
    const state = newState();
    expect([
      state.invokers.length,
      state.blackboxInvokers.length,
      state.managedInvokers.length,
      state.invokerSlots.length,
      state.managedStepSizes,
      state.blackboxStepSizes,
    ]).toEqual(suite.expected('empty state'));

    state.updateInvokers([healthy(0)]);
    expect([
      ids(state.managedInvokers),
      ids(state.blackboxInvokers),
      state.invokerSlots[0]!.availablePermits,
      state.managedStepSizes,
      state.blackboxStepSizes,
    ]).toEqual(suite.expected('one invoker: managed==blackbox==[0], slots 10, steps [1],[1]'));

    expect(state.invokerSlots[0]!.tryAcquire()).toBe(true);
    state.updateInvokers([healthy(0), healthy(1)]);
    expect(state.invokerSlots).toHaveLength(2);
    expect(state.managedStepSizes).toEqual([1]);
    expect(state.blackboxStepSizes).toEqual([1]);
    expect([
      ids(state.managedInvokers),
      ids(state.blackboxInvokers),
      state.invokerSlots[0]!.availablePermits,
      state.invokerSlots[1]!.availablePermits,
    ]).toEqual(suite.expected('grow to two: managed [0], blackbox [1], old slots kept (9), new 10'));
  });

  it('updates the cluster size, resetting and dividing the slots', () => {
    const state = newState();
    state.updateInvokers([healthy(0)]);
    state.invokerSlots[0]!.tryAcquire();
    expect(state.invokerSlots[0]!.availablePermits).toBe(slots - 1);
    state.updateCluster(2);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('cluster size 2 resets and halves slots'));
  });

  it('falls back to a size of 1 if the cluster size is < 1', () => {
    const state = newState();
    state.updateInvokers([healthy(0)]);
    state.updateCluster(2);
    expect(state.invokerSlots[0]!.availablePermits).toBe(slots / 2);
    state.updateCluster(0);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('cluster size 0 -> treated as 1'));
    state.updateCluster(-1);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('cluster size -1 -> treated as 1'));
    expect(state.clusterSize).toBe(1);
  });

  it('sets the threshold to 1 if the cluster is bigger than the slots of one invoker', () => {
    const state = newState();
    state.updateInvokers([healthy(0)]);
    state.updateCluster(20);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('cluster larger than slots -> 1 slot'));
  });

  it('schedule None on empty', () => {
    expect(scheduleSlotsSH2([], [], 0, 2, 0, newRng())).toBe(suite.expected('schedule None on empty'));
  });

  it('schedule None if none healthy', () => {
    const invokers = range(3).map(unhealthy);
    expect(scheduleSlotsSH2(invokers, semaphores(3, 3), 0, 2, 0, newRng())).toBe(suite.expected('schedule None if none healthy'));
  });

  it('chooses the first available invoker, jumping in stepSize steps, falling back to random once all are full', () => {
    const rng = newRng();
    const invokerSlots = semaphores(6, 3);
    const invokers = range(3).map((i) => healthy(i + 3));
    const result = range(9).map(() => scheduleSlotsSH2(invokers, invokerSlots, 0, 2, 0, rng));
    expect(result).toEqual(suite.expected('first available, stepping by 2'));

    const brute = range(101).map(() => scheduleSlotsSH2(invokers, invokerSlots, 0, 2, 0, rng)!);
    expect(distinctSorted(brute)).toEqual(suite.expected('random fallback covers all of 3,4,5'));
    // Pinned: the seeded fallback sequence, and every forced slot taken from the chosen invoker's semaphore.
    expect(brute.slice(0, 20)).toEqual([3, 4, 4, 5, 4, 5, 3, 3, 5, 3, 4, 3, 4, 4, 4, 4, 4, 4, 3, 4]);
    const forcedOn = (id: number) => brute.filter((b) => b === id).length;
    expect(invokerSlots.slice(3).map((s) => s.availablePermits)).toEqual([-forcedOn(3), -forcedOn(4), -forcedOn(5)]);
  });

  it('ignores unhealthy or offline invokers', () => {
    const rng = newRng();
    const invokers = [healthy(0), unhealthy(1), offline(2), healthy(3)];
    const invokerSlots = semaphores(invokers.length, 3);
    const result = range(6).map(() => scheduleSlotsSH2(invokers, invokerSlots, 0, 1, 0, rng));
    expect(result).toEqual(suite.expected('ignore unhealthy/offline'));

    const brute = range(101).map(() => scheduleSlotsSH2(invokers, invokerSlots, 0, 1, 0, rng)!);
    expect(distinctSorted(brute)).toEqual(suite.expected('random fallback only among healthy 0,3'));
    expect(brute.slice(0, 20)).toEqual([0, 3, 3, 3, 3, 3, 0, 0, 3, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3]);
  });

  it('replays every SH2 expectation', () => suite.assertAllReplayed());
});

describe('ShardingContainerPoolBalancerTests (HEAD 1fae641a, memory)', () => {
  const suite = openSuite(SOURCES.shardingHEAD);
  const fqn = 'testspace/testname';
  const lbConfig = (blackboxFraction: number, managedFraction = 1 - blackboxFraction) => ({ managedFraction, blackboxFraction });
  const semaphores = (count: number, max: number) => range(count).map(() => new NestedSemaphore<string>(max));
  const slots = 10;
  const memoryPerSlotMb = MIN_MEMORY_MB;
  const memoryMb = memoryPerSlotMb * slots;

  it("updates invoker's state, growing the slots data and keeping valid old data", () => {
    const state = new ShardingContainerPoolBalancerState(lbConfig(0.5));
    expect([state.invokers.length, state.managedInvokers.length, state.blackboxInvokers.length]).toEqual([0, 0, 0]);
    expect([state.invokers.length, state.invokerSlots.length, state.managedStepSizes, state.blackboxStepSizes]).toEqual(
      suite.expected('starts empty'),
    );

    state.updateInvokers([healthy(0, memoryMb)]);
    expect([
      ids(state.managedInvokers),
      ids(state.blackboxInvokers),
      state.invokerSlots[0]!.availablePermits,
      state.managedStepSizes,
      state.blackboxStepSizes,
    ]).toEqual(suite.expected('one invoker: both pools [0], permits == memory, steps [1]'));

    state.invokerSlots[0]!.tryAcquire(memoryPerSlotMb);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('acquire 128 MB'));

    state.updateInvokers([healthy(0, memoryMb), healthy(1, memoryMb * 2)]);
    expect(state.invokerSlots).toHaveLength(2);
    state.invokerSlots[1]!.tryAcquire(memoryPerSlotMb);
    expect([
      ids(state.managedInvokers),
      ids(state.blackboxInvokers),
      state.invokerSlots[0]!.availablePermits,
      state.invokerSlots[1]!.availablePermits,
      state.managedStepSizes,
      state.blackboxStepSizes,
    ]).toEqual(suite.expected('grow: managed [0], blackbox [1], old permits kept, new sized by its memory'));
  });

  for (const bf of [0.1, 0.2, 0.3, 0.4, 0.5]) {
    it(`managed/blackbox overlap only for small N (bf=${bf})`, () => {
      const state = new ShardingContainerPoolBalancerState(lbConfig(bf));
      // The Scala writes the overlap limits out per fraction: m + b = i + 1 below them, i above.
      const overlapBelow: Record<number, number> = { 0.1: 10, 0.2: 5, 0.3: 4, 0.4: 3, 0.5: 2 };
      let allHold = true;
      for (let i = 1; i <= 100; i++) {
        state.updateInvokers(range(i).map(() => healthy(1, STD_MEMORY_MB)));
        const m = state.managedInvokers.length;
        const b = state.blackboxInvokers.length;
        const holds = m <= i && b === Math.max(1, Math.trunc(bf * i)) && m + b === (i < overlapBelow[bf]! ? i + 1 : i);
        expect(holds, `invoker count ${bf} ${i}: m=${m} b=${b}`).toBe(true);
        allHold &&= holds;
      }
      expect(allHold).toBe(suite.expected(`managed/blackbox overlap only for small N (bf=${bf})`));
    });
  }

  it('fractions 1.0/1.0 -> identical pools of 100', () => {
    const state = new ShardingContainerPoolBalancerState(lbConfig(1.0, 1.0));
    for (let i = 1; i <= 100; i++) state.updateInvokers(range(i).map(() => healthy(1, STD_MEMORY_MB)));
    expect([state.managedInvokers.length, state.blackboxInvokers.length]).toEqual(suite.expected('fractions 1.0/1.0 -> identical pools of 100'));
    expect(state.managedInvokers).toEqual(state.blackboxInvokers);
  });

  it('cluster 2 halves + resets', () => {
    const state = new ShardingContainerPoolBalancerState(lbConfig(0.5));
    state.updateInvokers([healthy(0, memoryMb), healthy(1, memoryMb * 2)]);
    state.invokerSlots[0]!.tryAcquire(memoryPerSlotMb);
    state.invokerSlots[1]!.tryAcquire(memoryPerSlotMb);
    expect(state.invokerSlots.map((s) => s.availablePermits)).toEqual([memoryMb - memoryPerSlotMb, memoryMb * 2 - memoryPerSlotMb]);
    state.updateCluster(2);
    expect(state.invokerSlots.map((s) => s.availablePermits)).toEqual(suite.expected('cluster 2 halves + resets'));
  });

  it('cluster size <1 falls back to 1', () => {
    const state = new ShardingContainerPoolBalancerState(lbConfig(0.5));
    state.updateInvokers([healthy(0, memoryMb)]);
    const seen = [state.invokerSlots[0]!.availablePermits];
    for (const size of [2, 0, -1]) {
      state.updateCluster(size);
      seen.push(state.invokerSlots[0]!.availablePermits);
    }
    expect(seen).toEqual(suite.expected('cluster size <1 falls back to 1'));
  });

  it('cluster 20 -> shard clamps to MIN_MEMORY 128', () => {
    const state = new ShardingContainerPoolBalancerState(lbConfig(0.5));
    state.updateInvokers([healthy(0, memoryMb)]);
    state.updateCluster(20);
    expect(state.invokerSlots[0]!.availablePermits).toBe(suite.expected('cluster 20 -> shard clamps to MIN_MEMORY 128'));
  });

  it('schedule None on empty', () => {
    expect(schedule(1, fqn, [], [], MIN_MEMORY_MB, 0, 2, 0, newRng())).toBe(suite.expected('schedule None on empty'));
  });

  it('schedule None if none healthy', () => {
    const invokers = range(3).map(unhealthy);
    expect(schedule(1, fqn, invokers, semaphores(3, 3), MIN_MEMORY_MB, 0, 2, 0, newRng())).toBe(
      suite.expected('schedule None if none healthy'),
    );
  });

  it('first available, stepping by 2 (1 MB each, 3 MB invokers)', () => {
    const rng = newRng();
    const invokerSlots = semaphores(6, 3);
    const invokers = range(3).map((i) => healthy(i + 3));
    const result = range(9).map(() => schedule(1, fqn, invokers, invokerSlots, 1, 0, 2, 0, rng)!);
    expect(result.map((r) => r.invoker)).toEqual(suite.expected('first available, stepping by 2 (1 MB each, 3 MB invokers)'));
    expect(result.every((r) => !r.forced)).toBe(true);

    const brute: ScheduleResult[] = range(101).map(() => schedule(1, fqn, invokers, invokerSlots, 1, 0, 2, 0, rng)!);
    expect([distinctSorted(brute.map((r) => r.invoker)), distinctSorted(brute.map((r) => r.forced))]).toEqual(
      suite.expected('overload: random over 3,4,5 and all forced'),
    );
    expect(brute.slice(0, 20).map((r) => r.invoker)).toEqual([3, 4, 4, 5, 4, 5, 3, 3, 5, 3, 4, 3, 4, 4, 4, 4, 4, 4, 3, 4]);
    expect(invokerSlots.slice(3).map((s) => s.availablePermits)).toEqual([-29, -44, -28]);
  });

  it('ignore unhealthy/offline', () => {
    const rng = newRng();
    const invokers = [healthy(0), unhealthy(1), offline(2), healthy(3)];
    const invokerSlots = semaphores(invokers.length, 3);
    const result = range(6).map(() => schedule(1, fqn, invokers, invokerSlots, 1, 0, 1, 0, rng)!.invoker);
    expect(result).toEqual(suite.expected('ignore unhealthy/offline'));

    const brute = range(101).map(() => schedule(1, fqn, invokers, invokerSlots, 1, 0, 1, 0, rng)!);
    expect([distinctSorted(brute.map((r) => r.invoker)), distinctSorted(brute.map((r) => r.forced))]).toEqual(
      suite.expected('random only among 0 and 3, forced'),
    );
    expect(brute.slice(0, 20).map((r) => r.invoker)).toEqual([0, 3, 3, 3, 3, 3, 0, 0, 3, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3]);
  });

  it('only invokers with enough free MB', () => {
    const rng = newRng();
    const invokerSlots = semaphores(3, 4);
    const invokers = range(3).map((i) => healthy(i));
    const chosen = [3, 2, 1, 4, 2].map((mb) => schedule(1, fqn, invokers, invokerSlots, mb, 0, 1, 0, rng)!.invoker);
    expect([chosen, invokerSlots.map((s) => s.availablePermits)]).toEqual(suite.expected('only invokers with enough free MB'));
  });

  it('concurrent actions share a memory slot (maxConcurrent 3, 2 slots per invoker)', () => {
    const rng = newRng();
    const invokerCount = 3;
    const slotsPerInvoker = 2;
    const concurrency = 3;
    const invokerSlots = semaphores(invokerCount, slotsPerInvoker);
    const invokers = range(invokerCount).map((i) => healthy(i));
    const seen: [number, number][] = [];
    for (let i = 0; i < invokerCount; i++) {
      for (let s = 1; s <= slotsPerInvoker; s++) {
        for (let c = 1; c <= concurrency; c++) {
          const chosen = schedule(concurrency, fqn, invokers, invokerSlots, 1, 0, 1, 0, rng)!.invoker;
          seen.push([chosen, invokerSlots[i]!.concurrentState().get(fqn)!.availablePermits]);
        }
      }
    }
    expect(seen).toEqual(suite.expected('concurrent actions share a memory slot (maxConcurrent 3, 2 slots per invoker)'));
  });

  it('pairwiseCoprime same table as before', () => {
    expect([0, -1, 1, 2, 3, 4, 5, 9, 10].map((x) => pairwiseCoprimeNumbersUntil(x))).toEqual(
      suite.expected('pairwiseCoprime same table as before'),
    );
  });

  it('probes n + 2 positions before the random fallback (the first two positions twice)', () => {
    // Count tryAcquire calls on full semaphores: 3 invokers → 5 probes, then one forced acquisition.
    const probes: number[] = [];
    const invokerSlots = range(3).map((i) => {
      const s = new NestedSemaphore<string>(0);
      const original = s.tryAcquireConcurrent.bind(s);
      s.tryAcquireConcurrent = (id, max, mb) => {
        probes.push(i);
        return original(id, max, mb);
      };
      return s;
    });
    const result = schedule(1, fqn, range(3).map((i) => healthy(i)), invokerSlots, 1, 0, 1, 0, newRng());
    expect(probes).toEqual([0, 1, 2, 0, 1]);
    expect(result!.forced).toBe(true);
  });

  it('a negative home index throws IndexOutOfBoundsException, as the Scala invokers(index) does', () => {
    const invokers = range(3).map((i) => healthy(i));
    expect(() => schedule(1, fqn, invokers, semaphores(3, 3), 1, -2, 1, 0, newRng())).toThrow(JvmException);
  });

  it('replays every HEAD expectation', () => suite.assertAllReplayed());
});

/**
 * HEAD's sharding balancer observed from outside, for the cases sharding.test.ts leaves out: the partitions a
 * blackbox action uses, publishes that fail before placement (an empty partition, a hash that indexes out of
 * bounds), a release that fails after the shares were rebuilt (§18.12), and the guards on its inputs.
 */
import { describe, expect, it } from 'vitest';
import {
  ShardingContainerPoolBalancer,
  ShardingContainerPoolBalancerState,
  ShardingContainerPoolBalancerStateSH2,
  scheduleSlotsSH2,
} from '../../../src/model/controller/ShardingContainerPoolBalancer.js';
import { JvmException } from '../../../src/model/common/JvmException.js';
import { DistributedLoadBalancerData } from '../../../src/model/bookkeeping/DistributedLoadBalancerData.js';
import { replicationNetwork, replicator } from '../bookkeeping/harness.js';
import { TestCluster, controllersConfig, testAction } from './harness.js';
import { behaviourCluster } from './seams.js';
import { Controller } from '../../../src/model/controller/Controller.js';

const sharding = (c: TestCluster, index = 0) => c.controller(index).loadBalancer as ShardingContainerPoolBalancer;
/** An action whose hash is Int.MinValue (abs overflows), as in the §18.1 tests. */
const minValueAction = testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' });
const rejected = (c: TestCluster) => c.observer.of('rejected').map((e) => [e.id, e.detail]);

describe('sharding balancer: publishes that fail before placement', () => {
  it('no invoker registered yet: noInvokers', () => {
    const { c, messaging } = behaviourCluster({ loadBalancer: 'sharding', config: { startHealthy: false } });
    const id = c.invoke(0);
    expect(rejected(c)).toEqual([[id, 'noInvokers']]);
    expect(messaging.sent).toEqual([]);
    expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(0);
  });

  it('a negative hash whose step index is out of bounds fails with hashIndexOutOfBounds (5 managed invokers)', () => {
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 5 });
    const id = c.invoke(0, minValueAction);
    expect(rejected(c)).toEqual([[id, 'hashIndexOutOfBounds']]);
    expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(0);
  });

  it('a negative hash whose home index is out of bounds fails with hashIndexOutOfBounds (3 managed invokers)', () => {
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 3 });
    const id = c.invoke(0, minValueAction);
    expect(rejected(c)).toEqual([[id, 'hashIndexOutOfBounds']]);
  });

  it('a negative step index fails the publish even when the home invoker (0) has room (16 managed invokers)', () => {
    // 17 invokers: 16 managed, whose 6 step sizes make the step index Int.MinValue % 6 = -2, while home is 0.
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 17 });
    const id = c.invoke(0, minValueAction);
    c.advance(10);
    expect(rejected(c)).toEqual([[id, 'hashIndexOutOfBounds']]);
    expect(c.receivedBy(0)).toBe(0);
  });

  it('the SH2 schedule throws IndexOutOfBoundsException for a negative home index', () => {
    const invokers = [0, 1, 2].map((id) => ({ id, status: 'Healthy' as const, userMemoryMb: 0 }));
    const state = new ShardingContainerPoolBalancerStateSH2({ blackboxFraction: 0.1, invokerBusyThreshold: 1 });
    state.updateInvokers(invokers);
    expect(() => scheduleSlotsSH2(invokers, state.invokerSlots, -2, 1, 0, { nextInt: () => 0 })).toThrow(JvmException);
  });

  it('hash-abs-min-value places the same activation on invoker 0', () => {
    for (const invokers of [3, 5]) {
      const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers, fixes: ['hash-abs-min-value'] });
      c.invoke(0, minValueAction);
      c.advance(10);
      expect(rejected(c)).toEqual([]);
      expect(c.receivedBy(0)).toBe(1);
    }
  });
});

describe('sharding balancer: partitions and shares', () => {
  it('a blackbox action goes to the blackbox partition, a managed one never does', () => {
    // 10 invokers: managed ceil(10 × 0.9) = 9 (0..8), blackbox floor(10 × 0.1) = 1 (9).
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 10 });
    for (let i = 0; i < 3; i++) c.invoke(0, testAction({ pull: true, kind: 'blackbox' }));
    for (let i = 0; i < 20; i++) c.invoke(0);
    c.advance(10);
    expect(c.receivedBy(9)).toBe(3);
    expect(c.invokers.slice(0, 9).reduce((n, inv) => n + inv.received.length, 0)).toBe(20);
  });

  it('counts the placements made by the forced fallback', () => {
    // One invoker with a 1024 MB share: four 256 MB activations fit, the fifth is forced.
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 1 });
    for (let i = 0; i < 4; i++) c.invoke(0);
    expect(sharding(c).forcedPlacements).toBe(0);
    c.invoke(0);
    expect(sharding(c).forcedPlacements).toBe(1);
    expect(sharding(c).schedulingState.invokerSlots[0]!.availablePermits).toBe(-256);
  });

  it('a release after the shares were rebuilt fails for a concurrent action and is counted (§18.12)', () => {
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 1 });
    const id = c.invoke(0, testAction({ concurrency: 2 }));
    c.advance(10);
    c.controller(0).updateCluster(2); // the slot map that held the action's container is gone
    c.invokers[0]!.ackAll();
    c.advance(10);
    expect(sharding(c).releaseFailures).toBe(1);
    // The activation still completes and is reported.
    expect(c.observer.of('completed').map((e) => e.id)).toEqual([id]);
    expect(c.healthReports.get(0)).toEqual(['0:Success']);
  });

  it('the same size again keeps every share and the work in flight', () => {
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 1 });
    c.invoke(0);
    c.controller(0).updateCluster(1);
    expect(sharding(c).schedulingState.invokerSlots[0]!.availablePermits).toBe(768);
  });

  it('rejects a non-positive invoker user memory', () => {
    const c = new TestCluster({ controllers: [] });
    const build = (invokerUserMemoryMb: number) =>
      new Controller({
        index: 0,
        config: controllersConfig({ loadBalancer: 'sharding' }),
        invokerCount: 2,
        messaging: c.messaging,
        scheduler: c.scheduler,
        rng: c.sim.rng('controller0'),
        observer: c.observer,
        invokerUserMemoryMb,
        clusterSize: 1,
      });
    expect(() => build(0)).toThrow(/invoker user memory 0 MB is not positive/);
    expect(() => build(1)).not.toThrow();
  });

  it('the scheduling state rejects NaN fractions', () => {
    expect(() => new ShardingContainerPoolBalancerState({ managedFraction: Number.NaN, blackboxFraction: 0.1 })).toThrow(/managedFraction is NaN/);
    expect(() => new ShardingContainerPoolBalancerState({ managedFraction: 0.9, blackboxFraction: Number.NaN })).toThrow(/blackboxFraction is NaN/);
  });
});

describe('sharding balancer on the replicated bookkeeping', () => {
  it('counts its own activations for their namespace once, and releases them once', () => {
    const ns = testAction().namespace;
    const { c } = behaviourCluster({
      loadBalancer: 'sharding',
      data: (index, cluster, timers) => {
        const network = replicationNetwork(timers, 1);
        return new DistributedLoadBalancerData(index, replicator(`controller${index}`, timers, cluster.sim.rng(`r${index}`), network));
      },
    });
    c.invoke(0);
    c.invoke(0);
    c.advance(10);
    expect(c.controller(0).loadBalancer.activeActivationsFor(ns)).toBe(2);
    for (const inv of c.invokers) inv.ackAll();
    c.advance(2000);
    expect(c.controller(0).loadBalancer.activeActivationsFor(ns)).toBe(0);
  });
});

describe('the SH2 (slot-count) scheduling state', () => {
  const healthy = (id: number) => ({ id, status: 'Healthy' as const, userMemoryMb: 0 });

  it('reserves floor(n × blackboxFraction) invokers (at least one) for blackbox actions, the fraction clamped to [0, 1]', () => {
    const ten = Array.from({ length: 10 }, (_, i) => healthy(i));
    const split = (blackboxFraction: number) => {
      const state = new ShardingContainerPoolBalancerStateSH2({ blackboxFraction, invokerBusyThreshold: 4 });
      state.updateInvokers(ten);
      return [state.managedInvokers.length, state.blackboxInvokers.length];
    };
    expect(split(0.5)).toEqual([5, 5]);
    expect(split(0.3)).toEqual([7, 3]);
    expect(split(2)).toEqual([1, 10]);
    expect(split(-1)).toEqual([9, 1]);
  });

  it('the same cluster size again keeps the slots and the work in flight', () => {
    const state = new ShardingContainerPoolBalancerStateSH2({ blackboxFraction: 0.5, invokerBusyThreshold: 4 });
    state.updateInvokers([healthy(0)]);
    state.updateCluster(2);
    state.invokerSlots[0]!.tryAcquire();
    state.updateCluster(2);
    expect(state.invokerSlots[0]!.availablePermits).toBe(1);
  });
});


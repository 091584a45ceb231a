/**
 * The ShardingContainerPoolBalancer class end to end on the in-memory bus with fake invokers (harness.ts):
 * memory shares per controller, the stepping walk, the random forced fallback, release on ack and on forced
 * timeout, the HEAD timeout formula, the rebuild on a cluster-size change (§18.12) and HEAD's health reports.
 */
import { describe, expect, it } from 'vitest';
import {
  ShardingContainerPoolBalancer,
  forcedTimeoutMs,
  generateHash,
  pairwiseCoprimeNumbersUntil,
} from '../../../src/model/controller/ShardingContainerPoolBalancer.js';
import { TestCluster, testAction } from './harness.js';

function balancer(c: TestCluster, index = 0): ShardingContainerPoolBalancer {
  return c.controller(index).loadBalancer as ShardingContainerPoolBalancer;
}

/** The walk over managed invokers 0..3 (4 invokers: all managed) for the test action. */
function walk(): number[] {
  const hash = generateHash('unhealthyInvokerCheck', 'actionSpace/actionName');
  const steps = pairwiseCoprimeNumbersUntil(4);
  const step = steps[hash % steps.length]!;
  const order: number[] = [];
  let i = hash % 4;
  for (let k = 0; k < 4; k++) {
    order.push(i);
    i = (i + step) % 4;
  }
  return order;
}

describe('ShardingContainerPoolBalancer', () => {
  it('gives each of two controllers half of every invoker (1024 MB → 512 MB shares)', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    for (const index of [0, 1]) {
      const slots = balancer(c, index).schedulingState.invokerSlots;
      expect(slots.map((s) => s.availablePermits)).toEqual([512, 512, 512, 512]);
    }
  });

  it('fills the home invoker, then steps through the partition in stepSize jumps', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    // 256 MB actions, 512 MB share: two per invoker per controller.
    for (let k = 0; k < 8; k++) c.invoke(0);
    c.advance(10);
    const order = walk();
    const got = c.invokers.map((_, k) => c.receivedBy(k));
    for (const k of order) expect(got[k]).toBe(2);
    const placed = c.invokers.flatMap((inv) => inv.received.map((m) => ({ id: m.activationId, k: inv.id })));
    placed.sort((a, b) => a.id - b.id);
    expect(placed.map((p) => p.k)).toEqual(order.flatMap((k) => [k, k]));
    expect(balancer(c).forcedPlacements).toBe(0);
  });

  it('forces a full cluster onto a random healthy invoker, driving its share negative', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    for (let k = 0; k < 9; k++) c.invoke(0);
    c.advance(10);
    const b = balancer(c);
    expect(b.forcedPlacements).toBe(1);
    const negative = b.schedulingState.invokerSlots.filter((s) => s.availablePermits < 0);
    expect(negative.map((s) => s.availablePermits)).toEqual([-256]);
    expect(c.observer.of('rejected')).toEqual([]);
  });

  it('the forced fallback is drawn from the seeded stream: the same seed, the same invoker', () => {
    const pick = () => {
      const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
      for (let k = 0; k < 12; k++) c.invoke(0);
      c.advance(10);
      return c.invokers.map((_, k) => c.receivedBy(k));
    };
    expect(pick()).toEqual(pick());
  });

  it('releases the share on the ack, so the next activation goes home again', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    const home = walk()[0]!;
    c.invoke(0);
    c.invoke(0);
    c.advance(10);
    expect(balancer(c).schedulingState.invokerSlots[home]!.availablePermits).toBe(0);
    c.invokers[home]!.ackAll();
    c.advance(1100);
    expect(balancer(c).schedulingState.invokerSlots[home]!.availablePermits).toBe(512);
    expect(c.observer.of('completed', 0)).toHaveLength(2);
    c.invoke(0);
    c.advance(10);
    expect(c.receivedBy(home)).toBe(3);
  });

  it('forces a timeout after max(limit, 1 min) × 2 + timeoutGrace and frees the share', () => {
    expect(forcedTimeoutMs(60_000, 60_000)).toBe(180_000);
    expect(forcedTimeoutMs(300_000, 60_000)).toBe(660_000);
    expect(forcedTimeoutMs(1_000, 60_000)).toBe(180_000);
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0] });
    const home = walk()[0]!;
    c.invoke(0, testAction({ timeoutMs: 5_000 }));
    c.advance(179_000);
    expect(c.observer.of('timedOut')).toEqual([]);
    c.advance(2_000);
    expect(c.observer.of('timedOut').map((e) => e.atMs)).toEqual([180_000]);
    expect(balancer(c).schedulingState.invokerSlots[home]!.availablePermits).toBe(1024);
    expect(c.healthReports.get(0)).toEqual([`${home}:Timeout`]);
    // The late ack: no entry, not a health action → not reported at HEAD.
    c.invokers[home]!.ackAll();
    c.advance(1100);
    expect(c.healthReports.get(0)).toEqual([`${home}:Timeout`]);
  });

  it('a cluster-size change rebuilds every share and forgets work in flight (§18.12)', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    const home = walk()[0]!;
    c.invoke(0);
    c.advance(10);
    const b = balancer(c);
    expect(b.schedulingState.invokerSlots[home]!.availablePermits).toBe(256);
    c.controller(0).updateCluster(1);
    expect(b.schedulingState.invokerSlots.map((s) => s.availablePermits)).toEqual([1024, 1024, 1024, 1024]);
    // The ack of the forgotten activation over-credits the fresh semaphore.
    c.invokers[home]!.ackAll();
    c.advance(1100);
    expect(b.schedulingState.invokerSlots[home]!.availablePermits).toBe(1280);
    // The same size again changes nothing; sizes below 1 count as 1.
    c.controller(0).updateCluster(0);
    expect(b.schedulingState.invokerSlots[home]!.availablePermits).toBe(1280);
  });

  it('skips invokers that are not Healthy', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0], invokers: 4 });
    const home = walk()[0]!;
    c.controller(0).invokerPool.transition(home, 'Healthy', 'UnHealthy');
    c.invoke(0);
    c.advance(10);
    expect(c.receivedBy(home)).toBe(0);
    expect(c.receivedBy(walk()[1]!)).toBe(1);
  });

  it('fails the publish with noInvokers when nothing is usable', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0], invokers: 2 });
    for (const k of [0, 1]) c.controller(0).invokerPool.transition(k, 'Healthy', 'Offline');
    c.invoke(0);
    c.advance(10);
    expect(c.observer.of('rejected').map((e) => e.detail)).toEqual(['noInvokers']);
  });

  it('concurrent actions share one memory slot (NestedSemaphore)', () => {
    const c = new TestCluster({ loadBalancer: 'sharding', controllers: [0, 1] });
    const home = walk()[0]!;
    for (let k = 0; k < 3; k++) c.invoke(0, testAction({ concurrency: 3 }));
    c.advance(10);
    expect(c.receivedBy(home)).toBe(3);
    expect(balancer(c).schedulingState.invokerSlots[home]!.availablePermits).toBe(256);
    c.invokers[home]!.ackAll();
    c.advance(1100);
    expect(balancer(c).schedulingState.invokerSlots[home]!.availablePermits).toBe(512);
  });
});

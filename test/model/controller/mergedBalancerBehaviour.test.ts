/**
 * Behaviour the merged balancers (CommonLoadBalancer and the three that extend it) show from outside and no
 * other controller test pins down: PR #2932 forwards a completion only for another controller's activation,
 * counts the overflow messages it puts back on the topic, and HEAD's sharding balancer reports its forced
 * placements.
 */
import { describe, expect, it } from 'vitest';
import type { LoadBalancerActorService } from '../../../src/model/controller/LoadBalancerActorService.js';
import type { ShardingContainerPoolBalancer } from '../../../src/model/controller/ShardingContainerPoolBalancer.js';
import { testAction, type TestCluster } from './harness.js';
import { behaviourCluster } from './seams.js';

const actor = (c: TestCluster) => (c.controller(0).loadBalancer as LoadBalancerActorService).lbActor;

describe('overflow balancer: what it sends on completion and on requeue', () => {
  it("an ack of the controller's own activation is not forwarded to any completed topic", () => {
    const { c, messaging } = behaviourCluster({ invokers: 2 });
    const id = c.invoke(0);
    c.advance(10);
    const k = c.invokers.findIndex((inv) => inv.received.some((m) => m.activationId === id));
    c.invokers[k]!.ack();
    c.advance(10);
    expect(c.observer.of('completed').map((e) => e.id)).toEqual([id]);
    expect(messaging.topics()).toEqual([`invoker${k}`]);
  });

  it('overflowRequeues counts every overflow message put back on the topic', () => {
    // No healthy invoker: with requeue-overflow-without-invokers the message goes back every overflowPollMs.
    const { c } = behaviourCluster({ fixes: ['requeue-overflow-without-invokers'], config: { startHealthy: false } });
    c.invoke(0);
    expect(actor(c).overflowRequeues).toBe(0);
    c.advance(2000);
    const requeues = actor(c).overflowRequeues;
    expect(requeues).toBeGreaterThan(0);
    c.advance(2000);
    expect(actor(c).overflowRequeues).toBeGreaterThan(requeues);
  });
});

describe('sharding balancer: statistics', () => {
  it('statistics() reports the publishes placed by the forced fallback', () => {
    // One invoker of 1024 MB and one controller: four 256 MB activations fit, the fifth is forced.
    const { c } = behaviourCluster({ loadBalancer: 'sharding', invokers: 1 });
    const balancer = c.controller(0).loadBalancer as ShardingContainerPoolBalancer;
    for (let i = 0; i < 4; i++) c.invoke(0, testAction());
    expect(balancer.statistics()).toEqual({ forcedPlacements: 0 });
    c.invoke(0, testAction());
    expect(balancer.statistics()).toEqual({ forcedPlacements: 1 });
  });
});

/**
 * Controllers wired to the replicated bookkeeping, on the in-memory bus with fake invokers (the harness of
 * test/model/controller): the quirks that only show with more than one controller sharing counts.
 * - §18.8: the controller that processes another's overflow activation counts its namespace twice.
 * - §18.9: the pre-PR distributed reads are asynchronous, so concurrent publishes decide on the same stale
 *   counts and pile onto one invoker, where local (synchronous) counts spread them.
 */
import { describe, expect, it } from 'vitest';
import { DistributedLoadBalancerData } from '../../src/model/bookkeeping/DistributedLoadBalancerData.js';
import { DistributedLoadBalancerDataMB } from '../../src/model/bookkeeping/DistributedLoadBalancerDataMB.js';
import type { LoadBalancerData } from '../../src/model/bookkeeping/LoadBalancerData.js';
import { Controller } from '../../src/model/controller/Controller.js';
import type { ControllersConfig } from '../../src/scenario/types.js';
import { replicationNetwork, replicator } from './bookkeeping/harness.js';
import { HEAD_USER_MEMORY_MB, TestCluster, controllersConfig, testAction } from './controller/harness.js';

type Books = 'local' | 'pr' | 'mb';

/** A TestCluster whose controllers are built here, each with the bookkeeping asked for. */
function cluster(instances: number[], books: Books, config: Partial<ControllersConfig>) {
  const c = new TestCluster({ controllers: [], invokers: 4 });
  const network = replicationNetwork(c.scheduler, 1);
  const cfg = controllersConfig({ count: Math.max(...instances) + 1, bookkeeping: books === 'local' ? 'local' : 'distributed', ...config });
  for (const index of instances) {
    let data: LoadBalancerData | undefined;
    if (books !== 'local') {
      const r = replicator(`controller${index}`, c.scheduler, c.sim.rng(`r${index}`), network);
      data = books === 'pr' ? new DistributedLoadBalancerData(index, r) : new DistributedLoadBalancerDataMB(r, { scheduler: c.scheduler, readDelayMs: cfg.replication.readDelayMs });
    }
    const controller = new Controller({
      index,
      config: cfg,
      invokerCount: 4,
      messaging: c.messaging,
      scheduler: c.scheduler,
      rng: c.sim.rng(`controller${index}`),
      observer: c.observer,
      loadBalancerData: data,
      invokerUserMemoryMb: HEAD_USER_MEMORY_MB,
      clusterSize: cfg.count,
    });
    c.controllers.set(index, controller);
    c.healthReports.set(index, []);
  }
  return c;
}

describe('distributed bookkeeping wired into controllers', () => {
  it('§18.8 the processing controller counts a foreign overflow activation against its namespace twice', () => {
    // Controller 0 joins the overflow group first and so processes every overflow message.
    const c = cluster([0, 1], 'pr', { loadBalancer: 'overflow', busyThreshold: 1 });
    const ns = testAction().namespace;
    for (let i = 0; i < 3; i++) c.invoke(1);
    c.advance(10);
    const overflowed = c.invoke(1);
    c.advance(5000); // processed by 0, and every count replicated
    expect(c.controller(0).loadBalancerData.activationById(overflowed)?.isOverflow).toBe(true);
    // Four activations exist. Controller 1 counts its four (none shared by 0 for the foreign entry).
    expect(c.controller(1).loadBalancerData.activationCountOn(ns)).toBe(4);
    // Controller 0: its local foreign entry + controller 1's shared four = five.
    expect(c.controller(0).loadBalancerData.activationCountOn(ns)).toBe(5);
  });

  it('§18.9 MB distributed reads are asynchronous: concurrent publishes all see the same stale counts', () => {
    const stale = cluster([0], 'mb', { loadBalancer: 'legacy', busyThreshold: 1 });
    const fresh = cluster([0], 'local', { loadBalancer: 'legacy', busyThreshold: 1 });
    for (const c of [stale, fresh]) {
      for (let i = 0; i < 3; i++) c.invoke(0);
      c.advance(10);
    }
    const spread = (c: TestCluster) => c.invokers.map((_, k) => c.receivedBy(k));
    // Local counts are synchronous: each publish sees the previous one and the three spread over three invokers.
    expect(spread(fresh).filter((n) => n > 0)).toEqual([1, 1, 1]);
    // Distributed counts arrive after a read: all three decide on zero counts and choose the home invoker.
    expect(spread(stale).filter((n) => n > 0)).toEqual([3]);
    // Publishes a read apart see each other (the read answers after its hop, entries are recorded then).
    stale.invoke(0);
    stale.advance(10);
    expect(spread(stale).filter((n) => n > 0)).toEqual([3, 1]);
  });

  it('a controller sees its own counts at once and the other controller’s only after gossip and notify', () => {
    const c = cluster([0, 1], 'pr', { loadBalancer: 'overflow', busyThreshold: 10 });
    c.invoke(1);
    c.advance(5);
    const home = c.invokers.findIndex((inv) => inv.received.length > 0);
    expect(c.controller(1).loadBalancer.believedLoad(home)).toBe(1);
    expect(c.controller(0).loadBalancer.believedLoad(home)).toBe(0);
    c.advance(2000 + 1 + 500 + 1);
    expect(c.controller(0).loadBalancer.believedLoad(home)).toBe(1);
  });
});

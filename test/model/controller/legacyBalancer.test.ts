/**
 * MB's balancer (`legacy`) on the in-memory bus: placement by the pre-PR schedule (T, 2T, 3T, first healthy),
 * publish failures, forced timeouts, completion handling including late acks (§8, §18.10), and the
 * Controller's entitlement checks (§15) and start-up health protocol.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, testAction } from './harness.js';

describe('legacy balancer: placement and completion', () => {
  it('places on the home invoker, then walks on; past 3T everything goes to the first healthy (home) invoker', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    for (let i = 0; i < 10; i++) c.invoke(0);
    c.advance(10);
    // T = 1 on 3 managed invokers, home 1, step 1: 1,2,0 (<T), 1,2,0 (<2T), 1,2,0 (<3T), then invoker 1.
    expect(c.invokers.map((inv) => inv.received.map((m) => m.activationId))).toEqual([
      [3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8],
      [],
    ]);
    expect(c.observer.of('overflowSent')).toEqual([]);
    expect(c.controller(0).loadBalancer.overflowState).toBe(false);
  });

  it('blackbox actions go to the blackbox partition (the last invoker)', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    c.invoke(0, testAction({ pull: true, kind: 'blackbox' }));
    c.advance(10);
    expect(c.receivedBy(3)).toBe(1);
  });

  it('a completion resolves the activation, releases its counts and reports the result to the pool', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    const id = c.invoke(0);
    c.advance(10);
    expect(c.controller(0).loadBalancer.believedLoad(1)).toBe(1);
    expect(c.controller(0).loadBalancer.activeActivationsFor('unhealthyInvokerCheck')).toBe(1);
    c.invokers[1]!.ack(undefined, 'applicationError');
    c.advance(2000);
    expect(c.observer.of('completed').map((e) => [e.id, e.detail])).toEqual([[id, 'applicationError']]);
    expect(c.controller(0).loadBalancer.believedLoad(1)).toBe(0);
    expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(0);
    // An application error is not a whisk error: the invoker counts as successful.
    expect(c.healthReports.get(0)).toEqual(['1:Success']);
  });

  it('a whisk error completes the activation and counts as a failure for health (one failure is tolerated)', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    c.invoke(0);
    c.advance(10);
    c.invokers[1]!.ack(undefined, 'whiskError');
    c.advance(2000);
    expect(c.observer.of('completed').map((e) => e.detail)).toEqual(['whiskError']);
    expect(c.healthReports.get(0)).toEqual(['1:SystemError']);
    expect(c.controller(0).invokerPool.actor(1)!.stateName).toBe('Healthy');
  });

  it('fails the publish with noInvokers when no invoker is healthy', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: { startHealthy: false } });
    const id = c.invoke(0);
    expect(c.observer.of('accepted').map((e) => e.id)).toEqual([id]);
    expect(c.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[id, 'noInvokers']]);
  });

  it('§18.1 fails the publish on a hash of Int.MinValue with 3 managed invokers; hash-abs-min-value places it', () => {
    const bad = testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' });
    const off = new TestCluster({ loadBalancer: 'legacy' });
    const id = off.invoke(0, bad);
    expect(off.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[id, 'hashIndexOutOfBounds']]);
    const on = new TestCluster({ loadBalancer: 'legacy', fixes: ['hash-abs-min-value'] });
    on.invoke(0, bad);
    on.advance(10);
    expect(on.observer.of('rejected')).toEqual([]);
    expect(on.receivedBy(0)).toBe(1);
  });

  it('with 4 managed invokers (a power of two) the Int.MinValue hash works and lands on invoker 0', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', invokers: 5 });
    c.invoke(0, testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' }));
    c.advance(10);
    expect(c.observer.of('rejected')).toEqual([]);
    expect(c.receivedBy(0)).toBe(1);
  });

  it('forces a timeout after the action time limit plus the grace, reported as a failure', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    const id = c.invoke(0, testAction({ timeoutMs: 5000 }));
    c.advance(64_999);
    expect(c.observer.of('timedOut')).toEqual([]);
    c.advance(1);
    expect(c.observer.of('timedOut').map((e) => [e.id, e.atMs])).toEqual([[id, 65_000]]);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout']);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(0);
  });

  it('§18.10 a late ack after a forced timeout is reported to the pool a second time', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    c.invoke(0, testAction({ timeoutMs: 1000 }));
    c.advance(61_000);
    c.invokers[1]!.ack();
    c.advance(2000);
    expect(c.observer.of('completed')).toEqual([]);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout', '1:Success']);
  });

  it('an ack cancels the forced timeout', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    c.invoke(0, testAction({ timeoutMs: 1000 }));
    for (const inv of c.invokers) inv.autoAckMs = 100;
    c.advance(120_000);
    expect(c.observer.of('completed')).toHaveLength(1);
    expect(c.observer.of('timedOut')).toEqual([]);
    expect(c.healthReports.get(0)).toEqual(['1:Success']);
  });
});

describe('Controller: entitlement (§15)', () => {
  const limits = (l: Partial<{ invocationsPerMinute: number; concurrentInvocations: number; systemConcurrent: number }>) => ({
    limits: { invocationsPerMinute: 1_000_000, concurrentInvocations: 1_000_000, systemConcurrent: 1_000_000, ...l },
  });

  it('rejects with throttledConcurrent once a namespace has `limit` activations in flight (current < limit passes)', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ concurrentInvocations: 2 }) });
    const ids = [c.invoke(0), c.invoke(0), c.invoke(0)];
    expect(c.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[ids[2], 'throttledConcurrent']]);
    expect(c.observer.of('accepted').map((e) => e.id)).toEqual(ids.slice(0, 2));
    // Another namespace is not affected.
    c.invoke(0, testAction({ namespace: 'other', fqn: 'other/a' }));
    expect(c.observer.of('rejected')).toHaveLength(1);
  });

  it('rejects with throttledRate past the per-minute limit and resets on the next virtual minute', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ invocationsPerMinute: 2 }) });
    for (const inv of c.invokers) inv.startPinging();
    c.invoke(0);
    c.invoke(0);
    const third = c.invoke(0);
    expect(c.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[third, 'throttledRate']]);
    c.sim.run({ until: 60_000 });
    c.invoke(0);
    expect(c.observer.of('rejected')).toHaveLength(1);
  });

  it('rejects with systemOverload when the total in flight exceeds the system limit', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ systemConcurrent: 1 }) });
    c.invoke(0);
    c.invoke(0);
    const third = c.invoke(0);
    expect(c.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[third, 'systemOverload']]);
  });
});

describe('Controller: start-up health protocol', () => {
  it('without startHealthy, invokers become Healthy after 7 test actions and then take activations', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: { startHealthy: false } });
    for (const inv of c.invokers) inv.startPinging();
    c.advance(100);
    const states = c.controller(0).loadBalancer.invokerHealth().map((h) => h.status);
    expect(states).toEqual(['Healthy', 'Healthy', 'Healthy', 'Healthy']);
    // One test action at registration, then one per successful ack while UnHealthy — the seventh success is
    // handled while still UnHealthy, so an eighth goes out just before the switch to Healthy.
    expect(c.invokers.map((inv) => inv.received.length)).toEqual([8, 8, 8, 8]);
    expect(c.invokers[0]!.received[0]!.action.fqn).toBe('whisk.system/invokerHealthTestAction0');
    expect(c.observer.of('invokerState').filter((e) => e.detail === 'UnHealthy->Healthy')).toHaveLength(4);
    c.invoke(0);
    c.advance(10);
    expect(c.receivedBy(1)).toBe(1);
  });

  it('an invoker that stops pinging goes Offline after 10 s and is skipped', () => {
    const c = new TestCluster({ loadBalancer: 'legacy' });
    for (const inv of c.invokers) if (inv.id !== 1) inv.startPinging();
    c.advance(10_500);
    expect(c.controller(0).loadBalancer.invokerHealth()[1]!.status).toBe('Offline');
    c.invoke(0);
    c.advance(10);
    expect(c.receivedBy(1)).toBe(0);
    expect(c.receivedBy(2)).toBe(1);
  });

  it('the controller builds the sharding balancer for loadBalancer sharding', () => {
    const c = new TestCluster({ loadBalancer: 'sharding' });
    expect(c.controller(0).loadBalancer.constructor.name).toBe('ShardingContainerPoolBalancer');
  });
});

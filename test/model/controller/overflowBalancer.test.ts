/**
 * PR #2932's balancer (`overflow`) on the in-memory bus, replaying the scenarios of its OverflowTests
 * (threshold 1, 4 invokers, blackboxFraction 0.1 → 3 managed; namespace `unhealthyInvokerCheck`, action
 * `actionSpace/actionName`, home invoker 1, step 1) and each §18 quirk with its fix off and on.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, testAction } from './harness.js';
import type { LoadBalancerActorService } from '../../../src/model/controller/LoadBalancerActorService.js';

const lb = (c: TestCluster, index: number) => c.controller(index).loadBalancer as LoadBalancerActorService;

describe('overflow balancer: OverflowTests (PR #2932)', () => {
  it('places one activation per managed invoker in walk order from the home invoker', () => {
    const c = new TestCluster({ controllers: [9] });
    for (let i = 0; i < 3; i++) c.invoke(9);
    c.advance(10);
    expect([c.receivedBy(0), c.receivedBy(1), c.receivedBy(2), c.receivedBy(3)]).toEqual([1, 1, 1, 0]);
    expect(c.invokers[1]!.received[0]!.activationId).toBe(1); // home invoker 1 first
    expect(c.invokers[2]!.received[0]!.activationId).toBe(2);
    expect(c.invokers[0]!.received[0]!.activationId).toBe(3);
    expect(lb(c, 9).overflowState).toBe(false);
    expect(c.observer.of('overflowSent')).toEqual([]);
  });

  it('switch to overflow once capacity is exhausted, and switch back to underflow once capacity is available', () => {
    // The Scala test stops the overflow consumer while invokers are busy; the fix overflow-respects-capacity
    // keeps the message in the topic the same way, so the drain-back can be observed.
    const c = new TestCluster({ controllers: [9], fixes: ['overflow-respects-capacity'] });
    const ids = [c.invoke(9), c.invoke(9), c.invoke(9)];
    c.advance(10);
    const overflowed = c.invoke(9);
    expect(lb(c, 9).overflowState).toBe(true);
    c.advance(1000);
    expect(c.observer.of('overflowSent').map((e) => e.id)).toEqual([overflowed]);
    expect([c.receivedBy(0), c.receivedBy(1), c.receivedBy(2)]).toEqual([1, 1, 1]);
    expect(c.controller(9).loadBalancerData.overflowActivationCount()).toBe(1);

    // Complete the first three: capacity returns and the overflow message drains to the home invoker.
    for (const k of [0, 1, 2]) c.invokers[k]!.ackAll();
    c.advance(2000);
    expect(c.receivedBy(1)).toBe(2);
    expect(c.invokers[1]!.received[1]!.activationId).toBe(overflowed);
    expect(c.messaging.depth('overflow')).toBe(0);
    expect(lb(c, 9).overflowState).toBe(false);

    c.invokers[1]!.ackAll();
    c.advance(2000);
    expect(c.observer.of('completed', 9).map((e) => e.id).sort()).toEqual([...ids, overflowed].sort());
    const data = c.controller(9).loadBalancerData;
    expect(data.totalActivationCount()).toBe(0);
    expect([0, 1, 2].map((k) => data.activationCountOnInvoker(k))).toEqual([0, 0, 0]);
    expect(data.overflowActivationCount()).toBe(0);
  });

  it('allow controller1 to process requests from controller0 when controller0 goes into overflow', () => {
    // Controller 10 joins the shared `overflow` group first, so it owns the partition; 9 never processes overflow.
    const c = new TestCluster({ controllers: [10, 9] });
    for (let i = 0; i < 3; i++) c.invoke(9);
    c.advance(10);
    const overflowed = c.invoke(9);
    c.advance(1000);
    // 10's books know nothing of 9's activations, so it places the message on the home invoker 1.
    expect(c.receivedBy(1)).toBe(2);
    const placed = c.invokers[1]!.received[1]!;
    expect(placed.activationId).toBe(overflowed);
    expect(placed.rootControllerIndex).toBe(10);
    expect(c.controller(10).loadBalancerData.activationById(overflowed)?.originalController).toBe(9);

    // The invoker acks to 10, which reports health and forwards the completion to 9.
    c.invokers[1]!.ack(placed);
    c.advance(2000);
    expect(c.observer.of('completed', 9).map((e) => e.id)).toEqual([overflowed]);
    expect(c.observer.of('completed', 10)).toEqual([]);
    expect(c.healthReports.get(10)).toEqual(['1:Success']);
    // 9's entry never had an invoker: no health report there.
    expect(c.healthReports.get(9)).toEqual([]);
    expect(c.controller(9).loadBalancerData.totalActivationCount()).toBe(3);
    expect(c.controller(10).loadBalancerData.totalActivationCount()).toBe(0);
  });
});

describe('overflow balancer: quirks and their fixes', () => {
  it('§18.1 with actor-survives-publish-throw a hash of Int.MinValue fails that publish at once; hash-abs-min-value places it', () => {
    const bad = testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' });
    const off = new TestCluster({ controllers: [0], fixes: ['actor-survives-publish-throw'] });
    for (const inv of off.invokers) inv.startPinging();
    const id = off.invoke(0, bad);
    expect(off.observer.of('rejected').map((e) => [e.id, e.detail, e.atMs])).toEqual([[id, 'hashIndexOutOfBounds', 0]]);
    // The actor keeps its state: the next activation goes straight to an invoker.
    expect(lb(off, 0).lbActor.restarts).toBe(0);
    expect(lb(off, 0).invokerHealth()).toHaveLength(4);
    off.invoke(0);
    off.advance(1000);
    expect(off.receivedBy(1)).toBe(1);
    expect(off.observer.of('overflowSent')).toEqual([]);
    const on = new TestCluster({ controllers: [0], fixes: ['hash-abs-min-value'] });
    on.invoke(0, bad);
    on.advance(10);
    expect(on.observer.of('rejected')).toEqual([]);
    expect(on.receivedBy(0)).toBe(1);
  });

  it('§18.1 a hash of Int.MinValue in publish restarts the actor: ask timeout after 30 s, state reset, all to overflow until an invoker changes state', () => {
    const c = new TestCluster({ controllers: [0] });
    for (const inv of c.invokers) inv.startPinging(); // keeps every invoker Healthy: no state change by itself
    const actor = lb(c, 0).lbActor;
    for (let i = 0; i < 4; i++) c.invoke(0); // the 4th overflows; one controller never counts it down (§18.4)
    c.advance(1000);
    expect([actor.overflowState, actor.localOverflowActivationCount]).toEqual([false, 1]);

    const bad = c.invoke(0, testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' }));
    // Restarted: a fresh instance with an empty invoker list and a zero count; the ask is not answered yet.
    expect(actor.restarts).toBe(1);
    expect(c.controller(0).loadBalancer.invokerHealth()).toEqual([]);
    expect(actor.localOverflowActivationCount).toBe(0);
    expect(c.observer.of('rejected')).toEqual([]);
    // The entries made before the restart are kept (the bookkeeping outlives the actor).
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(4);

    // With no invoker known, every publish goes to the overflow topic, where this controller cannot place it.
    const sent = [c.invoke(0), c.invoke(0)];
    c.advance(1000);
    expect(c.observer.of('overflowSent').map((e) => e.id).slice(1)).toEqual(sent);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual(sent.map((id) => [id, true]));
    expect([0, 1, 2, 3].map((k) => c.receivedBy(k))).toEqual([1, 2, 1, 0]);

    // Invoker 3 stops pinging and goes Offline: InvokerPool pushes its list and placement resumes.
    c.invokers[3]!.stopPinging();
    c.advance(12_000);
    expect(c.observer.of('invokerState').map((e) => [e.id, e.detail])).toEqual([[3, 'Healthy->Offline']]);
    expect(c.controller(0).loadBalancer.invokerHealth()).toHaveLength(4);
    c.invokers[0]!.ackAll();
    c.advance(2000);
    const placed = c.invoke(0);
    c.advance(10);
    expect(c.invokers[0]!.received.at(-1)!.activationId).toBe(placed);
    expect(c.observer.of('overflowSent')).toHaveLength(3);

    // The unanswered ask fails its caller 30 s after the publish.
    c.advance(30_000);
    expect(c.observer.of('rejected').map((e) => [e.id, e.detail, e.atMs])).toEqual([[bad, 'askTimeout', 1000 + 30_000]]);
  });

  it('§18.1 in overflow processing the throw loses the activation and a unit of feed capacity', () => {
    const c = new TestCluster({ controllers: [0], config: { overflowPollMs: 200 } });
    for (let i = 0; i < 3; i++) c.invoke(0);
    c.invoke(0); // overflow: state on
    const bad = c.invoke(0, testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' })); // straight to the topic
    c.advance(1000);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual([[bad, true]]);
    expect(lb(c, 0).lbActor.overflowFeed.handlerCapacity).toBe(0); // capacity T = 1, one unit leaked
  });

  it('§18.2 MaxOffset after every overflow poll clears overflowState at once; max-offset-on-empty-poll waits for an empty poll', () => {
    for (const [fixes, clearedAtMs] of [
      [[], 0],
      [['max-offset-on-empty-poll'], 200],
    ] as const) {
      const c = new TestCluster({ controllers: [0], fixes: [...fixes] });
      for (let i = 0; i < 4; i++) c.invoke(0);
      c.advance(1000);
      const changes = c.observer.of('overflowState').map((e) => [e.detail, e.atMs]);
      expect(changes).toEqual([
        [true, 0],
        [false, clearedAtMs],
      ]);
    }
  });

  it('§18.3 overflow placement ignores capacity; overflow-respects-capacity waits for a free invoker', () => {
    const off = new TestCluster({ controllers: [0] });
    for (let i = 0; i < 4; i++) off.invoke(0);
    off.advance(1000);
    expect([off.receivedBy(0), off.receivedBy(1), off.receivedBy(2)]).toEqual([1, 2, 1]);

    const on = new TestCluster({ controllers: [0], fixes: ['overflow-respects-capacity'] });
    for (let i = 0; i < 4; i++) on.invoke(0);
    on.advance(5000);
    expect([on.receivedBy(0), on.receivedBy(1), on.receivedBy(2)]).toEqual([1, 1, 1]);
    on.invokers[2]!.ackAll();
    on.advance(1000);
    expect([on.receivedBy(0), on.receivedBy(1), on.receivedBy(2)]).toEqual([1, 1, 2]);
  });

  it('a requeued overflow message is dropped once its forced timeout has passed, not circulated for ever (fuzz seed 467)', () => {
    const action = testAction({ timeoutMs: 1000 });
    const c = new TestCluster({ controllers: [0], config: { timeoutGraceMs: 1000 }, fixes: ['overflow-respects-capacity'] });
    for (let i = 0; i < 3; i++) c.invoke(0); // long time limit: the invokers stay busy
    c.advance(10);
    const overflowed = c.invoke(0, action); // published at 10 ms: deadline 10 + 1000 + 1000 ms
    c.advance(1900);
    expect(c.observer.of('overflowDropped')).toEqual([]);
    c.advance(600);
    const timedOut = c.observer.of('timedOut').map((e) => e.id);
    expect(timedOut).toContain(overflowed);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual([[overflowed, false]]);
    const produced = c.messaging.produced('overflow');
    c.advance(5000);
    expect(c.messaging.produced('overflow')).toBe(produced); // no more requeues
    for (const inv of c.invokers) inv.ackAll();
    c.advance(2000);
    expect(c.invokers.reduce((n, inv) => n + inv.received.filter((m) => m.activationId === overflowed).length, 0)).toBe(0);
  });

  it('§18.4 the overflow counter never decrements with one controller; symmetric-overflow-count balances it', () => {
    for (const [fixes, expected] of [
      [[], 1],
      [['symmetric-overflow-count'], 0],
    ] as const) {
      const c = new TestCluster({ controllers: [0], fixes: [...fixes] });
      for (let i = 0; i < 4; i++) c.invoke(0);
      c.advance(1000);
      for (const inv of c.invokers) inv.ackAll();
      c.advance(2000);
      expect(c.observer.of('completed')).toHaveLength(4);
      expect(lb(c, 0).localOverflowActivationCount).toBe(expected);
    }
  });

  it('§18.4 with two controllers the processing controller goes negative', () => {
    const c = new TestCluster({ controllers: [10, 9] });
    for (let i = 0; i < 4; i++) c.invoke(9);
    c.advance(1000);
    for (const inv of c.invokers) inv.ackAll();
    c.advance(3000);
    expect(lb(c, 9).localOverflowActivationCount).toBe(1);
    expect(lb(c, 10).localOverflowActivationCount).toBe(-1);
  });

  it('§18.5 with no healthy invoker the overflow message is dropped; requeue-overflow-without-invokers keeps it', () => {
    const off = new TestCluster({ controllers: [0], config: { startHealthy: false } });
    const id = off.invoke(0);
    off.advance(1000);
    expect(off.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual([[id, true]]);
    expect(off.controller(0).loadBalancerData.totalActivationCount()).toBe(0);

    const on = new TestCluster({ controllers: [0], config: { startHealthy: false }, fixes: ['requeue-overflow-without-invokers'] });
    const id2 = on.invoke(0);
    on.advance(1000);
    expect(on.observer.of('overflowDropped')).toEqual([]);
    on.controller(0).invokerPool.registerAllHealthy(4);
    for (const inv of on.invokers) inv.autoAckMs = 10;
    on.advance(1000);
    expect(on.observer.of('completed').map((e) => e.id)).toEqual([id2]);
  });

  it('§18.6 a forwarded forced timeout reaches the original controller as success; forward-timeout-as-failure times it out', () => {
    // A 1.5 s action: the processing controller re-arms floor(1.5) s + grace, which fires before 9's own timer.
    const action = testAction({ timeoutMs: 1500 });
    for (const [fixes, kind, detail, atMs] of [
      // 10 re-arms floor(1.5 s) + 60 s at ~10 ms: its Left reaches 9 before 9's own timer (10 ms + 61.5 s).
      [[], 'completed', 'left', 61_010],
      // With the fix 10 aims at 9's deadline; 9 times out (by its own timer or the forwarded failure).
      [['forward-timeout-as-failure'], 'timedOut', null, 61_510],
    ] as const) {
      const c = new TestCluster({ controllers: [10, 9], fixes: [...fixes] });
      for (let i = 0; i < 3; i++) c.invoke(9, action);
      c.advance(10);
      const overflowed = c.invoke(9, action);
      c.advance(62_000);
      const outcomes = c.observer.events.filter((e) => e.id === overflowed && (e.kind === 'completed' || e.kind === 'timedOut'));
      expect(outcomes.map((e) => [e.controller, e.kind, e.detail])).toEqual([[9, kind, detail]]);
      expect(outcomes[0]!.atMs).toBe(atMs);
      // The processing controller counted the forced timeout against invoker 1.
      expect(c.healthReports.get(10)).toEqual(['1:Timeout']);
    }
  });

  it('§18.6 the re-armed timeout restarts in full (a late forwarded Left then counts as success); the fix subtracts the topic wait', () => {
    const action = testAction({ timeoutMs: 2000 });
    const run = (fixes: ('forward-timeout-as-failure' | 'overflow-respects-capacity')[]) => {
      const c = new TestCluster({ controllers: [10, 9], fixes: ['overflow-respects-capacity', ...fixes] });
      // Both controllers fill every managed invoker in their own books.
      for (let i = 0; i < 3; i++) c.invoke(10, action);
      for (let i = 0; i < 3; i++) c.invoke(9, action);
      c.advance(10);
      const overflowed = c.invoke(9, action); // published at 10 ms
      c.advance(5000); // waits in the topic while controller 10 sees every invoker busy
      c.invokers[0]!.ackAll();
      c.advance(500); // now placed on invoker 0 by controller 10, never acked
      expect(c.controller(10).loadBalancerData.activationById(overflowed)?.originalController).toBe(9);
      c.sim.run({ until: 62_100 }); // 10 ms + 2 s + 60 s grace have passed
      return { c, overflowed };
    };

    const off = run([]);
    // 10's timer started when it placed the message (~5 s later), so it is still pending.
    expect(off.c.controller(10).loadBalancerData.activationById(off.overflowed)).not.toBeNull();
    expect(off.c.observer.of('timedOut', 9).map((e) => e.id)).toContain(off.overflowed);
    off.c.sim.run({ until: 70_000 });
    // The forwarded Left finds no entry on 9 and is reported to 9's pool as a success (§18.10 too).
    expect(off.c.healthReports.get(9)).toContain('0:Success');

    const on = run(['forward-timeout-as-failure']);
    expect(on.c.controller(10).loadBalancerData.activationById(on.overflowed)).toBeNull();
  });

  it('§18.7 throttling is stubbed to 0; throttling-enabled reports the real counts', () => {
    const off = new TestCluster({ controllers: [0], config: { limits: { invocationsPerMinute: 1000, concurrentInvocations: 1, systemConcurrent: 1000 } } });
    off.invoke(0);
    off.invoke(0);
    expect(off.controller(0).loadBalancer.activeActivationsFor('unhealthyInvokerCheck')).toBe(0);
    expect(off.observer.of('rejected')).toEqual([]);

    const on = new TestCluster({
      controllers: [0],
      fixes: ['throttling-enabled'],
      config: { limits: { invocationsPerMinute: 1000, concurrentInvocations: 1, systemConcurrent: 1000 } },
    });
    on.invoke(0);
    const second = on.invoke(0);
    expect(on.controller(0).loadBalancer.activeActivationsFor('unhealthyInvokerCheck')).toBe(1);
    expect(on.controller(0).loadBalancer.totalActiveActivations()).toBe(1);
    expect(on.observer.of('rejected').map((e) => [e.id, e.detail])).toEqual([[second, 'throttledConcurrent']]);
  });
});

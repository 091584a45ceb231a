/**
 * PR #2932's balancer (`overflow`) observed only from outside: what it sends on the bus, what its caller hears,
 * what it reports to the invoker pool, which timers it leaves armed, and its public counts and overflow flag.
 * Setting (as OverflowTests): busy threshold 1, 4 invokers, 3 managed (0, 1, 2) and 1 blackbox (3); the test
 * action's home invoker is 1 and its walk 1, 2, 0.
 *
 * OpenWhisk behaviour these tests hold the port to:
 * - a completion resolves the caller, reports the result to the invoker pool (whisk errors as failures) and
 *   cancels the forced timeout; a forced timeout fails the caller and charges the invoker a timeout; an ack
 *   arriving after the timeout is still reported to the pool (the invoker answered);
 * - a failed send fails the publish (`sendFailed`); the entry stays and its forced timeout clears it;
 * - in overflow state every publish goes to the overflow topic, even one that an invoker could take;
 * - overflow state ends when the overflow count falls to exactly 0, or on MaxOffset from the overflow feed;
 * - a controller processing another's overflow activation forwards the completion to it (with
 *   `forward-timeout-as-failure`, a forced timeout travels as a failure).
 */
import { describe, expect, it } from 'vitest';
import { DistributedLoadBalancerData } from '../../../src/model/bookkeeping/DistributedLoadBalancerData.js';
import { replicationNetwork, replicator } from '../bookkeeping/harness.js';
import type { LoadBalancerActorService } from '../../../src/model/controller/LoadBalancerActorService.js';
import type { ActivationMessage, CompletionMessage, OverflowMessage } from '../../../src/model/messages.js';
import { generateHash } from '../../../src/model/controller/LoadBalancerService.js';
import { testAction, type TestCluster } from './harness.js';
import { behaviourCluster } from './seams.js';

const lb = (c: TestCluster, index: number) => c.controller(index).loadBalancer as LoadBalancerActorService;
const outcomes = (c: TestCluster, id: number) =>
  c.observer.events.filter((e) => e.id === id && ['completed', 'timedOut', 'rejected'].includes(e.kind)).map((e) => [e.controller, e.kind, e.detail, e.atMs]);
const overflowStates = (c: TestCluster, controller = 0) => c.observer.of('overflowState', controller).map((e) => [e.detail, e.atMs]);

/** A 1 s action with a 1 s grace: forced timeout 2 s after the publish. */
const shortAction = testAction({ timeoutMs: 1000 });
const shortGrace = { timeoutGraceMs: 1000 };

describe('overflow balancer: completion, health reports and the forced timeout', () => {
  it('an ack resolves the caller, reports Success, releases the counts and cancels the forced timeout', () => {
    const { c, messaging, timers } = behaviourCluster();
    const id = c.invoke(0);
    c.advance(10);
    expect(timers.armedAt(120_000)).toBe(1); // 60 s limit + 60 s grace
    expect(c.controller(0).loadBalancer.believedLoad(1)).toBe(1);
    c.invokers[1]!.ack();
    c.advance(10);
    expect(outcomes(c, id)).toEqual([[0, 'completed', 'success', 10]]);
    expect(c.healthReports.get(0)).toEqual(['1:Success']);
    expect(c.controller(0).loadBalancer.believedLoad(1)).toBe(0);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(0);
    expect(timers.armedAt(120_000)).toBe(0);
    expect(timers.strayCancels).toBe(0);
    // Its own activation: the only message the balancer sent is the one to the invoker (nothing forwarded).
    expect(messaging.topics()).toEqual(['invoker1']);
    expect(messaging.to('invoker1').map((m) => (m as ActivationMessage).activationId)).toEqual([id]);
  });

  it('a whisk error completes the caller with it and is reported as a SystemError', () => {
    const { c } = behaviourCluster();
    const id = c.invoke(0);
    c.advance(10);
    c.invokers[1]!.ack(undefined, 'whiskError');
    c.advance(10);
    expect(outcomes(c, id)).toEqual([[0, 'completed', 'whiskError', 10]]);
    expect(c.healthReports.get(0)).toEqual(['1:SystemError']);
  });

  it('a forced timeout fails the caller and charges a Timeout; a late ack is still reported to the pool (§18.10)', () => {
    const { c, timers } = behaviourCluster({ config: shortGrace });
    const id = c.invoke(0, shortAction);
    c.advance(1999);
    expect(outcomes(c, id)).toEqual([]);
    c.advance(1);
    expect(outcomes(c, id)).toEqual([[0, 'timedOut', null, 2000]]);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout']);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(0);
    c.invokers[1]!.ack(undefined, 'success');
    c.advance(10);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout', '1:Success']);
    expect(outcomes(c, id)).toHaveLength(1);
    expect(timers.strayCancels).toBe(0);
  });

  it('a late whisk error after the forced timeout is reported as a SystemError', () => {
    const { c } = behaviourCluster({ config: shortGrace });
    c.invoke(0, shortAction);
    c.advance(2500);
    c.invokers[1]!.ack(undefined, 'whiskError');
    c.advance(10);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout', '1:SystemError']);
  });

  it('invokerHealth is the pool list and believedLoad the bookkeeping count per invoker', () => {
    const { c } = behaviourCluster();
    const balancer = c.controller(0).loadBalancer;
    expect(balancer.invokerHealth()).toEqual([0, 1, 2, 3].map((id) => ({ id, status: 'Healthy' })));
    c.invoke(0);
    c.invoke(0);
    expect([0, 1, 2, 3].map((k) => balancer.believedLoad(k))).toEqual([0, 1, 1, 0]);
  });

  it('after close() acks are no longer consumed: the caller hears nothing', () => {
    const { c } = behaviourCluster();
    const id = c.invoke(0);
    c.advance(10);
    c.controller(0).close();
    c.invokers[1]!.ack();
    c.advance(5000);
    expect(outcomes(c, id)).toEqual([]);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(1);
  });

  it('after close() the controller stops processing the overflow topic', () => {
    // 10 joins the overflow group first and owns its only partition; once closed, 9's overflow waits there.
    const { c } = behaviourCluster({ controllers: [10, 9] });
    c.controller(10).close();
    for (let i = 0; i < 3; i++) c.invoke(9);
    const overflowed = c.invoke(9);
    c.advance(5000);
    expect(c.observer.of('overflowSent', 9).map((e) => e.id)).toEqual([overflowed]);
    expect(c.invokers.some((inv) => inv.received.some((m) => m.activationId === overflowed))).toBe(false);
    expect(c.messaging.depth('overflow')).toBe(1);
  });
});

describe('overflow balancer: failed sends', () => {
  it('a failed send to the invoker fails the publish; the entry stays until its forced timeout clears it', () => {
    const { c, messaging, timers } = behaviourCluster({ config: shortGrace });
    messaging.failWhen = (topic) => topic === 'invoker1';
    const id = c.invoke(0, shortAction);
    c.advance(10);
    expect(outcomes(c, id)).toEqual([[0, 'rejected', 'sendFailed', 0]]);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(1);
    c.advance(2000);
    // The caller already heard: no second outcome; the invoker is charged the timeout.
    expect(outcomes(c, id)).toHaveLength(1);
    expect(c.healthReports.get(0)).toEqual(['1:Timeout']);
    expect(c.controller(0).loadBalancerData.totalActivationCount()).toBe(0);
    expect(timers.strayCancels).toBe(0);
  });

  it('a failed overflow send fails the publish and is not counted as an overflow activation', () => {
    const { c, messaging } = behaviourCluster();
    messaging.failWhen = (topic) => topic === 'overflow';
    for (let i = 0; i < 3; i++) c.invoke(0);
    const overflowed = c.invoke(0);
    c.advance(10);
    expect(outcomes(c, overflowed)).toEqual([[0, 'rejected', 'sendFailed', 0]]);
    expect(c.observer.of('overflowSent')).toEqual([]);
    expect(lb(c, 0).localOverflowActivationCount).toBe(0);
  });

  it('in overflow state a failed overflow send fails the publish and sets up no entry', () => {
    const { c, messaging } = behaviourCluster();
    for (let i = 0; i < 3; i++) c.invoke(0);
    c.invoke(0); // no capacity: overflow state on
    expect(lb(c, 0).overflowState).toBe(true);
    messaging.failWhen = (topic) => topic === 'overflow';
    const failed = c.invoke(0); // straight to the (failing) topic
    c.advance(10);
    expect(outcomes(c, failed)).toEqual([[0, 'rejected', 'sendFailed', 0]]);
    expect(c.controller(0).loadBalancerData.activationById(failed)).toBeNull();
    expect(lb(c, 0).localOverflowActivationCount).toBe(1);
  });

  it('a failed send while placing an overflow message tells the caller nothing; its forced timeout resolves it', () => {
    const { c, messaging } = behaviourCluster({ config: shortGrace });
    for (let i = 0; i < 3; i++) c.invoke(0, shortAction);
    c.advance(10);
    const overflowed = c.invoke(0, shortAction);
    messaging.failWhen = (topic, msg) => topic.startsWith('invoker') && (msg as ActivationMessage).activationId === overflowed;
    c.advance(100);
    expect(messaging.failedSends.map((s) => s.topic)).toEqual(['invoker1']);
    expect(outcomes(c, overflowed)).toEqual([]);
    c.advance(2000);
    expect(outcomes(c, overflowed)).toEqual([[0, 'timedOut', null, 2010]]);
  });
});

describe('overflow balancer: overflow state', () => {
  it('in overflow state even an action whose partition has room goes to the overflow topic', () => {
    const { c, messaging } = behaviourCluster();
    for (let i = 0; i < 3; i++) c.invoke(0);
    c.invoke(0); // managed partition full: overflow state on
    const blackbox = testAction({ pull: true, kind: 'blackbox', timeoutMs: 2500 });
    const id = c.invoke(0, blackbox); // the blackbox invoker 3 is idle, but the state decides
    expect(c.receivedBy(3)).toBe(0);
    c.advance(1);
    const sent = messaging.to('overflow').map((m) => m as OverflowMessage);
    expect(sent.map((m) => m.msg.activationId)).toEqual([4, id]);
    // Field by field: the message class reads some fields through getters, which toEqual does not compare.
    const { type, msg, actionTimeoutSeconds, hash, pull, originalController, publishedAtMs } = sent[1]!;
    expect({ type, msg, actionTimeoutSeconds, hash, pull, originalController, publishedAtMs }).toEqual({
      type: 'overflow',
      msg: expect.objectContaining({ activationId: id, rootControllerIndex: 0 }),
      actionTimeoutSeconds: 2, // whole seconds, truncated
      hash: generateHash(msg.user.namespace, blackbox.fqn),
      pull: true,
      originalController: 0,
      publishedAtMs: 0,
    });
    expect(c.observer.of('overflowSent').map((e) => e.id)).toEqual([4, id]);
  });

  it('overflow state ends when the last own overflow activation completes (symmetric-overflow-count)', () => {
    // The fixed MaxOffset rule and a 5 s overflow poll keep the state on until the count reaches 0.
    const { c, messaging } = behaviourCluster({
      fixes: ['symmetric-overflow-count', 'max-offset-on-empty-poll'],
      config: { overflowPollMs: 5000 },
    });
    for (let i = 0; i < 3; i++) c.invoke(0);
    const first = c.invoke(0);
    const second = c.invoke(0);
    c.advance(1000);
    expect(lb(c, 0).localOverflowActivationCount).toBe(2);
    const byId = (id: number) => c.invokers.flatMap((inv) => inv.pending.filter((m) => m.activationId === id).map((m) => [inv, m] as const))[0]!;
    const [inv1, msg1] = byId(first);
    inv1.ack(msg1);
    c.advance(1000);
    expect(lb(c, 0).localOverflowActivationCount).toBe(1);
    expect(lb(c, 0).overflowState).toBe(true);
    const [inv2, msg2] = byId(second);
    inv2.ack(msg2);
    c.advance(1000);
    expect(lb(c, 0).localOverflowActivationCount).toBe(0);
    expect(overflowStates(c)).toEqual([
      [true, 0],
      [false, 2000],
    ]);
    // Out of overflow state, the next publish goes to an invoker with room, not to the topic.
    expect(lb(c, 0).overflowState).toBe(false);
    c.invokers[0]!.ackAll(); // invoker 0 has room again
    c.advance(10);
    const next = c.invoke(0);
    c.advance(10);
    expect(messaging.to('overflow').map((m) => (m as OverflowMessage).msg.activationId)).toEqual([first, second]);
    expect(c.invokers.some((inv) => inv.received.some((m) => m.activationId === next))).toBe(true);
  });

  it('the count reaching 0 after MaxOffset already ended the state reports no second change', () => {
    const { c } = behaviourCluster({ fixes: ['symmetric-overflow-count'] });
    for (let i = 0; i < 4; i++) c.invoke(0);
    c.advance(1000);
    expect(overflowStates(c)).toEqual([
      [true, 0],
      [false, 0],
    ]);
    for (const inv of c.invokers) inv.ackAll();
    c.advance(1000);
    expect(lb(c, 0).localOverflowActivationCount).toBe(0);
    expect(overflowStates(c)).toHaveLength(2);
  });

  it('a processing controller leaves overflow state when a foreign overflow activation brings its count to 0', () => {
    // 10 owns the overflow partition. It overflows once itself (count 1), then places 9's overflow activation
    // and, when that completes, decrements to 0 (the PR's asymmetric count).
    const { c } = behaviourCluster({ controllers: [10, 9], fixes: ['max-offset-on-empty-poll'], config: { overflowPollMs: 5000 } });
    for (let i = 0; i < 4; i++) c.invoke(10);
    for (let i = 0; i < 3; i++) c.invoke(9);
    const foreign = c.invoke(9);
    c.advance(1000);
    expect(c.controller(10).loadBalancerData.activationById(foreign)?.originalController).toBe(9);
    expect(lb(c, 10).localOverflowActivationCount).toBe(1);
    expect(lb(c, 10).overflowState).toBe(true);
    const inv = c.invokers.find((k) => k.pending.some((m) => m.activationId === foreign))!;
    inv.ack(inv.pending.find((m) => m.activationId === foreign));
    c.advance(1000);
    expect(lb(c, 10).localOverflowActivationCount).toBe(0);
    expect(overflowStates(c, 10)).toEqual([
      [true, 0],
      [false, 1000],
    ]);
  });

  it('one of two own overflow activations completing leaves the state on', () => {
    const { c } = behaviourCluster({
      fixes: ['symmetric-overflow-count', 'max-offset-on-empty-poll'],
      config: { overflowPollMs: 5000 },
    });
    for (let i = 0; i < 5; i++) c.invoke(0);
    c.advance(1000);
    const inv = c.invokers.find((k) => k.pending.some((m) => m.activationId === 4))!;
    inv.ack(inv.pending.find((m) => m.activationId === 4));
    c.advance(1000);
    expect(lb(c, 0).localOverflowActivationCount).toBe(1);
    expect(overflowStates(c)).toEqual([[true, 0]]);
  });
});

describe('overflow balancer: processing another controller’s overflow', () => {
  it('forwards the completion to the original controller as a completion message', () => {
    const { c, messaging } = behaviourCluster({ controllers: [10, 9], fixes: ['forward-timeout-as-failure'] });
    for (let i = 0; i < 3; i++) c.invoke(9);
    c.advance(10);
    const overflowed = c.invoke(9);
    c.advance(1000);
    const placed = c.invokers[1]!.pending.find((m) => m.activationId === overflowed)!;
    expect(placed.rootControllerIndex).toBe(10);
    c.invokers[1]!.ack(placed, 'applicationError');
    c.advance(2000);
    expect(messaging.to('completed9')).toEqual([
      {
        type: 'completion',
        activationId: overflowed,
        response: 'applicationError',
        invoker: 1,
        record: placed.record,
        forcedTimeout: false,
      } satisfies CompletionMessage,
    ]);
    // With the fix on, a real completion still completes the caller.
    expect(outcomes(c, overflowed)).toEqual([[9, 'completed', 'applicationError', 1010]]);
    expect(c.healthReports.get(10)).toEqual(['1:Success']);
  });

  it('forward-timeout-as-failure: a single controller’s acks still complete normally', () => {
    const { c } = behaviourCluster({ fixes: ['forward-timeout-as-failure'] });
    const id = c.invoke(0);
    c.advance(10);
    c.invokers[1]!.ack();
    c.advance(10);
    expect(outcomes(c, id)).toEqual([[0, 'completed', 'success', 10]]);
    expect(c.healthReports.get(0)).toEqual(['1:Success']);
  });

  it('forward-timeout-as-failure: the forwarded forced timeout is marked and not reported to the original pool', () => {
    const { c, messaging } = behaviourCluster({ controllers: [10, 9], fixes: ['forward-timeout-as-failure'], config: shortGrace });
    const own = [c.invoke(9, shortAction), c.invoke(9, shortAction), c.invoke(9, shortAction)];
    c.advance(10);
    const overflowed = c.invoke(9, shortAction); // published at 10: both deadlines at 2010
    c.advance(100);
    // 9's first three complete; the overflowed one is never acked.
    for (const inv of c.invokers) for (const m of [...inv.pending]) if (own.includes(m.activationId)) inv.ack(m);
    c.advance(100);
    expect(c.healthReports.get(9)).toHaveLength(3);
    c.advance(3000);
    const forwarded = messaging.to('completed9') as CompletionMessage[];
    expect(forwarded.map((m) => [m.activationId, m.response, m.forcedTimeout])).toEqual([[overflowed, 'left', true]]);
    expect(outcomes(c, overflowed)).toEqual([[9, 'timedOut', null, 2010]]);
    // The forwarded failure found no entry on 9 and is not taken for an invoker's answer.
    expect(c.healthReports.get(9)).toHaveLength(3);
    expect(c.healthReports.get(10)).toEqual(['1:Timeout']);
  });

  it('an overflow message another controller cannot place (bad hash) is dropped there, not lost', () => {
    const { c } = behaviourCluster({ controllers: [10, 9] });
    for (let i = 0; i < 4; i++) c.invoke(9); // overflow state on at 9
    const bad = c.invoke(9, testAction({ fqn: 'guest/cjjfjuuh', namespace: 'guest' }));
    c.advance(1000);
    expect(c.observer.of('overflowDropped').map((e) => [e.controller, e.id, e.detail])).toEqual([[10, bad, false]]);
  });
});

describe('overflow balancer: dropping and requeueing overflow messages', () => {
  it('a dropped own activation (no healthy invoker, §18.5) loses its forced timeout and its overflow count', () => {
    const { c, timers } = behaviourCluster({ fixes: ['symmetric-overflow-count'], config: { startHealthy: false } });
    const id = c.invoke(0);
    expect(timers.armedAt(120_000)).toBe(1);
    c.advance(1000);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual([[id, true]]);
    expect(timers.armedAt(120_000)).toBe(0);
    expect(lb(c, 0).localOverflowActivationCount).toBe(0);
    c.advance(200_000);
    expect(outcomes(c, id)).toEqual([]);
    expect(timers.strayCancels).toBe(0);
  });

  it('without symmetric-overflow-count a dropped own activation keeps its overflow count (the PR counts only foreign completions down)', () => {
    const { c } = behaviourCluster({ config: { startHealthy: false } });
    const id = c.invoke(0);
    c.advance(1000);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail])).toEqual([[id, true]]);
    expect(lb(c, 0).localOverflowActivationCount).toBe(1);
  });

  it('a requeued message is dropped exactly when the original forced timeout is due', () => {
    const { c } = behaviourCluster({ fixes: ['overflow-respects-capacity'], config: shortGrace });
    for (let i = 0; i < 3; i++) c.invoke(0);
    const overflowed = c.invoke(0, shortAction); // published at 0: deadline 2000; requeued every 200 ms
    c.advance(3000);
    expect(c.observer.of('overflowDropped').map((e) => [e.id, e.detail, e.atMs])).toEqual([[overflowed, false, 2000]]);
  });

  it('with distributed bookkeeping an own activation placed from the overflow topic counts once for its namespace', () => {
    const ns = testAction().namespace;
    const { c } = behaviourCluster({
      data: (index, cluster, timers) => {
        const network = replicationNetwork(timers, 1);
        return new DistributedLoadBalancerData(index, replicator(`controller${index}`, timers, cluster.sim.rng(`r${index}`), network));
      },
    });
    for (let i = 0; i < 4; i++) c.invoke(0);
    c.advance(1000);
    expect(c.receivedBy(1)).toBe(2); // the overflowed one was placed
    expect(c.controller(0).loadBalancerData.activationCountOn(ns)).toBe(4);
    for (const inv of c.invokers) inv.ackAll();
    c.advance(2000);
    expect(c.controller(0).loadBalancerData.activationCountOn(ns)).toBe(0);
  });
});

/**
 * The plumbing every balancer shares with OpenWhisk's common load-balancer code, observed from outside for the
 * `legacy` (MB) and `sharding` (HEAD) balancers: an entry per published activation with a forced timeout, the
 * send to `invoker<k>` and its failure, the active-ack feed, and the result each completion reports to the
 * invoker pool. Where the two eras differ the test says so:
 * - forced timeout: MB `limit + grace`; HEAD `max(limit, 1 min) × 2 + grace`;
 * - an ack without an entry: MB reports it to the pool (a late ack counts a second time, §18.10); HEAD reports
 *   only health test actions (negative ids).
 */
import { describe, expect, it } from 'vitest';
import type { ActivationMessage } from '../../../src/model/messages.js';
import type { LoadBalancerKind } from '../../../src/scenario/types.js';
import { testAction, type TestCluster } from './harness.js';
import { behaviourCluster } from './seams.js';

const outcomes = (c: TestCluster, id: number) =>
  c.observer.events.filter((e) => e.id === id && ['completed', 'timedOut', 'rejected'].includes(e.kind)).map((e) => [e.kind, e.detail, e.atMs]);

/** The invoker an activation was sent to. */
const placedOn = (c: TestCluster, id: number) => c.invokers.findIndex((inv) => inv.received.some((m) => m.activationId === id));

const action = testAction({ timeoutMs: 1000 });
const grace = { timeoutGraceMs: 1000 };
const eras: { kind: LoadBalancerKind; forcedAfterMs: number; lateAckReported: boolean }[] = [
  { kind: 'legacy', forcedAfterMs: 2000, lateAckReported: true },
  { kind: 'sharding', forcedAfterMs: 121_000, lateAckReported: false },
];

for (const { kind, forcedAfterMs, lateAckReported } of eras) {
  describe(`${kind} balancer: entries, forced timeouts and acks`, () => {
    it('an ack completes the caller, reports Success, releases the counts and cancels the forced timeout', () => {
      const { c, messaging, timers } = behaviourCluster({ loadBalancer: kind, config: grace });
      const id = c.invoke(0, action);
      c.advance(10);
      const k = placedOn(c, id);
      expect(messaging.topics()).toEqual([`invoker${k}`]);
      expect(timers.armedAt(forcedAfterMs)).toBe(1);
      const balancer = c.controller(0).loadBalancer;
      expect(balancer.believedLoad(k)).toBe(1);
      expect(balancer.activeActivationsFor(action.namespace)).toBe(1);
      expect(balancer.totalActiveActivations()).toBe(1);
      c.invokers[k]!.ack();
      c.advance(10);
      expect(outcomes(c, id)).toEqual([['completed', 'success', 10]]);
      expect(c.healthReports.get(0)).toEqual([`${k}:Success`]);
      expect(balancer.believedLoad(k)).toBe(0);
      expect(balancer.totalActiveActivations()).toBe(0);
      expect(timers.armedAt(forcedAfterMs)).toBe(0);
      expect(timers.strayCancels).toBe(0);
    });

    it('a whisk error completes the caller with it and counts as a SystemError', () => {
      const { c } = behaviourCluster({ loadBalancer: kind, config: grace });
      const id = c.invoke(0, action);
      c.advance(10);
      const k = placedOn(c, id);
      c.invokers[k]!.ack(undefined, 'whiskError');
      c.advance(10);
      expect(outcomes(c, id)).toEqual([['completed', 'whiskError', 10]]);
      expect(c.healthReports.get(0)).toEqual([`${k}:SystemError`]);
    });

    it(`the forced timeout fires ${forcedAfterMs} ms after the publish and charges a Timeout`, () => {
      const { c, timers } = behaviourCluster({ loadBalancer: kind, config: grace });
      const id = c.invoke(0, action);
      c.advance(forcedAfterMs - 1);
      expect(outcomes(c, id)).toEqual([]);
      c.advance(1);
      expect(outcomes(c, id)).toEqual([['timedOut', null, forcedAfterMs]]);
      const k = placedOn(c, id);
      expect(c.healthReports.get(0)).toEqual([`${k}:Timeout`]);
      expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(0);
      // A late ack: no second outcome; MB still reports the invoker's answer, HEAD does not.
      c.invokers[k]!.ack(undefined, 'whiskError');
      c.advance(10);
      expect(outcomes(c, id)).toHaveLength(1);
      expect(c.healthReports.get(0)).toEqual(lateAckReported ? [`${k}:Timeout`, `${k}:SystemError`] : [`${k}:Timeout`]);
      expect(timers.strayCancels).toBe(0);
    });

    it('a failed send fails the publish with sendFailed; the entry stays until its forced timeout', () => {
      const { c, messaging } = behaviourCluster({ loadBalancer: kind, config: grace });
      messaging.failWhen = (topic) => topic.startsWith('invoker');
      const id = c.invoke(0, action);
      c.advance(10);
      expect(outcomes(c, id)).toEqual([['rejected', 'sendFailed', 0]]);
      expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(1);
      c.advance(forcedAfterMs);
      expect(outcomes(c, id)).toHaveLength(1);
      expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(0);
      const k = Number(messaging.failedSends[0]!.topic.slice('invoker'.length));
      expect(c.healthReports.get(0)).toEqual([`${k}:Timeout`]);
    });

    it('a successful send tells the caller nothing until the completion', () => {
      const { c } = behaviourCluster({ loadBalancer: kind, config: grace });
      const id = c.invoke(0, action);
      c.advance(forcedAfterMs - 1);
      expect(outcomes(c, id)).toEqual([]);
    });

    it('after close() acks are no longer consumed', () => {
      const { c } = behaviourCluster({ loadBalancer: kind });
      const id = c.invoke(0); // a 60 s limit: no forced timeout within this test
      c.advance(10);
      c.controller(0).close();
      c.invokers[placedOn(c, id)]!.ack();
      c.advance(5000);
      expect(outcomes(c, id)).toEqual([]);
      expect(c.controller(0).loadBalancer.totalActiveActivations()).toBe(1);
    });

    it('invokerHealth is the pool’s list', () => {
      const { c } = behaviourCluster({ loadBalancer: kind });
      expect(c.controller(0).loadBalancer.invokerHealth()).toEqual([0, 1, 2, 3].map((id) => ({ id, status: 'Healthy' })));
      expect(c.controller(0).loadBalancer.overflowState).toBe(false);
    });

    it('without startHealthy the health test actions’ acks make the invokers Healthy', () => {
      const { c, messaging } = behaviourCluster({ loadBalancer: kind, config: { startHealthy: false } });
      for (const inv of c.invokers) inv.startPinging();
      c.advance(100);
      expect(c.controller(0).loadBalancer.invokerHealth().map((h) => h.status)).toEqual(['Healthy', 'Healthy', 'Healthy', 'Healthy']);
      const tests = messaging.to('invoker0') as ActivationMessage[];
      expect(tests.every((m) => m.activationId < 0 && m.record === null)).toBe(true);
      expect(c.healthReports.get(0)!.filter((r) => r === '0:Success')).toHaveLength(tests.length);
    });
  });
}

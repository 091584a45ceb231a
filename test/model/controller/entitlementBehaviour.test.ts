/**
 * The controller's throttles (OpenWhisk's checkThrottles order: system overload, per-namespace rate, per-namespace
 * concurrency), checked through the Controller with the legacy balancer, whose counts are real.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, testAction } from './harness.js';

const limits = (l: Partial<{ invocationsPerMinute: number; concurrentInvocations: number; systemConcurrent: number }>) => ({
  limits: { invocationsPerMinute: 1_000_000, concurrentInvocations: 1_000_000, systemConcurrent: 1_000_000, ...l },
});
const other = testAction({ namespace: 'other', fqn: 'other/a' });
const rejections = (c: TestCluster) => c.observer.of('rejected').map((e) => [e.id, e.detail]);

describe('Controller: entitlement', () => {
  it('the rate is counted per namespace', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ invocationsPerMinute: 1 }) });
    c.invoke(0);
    c.invoke(0, other);
    const third = c.invoke(0);
    const fourth = c.invoke(0, other);
    expect(rejections(c)).toEqual([
      [third, 'throttledRate'],
      [fourth, 'throttledRate'],
    ]);
  });

  it('a rejected request still counts against the minute, which starts afresh on the next virtual minute', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ invocationsPerMinute: 2 }) });
    for (const inv of c.invokers) inv.startPinging();
    const ids = [c.invoke(0), c.invoke(0), c.invoke(0), c.invoke(0)];
    expect(rejections(c)).toEqual([
      [ids[2], 'throttledRate'],
      [ids[3], 'throttledRate'],
    ]);
    c.sim.run({ until: 59_999 });
    const late = c.invoke(0);
    expect(rejections(c).at(-1)).toEqual([late, 'throttledRate']);
    c.sim.run({ until: 60_000 });
    const next = [c.invoke(0), c.invoke(0), c.invoke(0)];
    expect(rejections(c).slice(3)).toEqual([[next[2], 'throttledRate']]);
    // Minute 2 resets again (the counter follows the minute, not a one-off reset).
    c.sim.run({ until: 120_000 });
    c.invoke(0);
    expect(rejections(c)).toHaveLength(4);
  });

  it('system overload is checked first and does not count against the rate', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ systemConcurrent: 0, invocationsPerMinute: 2 }) });
    const first = c.invoke(0); // total 0 is not above 0
    const second = c.invoke(0); // total 1 > 0
    expect(rejections(c)).toEqual([[second, 'systemOverload']]);
    c.advance(10);
    for (const inv of c.invokers) inv.ackAll();
    c.advance(1500);
    expect(c.observer.of('completed').map((e) => e.id)).toEqual([first]);
    // The overloaded request was not counted: this is the namespace's second request of the minute, within 2.
    const third = c.invoke(0);
    expect(rejections(c)).toHaveLength(1);
    expect(c.observer.of('accepted').map((e) => e.id)).toEqual([first, third]);
  });

  it('the rate is checked before concurrency', () => {
    const c = new TestCluster({ loadBalancer: 'legacy', config: limits({ invocationsPerMinute: 1, concurrentInvocations: 1 }) });
    c.invoke(0);
    const second = c.invoke(0);
    expect(rejections(c)).toEqual([[second, 'throttledRate']]);
  });
});

/**
 * The hash placement used by PR #2932's OverflowTests (7c547a82): 4 invokers, threshold 1, blackboxFraction
 * 0.1, identity namespace `unhealthyInvokerCheck`, action `actionSpace/actionName`. The Scala tests run whole
 * controllers over a test message bus; here only the placement decisions they observe are replayed, with the
 * usage each controller's bookkeeping would hold at that moment (the integration parts are scenario tests).
 */
import { describe, expect, it } from 'vitest';
import {
  generateHash,
  pairwiseCoprimeNumbersUntil,
  partitionInvokers,
  schedulePR,
  type InvokerWithUsage,
} from '../../src/model/controller/LoadBalancerService.js';
import { openSuite, SOURCES } from './expectations.js';

const invokerBusyThreshold = 1;
const blackboxFraction = 0.1;
const hash = generateHash('unhealthyInvokerCheck', 'actionSpace/actionName');
const allInvokers = [0, 1, 2, 3];

/** The managed partition with the given usage per invoker id. */
function managedWithUsage(usage: Readonly<Record<number, number>>): InvokerWithUsage[] {
  return partitionInvokers(allInvokers, blackboxFraction).managed.map((id) => ({ id, state: 'Healthy', usage: usage[id] ?? 0 }));
}

describe('OverflowTests (PR #2932 7c547a82)', () => {
  const suite = openSuite(SOURCES.overflowPR);

  it('4 invokers with blackboxFraction 0.1 leave 3 managed ("1 invoker reserved for blackbox")', () => {
    const { managed, blackbox } = partitionInvokers(allInvokers, blackboxFraction);
    expect(managed).toEqual(suite.expected('4 invokers with blackboxFraction 0.1 leave 3 managed ("1 invoker reserved for blackbox")'));
    expect(blackbox).toEqual([3]);
  });

  it('home invoker of actionSpace/actionName for ns unhealthyInvokerCheck is invoker1', () => {
    expect(hash % 3).toBe(suite.expected('home invoker of actionSpace/actionName for ns unhealthyInvokerCheck is invoker1'));
    expect(pairwiseCoprimeNumbersUntil(3)[hash % 2]).toBe(1);
  });

  it('lb1 first two publishes land on invoker1 and invoker2', () => {
    // "rely on replicated data to decide": lb1 publishes twice, counting each placement locally.
    const usage: Record<number, number> = {};
    const placed: (number | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const chosen = schedulePR(managedWithUsage(usage), invokerBusyThreshold, hash, false);
      placed.push(chosen);
      if (chosen !== null) usage[chosen] = (usage[chosen] ?? 0) + 1;
    }
    expect(placed).toEqual(suite.expected('lb1 first two publishes land on invoker1 and invoker2'));
  });

  it('lb2 before replication -> invoker1', () => {
    // lb2 has not yet seen lb1's counts: everything looks idle.
    expect(schedulePR(managedWithUsage({}), invokerBusyThreshold, hash, false)).toBe(suite.expected('lb2 before replication -> invoker1'));
  });

  it('lb2 after replication -> invoker0', () => {
    // Replicated: invoker1 carries lb1's and lb2's activation, invoker2 lb1's second.
    expect(schedulePR(managedWithUsage({ 1: 2, 2: 1 }), invokerBusyThreshold, hash, false)).toBe(
      suite.expected('lb2 after replication -> invoker0'),
    );
  });

  it('4th publish with all 3 managed busy -> None (goes to overflow topic)', () => {
    const usage: Record<number, number> = {};
    for (let i = 0; i < 3; i++) {
      const chosen = schedulePR(managedWithUsage(usage), invokerBusyThreshold, hash, false);
      expect(chosen).not.toBeNull();
      usage[chosen!] = (usage[chosen!] ?? 0) + 1;
    }
    expect(usage).toEqual({ 0: 1, 1: 1, 2: 1 });
    expect(schedulePR(managedWithUsage(usage), invokerBusyThreshold, hash, false)).toBe(
      suite.expected('4th publish with all 3 managed busy -> None (goes to overflow topic)'),
    );
    // processOverflow schedules with overflow = true and still finds one: the home invoker (docs/openwhisk.md §18.3).
    expect(schedulePR(managedWithUsage(usage), invokerBusyThreshold, hash, true)).toBe(1);
  });

  it('replays every OverflowTests expectation', () => suite.assertAllReplayed());
});

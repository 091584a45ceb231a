/**
 * OpenWhisk's LoadBalancerDataTests of PR #2932 (7c547a82), as one runner for every store: the Scala suite runs
 * each case against LocalLoadBalancerData and DistributedLoadBalancerData, and so do we
 * (LoadBalancerDataTests.test.ts and test/model/bookkeeping/LoadBalancerDataTests.distributed.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { LoadBalancerData } from '../../src/model/bookkeeping/LoadBalancerData.js';
import { createActivationEntry, type ActivationEntry, type ActivationEntryInit } from '../../src/model/controller/ActivationEntry.js';
import { openSuite, SOURCES } from './expectations.js';

let nextId = 1;
function entry(namespaceId: string, invokerName: number | null): ActivationEntry {
  return createActivationEntry({ id: nextId++, namespaceId, invokerName });
}
const put = (lbd: LoadBalancerData, e: ActivationEntry) => lbd.putActivation(e.id, () => e);
/** Scala's `entry.copy(...)`: an entry reads its fields through accessors, so a spread would not copy them. */
const copy = (e: ActivationEntry, changes: Partial<ActivationEntryInit>): ActivationEntry =>
  createActivationEntry({ id: e.id, namespaceId: e.namespaceId, invokerName: e.invokerName, originalController: e.originalController, isOverflow: e.isOverflow, ...changes });

export function describeLoadBalancerDataTests(title: string, create: () => LoadBalancerData): void {
  describe(title, () => {
    const suite = openSuite(SOURCES.loadBalancerDataPR);
    const firstEntry = entry('ns-1', 0);
    const secondEntry = entry('ns-2', 1);
    const firstOverflowEntry = entry('ns-3', null);
    const secondOverflowEntry = entry('ns-4', null);

    it('returns the number of activations for a namespace', () => {
      const lbd = create();
      put(lbd, firstEntry);
      expect(lbd.activationCountOn(firstEntry.namespaceId)).toBe(1);
      expect(lbd.activationCountPerInvoker()).toEqual(new Map([[0, 1]]));
      expect(lbd.activationById(firstEntry.id)).toBe(firstEntry);
      expect(lbd.totalActivationCount()).toBe(1);
    });

    it('invoker counts only for entries with an invoker; overflow counted separately', () => {
      const lbd = create();
      for (const e of [firstEntry, secondEntry, firstOverflowEntry, secondOverflowEntry]) put(lbd, e);
      expect(lbd.activationById(firstEntry.id)).toBe(firstEntry);
      expect(lbd.activationById(secondEntry.id)).toBe(secondEntry);
      expect([lbd.activationCountOnInvoker(0), lbd.activationCountOnInvoker(1), lbd.overflowActivationCount()]).toEqual(
        suite.expected('invoker counts only for entries with an invoker; overflow counted separately'),
      );
      expect(lbd.totalActivationCount()).toBe(4);
    });

    it('remove reflects everywhere (counter keys stay at 0)', () => {
      const lbd = create();
      put(lbd, firstEntry);
      put(lbd, firstOverflowEntry);
      const before = [lbd.activationCountOnInvoker(0), lbd.activationCountOn(firstEntry.namespaceId), lbd.overflowActivationCount()];
      lbd.removeActivation(firstEntry);
      lbd.removeActivation(firstOverflowEntry);
      const after = [
        lbd.activationCountPerInvoker().get(0),
        lbd.activationCountOn(firstEntry.namespaceId),
        lbd.activationById(firstEntry.id) !== null,
        lbd.overflowActivationCount(),
      ];
      expect([before, after]).toEqual(suite.expected('remove reflects everywhere (counter keys stay at 0)'));
    });

    it('removes activations by activation id', () => {
      const lbd = create();
      put(lbd, firstEntry);
      expect(lbd.activationCountOnInvoker(0)).toBe(1);
      expect(lbd.removeActivationById(firstEntry.id)).toBe(firstEntry);
      expect(lbd.activationCountPerInvoker()).toEqual(new Map([[0, 0]]));
      expect(lbd.removeActivationById(firstEntry.id)).toBeNull();
    });

    it('remove of a missing entry returns None', () => {
      const lbd = create();
      expect(lbd.removeActivation(firstEntry)).toBe(suite.expected('remove of a missing entry returns None'));
      expect(lbd.totalActivationCount()).toBe(0);
    });

    it('respond with different values accordingly', () => {
      const lbd = create();
      const e = entry('ns-a', 1);
      const sameInvokerAndNamespace = copy(e, { id: nextId++ });
      const sameInvoker = copy(e, { id: nextId++, namespaceId: 'ns-b' });
      const noInvoker = copy(e, { id: nextId++, namespaceId: 'ns-c', invokerName: null });
      const counts = () => [lbd.activationCountOn(e.namespaceId), lbd.activationCountOnInvoker(1)];
      const observed: number[][] = [];

      put(lbd, e);
      observed.push(counts());
      put(lbd, sameInvokerAndNamespace);
      observed.push(counts());
      put(lbd, noInvoker);
      observed.push([...counts(), lbd.overflowActivationCount()]);
      put(lbd, sameInvoker);
      observed.push(counts());
      lbd.removeActivation(sameInvokerAndNamespace);
      observed.push(counts());
      lbd.removeActivation(noInvoker);
      observed.push([...counts(), lbd.overflowActivationCount()]);
      // Removing an entry that is no longer there changes nothing.
      lbd.removeActivation(sameInvokerAndNamespace);
      observed.push(counts());

      expect(observed).toEqual(suite.expected('respond with different values accordingly'));
    });

    it('does not add the same entry more than once', () => {
      const lbd = create();
      put(lbd, firstEntry);
      put(lbd, firstEntry);
      expect([lbd.activationCountOnInvoker(0), lbd.activationCountOn(firstEntry.namespaceId), lbd.totalActivationCount()]).toEqual([1, 1, 1]);
    });

    it('block evaluated only once per id; same entry returned', () => {
      const lbd = create();
      let called = 0;
      // Scala: "not evaluate the given block even if an entry is different (but has the same id)".
      const entrySameId = copy(secondEntry, { id: firstEntry.id });
      const stored = lbd.putActivation(firstEntry.id, () => {
        called += 1;
        return firstEntry;
      });
      const storedAgain = lbd.putActivation(entrySameId.id, () => {
        called += 1;
        return entrySameId;
      });
      expect([called, stored === storedAgain, lbd.activationCountOnInvoker(0), lbd.activationCountOn(firstEntry.namespaceId)]).toEqual(
        suite.expected('block evaluated only once per id; same entry returned'),
      );
      expect(lbd.activationCountOnInvoker(1)).toBe(0);
    });

    it('passes `arg` to the entry factory, so callers need no closure per activation', () => {
      const lbd = create();
      const make = (id: number) => createActivationEntry({ id, namespaceId: 'ns', invokerName: 2 });
      const stored = lbd.putActivation(77, make, false, 77);
      expect(stored.id).toBe(77);
      expect(lbd.activationCountOnInvoker(2)).toBe(1);
      expect(lbd.activationCountOnInvoker(99)).toBe(0);
    });

    it('reverses counts with the fields of the entry passed in (PR quirk)', () => {
      const lbd = create();
      const stored = entry('ns', null);
      put(lbd, stored);
      // processOverflow mutates invokerName on the stored entry before removal.
      stored.invokerName = 2;
      lbd.removeActivation(stored);
      expect([lbd.overflowActivationCount(), lbd.activationCountOnInvoker(2)]).toEqual([1, -1]);
    });

    it('replays every LoadBalancerData expectation', () => suite.assertAllReplayed());
  });
}

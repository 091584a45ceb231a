/**
 * DistributedLoadBalancerData (PR #2932) on a simulated controller cluster: OpenWhisk's
 * DistributedLoadBalancerDataTests and SharedDataServiceTests, the namespace double count of §18.8, replication
 * lag, loss, partitions, phantom counts of a crashed controller and pruning.
 */
import { describe, expect, it } from 'vitest';
import type { DistributedLoadBalancerData } from '../../../src/model/bookkeeping/DistributedLoadBalancerData.js';
import { SharedDataService, sharedEntries, type SharedCounters } from '../../../src/model/bookkeeping/SharedDataService.js';
import { createActivationEntry, type ActivationEntry } from '../../../src/model/controller/ActivationEntry.js';
import { JvmException } from '../../../src/model/common/JvmException.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { entry, makeCluster, REPLICATION_BOUND_MS, replicationNetwork, replicator } from './harness.js';

const put = (lbd: DistributedLoadBalancerData, e: ActivationEntry, isOverflow = false) => lbd.putActivation(e.id, () => e, isOverflow);

describe('DistributedLoadBalancerDataTests (PR #2932)', () => {
  it('reflects local changes immediately and replicated changes eventually', () => {
    const { sim, lbds } = makeCluster({ instances: [123, 456] });
    const [lbd1, lbd2] = lbds as [DistributedLoadBalancerData, DistributedLoadBalancerData];
    const firstEntry = entry('namespace1', 0);
    const secondEntry = entry('namespace1', 1);
    put(lbd1, firstEntry);
    put(lbd2, secondEntry);

    // Only local changes are visible before replication.
    expect(lbd1.activationCountOn('namespace1')).toBe(1);
    expect(lbd1.activationCountPerInvoker()).toEqual(new Map([[0, 1]]));
    expect(lbd1.activationById(firstEntry.id)).toBe(firstEntry);

    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    expect(lbd1.activationCountOn('namespace1')).toBe(2);
    expect(lbd1.activationCountPerInvoker()).toEqual(new Map([[0, 1], [1, 1]]));
    expect(lbd1.totalActivationCount()).toBe(2);
    // Only the counters are replicated, never the entries.
    expect(lbd2.activationById(secondEntry.id)).toBe(secondEntry);
    expect(lbd2.activationById(firstEntry.id)).toBeNull();
    expect(lbd1.activationById(secondEntry.id)).toBeNull();

    lbd1.removeActivationById(firstEntry.id);
    lbd2.removeActivationById(secondEntry.id);
    expect(lbd1.activationCountOn('namespace1')).toBe(1);
    expect(lbd1.activationCountPerInvoker()).toEqual(new Map([[0, 0], [1, 1]]));
    expect(lbd2.activationCountOn('namespace1')).toBe(1);
    expect(lbd2.activationCountPerInvoker()).toEqual(new Map([[0, 1], [1, 0]]));

    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    for (const lbd of [lbd1, lbd2]) {
      expect(lbd.activationCountOn('namespace1')).toBe(0);
      expect(lbd.activationCountPerInvoker()).toEqual(new Map([[0, 0], [1, 0]]));
      expect(lbd.totalActivationCount()).toBe(0);
    }
  });

  it("is stale for exactly as long as replication takes: no message can arrive before the network latency", () => {
    const { sim, lbds } = makeCluster({ instances: [0, 1], latencyMs: 50 });
    put(lbds[1]!, entry('ns', 3));
    sim.run({ until: 49 });
    expect(lbds[0]!.activationCountOnInvoker(3)).toBe(0);
    expect(lbds[1]!.activationCountOnInvoker(3)).toBe(1);
    // Poll: the first time the reader sees it lies between the latency and the replication bound.
    let seenAt = -1;
    while (sim.now < REPLICATION_BOUND_MS && seenAt < 0) {
      sim.run({ until: sim.now + 10 });
      if (lbds[0]!.activationCountOnInvoker(3) === 1) seenAt = sim.now;
    }
    expect(seenAt).toBeGreaterThanOrEqual(50);
    expect(seenAt).toBeLessThanOrEqual(REPLICATION_BOUND_MS + 10);
  });
});

describe('SharedDataServiceTests', () => {
  function service() {
    const sim = new Simulation({ seed: 1 });
    const scheduler = simScheduler(sim);
    const network = replicationNetwork(scheduler, 1);
    const r = replicator('controller123', scheduler, sim.rng('r'), network);
    const updates: [string, Map<string, Map<number, number>>][] = [];
    const s = new SharedDataService('Candidates', (name, entries: SharedCounters) => updates.push([name, sharedEntries(entries)]), r);
    const settle = () => sim.run({ until: sim.now + 1000 });
    return { s, updates, settle };
  }

  it('retrieves an empty map after initialization', () => {
    const { s, updates, settle } = service();
    expect(s.getMap()).toEqual(new Map());
    settle();
    expect(updates).toEqual([]);
  });

  it('increases and decreases the counter, and sends the map with all counters', () => {
    const { s, updates, settle } = service();
    s.increaseCounter('Donald', 123, 1);
    settle();
    expect(updates.pop()).toEqual(['Candidates', new Map([['Donald', new Map([[123, 1]])]])]);
    s.increaseCounter('Donald', 123, 2);
    settle();
    expect(s.getMap()).toEqual(new Map([['Donald', new Map([[123, 3]])]]));
    s.decreaseCounter('Donald', 123, 2);
    settle();
    expect(updates.pop()).toEqual(['Candidates', new Map([['Donald', new Map([[123, 1]])]])]);
    s.increaseCounter('Hilary', 123, 1);
    settle();
    expect(updates.pop()).toEqual(['Candidates', new Map([['Donald', new Map([[123, 1]])], ['Hilary', new Map([[123, 1]])]])]);
  });
});

describe('PR #2932 quirks', () => {
  it("double-counts a foreign overflow activation's namespace on the processing controller (§18.8)", () => {
    const { sim, lbds } = makeCluster({ instances: [9, 10] });
    const [originator, processor] = lbds as [DistributedLoadBalancerData, DistributedLoadBalancerData];
    // Controller 9 parks an activation in the overflow topic; controller 10 picks it up for invoker 2.
    const parked = entry('ns', null);
    put(originator, parked);
    const foreign = entry('ns', 2, { id: parked.id, isOverflow: true });
    put(processor, foreign, true);
    sim.run({ until: REPLICATION_BOUND_MS });
    expect(processor.activationCountOn('ns')).toBe(2); // 1 local + 1 through controller 9's shared counter
    expect(originator.activationCountOn('ns')).toBe(1); // controller 10 did not count it in the shared store
    expect(originator.activationCountOnInvoker(2)).toBe(1);
    expect(processor.overflowActivationCount()).toBe(1); // controller 9's parked entry
    // Others' overflow entries are not in the total: 10 counts its own entry only; 9 counts its own + 10's invoker count.
    expect([processor.totalActivationCount(), originator.totalActivationCount()]).toEqual([1, 2]);
  });

  it('a negative shared count fails the snapshot require: thrown without a handler', () => {
    const { sim, lbds } = makeCluster({ instances: [0, 1] });
    const parked = entry('ns', null);
    put(lbds[0]!, parked);
    parked.invokerName = 2; // processOverflow-style mutation before removal
    lbds[0]!.removeActivation(parked);
    expect(() => sim.run({ until: REPLICATION_BOUND_MS })).toThrowError(JvmException);
  });

  it('with a handler, each failed snapshot is counted and dropped, and reads stay at the previous snapshot', () => {
    const failures: string[] = [];
    const { sim, lbds } = makeCluster({
      instances: [0, 1],
      data: { onRequirementFailed: (e, store) => failures.push(`${store}:${e.simpleName}`) },
    });
    put(lbds[0]!, entry('ns', 2));
    sim.run({ until: REPLICATION_BOUND_MS });
    expect(lbds[1]!.activationCountOnInvoker(2)).toBe(1);
    const parked = entry('ns', null);
    put(lbds[0]!, parked);
    parked.invokerName = 2;
    lbds[0]!.removeActivation(parked); // invoker 2 back to 0, the overflow counter stays at 1: no negative yet
    const other = entry('ns', 3);
    put(lbds[0]!, other);
    lbds[0]!.removeActivation(createActivationEntry({ id: other.id, namespaceId: other.namespaceId, invokerName: 4 })); // controller 0's invoker-4 counter: −1, invoker 3 stays 1
    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    expect(failures).toContain('Invokers:IllegalArgumentException');
    // Controller 1 never accepted the bad snapshot: it still reads invoker 3 at 0 and invoker 4 at 0.
    expect([lbds[1]!.activationCountOnInvoker(3), lbds[1]!.activationCountOnInvoker(4)]).toEqual([0, 0]);
    expect(lbds[1]!.sharedStores[0]!.requirementFailures).toBeGreaterThan(0);
  });
});

describe('replication faults', () => {
  it('loses every message at loss probability 1, and converges despite 50% loss', () => {
    const lossy = makeCluster({ instances: [0, 1], network: { lossProbability: 1 } });
    put(lossy.lbds[1]!, entry('ns', 0));
    lossy.sim.run({ until: 20_000 });
    expect(lossy.lbds[0]!.activationCountOnInvoker(0)).toBe(0);
    expect(lossy.network.stats.lost).toBeGreaterThan(0);
    expect(lossy.network.stats.delivered).toBe(0);

    const half = makeCluster({ instances: [0, 1], network: { lossProbability: 0.5 } });
    put(half.lbds[1]!, entry('ns', 0));
    half.sim.run({ until: 60_000 });
    expect(half.lbds[0]!.activationCountOnInvoker(0)).toBe(1);
    expect(half.network.stats.lost).toBeGreaterThan(0);
  });

  it('a blocked link carries nothing; the counts flow once it is unblocked', () => {
    const { sim, network, lbds } = makeCluster({ instances: [0, 1] });
    network.setLinkBlocked('controller0', 'controller1', true);
    put(lbds[1]!, entry('ns', 0));
    sim.run({ until: 10_000 });
    expect(lbds[0]!.activationCountOnInvoker(0)).toBe(0);
    expect(network.stats.blocked).toBeGreaterThan(0);
    network.setLinkBlocked('controller0', 'controller1', false);
    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    expect(lbds[0]!.activationCountOnInvoker(0)).toBe(1);
  });

  it('replicas on both sides of a partition converge after it heals', () => {
    const { sim, network, replicators, lbds } = makeCluster({ instances: [0, 1, 2] });
    network.setLinkBlocked('controller0', 'controller1', true);
    network.setLinkBlocked('controller0', 'controller2', true);
    put(lbds[0]!, entry('nsA', 0));
    put(lbds[0]!, entry('nsA', 1));
    put(lbds[1]!, entry('nsB', 1));
    const e2 = entry('nsB', 2);
    put(lbds[2]!, e2);
    sim.run({ until: 10_000 });
    expect([lbds[0]!.activationCountOnInvoker(1), lbds[2]!.activationCountOnInvoker(1)]).toEqual([1, 1]);
    lbds[2]!.removeActivation(e2);
    network.setLinkBlocked('controller0', 'controller1', false);
    network.setLinkBlocked('controller0', 'controller2', false);
    sim.run({ until: sim.now + 2 * REPLICATION_BOUND_MS });
    for (const store of ['Invokers', 'Namespaces']) {
      const first = replicators[0]!.get<SharedCounters>(store)!;
      for (const r of replicators) expect(r.get<SharedCounters>(store)!.equals(first)).toBe(true);
    }
    for (const lbd of lbds) {
      expect(lbd.activationCountPerInvoker()).toEqual(new Map([[0, 1], [1, 2], [2, 0]]));
      expect(lbd.totalActivationCount()).toBe(3);
      expect([lbd.activationCountOn('nsA'), lbd.activationCountOn('nsB')]).toEqual([2, 1]);
    }
  });
});

describe('crashed controllers', () => {
  function crashScenario(pruning: 'collapse' | 'discard') {
    const c = makeCluster({ instances: [0, 1, 2], network: { pruning, pruningDelayMs: 30_000 } });
    put(c.lbds[1]!, entry('ns', 0));
    put(c.lbds[1]!, entry('ns', 0));
    c.sim.run({ until: REPLICATION_BOUND_MS });
    c.replicators[1]!.crash();
    return c;
  }

  it('a crashed controller that stays a member leaves phantom counts in its peers', () => {
    const { sim, lbds } = crashScenario('collapse');
    sim.run({ until: 120_000 });
    expect([lbds[0]!.activationCountOnInvoker(0), lbds[2]!.activationCountOnInvoker(0)]).toEqual([2, 2]);
  });

  it("Akka pruning (collapse) removes the crashed replica's components but keeps its counts", () => {
    const { sim, network, replicators, lbds } = crashScenario('collapse');
    network.removeMember('controller1');
    sim.run({ until: sim.now + 30_000 + 2 * REPLICATION_BOUND_MS });
    expect(network.stats.prunings).toBe(1);
    for (const k of [0, 2]) {
      expect(replicators[k]!.get<SharedCounters>('Invokers')!.needPruningFrom('controller1')).toBe(false);
      expect(replicators[k]!.pruned).toEqual(['controller1']);
      expect(lbds[k]!.activationCountOnInvoker(0)).toBe(2); // the phantom load stays (inner key 1 is not theirs)
    }
  });

  it('discard pruning removes the phantom counts from every replica', () => {
    const { sim, network, lbds } = crashScenario('discard');
    network.removeMember('controller1');
    sim.run({ until: sim.now + 29_000 });
    expect(lbds[2]!.activationCountOnInvoker(0)).toBe(2); // not yet pruned
    sim.run({ until: sim.now + 1000 + 2 * REPLICATION_BOUND_MS });
    expect([lbds[0]!.activationCountOnInvoker(0), lbds[2]!.activationCountOnInvoker(0)]).toEqual([0, 0]);
    expect([lbds[0]!.activationCountOn('ns'), lbds[2]!.activationCountOn('ns')]).toEqual([0, 0]);
  });
});

describe('determinism', () => {
  it('two runs with the same seed read the same counts at the same times', () => {
    const trace = () => {
      const { sim, lbds } = makeCluster({ instances: [0, 1, 2], seed: 42, network: { lossProbability: 0.3 } });
      const seen: number[] = [];
      for (let t = 0; t < 20; t++) {
        put(lbds[t % 3]!, entry('ns', t % 4));
        sim.run({ until: sim.now + 700 });
        for (const lbd of lbds) seen.push(lbd.totalActivationCount());
      }
      return seen;
    };
    expect(trace()).toEqual(trace());
  });
});

describe('per-invoker reads', () => {
  it('activationCountOnInvoker agrees with the shared + local counts through churn, overflow entries and replication', () => {
    const { sim, lbds } = makeCluster({ instances: [0, 1] });
    const held: ActivationEntry[][] = [[], []];
    let x = 12345;
    const next = (n: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % n);
    for (let step = 0; step < 3000; step++) {
      const k = next(2);
      const lbd = lbds[k]!;
      const r = next(10);
      if (r < 5 || held[k]!.length === 0) {
        const e = entry(`ns${next(3)}`, next(5) === 0 ? null : next(7), { isOverflow: next(6) === 0 });
        put(lbd, e, e.isOverflow);
        held[k]!.push(e);
      } else {
        const e = held[k]!.splice(next(held[k]!.length), 1)[0]!;
        if (r < 8) expect(lbd.removeActivationById(e.id)).toBe(e);
        else expect(lbd.removeActivation(e)).toBe(e);
        // A second removal finds nothing and changes nothing.
        expect(lbd.removeActivationById(e.id)).toBeNull();
      }
      if (step % 50 === 0) sim.run({ until: sim.now + 700 });
      for (const l of lbds) {
        const perInvoker = l.activationCountPerInvoker();
        for (let i = 0; i < 9; i++) expect(l.activationCountOnInvoker(i)).toBe(perInvoker.get(i) ?? 0);
      }
    }
    for (const [k, lbd] of lbds.entries()) for (const e of held[k]!) lbd.removeActivationById(e.id);
    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    for (const lbd of lbds) for (let i = 0; i < 9; i++) expect(lbd.activationCountOnInvoker(i)).toBe(0);
  });
});

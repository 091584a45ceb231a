/**
 * DistributedLoadBalancerDataMB (pre-PR): cluster-wide counts including one's own, asynchronous invoker-count
 * reads that let overlapping publishes decide on the same stale counts (§18.9), and no replicated entries.
 */
import { describe, expect, it } from 'vitest';
import { DistributedLoadBalancerDataMB, type InvokerCounts } from '../../../src/model/bookkeeping/DistributedLoadBalancerDataMB.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { entry, REPLICATION_BOUND_MS, replicationNetwork, replicator } from './harness.js';

function cluster(readDelayMs = 1) {
  const sim = new Simulation({ seed: 3 });
  const scheduler = simScheduler(sim);
  const network = replicationNetwork(scheduler, 1);
  const lbds = [0, 1].map((i) => {
    const r = replicator(`controller${i}`, scheduler, sim.rng(`replicator/controller${i}`), network);
    return new DistributedLoadBalancerDataMB(r, { scheduler, readDelayMs });
  });
  return { sim, lbds: lbds as [DistributedLoadBalancerDataMB, DistributedLoadBalancerDataMB] };
}

describe('DistributedLoadBalancerDataMB', () => {
  it("counts one's own activations at once and others' after gossip; entries stay local", () => {
    const { sim, lbds } = cluster();
    const e = entry('ns', 1);
    lbds[0].putActivation(e.id, () => e);
    expect([lbds[0].activationCountOnInvoker(1), lbds[0].activationCountOn('ns'), lbds[0].totalActivationCount()]).toEqual([1, 1, 1]);
    expect(lbds[1].activationCountOnInvoker(1)).toBe(0);
    sim.run({ until: REPLICATION_BOUND_MS });
    expect([lbds[1].activationCountOnInvoker(1), lbds[1].activationCountOn('ns'), lbds[1].totalActivationCount()]).toEqual([1, 1, 1]);
    expect(lbds[1].activationById(e.id)).toBeNull();
    expect(lbds[0].activationCountPerInvoker()).toEqual(new Map([[1, 1]]));
    lbds[0].removeActivation(e);
    sim.run({ until: sim.now + REPLICATION_BOUND_MS });
    expect([lbds[1].activationCountOnInvoker(1), lbds[1].totalActivationCount(), lbds[1].overflowActivationCount()]).toEqual([0, 0, 0]);
  });

  it('overlapping publishes read the same stale counts (§18.9), a later one sees the records', () => {
    const { sim, lbds } = cluster(5);
    const lbd = lbds[0];
    const decisions: number[] = [];
    // A publish: read the counts, decide (record what invoker 0 looked like), then record the entry there.
    const publish = () =>
      lbd.readInvokerCounts((counts: InvokerCounts) => {
        decisions.push(counts.countOn(0));
        const e = entry('ns', 0);
        lbd.putActivation(e.id, () => e);
      });
    publish();
    sim.run({ until: 2 });
    publish(); // issued before the first one's answer: stale
    sim.run({ until: 10 });
    publish(); // issued after both recorded
    sim.run({ until: 20 });
    expect(decisions).toEqual([0, 0, 2]);
    expect(lbd.activationCountOnInvoker(0)).toBe(3);
  });

  it('answers a read from a later event, never synchronously', () => {
    const { sim, lbds } = cluster(0);
    let answered = false;
    lbds[0].readInvokerCounts(() => (answered = true));
    expect(answered).toBe(false);
    sim.run({ until: 0 });
    expect(answered).toBe(true);
  });
});

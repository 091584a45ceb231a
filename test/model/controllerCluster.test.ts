/**
 * Controller clustering on the whole simulated world (issue 4): believed-vs-true error against replication
 * lag, controller crash and restart (front door, lost activations, new identity), phantom counts with and
 * without auto-downing, and the sharding balancer's cluster size following membership.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/model/Cluster.js';
import { ShardingContainerPoolBalancer } from '../../src/model/controller/ShardingContainerPoolBalancer.js';
import { runScenario } from '../../src/runScenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';

const lagFile = new URL('../../scenarios/two-controllers-lag.yaml', import.meta.url).pathname;
const short = ['duration=1m', 'warmup=10s'];
const lag = (...overrides: string[]) => runScenario(loadScenarioFile(lagFile, [...short, ...overrides])).summary;

/** The lag scenario without its faults, with a crash of controller 1 at `crashAtMs` (and a restart). */
function crashRun(overrides: string[], crashAtMs: number, restartAtMs: number | null): Cluster {
  const s: Scenario = { ...loadScenarioFile(lagFile, [...short, ...overrides]), faults: [] };
  const cluster = new Cluster(s);
  cluster.parts.sim.scheduleAt(crashAtMs, () => cluster.parts.controllerGroup.crashController(1));
  if (restartAtMs !== null) cluster.parts.sim.scheduleAt(restartAtMs, () => cluster.parts.controllerGroup.restartController(1));
  cluster.run();
  return cluster;
}

function believedTotal(cluster: Cluster, controller: number): number {
  let sum = 0;
  for (let k = 0; k < cluster.parts.invokers.length; k++) sum += cluster.parts.controllers[controller]!.loadBalancer.believedLoad(k);
  return sum;
}

describe('believed vs true load', () => {
  const fast = lag('controllers.replication.gossipInterval=50ms');
  const akka = lag();
  const slow = lag('controllers.replication.gossipInterval=10s');
  const local = lag('controllers.bookkeeping=local');

  it('the error grows with the gossip interval', () => {
    expect(fast.bookkeeping!.meanError).toBeLessThan(akka.bookkeeping!.meanError);
    expect(akka.bookkeeping!.meanError).toBeLessThan(slow.bookkeeping!.meanError);
  });

  it('local bookkeeping is further from the truth than fast replication', () => {
    expect(local.bookkeeping!.meanError).toBeGreaterThan(2 * fast.bookkeeping!.meanError);
    expect(local.bookkeeping!.gossipMessages).toBe(0);
    expect(fast.bookkeeping!.gossipMessages).toBeGreaterThan(akka.bookkeeping!.gossipMessages);
  });

  it('reports the error per controller, and the same load in every variant', () => {
    for (const s of [fast, akka, slow, local]) {
      expect(s.activations.arrived).toBe(fast.activations.arrived);
      const perController = Object.values(s.controllers).map((c) => c.believedVsTrueError!);
      expect(perController).toHaveLength(2);
      const mean = (perController[0]! + perController[1]!) / 2;
      expect(mean).toBeCloseTo(s.bookkeeping!.meanError, 5);
      expect(s.bookkeeping!.maxError).toBeGreaterThanOrEqual(s.bookkeeping!.meanError);
    }
  });

  it('writes true.<invoker> and up.<controller> columns next to believed.<controller>.<invoker>', () => {
    const out = runScenario(loadScenarioFile(lagFile, ['duration=10s', 'warmup=0s', 'drain=1m']));
    const cols = out.timeseries.columns;
    expect(cols).toContain('true.invoker0');
    expect(cols).toContain('believed.controller1.invoker0');
    expect(cols).toContain('up.controller1');
    const last = out.timeseries.rows.at(-1)!;
    expect(last[cols.indexOf('true.invoker0')]).toBe(0);
  });
});

describe('controller crash and restart', () => {
  it('the crashed controller gets no traffic, its open activations are lost, the restart takes traffic again', () => {
    const cluster = crashRun([], 30_000, 40_000);
    const m = cluster.parts.metrics;
    expect(m.lost).toBeGreaterThan(0);
    expect(m.arrived).toBe(m.completed + m.lost + m.timedOut + m.rejected);
    expect(m.rejectedBy.get('noController')).toBeUndefined();
    const up = cluster.parts.timeSeries.columns.indexOf('up.controller1');
    const rowAt = (t: number) => cluster.parts.timeSeries.rows.find((r) => r[0] === t)!;
    expect(rowAt(35_000)[up]).toBe(0);
    expect(rowAt(45_000)[up]).toBe(1);
    // The restarted controller is a new cluster member. Rejoining at the same address makes Akka down and
    // remove the dead incarnation first (ClusterCoreDaemon.joining), so its replicator leaves too.
    expect(cluster.parts.controllerGroup.network!.members.map((r) => r.self)).toEqual(['controller0', 'controller1#1']);
    const { controllerCrashes, controllerRestarts } = cluster.parts.controllerGroup.results();
    expect([controllerCrashes, controllerRestarts]).toEqual([1, 1]);
  });

  it('leaves phantom counts in the survivor’s books for good without auto-downing', () => {
    const cluster = crashRun([], 30_000, null);
    expect(cluster.parts.bookkeepingError.trueLoad(0) + cluster.parts.bookkeepingError.trueLoad(1)).toBe(0);
    expect(believedTotal(cluster, 0)).toBeGreaterThan(0);
    expect(cluster.parts.bookkeepingError.summary().residualAtEnd).toBe(believedTotal(cluster, 0));
  });

  it('auto-downing with Akka’s collapse pruning keeps the phantom; discard pruning drains it', () => {
    const down = ['controllers.autoDownAfter=5s', 'controllers.replication.pruningDelay=10s'];
    const phantom = believedTotal(crashRun([], 30_000, null), 0);
    const collapsed = crashRun(down, 30_000, null);
    expect(collapsed.parts.controllerGroup.network!.stats.prunings).toBe(1);
    expect(collapsed.parts.controllerGroup.network!.members.map((r) => r.self)).toEqual(['controller0']);
    expect(believedTotal(collapsed, 0)).toBe(phantom);
    const discarded = crashRun([...down, 'controllers.replication.pruning=discard'], 30_000, null);
    expect(believedTotal(discarded, 0)).toBe(0);
  });

  it('the restarted controller does not see its predecessor’s phantom (same instance key), the survivor does', () => {
    const cluster = crashRun([], 30_000, 40_000);
    expect(believedTotal(cluster, 1)).toBe(0);
    expect(believedTotal(cluster, 0)).toBeGreaterThan(0);
  });

  it('sharding: the survivor takes every invoker’s whole memory once it detects the crash; the restart owns all until it is welcomed, then both halve', () => {
    const s: Scenario = { ...loadScenarioFile(lagFile, ['controllers.loadBalancer=sharding', 'duration=40s', 'warmup=0s']), faults: [] };
    const cluster = new Cluster(s);
    // The share of every invoker is memory / clusterSize (a change rebuilds the semaphores, so permits alone can exceed it).
    const shares = (c: number) => (cluster.parts.controllers[c]!.loadBalancer as ShardingContainerPoolBalancer).schedulingState.invokerSlotMb(2048);
    const seen: Record<string, number> = {};
    const at = (t: number, name: string, c: number) => cluster.parts.sim.scheduleAt(t, () => (seen[name] = shares(c)));
    cluster.parts.sim.scheduleAt(1000, () => cluster.parts.controllerGroup.crashController(1));
    at(1500, 'beforeDetection', 0);
    at(9000, 'afterDetection', 0);
    cluster.parts.sim.scheduleAt(10_000, () => cluster.parts.controllerGroup.restartController(1));
    at(10_001, 'restarted', 1);
    at(35_000, 'joined0', 0);
    at(35_000, 'joined1', 1);
    const idle = (p: number) => p;
    cluster.run();
    expect(idle(seen['beforeDetection']!)).toBe(1024);
    expect(idle(seen['afterDetection']!)).toBe(2048);
    expect(idle(seen['restarted']!)).toBe(2048);
    expect(idle(seen['joined0']!)).toBe(1024);
    expect(idle(seen['joined1']!)).toBe(1024);
    expect((cluster.parts.controllers[1]!.loadBalancer as ShardingContainerPoolBalancer).schedulingState.clusterSize).toBe(2);
  });
});

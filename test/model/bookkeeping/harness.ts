/** A small controller cluster of replicators and distributed bookkeeping on a fresh Simulation. */
import { DistributedLoadBalancerData, type DistributedLoadBalancerDataOptions } from '../../../src/model/bookkeeping/DistributedLoadBalancerData.js';
import { ReplicationNetwork, type ReplicationNetworkOptions } from '../../../src/model/bookkeeping/ReplicationNetwork.js';
import { Replicator } from '../../../src/model/bookkeeping/Replicator.js';
import { createActivationEntry, type ActivationEntry } from '../../../src/model/controller/ActivationEntry.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import type { Scheduler } from '../../../src/model/messaging.js';
import { testScenario } from '../../../src/scenario/testScenario.js';
import type { Rng } from '../../../src/sim/rng.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { constant, makeDistribution } from '../../../src/sim/distributions.js';

/** The scenario's `controllers.replication` defaults (defaults.ts): what a test does not set itself. */
const REPLICATION = testScenario().controllers.replication;

/**
 * A replication network with the scenario's loss, pruning and pruning delay, a constant one-way latency of
 * `latencyMs`, and no membership clock (pruning after plain time); `overrides` replace any of these.
 */
export function replicationNetwork(scheduler: Scheduler, latencyMs: number, overrides: Partial<ReplicationNetworkOptions> = {}): ReplicationNetwork {
  return new ReplicationNetwork({
    scheduler,
    latency: makeDistribution(constant(latencyMs)),
    lossProbability: REPLICATION.lossProbability,
    pruningDelayMs: REPLICATION.pruningDelayMs,
    pruning: REPLICATION.pruning,
    reachableClockMs: null,
    ...overrides,
  });
}

/** A replicator with the scenario's gossip and notify intervals. */
export function replicator(self: string, scheduler: Scheduler, rng: Rng, network: ReplicationNetwork): Replicator {
  return new Replicator({ self, scheduler, rng, network, gossipIntervalMs: REPLICATION.gossipIntervalMs, notifyIntervalMs: REPLICATION.notifyIntervalMs });
}

export interface ClusterOptions {
  instances: number[];
  latencyMs?: number;
  network?: Partial<ReplicationNetworkOptions>;
  data?: DistributedLoadBalancerDataOptions;
  seed?: number;
}

export function makeCluster(options: ClusterOptions) {
  const sim = new Simulation({ seed: options.seed ?? 7 });
  const scheduler = simScheduler(sim);
  const network = replicationNetwork(scheduler, options.latencyMs ?? 50, options.network);
  const replicators = options.instances.map((i) => replicator(`controller${i}`, scheduler, sim.rng(`replicator/controller${i}`), network));
  const lbds = options.instances.map((i, k) => new DistributedLoadBalancerData(i, replicators[k]!, options.data));
  return { sim, scheduler, network, replicators, lbds };
}

let nextId = 1;
export function entry(namespaceId: string, invokerName: number | null, extra: { isOverflow?: boolean; id?: number } = {}): ActivationEntry {
  return createActivationEntry({ id: extra.id ?? nextId++, namespaceId, invokerName, isOverflow: extra.isOverflow ?? false });
}

/** Longest time for a change to reach every reader: a gossip interval, the latency and a notify interval. */
export const REPLICATION_BOUND_MS = 2000 + 50 + 500 + 1;

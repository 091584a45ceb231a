/**
 * Replication liveness: after the run, once faults have healed and the world has settled, every live replica
 * of the distributed bookkeeping holds the same state; a replicator that silently stops merging gossip is
 * caught with a reproduce line.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/runScenario.js';
import { InvariantViolation } from '../../../src/model/checks/InvariantViolation.js';
import type { ClusterParts } from '../../../src/model/Cluster.js';

const file = new URL('../../../scenarios/two-controllers-lag.yaml', import.meta.url).pathname;
const partitioned = [
  'duration=90s',
  'faults=[{ at: 30s, kind: partition, between: [controller0, controller1], for: 20s }]',
];

describe('replica convergence', () => {
  it('holds after a healed partition', () => {
    const output = runScenario(loadScenarioFile(file, partitioned), { checks: true });
    expect(output.summary.activations.inFlight).toBe(0);
    expect(output.summary.faults?.length).toBe(1);
  });

  it('catches a replicator that stops merging gossip', () => {
    const deaf = (cluster: ClusterParts) => {
      const r = cluster.controllerGroup.replicator(1)!;
      (r as unknown as { receiveGossip: () => void }).receiveGossip = () => undefined;
    };
    let caught: unknown;
    try {
      runScenario(loadScenarioFile(file, partitioned), { checks: true, instrument: deaf });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvariantViolation);
    const v = caught as InvariantViolation;
    expect(v.message).toContain('replicas-converge');
    expect(v.entities.join(' ')).toMatch(/controller0|controller1/);
  });
});

/**
 * Scheduled faults (src/model/faults): each kind acts on the world and its effect shows in the summary;
 * fault fields are validated when the scenario loads; a fault whose target the scenario lacks is refused there (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeps } from '../../../src/cli/defaultDeps.js';
import { exitCodes, OwsimError } from '../../../src/errors.js';
import { AssertionError } from '../../../src/sim/assert.js';
import { runCli } from '../../cli/helpers.js';
import { FaultInjector } from '../../../src/model/faults/FaultInjector.js';
import { runScenario } from '../../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText, ScenarioProblemsError } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/types.js';

const base = (faults: string, extra = '') => `name: faults
seed: 3
duration: 90s
drain: 3m
controllers: { count: 2, loadBalancer: overflow, timeoutGrace: 20s${extra.includes('distributed') ? ', bookkeeping: distributed' : ''} }
invokers: { count: 3, userMemory: 1GB }
${extra.includes('store') ? 'store: { throughput: 1000/s }\n' : ''}workload:
  actions:
    - { name: guest/a, memory: 256MB, timeout: 20s, duration: { dist: lognormal, median: 300ms, p99: 2s }, arrivals: { process: poisson, rate: ${extra.includes('idle') ? '0.05/s' : '8/s'} } }
faults:
${faults}
`;

function run(faults: string, extra = '') {
  return runScenario(parseScenarioText(base(faults, extra), 'faults.yaml'), { checks: true }).summary;
}

describe('each fault kind acts on the world', () => {
  it('invoker-crash loses what the invoker ran and restarts it when it heals', () => {
    const s = run('  - { at: 30s, kind: invoker-crash, target: invoker0, for: 20s }');
    const f = s.faults![0]!;
    expect(f).toMatchObject({ kind: 'invoker-crash', target: 'invoker0', atMs: 30_000, forMs: 20_000, healedAtMs: 50_000 });
    expect(f.effect['activationsLost']).toBeGreaterThan(0);
    expect(s.activations.lost).toBeGreaterThanOrEqual(f.effect['activationsLost']!);
    expect(s.activations.inFlight).toBe(0);
    expect(f.description).toContain('invoker0 crashed');
  });

  it('kafka-outage refuses records: publishes fail and the controllers reject with sendFailed', () => {
    const s = run('  - { at: 30s, kind: kafka-outage, for: 5s }');
    const f = s.faults![0]!;
    expect(f.effect['recordsRefused']).toBeGreaterThan(0);
    expect(f.during.rejected).toBeGreaterThan(0);
    expect(s.activations.rejectedBy['sendFailed']).toBe(f.during.rejected);
    expect(f.during.completed).toBe(0);
  });

  it('kafka-slow adds its latency to every hop', () => {
    const slow = run('  - { at: 10s, kind: kafka-slow, latency: 500ms, for: 70s }');
    const calm = run('  - { at: 85s, kind: kafka-slow, latency: 1ms, for: 1s }');
    // Two Kafka hops per activation (publish, ack), 500 ms each, for most of the run.
    expect(slow.latencyMs.p50).toBeGreaterThan(calm.latencyMs.p50 + 600);
  });

  it('ping-loss drops pings with its probability and keeps the invoker running', () => {
    const s = run('  - { at: 10s, kind: ping-loss, target: invoker1, probability: 1, for: 30s }');
    const f = s.faults![0]!;
    expect(f.effect['pingsPassed']).toBe(0);
    expect(f.effect['pingsDropped']).toBeGreaterThanOrEqual(29);
    // Activation results also count as messages from the invoker (OpenWhisk's InvokerActor resets its 10 s
    // state timeout on any message), so only an idle invoker goes Offline when its pings are lost.
    const idle = run('  - { at: 10s, kind: ping-loss, target: invoker1, probability: 1, for: 30s }', 'idle');
    expect(idle.health.byKind['Healthy->Offline']).toBe(2);
    expect(idle.health.byKind['Offline->UnHealthy']).toBe(2);
  });

  it('controller-crash takes a controller down and brings it back', () => {
    const s = run('  - { at: 30s, kind: controller-crash, target: controller1, for: 20s }');
    expect(s.faults![0]!).toMatchObject({ kind: 'controller-crash', target: 'controller1', healedAtMs: 50_000 });
    expect(s.activations.inFlight).toBe(0);
  });

  it('partition blocks gossip between two controllers with distributed bookkeeping', () => {
    const s = run('  - { at: 20s, kind: partition, between: [controller0, controller1], for: 30s }', 'distributed');
    expect(s.faults![0]!).toMatchObject({ kind: 'partition', between: ['controller0', 'controller1'], healedAtMs: 50_000 });
  });

  it('store-slow throttles the store: fewer records written while it lasts', () => {
    const s = run('  - { at: 20s, kind: store-slow, throughput: 2/s, for: 30s }', 'store');
    const f = s.faults![0]!;
    expect(f.effect['recordsWritten']).toBeLessThanOrEqual(2 * 30 + 500);
    expect(f.effect['databaseBacklogAtHeal']).toBeGreaterThan(0);
  });

  it('store-errors fails bulk calls while it lasts: retried, some records lost, every record accounted for', () => {
    const s = run('  - { at: 20s, kind: store-errors, probability: 0.6, latency: 1s, for: 30s }', 'store');
    const f = s.faults![0]!;
    expect(f.parameters).toEqual({ probability: 0.6, latencyMs: 1000 });
    expect(f.effect['failedCalls']).toBeGreaterThan(0);
    expect(f.effect['bulkRetries']).toBeGreaterThan(0);
    // 0.6^4: a few calls fail all four tries.
    expect(f.effect['recordsLostToErrors']).toBeGreaterThan(0);
    // Calls still failing when the fault heals finish their tries after its window.
    expect(s.store!.failedCalls).toBeGreaterThanOrEqual(f.effect['failedCalls']!);
    expect(s.store!.recordsLostToErrors).toBeGreaterThanOrEqual(f.effect['recordsLostToErrors']!);
    const st = s.store!;
    expect(st.written + st.recordsLostToErrors + st.lostRecords + st.pending).toBe(st.produced);
    expect(f.description).toContain("60% of the store's bulk calls failed");
  });

  it('store-throttle answers calls 429 beyond its request units; the client waits and re-sends', () => {
    const s = run('  - { at: 20s, kind: store-throttle, requestUnitsPerSecond: 20/s, retryAfter: 100ms, for: 30s }', 'store');
    const f = s.faults![0]!;
    expect(f.effect['throttledCalls']).toBeGreaterThan(0);
    expect(s.store!.throttledCalls).toBe(f.effect['throttledCalls']);
    const st = s.store!;
    expect(st.written + st.recordsLostToErrors + st.lostRecords + st.pending).toBe(st.produced);
  });

  it('overlapping crashes of one invoker keep it down until the last heals', () => {
    const s = run('  - { at: 20s, kind: invoker-crash, target: invoker2, for: 20s }\n  - { at: 30s, kind: invoker-crash, target: invoker2, for: 20s }');
    expect(s.faults![1]!.description).toContain('already down');
    expect(s.activations.inFlight).toBe(0);
  });

  it('a fault shows in the time series while active', () => {
    const out = runScenario(parseScenarioText(base('  - { at: 10s, kind: kafka-slow, latency: 10ms, for: 5s }'), 'f.yaml'));
    const col = out.timeseries.columns.indexOf('fault.active');
    expect(col).toBeGreaterThan(0);
    const at = (t: number) => out.timeseries.rows.find((r) => r[0] === t)![col];
    expect([at(9000), at(12_000), at(16_000)]).toEqual([0, 1, 0]);
  });

  it('the shipped tour exercises every kind and reports each one', () => {
    const s = runScenario(loadScenarioFile('scenarios/faults-tour.yaml'), { checks: true }).summary;
    expect(s.faults!.map((f) => f.kind).sort()).toEqual(['controller-crash', 'invoker-crash', 'kafka-outage', 'kafka-slow', 'partition', 'ping-loss', 'store-errors', 'store-slow', 'store-throttle']);
    for (const f of s.faults!) expect(f.healedAtMs).toBe(f.atMs + f.forMs);
  });
});

describe('fault fields are checked when the scenario loads', () => {
  const problems = (faults: string, extra = ''): string => {
    try {
      parseScenarioText(base(faults, extra), 'bad.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioProblemsError);
      return (e as Error).message;
    }
    throw new Error('loaded');
  };
  it('a target that does not exist', () => {
    expect(problems('  - { at: 10s, kind: invoker-crash, target: invoker7, for: 5s }')).toContain('faults[0].target: there is no invoker7: the cluster has 3 invokers');
  });
  it('a missing field the kind needs, and a field it does not take', () => {
    const m = problems('  - { at: 10s, kind: ping-loss, target: invoker1, latency: 5ms, for: 5s }');
    expect(m).toContain('faults[0].probability: a ping-loss fault needs `probability`');
    expect(m).toContain('faults[0].latency: a ping-loss fault takes no `latency`');
  });
  it('a fault after the end of the run (a fault in the drain is fine)', () => {
    expect(problems('  - { at: 4m30s, kind: kafka-outage, for: 5s }')).toContain('faults[0].at: the fault starts at or after the end of the run (duration + drain = 270s)');
    expect(parseScenarioText(base('  - { at: 2m, kind: kafka-outage, for: 5s }'), 'ok.yaml').faults).toHaveLength(1);
  });
  it('store-errors and store-throttle need their fields and a store', () => {
    expect(problems('  - { at: 10s, kind: store-errors, probability: 0.5, for: 5s }', 'store')).toContain('faults[0].latency: a store-errors fault needs `latency`');
    expect(problems('  - { at: 10s, kind: store-throttle, requestUnitsPerSecond: 5/s, retryAfter: 1s, for: 5s }')).toContain('a store-throttle fault needs the activation store');
  });
  it('store-slow without a store; a partition is valid with local bookkeeping too (it cuts the membership traffic)', () => {
    expect(problems('  - { at: 10s, kind: store-slow, throughput: 5/s, for: 5s }')).toContain('needs the activation store');
    expect(() => parseScenarioText(base('  - { at: 10s, kind: partition, between: [controller0, controller1], for: 5s }'), 'ok.yaml')).not.toThrow();
    expect(problems('  - { at: 10s, kind: partition, between: [controller0, controller0], for: 5s }', 'distributed')).toContain('two different existing controllers');
  });
  it('an unknown kind or key gets a suggestion', () => {
    expect(problems('  - { at: 10s, kind: kafka-outag, for: 5s }')).toContain('did you mean `kafka-outage`?');
    expect(problems('  - { at: 10s, kind: kafka-outage, fro: 5s }')).toContain('did you mean `for`?');
  });
});

describe('a fault the world cannot inject is refused by the scenario layer, never by the model', () => {
  it('owsim run refuses a store fault without a store: file, field path, expectation, exit 2, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-faults-'));
    const file = join(dir, 'no-store.yaml');
    writeFileSync(file, base('  - { at: 10s, kind: store-slow, throughput: 5/s, for: 5s }'));
    const res = await runCli(['run', file, '--quiet', '--out', join(dir, 'out')], defaultDeps);
    expect(res.code).toBe(exitCodes.badInput);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toContain('faults[0].kind');
    expect(res.stderr).toContain('a store-slow fault needs the activation store, and the scenario has no store: section');
    expect(res.stderr).not.toMatch(/^\s+at /m);
  });
  it('owsim run refuses a partition with a single controller (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-faults-'));
    const file = join(dir, 'one-controller.yaml');
    writeFileSync(file, base('  - { at: 10s, kind: partition, between: [controller0, controller1], for: 5s }').replace('count: 2,', 'count: 1,'));
    const res = await runCli(['run', file, '--quiet', '--out', join(dir, 'out')], defaultDeps);
    expect(res.code).toBe(exitCodes.badInput);
    expect(res.stderr).toContain('faults[0].between');
    expect(res.stderr).toContain('a partition is between two different existing controllers');
  });
  it('a store fault reaching a world without a store is a bug in owsim (an assert), not a scenario error', () => {
    const scenario: Scenario = parseScenarioText(base('  - { at: 10s, kind: store-errors, probability: 0.5, latency: 1s, for: 5s }', 'store'), 'x.yaml');
    const world = { sim: {} as never, broker: {} as never, invokers: [], controllers: {} as never, store: null, outcomes: {} as never };
    let error: unknown;
    try {
      new FaultInjector(world, scenario.faults!);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssertionError);
    expect(error).not.toBeInstanceOf(OwsimError);
    expect((error as Error).message).toMatch(/faults\[0\]: a store-errors fault in a world without an activation store/);
  });
});

describe('faults in the charts', () => {
  it('each fault becomes a shaded interval from its start to its heal', async () => {
    const { faultIntervals } = await import('../../../src/report/charts/timeChart.js');
    const out = runScenario(parseScenarioText(base('  - { at: 10s, kind: invoker-crash, target: invoker1, for: 5s }\n  - { at: 20s, kind: kafka-outage, for: 3m }'), 'f.yaml'));
    expect(faultIntervals(out, 999)).toEqual([
      { from: 10, to: 15, label: 'invoker-crash invoker1', kind: 'fault' },
      { from: 20, to: out.summary.faults![1]!.healedAtMs === null ? 999 : 200, label: 'kafka-outage', kind: 'fault' },
    ]);
  });
});

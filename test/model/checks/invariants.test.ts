/**
 * The invariant checkers (src/model/checks) observe and never drive; injected bugs in the books are caught
 * with the invariant, the simulated time, the entities and a reproduce line.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeps } from '../../../src/cli/defaultDeps.js';
import { ISSUES_HINT } from '../../../src/cli/printError.js';
import { InternalError, OwsimError } from '../../../src/errors.js';
import { fuzzOne } from '../../../src/fuzz/runFuzz.js';
import type { ClusterParts } from '../../../src/model/Cluster.js';
import { InvariantChecker } from '../../../src/model/checks/InvariantChecker.js';
import { InvariantViolation } from '../../../src/model/checks/InvariantViolation.js';
import type { LocalLoadBalancerData } from '../../../src/model/bookkeeping/LocalLoadBalancerData.js';
import type { ActivationEntry } from '../../../src/model/controller/ActivationEntry.js';
import { runScenario } from '../../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText } from '../../../src/scenario/load.js';
import { runCli } from '../../cli/helpers.js';

const TEXT = `name: books
seed: 5
duration: 40s
drain: 3m
controllers: { count: 1, loadBalancer: legacy, timeoutGrace: 10s }
invokers: { count: 2, userMemory: 1GB }
workload:
  actions:
    - { name: guest/a, memory: 256MB, timeout: 10s, duration: 200ms, arrivals: { process: poisson, rate: 5/s } }
`;
const scenario = () => parseScenarioText(TEXT, 'books.yaml');

/**
 * The injected bug: removing an activation decrements the books twice. Injected at the counting step, which
 * every removal path (removeActivation, removeActivationById) goes through.
 */
function doubleDecrement(cluster: ClusterParts): void {
  const data = cluster.controllers[0]!.loadBalancerData as LocalLoadBalancerData;
  const books = data as unknown as { count(e: ActivationEntry, d: number): void };
  const original = books.count.bind(data);
  books.count = (entry: ActivationEntry, delta: number) => {
    original(entry, delta);
    if (delta < 0) original(entry, delta);
  };
}

function violation(run: () => unknown): InvariantViolation {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InvariantViolation);
    return e as InvariantViolation;
  }
  throw new Error('no violation');
}

describe('injected bugs are caught', () => {
  it('a double decrement in the bookkeeping breaks bookkeeping-non-negative at the first completion', () => {
    const v = violation(() => runScenario(scenario(), { checks: true, instrument: doubleDecrement }));
    expect(v.invariant).toBe('bookkeeping-non-negative');
    expect(v.entities).toContain('controller0');
    expect(v.timeMs).toBeGreaterThan(0);
    expect(v.exitCode).toBe(3);
    // A violated invariant is a bug in owsim (tier 2), never a user error.
    expect(v).toBeInstanceOf(InternalError);
    expect(v).not.toBeInstanceOf(OwsimError);
    expect(v.format()).toMatch(/^invariant `bookkeeping-non-negative` violated at t = [\d.]+ms \([\d.]+ ms\): controller0 counts -\d+ activations in flight/);
    expect(v.format()).toContain('\n  entities: controller0');
  });

  it('owsim run --check exits 3 with the invariant, the time and a reproduce line, without a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-check-'));
    const file = join(dir, 'books.yaml');
    writeFileSync(file, TEXT);
    const res = await runCli(['run', file, '--check', '--quiet', '--seed', '9', '--set', 'invokers.count=3', '--out', join(dir, 'out')], {
      ...defaultDeps,
      runScenario: (s, o) => runScenario(s, { ...o, instrument: doubleDecrement }),
    });
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('internal error: invariant `bookkeeping-non-negative` violated at t = ');
    expect(res.stderr).toContain(ISSUES_HINT);
    expect(res.stderr).toContain('entities: controller0');
    expect(res.stderr).toContain(`reproduce: owsim run ${file} --seed 9 --set invokers.count=3 --check`);
    expect(res.stderr).not.toMatch(/^\s+at /m);
  });

  it('without --check the same bug runs to the end (checks are opt-in for users)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-check-'));
    const file = join(dir, 'books.yaml');
    writeFileSync(file, TEXT);
    const res = await runCli(['run', file, '--quiet', '--out', join(dir, 'out')], {
      ...defaultDeps,
      runScenario: (s, o) => runScenario(s, { ...o, checks: o?.checks ?? false, instrument: doubleDecrement }),
    });
    expect(res.code).toBe(0);
  });

  it('fuzz reports the seed with a reproduce line and writes the scenario that fails', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'owsim-fuzz-'));
    const r = fuzzOne(3, { outDir, instrument: doubleDecrement });
    expect(r.ok).toBe(false);
    expect(r.invariant).toBe('bookkeeping-non-negative');
    expect(r.reproduce).toBe(`owsim run ${join(outDir, 'fuzz-seed-3.yaml')} --seed 3 --check`);
    expect(existsSync(r.file!)).toBe(true);
    expect(loadScenarioFile(r.file!).name).toBe('fuzz-3');
  });

  it('a controller reporting a completion twice breaks activation-resolved-once', () => {
    const v = violation(() =>
      runScenario(scenario(), {
        checks: true,
        instrument: (cluster) => {
          const m = cluster.metrics;
          const original = m.activationCompleted.bind(m);
          m.activationCompleted = (c, record, response, now) => {
            original(c, record, response, now);
            original(c, record, response, now);
          };
        },
      }),
    );
    expect(v.invariant).toBe('activation-resolved-once');
    expect(v.detail).toMatch(/completed activation \d+, which was already completed/);
  });

  it('an activation that never ends breaks liveness once faults healed and the drain passed', () => {
    const v = violation(() =>
      runScenario(scenario(), {
        checks: true,
        instrument: (cluster) => {
          const m = cluster.metrics;
          const completed = m.activationCompleted.bind(m);
          const timedOut = m.activationTimedOut.bind(m);
          m.activationCompleted = (c, record, response, now) => (record.id === 7 ? undefined : completed(c, record, response, now));
          m.activationTimedOut = (c, record, now) => (record.id === 7 ? undefined : timedOut(c, record, now));
        },
      }),
    );
    // The checker's own count of resolutions sees the dropped one first.
    expect(['liveness', 'activation-resolved-once']).toContain(v.invariant);
  });

  it('an invoker running more than its feed hands out breaks invoker-capacity', () => {
    const v = violation(() =>
      runScenario(scenario(), {
        checks: true,
        instrument: (cluster) => {
          for (const inv of cluster.invokers) Object.defineProperty(inv, 'feedCapacity', { value: 0 });
        },
      }),
    );
    expect(v.invariant).toBe('invoker-capacity');
    expect(v.entities[0]).toMatch(/^invoker\d$/);
    expect(v.detail).toMatch(/runs \d+ activations, more than its feed hands out \(0\)/);
  });

  it('a record that vanishes from the store ledger breaks records-conserved', () => {
    const text = TEXT.replace('workload:', 'store: { throughput: 500/s }\nworkload:');
    const v = violation(() =>
      runScenario(parseScenarioText(text, 'store.yaml'), {
        checks: true,
        instrument: (cluster) => {
          cluster.store!.produced += 1;
        },
      }),
    );
    expect(v.invariant).toBe('records-conserved');
  });
});

describe('Kafka and clock invariants', () => {
  const world = { scenario: { workload: { actions: [] } }, sim: { now: 0 } } as unknown as ConstructorParameters<typeof InvariantChecker>[0];
  it('a group handed records below its committed offset', () => {
    const c = new InvariantChecker(world);
    c.committing('invoker0', 'invoker0', 0, 0, 10, 1);
    c.delivered('invoker0', 'invoker0', 0, 10, 12, 2);
    expect(() => c.delivered('invoker0', 'invoker0', 0, 8, 12, 3)).toThrow(/below its committed offset 10: committed records consumed twice/);
  });
  it('a commit moving backwards and offsets appended out of order', () => {
    const c = new InvariantChecker(world);
    expect(() => c.committing('t', 'g', 0, 10, 9, 1)).toThrow(/move its committed offset of t\[0\] back from 10 to 9/);
    c.appended('t', 0, 0, 1);
    expect(() => c.appended('t', 0, 2, 1)).toThrow(/appended offset 2 after 0/);
  });
  it('the clock going back', () => {
    const c = new InvariantChecker(world);
    c.appended('t', 0, 0, 100);
    expect(() => c.appended('t', 0, 1, 99)).toThrow(/clock went back from 100 ms to 99 ms/);
  });
});

describe('checkers observe and never drive', () => {
  it('a checked run gives the same summary and time series as an unchecked one', () => {
    const s = loadScenarioFile('scenarios/faults-tour.yaml');
    const checked = runScenario(s, { checks: true });
    const unchecked = runScenario(s, { checks: false });
    expect(JSON.stringify(checked.summary)).toBe(JSON.stringify(unchecked.summary));
    expect(checked.timeseries).toEqual(unchecked.timeseries);
  });
});

/**
 * scenarios/azure-population.yaml: 10,000 generated actions under a compressed day run, report every called
 * action on its own (the breakdown keeps up to 10,000 entries), and sweep over invokers.count. Cut to the
 * day's first 2 simulated minutes (over a thousand actions called) and, for the sweep, 10 s; docs/findings.md
 * has the full run's figures (about 2,500 actions), checked by `npm run findings -- --check`.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { scenariosDir } from '../../src/scenario/builtin.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import { renderSweepCsv, runSweep } from '../../src/sweep/runSweep.js';
import { MAX_BREAKDOWN_KEYS, OTHER_KEY } from '../../src/model/metrics/BreakdownMetrics.js';

const file = join(scenariosDir(), 'azure-population.yaml');
const short = ['duration=10s', 'warmup=2s', 'drain=2m'];
const twoMinutes = ['duration=2m', 'warmup=20s', 'drain=2m'];

describe('azure-population', () => {
  it('runs 10,000 actions over 200 namespaces and reports every called action on its own', () => {
    const scenario = loadScenarioFile(file, twoMinutes);
    expect(scenario.workload.population?.actions).toBe(10_000);
    const out = runScenario(scenario);
    const s = out.summary;
    // The day's first 2 minutes (00:00-04:48 compressed 144-fold), near the trough: over 10,000 arrivals.
    expect(s.activations.arrived).toBeGreaterThan(10_000);
    expect(s.activations.arrived).toBe(s.activations.completed + s.activations.timedOut + s.activations.rejected + s.activations.lost + s.activations.inFlight);
    const actions = Object.keys(s.actions ?? {});
    // Over a thousand actions in 2 minutes: every called one has its own entry, none is folded into (other).
    expect(actions.length).toBeGreaterThan(1000);
    expect(MAX_BREAKDOWN_KEYS).toBeGreaterThanOrEqual(10_000);
    expect(actions).not.toContain(OTHER_KEY);
    expect(actions.every((a) => /^pop-ns\d{3}\/fn\d{4}$/.test(a))).toBe(true);
    let calls = 0;
    for (const a of actions) calls += s.actions![a]!.activations.arrived;
    expect(calls).toBe(s.activations.arrived);
    expect(Object.keys(s.namespaces ?? {}).length).toBeGreaterThan(100);
    expect(out.timeseries.columns).toEqual(expect.arrayContaining(['memoryMb.used', 'memoryMb.idle']));
  }, 120_000);

  it('sweeps invokers.count', async () => {
    const scenario = loadScenarioFile(file, short);
    const csv = renderSweepCsv(await runSweep({ file, overrides: short, scenario, seeds: [1], runner: { loadScenarioFile, runScenario }, workers: 1 }));
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 5);
    const header = lines[0]!.split(',');
    const counts = lines.slice(1).map((l) => Number(l.split(',')[header.indexOf('invokers.count')]));
    expect(counts).toEqual([40, 60, 90, 120, 180]);
  }, 300_000);
});

/**
 * scenarios/azure-population.yaml: 5,000 generated actions under a compressed day run, report per action
 * (bounded: the busiest actions get entries of their own, the rest share `(other)`), and sweep over
 * invokers.count. Cut to 10 simulated seconds here; docs/findings.md has the full run's figures.
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

describe('azure-population', () => {
  it('runs 5,000 actions over 200 namespaces and reports the busiest actions one by one', () => {
    const scenario = loadScenarioFile(file, short);
    expect(scenario.workload.population?.actions).toBe(5000);
    const out = runScenario(scenario);
    const s = out.summary;
    // The day's first 10 s (00:00-00:24 compressed 144-fold): about 300 × (1 + 0.6 cos(2π 14/24)) = 141/s.
    expect(s.activations.arrived).toBeGreaterThan(1000);
    expect(s.activations.arrived).toBe(s.activations.completed + s.activations.timedOut + s.activations.rejected + s.activations.lost + s.activations.inFlight);
    const actions = Object.keys(s.actions ?? {});
    expect(actions.length).toBeGreaterThan(200);
    expect(actions.length).toBeLessThanOrEqual(MAX_BREAKDOWN_KEYS + 1);
    expect(actions.every((a) => a === OTHER_KEY || /^pop-ns\d{3}\/fn\d{4}$/.test(a))).toBe(true);
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

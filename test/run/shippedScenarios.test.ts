/**
 * Every shipped scenario (shortened) must satisfy the model's books: each arrival in exactly one outcome,
 * Little's law within 2%, identical bytes for identical runs, different bytes for another seed.
 */
import { describe, expect, it } from 'vitest';
import { listShippedScenarios, loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { renderTimeSeriesCsv } from '../../src/report/TimeSeriesCsvReporter.js';

// Long validation runs are shortened here; their full versions have their own tests.
const shorten: Record<string, string[]> = {
  mmc: ['duration=3m', 'warmup=30s'],
  'aws-lambda-coldstart': ['duration=6h', 'warmup=10m', 'workload.actions.0.arrivals.rate=1/s'],
};

const scenarios = listShippedScenarios();

describe('shipped scenarios', () => {
  it('include the quick start and the validation scenarios', () => {
    const names = scenarios.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['quickstart', 'overflow-burst', 'mmc', 'aws-lambda-coldstart']));
  });

  for (const s of scenarios) {
    describe(s.name, () => {
      const load = () => {
        const overrides = shorten[s.name] ?? [];
        const scenario = loadScenarioFile(s.file, overrides);
        // Long studies are cut to two minutes and benchmarks to 15 s here; their own tests and `npm run bench` run them whole.
        const cutMs = s.file.includes('/bench/') ? 15_000 : 120_000;
        if (scenario.durationMs <= cutMs) return scenario;
        return loadScenarioFile(s.file, [...overrides, `duration=${cutMs}ms`, `warmup=${Math.min(scenario.warmupMs, cutMs / 6)}ms`]);
      };
      const first = runScenario(load());

      it('puts every arrival in exactly one outcome', () => {
        const a = first.summary.activations;
        expect(a.arrived).toBeGreaterThan(0);
        expect(a.completed + a.timedOut + a.rejected + a.lost + a.inFlight).toBe(a.arrived);
        expect(Object.values(a.rejectedBy).reduce((x, y) => x + y, 0)).toBe(a.rejected);
      });

      it("satisfies Little's law within 2%", () => {
        expect(first.summary.littlesLaw.relativeError).toBeLessThan(0.02);
      });

      it('gives identical summary.json and timeseries.csv bytes for the same seed, different for another', () => {
        const again = runScenario(load());
        const json = (o: typeof first) => renderSummaryJson(o.summary);
        const csv = (o: typeof first) => renderTimeSeriesCsv(o.timeseries);
        expect(json(again)).toBe(json(first));
        expect(csv(again)).toBe(csv(first));
        const other = runScenario(load(), { seed: first.summary.seed + 1 });
        expect(json(other)).not.toBe(json(first));
      });
    });
  }
});

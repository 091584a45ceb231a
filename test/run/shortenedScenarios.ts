/**
 * The shipped scenarios as the tests run them: long validation runs, studies and benchmarks cut short so the
 * whole suite stays within minutes. One definition for the shipped-scenario checks and the committed baselines.
 */
import { listShippedScenarios, loadScenarioFile } from '../../src/scenario/load.js';
import type { ShippedScenario } from '../../src/scenario/builtin.js';
import type { Scenario } from '../../src/scenario/types.js';

// Long validation runs are shortened here; their full versions have their own tests.
const shorten: Record<string, string[]> = {
  mmc: ['duration=3m', 'warmup=30s'],
  'aws-lambda-coldstart': ['duration=6h', 'warmup=10m', 'workload.actions.0.arrivals.rate=1/s'],
};

/** Long studies are cut to two minutes and benchmarks to 15 s; their own tests and `npm run bench` run them whole. */
export function loadShortened(s: ShippedScenario): Scenario {
  const overrides = shorten[s.name] ?? [];
  const scenario = loadScenarioFile(s.file, overrides);
  const cutMs = s.file.includes('/bench/') ? 15_000 : 120_000;
  if (scenario.durationMs <= cutMs) return scenario;
  return loadScenarioFile(s.file, [...overrides, `duration=${cutMs}ms`, `warmup=${Math.min(scenario.warmupMs, cutMs / 6)}ms`]);
}

export { listShippedScenarios };

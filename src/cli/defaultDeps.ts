/**
 * The real library behind the CLI. main.ts imports this lazily, only when a caller did not inject every
 * dependency, so CLI tests with fakes never load the simulator.
 */
import { performance } from 'node:perf_hooks';
import {
  listShippedScenarios,
  loadBuiltinScenario,
  loadScenarioFile,
  scenarioToPlain,
} from '../scenario/load.js';
import type { CliDeps } from './deps.js';

export const defaultDeps: CliDeps = {
  // The simulator loads on the first run, not at start-up: `owsim validate` never needs it.
  runScenario: async (scenario, options) => (await import('../runScenario.js')).runScenario(scenario, options),
  loadScenarioFile,
  loadBuiltinScenario,
  listShippedScenarios,
  scenarioToPlain,
  wallClockMs: () => performance.now(),
};

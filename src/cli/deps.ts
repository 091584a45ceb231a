/**
 * The library functions the CLI calls, injectable so CLI tests can run `main` against a fake run and loader
 * (or, by passing nothing, against the real ones from defaultDeps.ts). Each may return a value or a promise.
 */
import type { RunOutput } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { ProgressBar } from './progress.js';
import type { TextSink } from './io.js';

export interface RunProgress {
  simulatedMs: number;
  totalMs: number;
  events: number;
}

export interface RunScenarioOptions {
  seed?: number;
  /** Run the invariant checkers (`owsim run --check`). */
  checks?: boolean;
  onProgress?: (progress: RunProgress) => void;
  /** Stream activations.csv here (`report.activationsCsv`). */
  activationsCsvPath?: string;
}

export interface ShippedScenario {
  name: string;
  file: string;
  description: string;
}

export interface CliDeps {
  runScenario(scenario: Scenario, options?: RunScenarioOptions): RunOutput | Promise<RunOutput>;
  /** `overrides` are the raw `--set path=value` strings, in command-line order. */
  loadScenarioFile(path: string, overrides?: string[]): Scenario | Promise<Scenario>;
  loadBuiltinScenario(name?: string): Scenario | Promise<Scenario>;
  listShippedScenarios(): ShippedScenario[] | Promise<ShippedScenario[]>;
  /** The resolved scenario as written to scenario.resolved.json; defaults to the object itself. */
  scenarioToPlain?(scenario: Scenario): unknown;
  /** Monotonic wall clock in milliseconds, for run-info.json and the progress bar. */
  wallClockMs?(): number;
  /** The compiled pool worker (dist/sweep/sweepWorker.js) for `--workers`; tests point it at a scratch build. */
  poolWorkerUrl?: URL;
  /** The progress bar drawn on a terminal stderr; defaults to cli-progress. */
  createProgressBar?(stream: TextSink): ProgressBar;
}

export const requiredDeps = ['runScenario', 'loadScenarioFile', 'loadBuiltinScenario', 'listShippedScenarios'] as const;

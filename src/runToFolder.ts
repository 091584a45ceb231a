/**
 * One run into its folder, the steps `owsim run` and each seed of `owsim run --seeds` share: write
 * scenario.resolved.json, run, add run-info.json's record (version, wall time, start time), write the selected
 * reports. The caller says how to run (runScenario with its options, or a test's stand-in) and may listen
 * between writing the resolved scenario and starting the run, so both paths write the same bytes.
 */
import { makeRunInfo } from './report/RunInfoReporter.js';
import type { ReporterName } from './report/reporters.js';
import type { RunOutput } from './report/types.js';
import { writeReports, writeResolvedScenario } from './report/writeReports.js';
import type { Scenario } from './scenario/types.js';
import { owsimVersion } from './version.js';

export interface RunToFolderInput {
  /** The scenario as it runs (its seed already chosen); written as scenario.resolved.json. */
  scenario: Scenario;
  dir: string;
  reports: readonly ReporterName[];
  /** Runs the simulation: `runScenario(scenario, options)` or a stand-in. */
  run: () => RunOutput | Promise<RunOutput>;
  /** How the scenario becomes plain data for scenario.resolved.json; the scenario itself when absent. */
  scenarioToPlain?: ((scenario: Scenario) => unknown) | undefined;
  /** The wall clock run-info.json measures with; performance.now when absent. */
  wallClockMs?: (() => number) | undefined;
  /** Called with scenario.resolved.json's path once it is written, before the run starts. */
  onResolved?: (resolvedFile: string) => void;
}

/** Writes the resolved scenario, runs, writes the reports; returns the run's output with its run info. */
export async function runToFolder(input: RunToFolderInput): Promise<RunOutput> {
  const { scenario, dir } = input;
  const resolvedFile = writeResolvedScenario(dir, input.scenarioToPlain ? input.scenarioToPlain(scenario) : scenario);
  input.onResolved?.(resolvedFile);
  const wallClockMs = input.wallClockMs ?? (() => performance.now());
  const startedAt = new Date();
  const startMs = wallClockMs();
  const result = await input.run();
  const output: RunOutput = {
    ...result,
    runInfo: makeRunInfo({ owsimVersion: owsimVersion(), wallMs: wallClockMs() - startMs, startedAt, summary: result.summary }),
  };
  writeReports(output, dir, input.reports);
  return output;
}

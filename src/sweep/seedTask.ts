/**
 * One seed of `owsim run --seeds`: resolve the scenario under the seed, write scenario.resolved.json, run,
 * write the seed's reports (plus run-info.json) into its folder, and hand back the summary for the means.
 *
 * The serial path (runSeeds.ts, with the CLI's injectable deps) and the worker path (sweepWorker.ts, with the
 * real library) both go through `runOneSeed`, so a seed's folder has the same bytes either way (run-info.json
 * aside: it records wall time by design). A task is plain data so it can cross into a worker thread: how to
 * load the scenario (a shipped name or a file, with the `--set` overrides) rather than the loaded object.
 */
import { owsimVersion } from '../cli/version.js';
import { makeRunInfo } from '../report/RunInfoReporter.js';
import type { ReporterName } from '../report/reporters.js';
import type { RunOutput, Summary } from '../report/types.js';
import { writeReports, writeResolvedScenario } from '../report/writeReports.js';
import { runScenario } from '../runScenario.js';
import { loadBuiltinScenario, loadScenarioFile, scenarioToPlain } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';

/** How the command line's scenario was loaded, replayable in a worker. */
export type ScenarioLoad = { builtin: string } | { file: string };

export interface SeedTask {
  load: ScenarioLoad;
  overrides: string[];
  seed: number;
  dir: string;
  reports: ReporterName[];
}

export interface SeedResult {
  seed: number;
  summary: Summary;
}

export interface SeedRunner {
  runScenario(scenario: Scenario, options?: { seed?: number }): RunOutput | Promise<RunOutput>;
  scenarioToPlain?(scenario: Scenario): unknown;
  wallClockMs?(): number;
}

export async function runOneSeed(base: Scenario, seed: number, dir: string, reports: readonly ReporterName[], runner: SeedRunner): Promise<SeedResult> {
  const scenario = { ...base, seed };
  const wallClockMs = runner.wallClockMs ?? (() => performance.now());
  writeResolvedScenario(dir, runner.scenarioToPlain ? runner.scenarioToPlain(scenario) : scenario);
  const startedAt = new Date();
  const startMs = wallClockMs();
  const result = await runner.runScenario(scenario, { seed });
  const output: RunOutput = {
    ...result,
    runInfo: makeRunInfo({ owsimVersion: owsimVersion(), wallMs: wallClockMs() - startMs, startedAt, summary: result.summary }),
  };
  writeReports(output, dir, reports);
  return { seed, summary: result.summary };
}

/** The worker's side: load with the real library, then the same steps as the serial path. */
export function runSeedTask(task: SeedTask): Promise<SeedResult> {
  const scenario = 'builtin' in task.load ? loadBuiltinScenario(task.load.builtin, task.overrides) : loadScenarioFile(task.load.file, task.overrides);
  return runOneSeed(scenario, task.seed, task.dir, task.reports, { runScenario, scenarioToPlain, wallClockMs: () => performance.now() });
}

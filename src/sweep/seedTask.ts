/**
 * One seed of `owsim run --seeds`: resolve the scenario under the seed, write scenario.resolved.json, run,
 * write the seed's reports (plus run-info.json) into its folder, and hand back the summary for the means.
 *
 * The serial path (runSeeds.ts, with the CLI's injectable deps) and the worker path (sweepWorker.ts, with the
 * real library) both go through `runOneSeed`, which writes the folder with `runToFolder` as `owsim run` does,
 * so a seed's folder has the same bytes either way (run-info.json aside: it records wall time by design). A
 * task is plain data so it can cross into a worker thread: how to load the scenario (a shipped name or a file,
 * with the `--set` overrides) rather than the loaded object.
 */
import type { ReporterName } from '../report/reporters.js';
import type { RunOutput, Summary } from '../report/types.js';
import { runScenario } from '../runScenario.js';
import { runToFolder } from '../runToFolder.js';
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
  const output = await runToFolder({
    scenario,
    dir,
    reports,
    run: () => runner.runScenario(scenario, { seed }),
    scenarioToPlain: runner.scenarioToPlain ? (s) => runner.scenarioToPlain!(s) : undefined,
    wallClockMs: runner.wallClockMs,
  });
  return { seed, summary: output.summary };
}

/** The worker's side: load with the real library, then the same steps as the serial path. */
export function runSeedTask(task: SeedTask): Promise<SeedResult> {
  const scenario = 'builtin' in task.load ? loadBuiltinScenario(task.load.builtin, task.overrides) : loadScenarioFile(task.load.file, task.overrides);
  return runOneSeed(scenario, task.seed, task.dir, task.reports, { runScenario, scenarioToPlain, wallClockMs: () => performance.now() });
}

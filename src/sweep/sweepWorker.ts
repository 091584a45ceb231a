/**
 * The pool's worker module (pool.ts, run by piscina): one export per kind of task. Each returns a
 * `WorkerReply` rather than throwing, so an OwsimError's fields survive the thread boundary as plain data.
 * Loaded from the compiled dist/ (node cannot run the TypeScript sources).
 */
import { runScenario } from '../runScenario.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { CapacityChart } from './capacity.js';
import type { SweepTask } from './grid.js';
import type { SweepOutcome } from './runSweep.js';
import { replyFor, type WorkerReply } from './pool.js';
import { runSeedTask, type SeedResult, type SeedTask } from './seedTask.js';
import { runSweepTask, type SweepResult } from './runTask.js';

/** One sweep point × seed: the headline metrics. */
export function sweepTask(task: SweepTask): Promise<WorkerReply<SweepResult>> {
  return replyFor(() => runSweepTask(task, { loadScenarioFile, runScenario }));
}

/** Some of a sweep's capacity charts (charts load lazily: seed and sweep runs do not need chart.js). */
export function capacityCharts(task: { outcome: SweepOutcome; metrics: string[] }): Promise<WorkerReply<CapacityChart[]>> {
  return replyFor(async () => (await import('./capacity.js')).renderCapacityCharts(task.outcome, task.metrics));
}

/** One seed of `owsim run --seeds`: the seed's report folder is written here, the summary goes back. */
export function seedTask(task: SeedTask): Promise<WorkerReply<SeedResult>> {
  return replyFor(() => runSeedTask(task));
}

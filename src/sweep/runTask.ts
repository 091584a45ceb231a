/**
 * One sweep task: load the scenario with the point's overrides, run it under the task's seed, and keep the
 * headline metrics (summaryPaths.ts HEADLINE_METRICS, in that order) and the threshold verdict. The result is plain
 * data, the same whether it ran in this thread or a worker.
 */
import { HEADLINE_METRICS } from '../report/summaryPaths.js';
import { resolveMetric } from '../report/summaryPaths.js';
import { reporterNames } from '../report/reporters.js';
import type { RunOutput, Summary } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import type { SweepTask } from './grid.js';
import { runOneSeed } from './seedTask.js';
import { summaryColumns } from './sweepColumns.js';

export interface SweepResult {
  index: number;
  point: number;
  seed: number;
  /** One value per HEADLINE_METRICS entry; NaN when a summary lacks it. */
  metrics: number[];
  /** False when a scenario threshold failed; true without thresholds. */
  thresholdsOk: boolean;
  /** The summary's other columns (sweepColumns.ts): every metric group present, faults, per-name groups on request. */
  extra: [string, number][];
}

export interface TaskRunner {
  loadScenarioFile(path: string, overrides?: string[]): Scenario | Promise<Scenario>;
  runScenario(scenario: Scenario, options?: { seed?: number }): { summary: Summary } | Promise<{ summary: Summary }>;
  scenarioToPlain?(scenario: Scenario): unknown;
}

export function headlineValues(summary: Summary): number[] {
  return HEADLINE_METRICS.map(([metric]) => resolveMetric(summary, metric) ?? NaN);
}

export async function runSweepTask(task: SweepTask, runner: TaskRunner): Promise<SweepResult> {
  const loaded = await runner.loadScenarioFile(task.file, task.overrides);
  const scenario = { ...loaded, seed: task.seed };
  let summary: Summary;
  if (task.keepDir !== undefined) {
    // --keep-points: the point's full report folder, as `owsim run` would write it.
    const kept = await runOneSeed(scenario, task.seed, task.keepDir, reporterNames, {
      runScenario: runner.runScenario as (s: Scenario, o?: { seed?: number }) => RunOutput | Promise<RunOutput>,
      ...(runner.scenarioToPlain ? { scenarioToPlain: runner.scenarioToPlain } : {}),
    });
    summary = kept.summary;
  } else {
    summary = (await runner.runScenario(scenario, { seed: task.seed })).summary;
  }
  return {
    index: task.index,
    point: task.point,
    seed: task.seed,
    metrics: headlineValues(summary),
    thresholdsOk: (summary.thresholds ?? []).every((t) => t.ok),
    extra: summaryColumns(summary, task.perName ?? []),
  };
}

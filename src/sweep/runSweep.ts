/**
 * `owsim sweep`: every point of the scenario's `sweep:` grid × every seed, in worker threads or in this
 * thread, gathered into one table (sweep.csv) in a fixed order: points in grid order (the first parameter
 * varies slowest), seeds ascending within a point. Because rows are placed by task index and every run is a
 * pure function of (scenario, overrides, seed), the bytes of sweep.csv are the same for any `--workers`.
 *
 * Before anything runs, each parameter value is applied alone to the scenario and validated, so a typo in a
 * path or a value fails in milliseconds, naming `--set path=value`.
 *
 * Sharding (`--shard i/N`, shard.ts): `shardTasks(tasks, i, n)` keeps every n-th task, so shards partition the
 * sweep and take a similar mix of cheap and dear points; merging puts the results back in task order.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { HEADLINE_METRICS } from '../report/summaryPaths.js';
import { formatCsvNumber } from '../report/format.js';
import type { Scenario, SweepConfig } from '../scenario/types.js';
import { sweepPoints, sweepTasks, type SweepPoint, type SweepTask } from './grid.js';
import { defaultWorkerUrl, runInPool, type TaskPool } from './pool.js';
import type { ShardSpec } from './shard.js';
import { runSweepTask, type SweepResult, type TaskRunner } from './runTask.js';
import { isCounterColumn, unionColumns } from './sweepColumns.js';

export const SWEEP_CSV_FILE = 'sweep.csv';

export interface SweepOptions {
  /** The scenario file (workers load it themselves). */
  file: string;
  /** The command line's `--set` overrides, applied before each point's. */
  overrides: string[];
  /** The scenario as loaded with those overrides: its `sweep:` and seed. */
  scenario: Scenario;
  /** Seeds per point. */
  seeds: number[];
  /** 1 runs in this thread with `runner`; more use worker threads. */
  workers: number;
  runner: TaskRunner;
  /** The compiled worker script; default: pool.ts's defaultWorkerUrl(). */
  workerUrl?: URL;
  /** A pool to run on (and leave open); else one is made for this sweep when workers > 1. */
  pool?: TaskPool;
  /** `--shard i/N`: run only the tasks of shard `index` (1-based) of `count` (shard.ts). */
  shard?: ShardSpec;
  onResult?: (result: SweepResult, done: number, total: number) => void;
  /** `--keep-points`: the sweep's output folder; each run's report folder goes under its `points/`. */
  keepPointsIn?: string;
  /** `--per-name`: per-name groups to keep as columns (sweepColumns.ts). */
  perName?: string[];
}

/** Where `--keep-points` puts a run's reports, relative to the sweep's folder. */
export function pointFolder(point: number, seed: number): string {
  return `points/point-${point}-seed-${seed}`;
}

export interface SweepOutcome {
  scenario: string;
  parameters: string[];
  points: SweepPoint[];
  seeds: number[];
  /** In task order (point-major, then seed). */
  results: SweepResult[];
  /** True when each run's report folder was kept (pointFolder). */
  keptPoints?: boolean;
  /** The scenario's thresholds (metric → condition), for the capacity charts' threshold lines. */
  thresholds?: Record<string, string>;
}

export function sweepConfigOf(scenario: Scenario): SweepConfig {
  const sweep = scenario.sweep;
  if (sweep === null || sweep.parameters.length === 0) {
    throw new UsageError('the scenario has no sweep', {
      file: scenario.source,
      path: 'sweep',
      expected: 'a sweep: section mapping --set paths to value lists, e.g. sweep: { invokers.count: [4, 8, 16] }',
    });
  }
  return sweep;
}

/** The tasks of shard `index` (0-based) of `count`: every count-th task, starting at task `index`. */
export function shardTasks(tasks: readonly SweepTask[], index: number, count: number): SweepTask[] {
  return tasks.filter((t) => t.index % count === index);
}

/** Applies each parameter value alone and validates the scenario; throws the loader's error on the first bad one. */
export async function validateSweepValues(file: string, overrides: readonly string[], config: SweepConfig, runner: TaskRunner): Promise<void> {
  for (const p of config.parameters) {
    for (const v of p.values) await runner.loadScenarioFile(file, [...overrides, `${p.path}=${v}`]);
  }
}

export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const config = sweepConfigOf(options.scenario);
  await validateSweepValues(options.file, options.overrides, config, options.runner);
  const points = sweepPoints(config);
  let tasks = sweepTasks(options.file, options.overrides, points, options.seeds).map((t) => ({
    ...t,
    ...(options.keepPointsIn !== undefined ? { keepDir: join(options.keepPointsIn, pointFolder(t.point, t.seed)) } : {}),
    ...(options.perName !== undefined && options.perName.length > 0 ? { perName: options.perName } : {}),
  }));
  if (options.shard) tasks = shardTasks(tasks, options.shard.index - 1, options.shard.count);
  const total = tasks.length;
  let results: SweepResult[];
  if (options.pool !== undefined) {
    results = await options.pool.map<SweepTask, SweepResult>(tasks, 'sweepTask', (r, _index, done) => options.onResult?.(r, done, total));
  } else if (options.workers <= 1) {
    results = [];
    for (const task of tasks) {
      const result = await runSweepTask(task, options.runner);
      results.push(result);
      options.onResult?.(result, results.length, total);
    }
  } else {
    const url = options.workerUrl ?? defaultWorkerUrl();
    if (url === undefined) {
      throw new UsageError('worker threads need the compiled owsim (dist/), which is missing', {
        path: '--workers',
        expected: 'run `npm run build` first, or use --workers 1',
      });
    }
    results = await runInPool<SweepTask, SweepResult>({
      tasks,
      workers: options.workers,
      workerUrl: url,
      handler: 'sweepTask',
      onResult: (r, _index, done) => options.onResult?.(r as SweepResult, done, total),
    });
  }
  return {
    scenario: options.scenario.name,
    parameters: config.parameters.map((p) => p.path),
    points,
    seeds: options.seeds,
    results,
    ...(options.keepPointsIn !== undefined ? { keptPoints: true } : {}),
    ...(Object.keys(options.scenario.thresholds).length > 0 ? { thresholds: options.scenario.thresholds } : {}),
  };
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * sweep.csv: `point,seed,<parameters…>,<headline metrics…>,<other columns…>,thresholdsOk`, one row per point and
 * seed. The other columns are the union of every run's (sweepColumns.ts); a run without one leaves its cell
 * empty, except in a counter map, where it did not happen: 0.
 */
export function renderSweepCsv(outcome: SweepOutcome): string {
  const rows = [...outcome.results].sort((a, b) => a.point - b.point || a.seed - b.seed);
  const extra = unionColumns(rows.map((r) => r.extra ?? []));
  const header = ['point', 'seed', ...outcome.parameters, ...HEADLINE_METRICS.map(([m]) => m), ...extra, 'thresholdsOk'];
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) {
    const point = outcome.points[r.point]!;
    const own = new Map(r.extra ?? []);
    const extraCells = extra.map((c) => {
      const v = own.get(c);
      return v !== undefined ? formatCsvNumber(v) : isCounterColumn(c) ? '0' : '';
    });
    lines.push(
      [String(r.point), String(r.seed), ...point.values, ...r.metrics.map((x) => formatCsvNumber(x)), ...extraCells, r.thresholdsOk ? 'true' : 'false']
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A result's value of `metric` (a headline metric or one of its other columns), or undefined. */
export function resultValue(r: SweepResult, metric: string): number | undefined {
  const h = HEADLINE_METRICS.findIndex(([m]) => m === metric);
  if (h >= 0) return r.metrics[h];
  const found = (r.extra ?? []).find(([c]) => c === metric);
  return found ? found[1] : isCounterColumn(metric) ? 0 : undefined;
}

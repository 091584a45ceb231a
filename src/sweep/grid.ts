/**
 * The points of a sweep: the cartesian product of the `sweep:` parameters' values, the first parameter
 * varying slowest (so rows group by it), then each point × seed as one task. A task is plain data (a file,
 * override strings, a seed) so it can cross into a worker thread; the order of tasks is the order of rows in
 * sweep.csv whatever finishes first.
 */
import type { SweepConfig } from '../scenario/types.js';

export interface SweepPoint {
  index: number;
  /** One value per parameter, as `--set` text. */
  values: string[];
  /** `path=value` for each parameter. */
  overrides: string[];
}

export interface SweepTask {
  /** Position of the task in the sweep (point-major, then seed). */
  index: number;
  point: number;
  seed: number;
  /** Scenario file to load in the worker. */
  file: string;
  /** The command line's `--set` overrides, then the point's. */
  overrides: string[];
  /** `--keep-points`: write the run's report folder here. */
  keepDir?: string;
  /** `--per-name`: per-name metric groups to keep as columns (sweepColumns.ts). */
  perName?: string[];
}

export function sweepPoints(config: SweepConfig): SweepPoint[] {
  let combos: string[][] = [[]];
  for (const p of config.parameters) combos = combos.flatMap((c) => p.values.map((v) => [...c, v]));
  return combos.map((values, index) => ({
    index,
    values,
    overrides: values.map((v, i) => `${config.parameters[i]!.path}=${v}`),
  }));
}

export function sweepTasks(file: string, baseOverrides: readonly string[], points: readonly SweepPoint[], seeds: readonly number[]): SweepTask[] {
  const tasks: SweepTask[] = [];
  for (const point of points) {
    for (const seed of seeds) {
      tasks.push({ index: tasks.length, point: point.index, seed, file, overrides: [...baseOverrides, ...point.overrides] });
    }
  }
  return tasks;
}

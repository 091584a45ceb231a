/**
 * `owsim sweep SCENARIO [--workers N] [--out DIR] [--seeds N] [--seed S] [--set path=value …]`: runs every
 * point of the scenario's `sweep:` grid under each seed and writes OUT/sweep.csv plus capacity charts
 * (OUT/charts/capacity-<metric>.png). Seeds: S, S+1, … (S defaults to the scenario's seed; N to `sweep.seeds`).
 * Workers: worker threads running the compiled owsim (default: the machine's available parallelism); with
 * `--workers 1` everything runs in this thread. The CSV's bytes do not depend on the worker count.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { exitCodes, UsageError } from '../../errors.js';
import { renderCapacityCharts } from '../../report/charts/capacity.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import { renderSweepCsv, runSweep, SWEEP_CSV_FILE, sweepConfigOf } from '../../sweep/runSweep.js';
import type { CliDeps } from '../deps.js';
import type { CliContext } from '../main.js';
import { parseSeed, safeFolderName } from './run.js';
import { parseSeedCount, seedList } from './runSeeds.js';
import { loadScenarioArg, parseOverrides } from './scenarioArg.js';
import { writeFileSync } from 'node:fs';

export interface SweepArgs {
  scenario?: string;
  workers?: unknown;
  out?: string;
  seeds?: unknown;
  seed?: unknown;
  set?: unknown;
  quiet?: boolean;
  debug?: boolean;
}

/** Most worker threads `--workers` accepts. */
export const MAX_WORKERS = 256;

export function parseWorkers(raw: unknown): number {
  if (raw === undefined) return Math.max(1, availableParallelism());
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_WORKERS) {
    throw new UsageError('not a valid number of workers', { path: '--workers', expected: `a whole number from 1 to ${MAX_WORKERS}`, got: text });
  }
  return n;
}

/** The scenario argument as a file path a worker can load: a path as given, or a shipped scenario's file. */
export async function scenarioPath(arg: string | undefined, deps: CliDeps): Promise<string> {
  if (arg === undefined || arg === '') throw new UsageError('a scenario is required', { expected: 'a scenario file or the name of a shipped scenario' });
  if (existsSync(arg)) return arg;
  const shipped = (await deps.listShippedScenarios()).find((s) => s.name === arg);
  return shipped?.file ?? arg;
}

export async function sweepCommand(args: SweepArgs, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const say = (line: string): void => {
    if (args.quiet !== true) io.stdout.write(`${line}\n`);
  };
  const workers = parseWorkers(args.workers);
  const seedFlag = parseSeed(args.seed);
  const seedCount = parseSeedCount(args.seeds);
  const overrides = parseOverrides(args.set);
  const file = await scenarioPath(args.scenario, deps);
  const { scenario } = await loadScenarioArg(file, overrides, deps);
  const config = sweepConfigOf(scenario);
  const seeds = seedList(seedFlag ?? scenario.seed, seedCount ?? config.seeds);
  const outDir = args.out ?? join('reports', `${safeFolderName(scenario.name)}-sweep`);
  const points = config.parameters.reduce((n, p) => n * p.values.length, 1);
  say(`owsim sweep: ${scenario.name}, ${points} points × ${seeds.length} seed${seeds.length === 1 ? '' : 's'} on ${workers} worker${workers === 1 ? '' : 's'}`);

  const outcome = await runSweep({
    file,
    overrides,
    scenario,
    seeds,
    workers,
    runner: deps,
    onResult: (r, done, total) => say(`[${done}/${total}] point ${r.point} seed ${r.seed}`),
  });
  ensureDir(outDir);
  const csv = writeReportFile(outDir, SWEEP_CSV_FILE, renderSweepCsv(outcome));
  const chartsDir = join(outDir, 'charts');
  ensureDir(chartsDir);
  const charts = renderCapacityCharts(outcome);
  for (const c of charts) writeFileSync(join(chartsDir, c.file), c.png);
  say(`sweep: ${csv}; ${charts.length} capacity charts in ${chartsDir}`);
  return exitCodes.ok;
}

/**
 * `owsim sweep SCENARIO [--workers N] [--shard i/N] [--out DIR] [--seeds N] [--seed S] [--set path=value …]`:
 * runs every point of the scenario's `sweep:` grid under each seed and writes OUT/sweep.csv plus capacity
 * charts (OUT/charts/capacity-<metric>.png). Seeds: S, S+1, … (S defaults to the scenario's seed; N to
 * `sweep.seeds`). Workers: a worker-thread pool running the compiled owsim (workers.ts; default: the available
 * cores); with `--workers 1` everything runs in this thread. The CSV's bytes do not depend on the worker count.
 * With `--shard i/N` only every N-th run is done and OUT gets a partial sweep.csv and shard.json (shard.ts);
 * `owsim merge` (merge.ts) turns all N into what one run would have written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodes, UsageError } from '../../errors.js';
import { capacityChartMetrics, renderCapacityCharts, type CapacityChart } from '../../sweep/capacity.js';
import { TaskPool } from '../../sweep/pool.js';
import { PER_NAME_GROUPS } from '../../sweep/sweepColumns.js';
import { didYouMean } from '../../scenario/suggest.js';
import { renderSweepIndexHtml, SWEEP_INDEX_FILE } from '../../sweep/sweepIndexHtml.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import { sweepPoints } from '../../sweep/grid.js';
import type { SweepResult } from '../../sweep/runTask.js';
import { formatCount, formatQuantity } from '../../report/format.js';
import { renderSweepCsv, resultValue, runSweep, SWEEP_CSV_FILE, sweepConfigOf, type SweepOutcome } from '../../sweep/runSweep.js';
import { parseShard, renderShardManifest, scenarioFingerprint, SHARD_MANIFEST_FILE, shardManifest } from '../../sweep/shard.js';
import { owsimVersion } from '../../version.js';
import { parseWorkers, planWorkers } from './workers.js';
import type { CliDeps } from '../deps.js';
import type { CliContext } from '../main.js';
import { parseSeed, parseSeedCount, safeFolderName, seedList } from '../seeds.js';
import { loadScenarioArg, parseOverrides } from './scenarioArg.js';
import { writeFileSync } from 'node:fs';

export interface SweepArgs {
  scenario?: string;
  workers?: unknown;
  shard?: unknown;
  out?: string;
  seeds?: unknown;
  seed?: unknown;
  set?: unknown;
  quiet?: boolean;
  debug?: boolean;
  keepPoints?: boolean;
  perName?: unknown;
}

/** `--per-name GROUP` (repeatable, or comma-separated): per-name metric groups to keep as sweep.csv columns. */
export function parsePerName(raw: unknown): string[] {
  if (raw === undefined) return [];
  const groups = (Array.isArray(raw) ? raw : [raw]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '');
  for (const g of groups) {
    if (g !== 'all' && !PER_NAME_GROUPS.includes(g)) {
      throw new UsageError(`unknown per-name group \`${g}\`${didYouMean(g, PER_NAME_GROUPS)}`, {
        path: '--per-name',
        expected: `all, or one of ${PER_NAME_GROUPS.join(', ')}`,
        got: g,
      });
    }
  }
  return groups;
}

/** The scenario argument as a file path a worker can load: a path as given, or a shipped scenario's file. */
export async function scenarioPath(arg: string | undefined, deps: CliDeps): Promise<string> {
  if (arg === undefined || arg === '') throw new UsageError('a scenario is required', { expected: 'a scenario file or the name of a shipped scenario' });
  if (existsSync(arg)) return arg;
  const shipped = (await deps.listShippedScenarios()).find((s) => s.name === arg);
  return shipped?.file ?? arg;
}

/**
 * sweep.csv and the capacity charts of a whole sweep (a single run, or merged shards). With a pool the charts
 * (a second of PNG drawing for the usual 28) are drawn one metric per task on its threads, not after the runs
 * in this one; each chart is the same pure function of the outcome either way.
 */
export async function writeSweepOutputs(outcome: SweepOutcome, outDir: string, pool?: TaskPool): Promise<{ csv: string; charts: number; chartsDir: string; index: string }> {
  ensureDir(outDir);
  const csv = writeReportFile(outDir, SWEEP_CSV_FILE, renderSweepCsv(outcome));
  const chartsDir = join(outDir, 'charts');
  ensureDir(chartsDir);
  const charts =
    pool === undefined
      ? renderCapacityCharts(outcome)
      : (await pool.map<{ outcome: SweepOutcome; metrics: string[] }, CapacityChart[]>(
          capacityChartMetrics(outcome).map((metric) => ({ outcome, metrics: [metric] })),
          'capacityCharts',
        )).flat();
  for (const c of charts) writeFileSync(join(chartsDir, c.file), c.png);
  const index = writeReportFile(outDir, SWEEP_INDEX_FILE, renderSweepIndexHtml(outcome, charts));
  return { csv, charts: charts.length, chartsDir, index };
}

/** A finished run as a progress line: its parameter values, seed, and what it measured. */
export function progressLine(r: SweepResult, overrides: readonly string[]): string {
  const parts = [`p99 ${formatQuantity(resultValue(r, 'latencyMs.p99') ?? NaN)} ms`, `${formatQuantity(resultValue(r, 'throughputPerSec') ?? NaN)}/s`];
  const lost = resultValue(r, 'activations.lost') ?? 0;
  const timedOut = resultValue(r, 'activations.timedOut') ?? 0;
  if (lost > 0) parts.push(`${formatCount(lost)} lost`);
  if (timedOut > 0) parts.push(`${formatCount(timedOut)} timed out`);
  const crashes = resultValue(r, 'oom.crashes');
  if (crashes !== undefined) parts.push(`${formatCount(crashes)} OOM crash${crashes === 1 ? '' : 'es'}`);
  parts.push(r.thresholdsOk ? 'thresholds ok' : 'a threshold FAILED');
  return `${overrides.join(' ')} seed ${r.seed}: ${parts.join(', ')}`;
}

export async function sweepCommand(args: SweepArgs, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const say = (line: string): void => {
    if (args.quiet !== true) io.stdout.write(`${line}\n`);
  };
  const requestedWorkers = parseWorkers(args.workers);
  const shard = parseShard(args.shard);
  const seedFlag = parseSeed(args.seed);
  const seedCount = parseSeedCount(args.seeds);
  const overrides = parseOverrides(args.set);
  const perName = parsePerName(args.perName);
  const file = await scenarioPath(args.scenario, deps);
  const { scenario } = await loadScenarioArg(file, overrides, deps);
  const config = sweepConfigOf(scenario);
  const seeds = seedList(seedFlag ?? scenario.seed, seedCount ?? config.seeds);
  const outDir = args.out ?? join('reports', `${safeFolderName(scenario.name)}-sweep${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`);
  const pointList = sweepPoints(config);
  const points = pointList.length;
  const total = points * seeds.length;
  const mine = shard ? Math.floor(total / shard.count) + (shard.index - 1 < total % shard.count ? 1 : 0) : total;
  const { workers, workerUrl } = planWorkers(requestedWorkers, mine, deps.poolWorkerUrl);
  say(
    `owsim sweep: ${scenario.name}, ${points} points × ${seeds.length} seed${seeds.length === 1 ? '' : 's'}` +
      (shard ? `, shard ${shard.index}/${shard.count} (${mine} of ${total} runs)` : '') +
      ` on ${workers} worker${workers === 1 ? '' : 's'}`,
  );

  const pool = workerUrl !== undefined ? new TaskPool(workers, workerUrl) : undefined;
  try {
    const outcome = await runSweep({
      file,
      overrides,
      scenario,
      seeds,
      workers,
      runner: deps,
      ...(pool ? { pool } : {}),
      ...(shard ? { shard } : {}),
      ...(args.keepPoints === true ? { keepPointsIn: outDir } : {}),
      perName,
      onResult: (r, done, all) => say(`[${done}/${all}] ${progressLine(r, pointList[r.point]?.overrides ?? [])}`),
    });
    if (shard) {
      // A partial result: its rows and the manifest a merge needs; charts only make sense for the whole sweep.
      ensureDir(outDir);
      const csv = writeReportFile(outDir, SWEEP_CSV_FILE, renderSweepCsv(outcome));
      const fingerprint = scenarioFingerprint(deps.scenarioToPlain ? deps.scenarioToPlain(scenario) : scenario);
      writeReportFile(outDir, SHARD_MANIFEST_FILE, renderShardManifest(shardManifest(outcome, shard, fingerprint, owsimVersion())));
      say(`sweep shard ${shard.index}/${shard.count}: ${csv} and ${SHARD_MANIFEST_FILE}; combine the shards with owsim merge DIR... --out OUT`);
      return exitCodes.ok;
    }
    const written = await writeSweepOutputs(outcome, outDir, pool);
    say(`sweep: ${written.csv}; ${written.charts} capacity charts in ${written.chartsDir}; open ${written.index}`);
    return exitCodes.ok;
  } finally {
    await pool?.close();
  }
}

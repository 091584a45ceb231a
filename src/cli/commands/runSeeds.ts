/**
 * `owsim run SCENARIO --seeds N [--seed S]`: the scenario under seeds S, S+1, …, S+N−1 (S defaults to the
 * scenario's seed, 1 unless the file says otherwise). Each seed's full report goes to OUT/seed-<s>/; OUT/summary.json
 * holds the mean of every metric with the per-metric aggregate under `seeds` (src/report/multiseed.ts), and
 * OUT/summary.md the table a CI job posts. Thresholds are judged on the means; a failure exits 1.
 *
 * Seeds run in a worker-thread pool (`--workers`, default min(seeds, available cores); see workers.ts) or,
 * with one worker, one after another in this thread. Each seed's folder is written by whoever ran it
 * (seedTask.ts, the same code both ways) and the means are taken in seed order, so the bytes do not depend on
 * the worker count.
 */
import { join } from 'node:path';
import { exitCodes } from '../../errors.js';
import { formatQuantity } from '../../report/format.js';
import { meanSummary, renderSeedsMarkdown } from '../../report/multiseed.js';
import { SUMMARY_MD_FILE } from '../../report/MarkdownReporter.js';
import { renderSummaryJson, SUMMARY_JSON_FILE } from '../../report/SummaryJsonReporter.js';
import { evaluateThresholds } from '../../report/thresholds.js';
import type { Summary } from '../../report/types.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import type { Scenario } from '../../scenario/types.js';
import type { CliContext } from '../main.js';
import { owsimVersion } from '../../version.js';
import { reproduceCommand, seedFolderName } from '../seeds.js';
import type { ReporterName } from '../../report/reporters.js';
import { runInPool } from '../../sweep/pool.js';
import { runOneSeed, type ScenarioLoad, type SeedResult, type SeedTask } from '../../sweep/seedTask.js';
import { planWorkers } from './workers.js';

export interface RunSeedsInput {
  scenario: Scenario;
  file: string | undefined;
  /** How the scenario was loaded, for worker threads to do the same. */
  load: ScenarioLoad;
  overrides: string[];
  seeds: number[];
  outDir: string;
  reports: ReporterName[];
  quiet: boolean;
  /** `--workers`, undefined when not given (then min(seeds, cores) when the compiled pool is there). */
  workers?: number;
}

export async function runSeedsCommand(input: RunSeedsInput, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const say = (line: string): void => {
    if (!input.quiet) io.stdout.write(`${line}\n`);
  };
  const plan = planWorkers(input.workers, input.seeds.length, deps.poolWorkerUrl);
  const folders = input.seeds.map(seedFolderName);
  say(
    `owsim ${owsimVersion()}: running ${input.scenario.name} with seeds ${input.seeds.join(', ')}` +
      (plan.workers > 1 ? ` on ${plan.workers} workers` : ''),
  );
  // Lines come out in seed order whichever seed finishes first.
  const finished: (SeedResult | undefined)[] = input.seeds.map(() => undefined);
  let printed = 0;
  const onSeed = (result: SeedResult, index: number): void => {
    finished[index] = result;
    for (; printed < finished.length && finished[printed] !== undefined; printed++) {
      const r = finished[printed]!;
      const dir = join(input.outDir, folders[printed]!);
      say(`seed ${r.seed}: latency p99 ${formatQuantity(r.summary.latencyMs.p99)} ms, completed ${r.summary.activations.completed} → ${dir}`);
    }
  };

  let results: SeedResult[];
  if (plan.workers <= 1) {
    results = [];
    for (const [i, seed] of input.seeds.entries()) {
      const r = await runOneSeed(input.scenario, seed, join(input.outDir, folders[i]!), input.reports, deps);
      results.push(r);
      onSeed(r, i);
    }
  } else {
    const tasks: SeedTask[] = input.seeds.map((seed, i) => ({
      load: input.load,
      overrides: input.overrides,
      seed,
      dir: join(input.outDir, folders[i]!),
      reports: input.reports,
    }));
    results = await runInPool<SeedTask, SeedResult>({
      tasks,
      workers: plan.workers,
      workerUrl: plan.workerUrl!,
      handler: 'seedTask',
      onResult: (r, index) => onSeed(r as SeedResult, index),
    });
  }
  const summaries: Summary[] = results.map((r) => r.summary);

  const summary = meanSummary(summaries);
  if (Object.keys(input.scenario.thresholds).length > 0) {
    summary.thresholds = evaluateThresholds(summary, input.scenario.thresholds, input.scenario.source);
  }
  ensureDir(input.outDir);
  writeReportFile(input.outDir, SUMMARY_JSON_FILE, renderSummaryJson(summary));
  writeReportFile(input.outDir, SUMMARY_MD_FILE, renderSeedsMarkdown(summary, folders));
  say(`reports: ${input.outDir} (means in ${SUMMARY_JSON_FILE}, per seed in ${folders.join(', ')})`);

  const failed = (summary.thresholds ?? []).filter((t) => !t.ok);
  if (failed.length === 0) return exitCodes.ok;
  for (const t of failed) {
    const actual = t.actual === null ? 'missing' : formatQuantity(t.actual);
    io.stderr.write(`threshold failed on the mean of ${input.seeds.length} seeds: ${t.metric} ${t.expression} (mean ${actual})\n`);
  }
  io.stderr.write(`reproduce: ${reproduceCommand(input.file, input.seeds[0]!, input.overrides)} --seeds ${input.seeds.length}\n`);
  return exitCodes.failed;
}

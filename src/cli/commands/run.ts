/**
 * `owsim run [SCENARIO]`: load the scenario (the built-in quick start when none is given), apply --seed and
 * --set, write scenario.resolved.json, run it, write the selected reports plus run-info.json, print a short
 * human summary, and exit 1 with a reproduce line when a threshold fails.
 *
 * 1. Check the flags (seed, report names, overrides) before loading anything.
 * 2. Load and resolve the scenario; the seed flag wins over the file's seed.
 * 3. Write the resolved scenario and print the seed and where things go (P4: the seed is always logged).
 * 4. Run with a progress bar on stderr (terminal only, not --quiet, only after a second of wall time), and
 *    write the reports: steps 3 and 4 are `runToFolder` (src/runToFolder.ts), as for each seed of --seeds.
 * 5. Print the summary, judge thresholds.
 */
import { join } from 'node:path';
import { exitCodes, UsageError } from '../../errors.js';
import { InvariantViolation } from '../../model/checks/InvariantViolation.js';
import { formatCount, formatPercent, formatQuantity } from '../../report/format.js';
import { describeEstimate, estimateRun, MAX_ESTIMATED_EVENTS } from '../../scenario/estimate.js';
import { isReporterName, reporterNames, type ReporterName } from '../../report/reporters.js';
import type { RunOutput, Summary } from '../../report/types.js';
import { runToFolder } from '../../runToFolder.js';
import { ACTIVATIONS_CSV_FILE } from '../../report/ActivationsCsvWriter.js';
import type { CliContext } from '../main.js';
import { createProgress } from '../progress.js';
import { owsimVersion } from '../../version.js';
import { runSeedsCommand } from './runSeeds.js';
import { parseSeed, parseSeedCount, reproduceCommand, safeFolderName, seedList } from '../seeds.js';
import { loadScenarioArg, parseOverrides, toStringList } from './scenarioArg.js';
import { parseWorkers } from './workers.js';
import { runRepeatable } from '../repeatCheck.js';

export interface RunArgs {
  scenario?: string;
  seed?: unknown;
  /** Run this many seeds (runSeeds.ts). */
  seeds?: unknown;
  /** Worker threads for --seeds. */
  workers?: unknown;
  out?: string;
  set?: unknown;
  report?: unknown;
  quiet?: boolean;
  /** Run the invariant checkers; a violation exits 3 with a reproduce line. */
  check?: boolean;
  force?: boolean;
  debug?: boolean;
}

/** `--report json,md` or `--report json --report md`; default every reporter. */
export function parseReportNames(raw: unknown): ReporterName[] {
  if (raw === undefined) return reporterNames.slice();
  const names: ReporterName[] = [];
  for (const part of toStringList(raw).flatMap((v) => v.split(','))) {
    const name = part.trim();
    if (!isReporterName(name)) {
      throw new UsageError('unknown report', { path: '--report', expected: `one of ${reporterNames.join(', ')}`, got: name || '(empty)' });
    }
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** What a passing `--check` run checked: `invariants: 9 checkers, 1.2 M checks, 0 violations (…)`. */
export function checksLine(checks: Record<string, number>): string {
  const entries = Object.entries(checks);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  const size = total >= 1e6 ? `${(total / 1e6).toFixed(1)} M` : total >= 1e4 ? `${(total / 1e3).toFixed(0)} k` : String(total);
  return (
    `invariants: ${entries.length} checker${entries.length === 1 ? '' : 's'}, ${size} checks, 0 violations ` +
    `(${entries.map(([name, c]) => `${name} ${formatCount(c)}`).join(', ')})`
  );
}

export function humanSummary(s: Summary): string {
  const a = s.activations;
  return [
    `arrived ${formatCount(a.arrived)}, completed ${formatCount(a.completed)}, timed out ${formatCount(a.timedOut)}, ` +
      `rejected ${formatCount(a.rejected)}, lost ${formatCount(a.lost)}, in flight ${formatCount(a.inFlight)}`,
    `latency p50 ${formatQuantity(s.latencyMs.p50)} ms, p99 ${formatQuantity(s.latencyMs.p99)} ms; ` +
      `cold starts ${formatPercent(s.coldStarts.ratio)}; throughput ${formatQuantity(s.throughputPerSec)}/s`,
  ].join('\n');
}

export async function runCommand(args: RunArgs, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const quiet = args.quiet === true;
  const say = (line: string): void => {
    if (!quiet) io.stdout.write(`${line}\n`);
  };

  // 1.
  const seedFlag = parseSeed(args.seed);
  const reports = parseReportNames(args.report);
  const overrides = parseOverrides(args.set);
  const seedCount = parseSeedCount(args.seeds);
  const workers = parseWorkers(args.workers);
  if (workers !== undefined && seedCount === undefined) {
    throw new UsageError('--workers only applies to several seeds', { path: '--workers', expected: 'owsim run SCENARIO --seeds N --workers W' });
  }

  // 2.
  const loaded = await loadScenarioArg(args.scenario, overrides, deps);
  const seed = seedFlag ?? loaded.scenario.seed;
  const scenario = { ...loaded.scenario, seed };
  const outDir = args.out ?? join('reports', safeFolderName(scenario.name));
  const estimate = estimateRun(scenario);
  say(describeEstimate(estimate));
  if (estimate.events > MAX_ESTIMATED_EVENTS && args.force !== true) {
    throw new UsageError(`the run is estimated at ${Math.round(estimate.events / 1e9)} billion kernel events, above the bound of ${MAX_ESTIMATED_EVENTS / 1e9} billion`, {
      path: '--force',
      expected: 'a smaller scenario (check rates and duration for a unit slip), or --force to run it anyway',
      got: describeEstimate(estimate),
    });
  }
  if (seedCount !== undefined) {
    const seeds = seedList(seed, seedCount);
    return runSeedsCommand({ scenario, file: loaded.file, load: loaded.load, overrides, seeds, outDir, reports, quiet, ...(workers !== undefined ? { workers } : {}) }, ctx);
  }

  // 3. and 4.
  const wallClockMs = deps.wallClockMs ?? (() => performance.now());
  let progress: ReturnType<typeof createProgress> | undefined;
  let output: RunOutput;
  try {
    output = await runToFolder({
      scenario,
      dir: outDir,
      reports,
      scenarioToPlain: deps.scenarioToPlain ? (s) => deps.scenarioToPlain!(s) : undefined,
      wallClockMs,
      onResolved: (resolvedFile) => {
        say(`owsim ${owsimVersion()}: running ${scenario.name} with seed ${seed}`);
        say(`resolved scenario: ${resolvedFile}`);
        progress = createProgress({
          stream: io.stderr,
          enabled: !quiet && io.stderr.isTTY === true,
          wallClockMs,
          ...(deps.createProgressBar ? { createBar: deps.createProgressBar } : {}),
        });
      },
      // With a user's module, --check also repeats the run and watches the module (src/cli/repeatCheck.ts).
      run: async () => {
        try {
          return await runRepeatable(scenario, args.check === true, () =>
            deps.runScenario(scenario, {
              seed,
              onProgress: progress!.onProgress,
              ...(args.check === true ? { checks: true } : {}),
              ...(scenario.report.activationsCsv ? { activationsCsvPath: join(outDir, ACTIVATIONS_CSV_FILE) } : {}),
            }),
          );
        } finally {
          progress!.stop();
        }
      },
    });
  } catch (err) {
    if (err instanceof InvariantViolation) err.reproduce = `${reproduceCommand(loaded.file, seed, overrides)} --check`;
    throw err;
  }

  // 5.
  say(humanSummary(output.summary));
  if (args.check === true && output.checks !== undefined) say(checksLine(output.checks));
  say(`reports: ${outDir}`);

  const failed = (output.summary.thresholds ?? []).filter((t) => !t.ok);
  if (failed.length === 0) return exitCodes.ok;
  for (const t of failed) {
    const actual = t.actual === null ? 'missing' : formatQuantity(t.actual);
    io.stderr.write(`threshold failed: ${t.metric} ${t.expression} (actual ${actual})\n`);
  }
  io.stderr.write(`reproduce: ${reproduceCommand(loaded.file, seed, overrides)}\n`);
  return exitCodes.failed;
}

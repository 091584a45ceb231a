/**
 * `npm run bench -- --only=overload`: what a melted-down cluster costs to simulate, next to a healthy one of the
 * same size. Both are measured two ways, as whole child processes (a fresh heap each) of 5 simulated minutes
 * without drain, in pairs repeated `pairs` times (healthy first in odd pairs, overload first in even ones); the
 * two figures are the medians over the pairs, since on a shared machine one pair's ratio moves with what else
 * runs during it. The two ways: as
 * the issue defines its figures, an unmodified `owsim run` process that writes every report
 * (`runOwsim`: peak RSS from an exit hook, `peakRssAtExit.ts`; arrivals and mean in flight from its
 * summary.json), and, stricter, a child that runs the simulation alone (`runChild`, `rssChild.ts`). Writing the
 * reports takes about the same time after either run, which lifts the ratio of whole processes; the
 * simulation-alone ratio leaves it out. The scenarios are
 * `scenarios/bench/mid-cluster.yaml` (healthy) and `scenarios/bench/overload.yaml` (the same cluster with 4 GB
 * invokers, which melts down). Reported per run: peak RSS and peak heap, mean activations in flight,
 * activations per wall second of the whole process (spawn to exit) and per CPU second of it; then the two
 * figures the overload issue sets targets for: bytes per activation in flight, (peak RSS overload − peak RSS
 * healthy) ÷ mean in flight of the overload run, and the speed ratio overload ÷ healthy. Last, the overload
 * scenario for one simulated hour (10.8 M arrivals at 3,000/s), both ways: the backlog is bounded by the forced
 * timeouts, so its peak RSS must be too (target < 500 MB).
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { RssChildResult } from './rssChild.js';
import { childrenCpuMs } from './startupBench.js';

/** One whole child process: its peak RSS, arrivals, mean in flight and how long it took. */
export interface OwsimRunFigures {
  name: string;
  rssMb: number;
  activations: number;
  meanInFlight: number;
  /** Spawn to exit of the child process. */
  processMs: number;
  /** User + system CPU of the child process (Linux), or NaN where the platform does not tell. */
  cpuMs: number;
  activationsPerSec: number;
  activationsPerCpuSec: number;
}

/** A simulation-alone child (`rssChild.ts`), which also tells its peak heap and the run's own time. */
export type OverloadRun = OwsimRunFigures & RssChildResult;

/** The two figures from a healthy and an overload run measured the same way. */
export interface OverloadRatios {
  /** (peak RSS overload − peak RSS healthy) ÷ mean activations in flight of the overload run, in bytes. */
  bytesPerInFlight: number;
  /** Activations per wall second, overload ÷ healthy. */
  speedRatio: number;
  cpuSpeedRatio: number;
}

/** One healthy run and the overload run right after it, measured the same way, and their figures. */
export interface OverloadPair<R extends OwsimRunFigures> extends OverloadRatios {
  healthy: R;
  overload: R;
}

export interface OverloadBenchResult {
  /** Whole `owsim run` processes, every report written: the measure (figures: medians over the pairs). */
  owsimRun: { pairs: OverloadPair<OwsimRunFigures>[]; hour: OwsimRunFigures } & OverloadRatios;
  /** The same from the simulation-alone children. */
  pairs: OverloadPair<OverloadRun>[];
  /** The overload scenario for one simulated hour: its peak RSS must stay bounded (the backlog is). */
  hour: OverloadRun;
  bytesPerInFlight: number;
  speedRatio: number;
  cpuSpeedRatio: number;
}

/**
 * `owsim run <file> --set ... --out <temp> -q` as a user runs it (bin/owsim.js, every report), with only an exit
 * hook preloaded that records the peak RSS; the temporary folder is removed afterwards.
 */
export function runOwsim(name: string, root: string, file: string, overrides: string[]): OwsimRunFigures {
  const hook = fileURLToPath(new URL('./peakRssAtExit.js', import.meta.url));
  const folder = mkdtempSync(join(tmpdir(), 'owsim-overload-bench-'));
  try {
    const rssFile = join(folder, 'peak-rss-mb');
    const out = join(folder, 'reports');
    const args = ['--import', hook, `${root}bin/owsim.js`, 'run', file, ...overrides.flatMap((o) => ['--set', o]), '--out', out, '-q'];
    const timing = timedChild(args, { env: { ...process.env, OWSIM_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'inherit'] });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { activations: { arrived: number }; littlesLaw: { meanInFlight: number } };
    const run = { rssMb: Number(readFileSync(rssFile, 'utf8')), activations: summary.activations.arrived, meanInFlight: summary.littlesLaw.meanInFlight };
    return figures(name, run, timing);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function ratios(healthy: OwsimRunFigures, overload: OwsimRunFigures): OverloadRatios {
  return {
    bytesPerInFlight: ((overload.rssMb - healthy.rssMb) * 2 ** 20) / overload.meanInFlight,
    speedRatio: overload.activationsPerSec / healthy.activationsPerSec,
    cpuSpeedRatio: overload.activationsPerCpuSec / healthy.activationsPerCpuSec,
  };
}

export function runChild(name: string, file: string, overrides: string[]): OverloadRun {
  const script = fileURLToPath(new URL('./rssChild.js', import.meta.url));
  const timing = timedChild([script, file, ...overrides], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(timing.stdout) as RssChildResult;
  return { ...r, ...figures(name, r, timing) };
}

interface ChildTiming {
  stdout: string;
  processMs: number;
  cpuMs: number;
}

/** Runs `node <args>` to its exit: its standard output, wall time and CPU time. */
function timedChild(args: string[], options: ExecFileSyncOptions): ChildTiming {
  const cpuBefore = childrenCpuMs() ?? NaN;
  const start = performance.now();
  const stdout = execFileSync(process.execPath, args, options);
  const processMs = performance.now() - start;
  return { stdout: stdout === null ? '' : String(stdout), processMs, cpuMs: (childrenCpuMs() ?? NaN) - cpuBefore };
}

function figures(name: string, run: { rssMb: number; activations: number; meanInFlight: number }, timing: ChildTiming): OwsimRunFigures {
  const { activations } = run;
  return {
    name,
    rssMb: run.rssMb,
    activations,
    meanInFlight: run.meanInFlight,
    processMs: timing.processMs,
    cpuMs: timing.cpuMs,
    activationsPerSec: (activations / timing.processMs) * 1000,
    activationsPerCpuSec: (activations / timing.cpuMs) * 1000,
  };
}

const fiveMinutes = ['duration=5m', 'drain=0s'];
const oneHour = ['duration=1h', 'drain=0s'];

/** @param pairs how often each way's pair of runs is repeated (healthy and overload in alternating order; the figures are the medians) */
export function overloadBench(root: string, pairs = 3): OverloadBenchResult {
  const healthyFile = `${root}scenarios/bench/mid-cluster.yaml`;
  const overloadFile = `${root}scenarios/bench/overload.yaml`;
  const owsimPairs = repeatPairs(pairs, (i) =>
    pair(
      i,
      () => runOwsim(`healthy mid-cluster (pair ${i})`, root, healthyFile, fiveMinutes),
      () => runOwsim(`overload (4 GB invokers, pair ${i})`, root, overloadFile, fiveMinutes),
    ),
  );
  const owsimHour = runOwsim('overload for 1 hour', root, overloadFile, oneHour);
  const alonePairs = repeatPairs(pairs, (i) =>
    pair(
      i,
      () => runChild(`healthy mid-cluster, simulation alone (pair ${i})`, healthyFile, fiveMinutes),
      () => runChild(`overload (4 GB invokers), simulation alone (pair ${i})`, overloadFile, fiveMinutes),
    ),
  );
  const hour = runChild('overload for 1 hour, simulation alone', overloadFile, oneHour);
  return {
    owsimRun: { pairs: owsimPairs, hour: owsimHour, ...medianRatios(owsimPairs) },
    pairs: alonePairs,
    hour,
    ...medianRatios(alonePairs),
  };
}

function repeatPairs<R extends OwsimRunFigures>(count: number, run: (i: number) => OverloadPair<R>): OverloadPair<R>[] {
  return Array.from({ length: Math.max(1, Math.trunc(count) || 1) }, (_, i) => run(i + 1));
}

/** Pair `i`: odd pairs run the healthy scenario first, even ones the overload one, so an order effect cancels. */
function pair<R extends OwsimRunFigures>(i: number, runHealthy: () => R, runOverload: () => R): OverloadPair<R> {
  let healthy: R, overload: R;
  if (i % 2 === 1) {
    healthy = runHealthy();
    overload = runOverload();
  } else {
    overload = runOverload();
    healthy = runHealthy();
  }
  return { healthy, overload, ...ratios(healthy, overload) };
}

/** Each figure's median over the pairs (the middle one; for an even count, the mean of the middle two). */
export function medianRatios(pairs: readonly OverloadRatios[]): OverloadRatios {
  return {
    bytesPerInFlight: median(pairs.map((p) => p.bytesPerInFlight)),
    speedRatio: median(pairs.map((p) => p.speedRatio)),
    cpuSpeedRatio: median(pairs.map((p) => p.cpuSpeedRatio)),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

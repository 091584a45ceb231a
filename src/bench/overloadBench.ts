/**
 * `npm run bench -- --only=overload`: what a melted-down cluster costs to simulate, next to a healthy one of the
 * same size. Both are measured twice, as whole child processes (a fresh heap each) of 5 simulated minutes
 * without drain: as the issue defines its figures, an unmodified `owsim run` process that writes every report
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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { RssChildResult } from './rssChild.js';
import { childrenCpuMs } from './startupBench.js';

export interface OverloadRun extends RssChildResult {
  name: string;
  /** Spawn to exit of the child process. */
  processMs: number;
  /** User + system CPU of the child process (Linux), or NaN where the platform does not tell. */
  cpuMs: number;
  activationsPerSec: number;
  activationsPerCpuSec: number;
}

/** One whole `owsim run` process with every report (what the issue measures). */
export interface OwsimRunFigures {
  name: string;
  rssMb: number;
  activations: number;
  meanInFlight: number;
  processMs: number;
  cpuMs: number;
  activationsPerSec: number;
  activationsPerCpuSec: number;
}

/** The two figures from a healthy and an overload run measured the same way. */
export interface OverloadRatios {
  /** (peak RSS overload − peak RSS healthy) ÷ mean activations in flight of the overload run, in bytes. */
  bytesPerInFlight: number;
  /** Activations per wall second, overload ÷ healthy. */
  speedRatio: number;
  cpuSpeedRatio: number;
}

export interface OverloadBenchResult {
  /** Whole `owsim run` processes, every report written: the measure. */
  owsimRun: { healthy: OwsimRunFigures; overload: OwsimRunFigures; hour: OwsimRunFigures } & OverloadRatios;
  healthy: OverloadRun;
  overload: OverloadRun;
  /** The overload scenario for one simulated hour: its peak RSS must stay bounded (the backlog is). */
  hour: OverloadRun;
  /** The same figures from the simulation-alone children. */
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
    const cpuBefore = childrenCpuMs() ?? NaN;
    const start = performance.now();
    execFileSync(process.execPath, args, { env: { ...process.env, OWSIM_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'inherit'] });
    const processMs = performance.now() - start;
    const cpuMs = (childrenCpuMs() ?? NaN) - cpuBefore;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { activations: { arrived: number }; littlesLaw: { meanInFlight: number } };
    const activations = summary.activations.arrived;
    return {
      name,
      rssMb: Number(readFileSync(rssFile, 'utf8')),
      activations,
      meanInFlight: summary.littlesLaw.meanInFlight,
      processMs,
      cpuMs,
      activationsPerSec: (activations / processMs) * 1000,
      activationsPerCpuSec: (activations / cpuMs) * 1000,
    };
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

export function runChild(name: string, file: string, overrides: string[], nodeArgs: string[] = []): OverloadRun {
  const script = fileURLToPath(new URL('./rssChild.js', import.meta.url));
  const cpuBefore = childrenCpuMs() ?? NaN;
  const start = performance.now();
  const out = execFileSync(process.execPath, [...nodeArgs, script, file, ...overrides], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const processMs = performance.now() - start;
  const cpuMs = (childrenCpuMs() ?? NaN) - cpuBefore;
  const r = JSON.parse(out) as RssChildResult;
  return { name, ...r, processMs, cpuMs, activationsPerSec: (r.activations / processMs) * 1000, activationsPerCpuSec: (r.activations / cpuMs) * 1000 };
}

const fiveMinutes = ['duration=5m', 'drain=0s'];
const oneHour = ['duration=1h', 'drain=0s'];

export function overloadBench(root: string): OverloadBenchResult {
  const healthyFile = `${root}scenarios/bench/mid-cluster.yaml`;
  const overloadFile = `${root}scenarios/bench/overload.yaml`;
  const owsimHealthy = runOwsim('healthy mid-cluster', root, healthyFile, fiveMinutes);
  const owsimOverload = runOwsim('overload (4 GB invokers)', root, overloadFile, fiveMinutes);
  const owsimHour = runOwsim('overload for 1 hour', root, overloadFile, oneHour);
  const healthy = runChild('healthy mid-cluster, simulation alone', healthyFile, fiveMinutes);
  const overload = runChild('overload (4 GB invokers), simulation alone', overloadFile, fiveMinutes);
  const hour = runChild('overload for 1 hour, simulation alone', overloadFile, oneHour);
  return {
    owsimRun: { healthy: owsimHealthy, overload: owsimOverload, hour: owsimHour, ...ratios(owsimHealthy, owsimOverload) },
    healthy,
    overload,
    hour,
    ...ratios(healthy, overload),
  };
}

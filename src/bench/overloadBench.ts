/**
 * `npm run bench -- --only=overload`: what a melted-down cluster costs to simulate, next to a healthy one of the
 * same size. Both runs are whole child processes (a fresh heap each) of 5 simulated minutes without drain:
 * `scenarios/bench/mid-cluster.yaml` (healthy) and `scenarios/bench/overload.yaml` (the same cluster with 4 GB
 * invokers, which melts down). Reported per run: peak RSS and peak heap, mean activations in flight,
 * activations per wall second of the whole process (spawn to exit) and per CPU second of it; then the two
 * figures the overload issue sets targets for: bytes per activation in flight, (peak RSS overload − peak RSS
 * healthy) ÷ mean in flight of the overload run, and the speed ratio overload ÷ healthy. Last, the overload
 * scenario for one simulated hour (10.8 M arrivals at 3,000/s): the backlog is bounded by the forced timeouts,
 * so its peak RSS must be too (target < 500 MB).
 */
import { execFileSync } from 'node:child_process';
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

export interface OverloadBenchResult {
  healthy: OverloadRun;
  overload: OverloadRun;
  /** The overload scenario for one simulated hour: its peak RSS must stay bounded (the backlog is). */
  hour: OverloadRun;
  bytesPerInFlight: number;
  speedRatio: number;
  cpuSpeedRatio: number;
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
  const healthy = runChild('healthy mid-cluster', `${root}scenarios/bench/mid-cluster.yaml`, fiveMinutes);
  const overload = runChild('overload (4 GB invokers)', `${root}scenarios/bench/overload.yaml`, fiveMinutes);
  const hour = runChild('overload for 1 hour', `${root}scenarios/bench/overload.yaml`, oneHour);
  return {
    healthy,
    overload,
    hour,
    bytesPerInFlight: ((overload.rssMb - healthy.rssMb) * 2 ** 20) / overload.meanInFlight,
    speedRatio: overload.activationsPerSec / healthy.activationsPerSec,
    cpuSpeedRatio: overload.activationsPerCpuSec / healthy.activationsPerCpuSec,
  };
}

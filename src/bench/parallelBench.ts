/**
 * The parallel benchmark (issue 8): one sweep of at least 8 points through the real command line, with
 * `--workers 1` and `--workers 2`, timed from process start to the last chart written, so worker start-up,
 * module loading and the main thread's report writing all count. The two outputs must be byte-identical.
 *
 * Runs alternate (1, 2, 1, 2, …) so that load from other processes on the machine falls on both sides. The
 * load average before and after is printed with the figures, because a second worker can only help as much
 * as a second core is free.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileTree } from './fileTree.js';

export interface ParallelBenchResult {
  points: number;
  /** Wall seconds of each run, in run order. */
  seconds: Record<1 | 2, number[]>;
  median: Record<1 | 2, number>;
  speedup: number;
  identical: boolean;
  /** One-minute load average before and after: other processes' demand for the two cores. */
  loadAverage: [number, number];
}

/** `node <args>` in `processes` processes at once; wall seconds until the last exits. */
async function concurrently(processes: number, args: (k: number) => string[]): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: processes }, (_, k) => new Promise<void>((resolve, reject) => {
      spawn(process.execPath, args(k), { stdio: 'ignore' }).once('exit', (c) => (c === 0 ? resolve() : reject(new Error(`node exited ${c}`)))).once('error', reject);
    })),
  );
  return (performance.now() - start) / 1000;
}

/** A pure CPU loop (no allocation, so no GC threads) in `processes` processes at once; wall seconds. */
function spin(processes: number, iterations: number): Promise<number> {
  const code = `let x = 0; for (let i = 0; i < ${iterations}; i++) x = (x + i * 7) % 1000003; if (x < 0) console.log(x);`;
  return concurrently(processes, () => ['-e', code]);
}

/**
 * What two cores give here and now: the throughput of the same CPU loop in 2 processes at once against 1
 * (2 × solo time / pair time; ≈ 2 on an idle 2-core machine). Median of 3. No two-worker sweep can beat it.
 */
export async function parallelCeiling(iterations = 300_000_000): Promise<number> {
  const ratios: number[] = [];
  for (let i = 0; i < 3; i++) {
    const one = await spin(1, iterations);
    const two = await spin(2, iterations);
    ratios.push((2 * one) / two);
  }
  return median(ratios);
}

/**
 * What two cores give this workload: one sweep point (mid-cluster, 2 simulated minutes) as its own process,
 * one alone and then two at once (2 × solo time / pair time). Unlike the CPU loop, this counts what the two
 * processes share — caches, memory bandwidth, GC helper threads — so it bounds what any pool can reach.
 * Median of 3.
 */
export async function workloadCeiling(root: string): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'owsim-bench-ceiling-'));
  const point = (k: number): string[] => [
    join(root, 'bin', 'owsim.js'),
    'run',
    join(root, 'scenarios', 'bench', 'mid-cluster.yaml'),
    '--set',
    'duration=2m',
    '--report',
    'json',
    '--quiet',
    '--out',
    join(scratch, `p${k}`),
  ];
  const ratios: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const one = await concurrently(1, point);
      const two = await concurrently(2, point);
      ratios.push((2 * one) / two);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return median(ratios);
}

function sameTree(a: string, b: string): boolean {
  const ta = fileTree(a);
  const tb = fileTree(b);
  if (ta.size !== tb.size || ta.size === 0) return false;
  for (const [file, bytes] of ta) if (!tb.get(file)?.equals(bytes)) return false;
  return true;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `root`: the package root (bin/owsim.js and a build). The sweep: the mid-cluster bench scenario cut to 2
 * simulated minutes (≈ 360 k activations, about 3 s a point on this machine) over 8 invoker counts.
 */
export function parallelSweepBench(root: string, repeats: number): ParallelBenchResult {
  const invokers = [16, 18, 20, 22, 24, 26, 28, 30];
  const args = [
    join(root, 'bin', 'owsim.js'),
    'sweep',
    join(root, 'scenarios', 'bench', 'mid-cluster.yaml'),
    '--set',
    'duration=2m',
    '--set',
    `sweep.invokers.count=[${invokers.join(',')}]`,
    '--quiet',
  ];
  const scratch = mkdtempSync(join(tmpdir(), 'owsim-bench-parallel-'));
  const loadAverage = loadavg()[0]!;
  const seconds: Record<1 | 2, number[]> = { 1: [], 2: [] };
  let identical = true;
  try {
    for (let i = 0; i < repeats; i++) {
      const outs: string[] = [];
      for (const workers of [1, 2] as const) {
        const out = join(scratch, `w${workers}-${i}`);
        const start = performance.now();
        execFileSync(process.execPath, [...args, '--workers', String(workers), '--out', out], { stdio: 'pipe' });
        seconds[workers].push((performance.now() - start) / 1000);
        outs.push(out);
      }
      identical &&= sameTree(outs[0]!, outs[1]!);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const m = { 1: median(seconds[1]), 2: median(seconds[2]) };
  return { points: invokers.length, seconds, median: m, speedup: m[1] / m[2], identical, loadAverage: [loadAverage, loadavg()[0]!] };
}

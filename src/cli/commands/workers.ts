/**
 * `--workers N` for `sweep` and `run --seeds`: how many worker threads, and which pool worker script to use.
 *
 * Threads run the compiled owsim (dist/). From the compiled CLI the script sits next to the pool; from the
 * TypeScript sources (tests) there is none, so an unasked-for default falls back to this thread rather than
 * to a possibly stale build, while an explicit `--workers` above 1 uses the package's dist/ or says it is missing.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../../errors.js';
import { defaultWorkerUrl, siblingWorkerUrl } from '../../sweep/pool.js';

/** Most worker threads `--workers` accepts. */
export const MAX_WORKERS = 256;

/** The number `--workers` asks for, or undefined when it is not given. */
export function parseWorkers(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new UsageError('--workers given more than once', { path: '--workers', got: raw.join(', ') });
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_WORKERS) {
    throw new UsageError('not a valid number of workers', { path: '--workers', expected: `a whole number from 1 to ${MAX_WORKERS}`, got: text });
  }
  return n;
}

export interface WorkerPlan {
  workers: number;
  /** Set when workers > 1. */
  workerUrl?: URL;
}

/**
 * Threads for `tasks` tasks: the flag's number, else min(tasks, available cores); capped at the task count
 * (an idle thread costs its start-up and nothing else).
 */
export function planWorkers(requested: number | undefined, tasks: number, injected?: URL): WorkerPlan {
  const wanted = Math.max(1, Math.min(requested ?? availableParallelism(), tasks));
  if (wanted <= 1) return { workers: 1 };
  if (injected !== undefined) return { workers: wanted, workerUrl: injected };
  if (requested === undefined) {
    const sibling = siblingWorkerUrl();
    return sibling === undefined ? { workers: 1 } : { workers: wanted, workerUrl: sibling };
  }
  const url = defaultWorkerUrl();
  if (url === undefined) {
    throw new UsageError('worker threads need the compiled owsim (dist/), which is missing', {
      path: '--workers',
      expected: 'run `npm run build` first, or use --workers 1',
    });
  }
  return { workers: wanted, workerUrl: url };
}

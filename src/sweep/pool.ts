/**
 * The worker-thread pool behind sweeps and multi-seed runs: `piscina`, with the few rules owsim needs on top.
 *
 * - Results are placed by task index, so the output order never depends on which worker was faster: the same
 *   tasks give the same results for any number of workers.
 * - Workers never throw across the thread boundary: they reply `{ ok: false, error }` with the error's fields
 *   as plain data (structured clone keeps only name, message and stack of an Error). The first failure aborts
 *   the tasks still queued or running and rejects with the error rebuilt as an OwsimError when it was one, so
 *   the CLI prints it as the user error it is (exit 2).
 * - `onResult` is called once per finished task, in completion order, with the count done so far.
 *
 * The worker script is compiled JavaScript: `sweepWorker.js` next to this module when running from dist/, else
 * the package's dist/sweep/sweepWorker.js (tests run the TypeScript sources; they pass `workerUrl` to a build).
 */
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { OwsimError, type ExitCode } from '../errors.js';
import { packageRoot } from '../scenario/builtin.js';

/** An error as it crosses from a worker: plain data. */
export interface WorkerError {
  name: string;
  message: string;
  code?: string;
  details?: OwsimError['details'];
  exitCode?: ExitCode;
  stack?: string;
}

export type WorkerReply<R> = { ok: true; result: R } | { ok: false; error: WorkerError };

/** The worker's side of the contract: runs `work`, turning any throw into a reply. */
export async function replyFor<R>(work: () => Promise<R> | R): Promise<WorkerReply<R>> {
  try {
    return { ok: true, result: await work() };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    const error: WorkerError = { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
    if (err instanceof OwsimError) Object.assign(error, { code: err.code, details: err.details, exitCode: err.exitCode });
    return { ok: false, error };
  }
}

/** The worker script next to this module (running from dist/), if there is one. */
export function siblingWorkerUrl(): URL | undefined {
  const sibling = new URL('./sweepWorker.js', import.meta.url);
  return existsSync(fileURLToPath(sibling)) ? sibling : undefined;
}

/** Where the compiled worker is, or undefined when there is no build. */
export function defaultWorkerUrl(): URL | undefined {
  const sibling = siblingWorkerUrl();
  if (sibling !== undefined) return sibling;
  const built = join(packageRoot(), 'dist', 'sweep', 'sweepWorker.js');
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

export function rebuildError(error: WorkerError): Error {
  if (error.code !== undefined) {
    const e = new OwsimError(error.code, error.message, error.details ?? {}, error.exitCode);
    e.name = error.name;
    return e;
  }
  const e = new Error(error.message);
  e.name = error.name;
  if (error.stack !== undefined) e.stack = error.stack;
  return e;
}

export interface PoolJob<T> {
  tasks: readonly T[];
  workers: number;
  workerUrl: URL;
  /** The worker module's export that runs one task. */
  handler: string;
  onResult?: (result: unknown, index: number, done: number) => void;
}

/**
 * A pool of `workers` threads, started at once and kept for the whole command (a sweep runs its points and
 * then draws its charts on the same threads, without paying thread start-up and module loading twice).
 */
export class TaskPool {
  readonly workers: number;
  private readonly piscina: Piscina;

  constructor(workers: number, workerUrl: URL) {
    this.workers = Math.max(1, workers);
    // min = max: every thread starts now and lives until close() (no idle retirement); the default queue is
    // unbounded, so every task can be handed over up front.
    this.piscina = new Piscina({ filename: workerUrl.href, minThreads: this.workers, maxThreads: this.workers });
  }

  /** Runs every task with the worker export `handler`; result i belongs to task i. */
  async map<T, R>(tasks: readonly T[], handler: string, onResult?: (result: R, index: number, done: number) => void): Promise<R[]> {
    const results: R[] = new Array(tasks.length);
    const abort = new AbortController();
    // Every queued task listens on the one signal; a sweep of hundreds is not a leak.
    setMaxListeners(0, abort.signal);
    let done = 0;
    let failure: Error | undefined;
    const fail = (err: Error): never => {
      failure ??= err;
      abort.abort();
      throw failure;
    };
    try {
      await Promise.all(
        tasks.map(async (task, index) => {
          let reply: WorkerReply<R>;
          try {
            reply = (await this.piscina.run(task, { name: handler, signal: abort.signal })) as WorkerReply<R>;
          } catch (err) {
            // An abort caused by an earlier failure is not news; anything else (a crashed thread) is.
            return fail(err instanceof Error ? err : new Error(String(err)));
          }
          if (!reply.ok) return fail(rebuildError(reply.error));
          if (failure !== undefined) return;
          results[index] = reply.result;
          done++;
          onResult?.(reply.result, index, done);
        }),
      );
    } catch {
      // Promise.all rejects with whichever task lost; report the first failure seen.
    }
    if (failure !== undefined) throw failure;
    return results;
  }

  close(): Promise<void> {
    return this.piscina.destroy();
  }
}

/** Runs every task in a pool of its own (at most one thread per task); result i belongs to task i. */
export async function runInPool<T, R>(job: PoolJob<T>): Promise<R[]> {
  if (job.tasks.length === 0) return [];
  const pool = new TaskPool(Math.min(job.workers, job.tasks.length), job.workerUrl);
  try {
    return await pool.map<T, R>(job.tasks, job.handler, job.onResult);
  } finally {
    await pool.close();
  }
}

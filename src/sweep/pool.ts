/**
 * A small worker-thread pool for sweeps (node:worker_threads; a hand pool rather than piscina: the jobs are
 * few, long and uniform, so a queue and N workers are all it takes, with no new dependency).
 *
 * Each worker takes the next task when it finishes one; results are stored by task index, so the output order
 * never depends on which worker was faster: the same tasks give the same results for any number of workers.
 * The first failure stops handing out tasks and rejects with the task's error rebuilt as an OwsimError when it
 * was one (so the CLI prints it as a user error).
 *
 * The worker script is compiled JavaScript: `sweepWorker.js` next to this module when running from dist/, else
 * the package's dist/sweep/sweepWorker.js (tests run the TypeScript sources; they pass `workerUrl` to a build).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { OwsimError } from '../errors.js';
import { packageRoot } from '../scenario/builtin.js';
import type { SweepTask } from './grid.js';
import type { SweepResult } from './runTask.js';
import type { WorkerError } from './sweepWorker.js';

/** Where the compiled worker is, or undefined when there is no build. */
export function defaultWorkerUrl(): URL | undefined {
  const sibling = new URL('./sweepWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  const built = join(packageRoot(), 'dist', 'sweep', 'sweepWorker.js');
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

function rebuild(error: WorkerError): Error {
  if (error.code !== undefined) {
    const e = new OwsimError(error.code, error.message, error.details ?? {});
    e.name = error.name;
    return e;
  }
  const e = new Error(error.message);
  e.name = error.name;
  if (error.stack !== undefined) e.stack = error.stack;
  return e;
}

type Reply = { ok: true; result: SweepResult } | { ok: false; error: WorkerError; task: number };

export async function runInWorkers(
  tasks: readonly SweepTask[],
  workers: number,
  workerUrl: URL,
  onResult?: (result: SweepResult, done: number) => void,
): Promise<SweepResult[]> {
  const results: SweepResult[] = new Array(tasks.length);
  if (tasks.length === 0) return results;
  const count = Math.max(1, Math.min(workers, tasks.length));
  let next = 0;
  let done = 0;
  let failed = false;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const feed = (worker: Worker): void => {
        if (failed) return;
        if (next >= tasks.length) return;
        worker.postMessage(tasks[next++]);
      };
      for (let i = 0; i < count; i++) {
        const worker = new Worker(workerUrl);
        pool.push(worker);
        worker.on('message', (reply: Reply) => {
          if (!reply.ok) return fail(rebuild(reply.error));
          results[reply.result.index] = reply.result;
          done++;
          onResult?.(reply.result, done);
          if (done === tasks.length) resolve();
          else feed(worker);
        });
        worker.on('error', (err) => fail(err));
        worker.on('exit', (code) => {
          if (code !== 0 && done < tasks.length) fail(new Error(`sweep worker exited with code ${code}`));
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

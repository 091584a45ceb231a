/**
 * A sweep worker thread (pool.ts): receives `SweepTask`s, runs each with the real library, posts back
 * `{ ok: true, result }` or `{ ok: false, error }` (an OwsimError's fields survive the thread boundary as plain
 * data). Loaded from the compiled dist/ (node cannot run the TypeScript sources).
 */
import { parentPort } from 'node:worker_threads';
import { OwsimError } from '../errors.js';
import { runScenario } from '../runScenario.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { SweepTask } from './grid.js';
import { runSweepTask } from './runTask.js';

export interface WorkerError {
  name: string;
  message: string;
  code?: string;
  details?: OwsimError['details'];
  stack?: string;
}

const port = parentPort;
if (port !== null) {
  port.on('message', (task: SweepTask) => {
    runSweepTask(task, { loadScenarioFile, runScenario }).then(
      (result) => port.postMessage({ ok: true, result }),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        const error: WorkerError = { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
        if (err instanceof OwsimError) Object.assign(error, { code: err.code, details: err.details });
        port.postMessage({ ok: false, error, task: task.index });
      },
    );
  });
}

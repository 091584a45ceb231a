/** In-process CLI harness: string-collecting writers and a fake library injected through `deps`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fileTree } from '../../src/bench/fileTree.js';
import { main, type CliDeps } from '../../src/cli/main.js';
import type { RunScenarioOptions } from '../../src/cli/deps.js';
import { ScenarioError } from '../../src/errors.js';
import type { RunOutput, Summary } from '../../src/report/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import { fakeRunOutput, fakeScenario } from '../report/fixtures.js';

export class Collector {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export interface FakeCalls {
  loaded: { path: string; overrides: string[] | undefined }[];
  builtin: (string | undefined)[];
  runs: { scenario: Scenario; options: RunScenarioOptions | undefined }[];
}

export interface FakeOptions {
  summary?: Partial<Summary>;
  runScenario?: CliDeps['runScenario'];
  badFiles?: string[];
}

export function fakeDeps(opts: FakeOptions = {}): { deps: CliDeps; calls: FakeCalls } {
  const calls: FakeCalls = { loaded: [], builtin: [], runs: [] };
  const deps: CliDeps = {
    loadScenarioFile(path, overrides) {
      calls.loaded.push({ path, overrides });
      if (opts.badFiles?.includes(path)) {
        throw new ScenarioError('must be a positive integer', { file: path, path: 'invokers.count', expected: 'an integer ≥ 1', got: '0' });
      }
      return fakeScenario({ name: `from-${path.replace(/[^a-z]/g, '')}`, source: path });
    },
    loadBuiltinScenario(name) {
      calls.builtin.push(name);
      return fakeScenario({ name: 'quickstart', source: 'builtin:quickstart' });
    },
    listShippedScenarios() {
      return [
        { name: 'quickstart', file: 'scenarios/quickstart.yaml', description: 'A small cluster under steady load.\nMore text.' },
        { name: 'overflow-burst', file: 'scenarios/overflow-burst.yaml', description: '\nA burst that drives the overflow path.' },
      ];
    },
    runScenario:
      opts.runScenario ??
      ((scenario, options): RunOutput => {
        calls.runs.push({ scenario, options });
        options?.onProgress?.({ simulatedMs: 0, totalMs: scenario.durationMs, events: 0 });
        const output = fakeRunOutput(options?.seed ?? scenario.seed, opts.summary);
        return { ...output, summary: { ...output.summary, scenario: scenario.name } };
      }),
    wallClockMs: () => 0,
  };
  return { deps, calls };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], deps: Partial<CliDeps>): Promise<CliResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(argv, { stdout, stderr }, deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary folder whose name carries `tag`. */
export function scratchDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `owsim-${tag}-`));
}

/** Every file under `dir`, but run-info.json, which records wall time by design. */
export function reportTree(dir: string): Map<string, Buffer> {
  return fileTree(dir, (name) => name === 'run-info.json');
}

/** `b` holds the same files as `a`, byte for byte (run-info.json aside). */
export function expectSameTree(a: string, b: string): void {
  const ta = reportTree(a);
  const tb = reportTree(b);
  expect([...tb.keys()]).toEqual([...ta.keys()]);
  for (const [file, bytes] of ta) expect(tb.get(file)!.equals(bytes), file).toBe(true);
}

/**
 * The README's quick start, run as written: its ```sh blocks, top to bottom, in an empty temporary folder, with
 * `npx owsim` standing for this checkout's owsim (the shared test build, test/cli/poolBuild.ts). A line that fails stops
 * the run (bash -e), so the quick start cannot drift from what owsim accepts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledOwsim } from './cli/poolBuild.js';

const root = process.cwd();

/** The shell blocks of the README's "Quick start" section, in order. */
export function quickStartScript(readme: string): string {
  const start = readme.indexOf('## Quick start');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 5);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
}

describe('README quick start', () => {
  it('runs top to bottom as written in an empty folder', async () => {
    const script = quickStartScript(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(script).toContain('npx owsim run');
    const build = await compiledOwsim();
    const cache = join(root, '.vitest-cache');
    // The scratch build finds the shipped scenarios from its package root, .vitest-cache.
    if (!existsSync(join(cache, 'scenarios'))) symlinkSync(join(root, 'scenarios'), join(cache, 'scenarios'));
    const bin = join(cache, 'readme-owsim.mjs');
    writeFileSync(
      bin,
      `import { main } from ${JSON.stringify(join(build, 'cli', 'main.js'))};\nprocess.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'owsim-readme-'));
    const prelude = `set -euo pipefail\nnpx() { [ "$1" = owsim ] || exit 97; shift; node ${JSON.stringify(bin)} "$@"; }\n`;
    let output = '';
    try {
      // Asynchronously, so the vitest worker stays responsive during the minute or two this takes.
      output = (await promisify(execFile)('bash', ['-c', prelude + script], { cwd: dir, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 })).stdout;
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      throw new Error(`the quick start failed (exit ${e.code}):\n${e.stdout.slice(-2000)}\n${e.stderr.slice(-2000)}`);
    }
    expect(output).toContain('owsim sweep: capacity-planning');
    for (const f of ['reports/overflow-burst/index.html', 'reports/try8/summary.json', 'reports/base/summary.json', 'reports/capacity/sweep.csv', 'reports/capacity-planning-sweep/index.html']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
  }, 600_000);
});

/**
 * `owsim init balancer NAME`: the skeleton type-checks against owsim's types, its scenario runs, and the test
 * it writes passes under `node --test` against a build of owsim.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';
import { compiledOwsim, typeCheckAgainstCompiledOwsim } from './poolBuild.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';

const root = join(import.meta.dirname, '..', '..');
// Asynchronous, so the long tsc and node runs do not block the test worker's heartbeat.
const run = promisify(execFile);

/** A scratch folder inside the package, so `zod` and the other dependencies resolve from it. */
function scratch(): string {
  mkdirSync(join(root, '.vitest-cache'), { recursive: true });
  return mkdtempSync(join(root, '.vitest-cache', 'init-'));
}

describe('owsim init balancer NAME', () => {
  it('writes a typed skeleton, a scenario and a test; refuses to overwrite them or a bad name', async () => {
    const dir = scratch();
    const r = await runCli(['init', 'balancer', 'my-policy', '--dir', dir], {});
    expect(r.code, r.stderr).toBe(0);
    for (const file of ['my-policy.ts', 'my-policy.scenario.yaml', 'my-policy.test.mjs']) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(r.stdout).toContain('next: owsim run my-policy.scenario.yaml --check');
    const again = await runCli(['init', 'balancer', 'my-policy', '--dir', dir], {});
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');
    const bad = await runCli(['init', 'balancer', '../evil', '--dir', dir], {});
    expect(bad.code).toBe(2);
    const kind = await runCli(['init', 'scheduler', 'x', '--dir', dir], {});
    expect(kind.code).toBe(2);
  });

  it('the skeleton type-checks, its scenario runs under --check rules, and its own test passes with node --test', async () => {
    const dir = scratch();
    expect((await runCli(['init', 'balancer', 'least', '--dir', dir], {})).code).toBe(0);

    // Type-check the skeleton against owsim's own types.
    await typeCheckAgainstCompiledOwsim(dir, 'least.ts');

    // The scenario it writes runs the policy, in process.
    const { summary } = runScenario(loadScenarioFile(join(dir, 'least.scenario.yaml')), { checks: true });
    const a = summary.activations;
    expect(a.rejected).toBe(0);
    expect(a.completed + a.timedOut + a.lost + a.inFlight).toBe(a.arrived);
    expect(summary.invokers.invoker0!.activations).toBeGreaterThan(0);

    // Its own test, in a project of its own (the scratch folder's package.json is owsim's), with a build of
    // owsim installed as its `owsim` dependency.
    const build = await compiledOwsim();
    const app = join(dir, 'app');
    mkdirSync(join(app, 'node_modules', 'owsim'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-policies', private: true, type: 'module' }));
    writeFileSync(join(app, 'node_modules', 'owsim', 'package.json'), JSON.stringify({ name: 'owsim', type: 'module', exports: './index.js' }));
    writeFileSync(join(app, 'node_modules', 'owsim', 'index.js'), `export * from ${JSON.stringify(join(build, 'index.js'))};\n`);
    for (const file of ['least.ts', 'least.scenario.yaml', 'least.test.mjs']) copyFileSync(join(dir, file), join(app, file));
    const { stdout: out } = await run(process.execPath, ['--test', 'least.test.mjs'], { cwd: app });
    expect(out).toMatch(/# pass 2/);
    expect(readFileSync(join(dir, 'least.ts'), 'utf8')).toContain("name: 'least'");
  }, 240_000);
});

/**
 * `owsim init container-policy NAME`: the skeleton is written, loads as a container policy (TypeScript, no
 * build step), behaves as OpenWhisk's own pool, and its generated test passes under node's own runner
 * against a compiled owsim.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/defaultDeps.js';
import { runScenario } from '../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { runCli } from './helpers.js';
import { compiledOwsim, typeCheckAgainstCompiledOwsim } from './poolBuild.js';

const run = promisify(execFile);

const root = join(import.meta.dirname, '..', '..');

describe('owsim init container-policy', () => {
  // Inside the package, so `zod` and owsim's types resolve from the skeleton.
  mkdirSync(join(root, '.vitest-cache'), { recursive: true });
  const dir = mkdtempSync(join(root, '.vitest-cache', 'init-container-policy-'));

  it('writes a typed module, a scenario and a test, and refuses to overwrite them', async () => {
    const r = await runCli(['init', 'container-policy', 'my-keepalive', '--dir', dir], defaultDeps);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['my-keepalive.ts', 'my-keepalive.scenario.yaml', 'my-keepalive.test.mjs']) {
      expect(existsSync(join(dir, f))).toBe(true);
      expect(r.stdout).toContain(f);
    }
    expect(readFileSync(join(dir, 'my-keepalive.ts'), 'utf8')).toContain("import type { ContainerPolicyModule } from 'owsim';");
    const again = await runCli(['init', 'container-policy', 'my-keepalive', '--dir', dir], defaultDeps);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('refusing to overwrite');
    expect((await runCli(['init', 'container-policy', 'My Policy', '--dir', dir], defaultDeps)).code).toBe(2);
    expect((await runCli(['init', 'scheduler', 'x', '--dir', dir], defaultDeps)).code).toBe(2);
  });

  it('as generated, the policy is OpenWhisk own pool: the same summary as without it', () => {
    const file = join(dir, 'my-keepalive.scenario.yaml');
    const text = readFileSync(file, 'utf8');
    const withPolicy = renderSummaryJson(runScenario(loadScenarioFile(file)).summary);
    const without = renderSummaryJson(runScenario(parseScenarioText(text.replace(/^ {2}containerPolicy:\n(?: {4}.*\n)+/m, ''), file)).summary);
    expect(without).toBe(withPolicy);
    const longer = runScenario(loadScenarioFile(file, ['invokers.containerPolicy.options.keepAliveMinutes=30'])).summary;
    expect(longer.coldStarts.count).toBeLessThan(JSON.parse(withPolicy).coldStarts.count);
  });

  it('the skeleton type-checks against owsim own types', async () => {
    await typeCheckAgainstCompiledOwsim(dir, 'my-keepalive.ts');
  }, 240_000);

  it('its generated test passes under node --test against a compiled owsim', async () => {
    const build = await compiledOwsim();
    expect(existsSync(join(build, 'index.js'))).toBe(true);
    // A project of its own (the scratch folder sits inside owsim's package) with the build as its `owsim`.
    const app = join(dir, 'app');
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-policies', private: true, type: 'module' }));
    for (const f of ['my-keepalive.ts', 'my-keepalive.scenario.yaml', 'my-keepalive.test.mjs']) copyFileSync(join(dir, f), join(app, f));
    const owsim = join(app, 'node_modules', 'owsim');
    mkdirSync(owsim, { recursive: true });
    writeFileSync(join(owsim, 'package.json'), JSON.stringify({ name: 'owsim', type: 'module', exports: './index.js' }));
    writeFileSync(join(owsim, 'index.js'), `export * from ${JSON.stringify(join(build, 'index.js'))};\n`);
    const { stdout: out } = await run(process.execPath, ['--test', 'my-keepalive.test.mjs'], { cwd: app, encoding: 'utf8' });
    expect(out).toMatch(/# pass 2/);
    expect(out).toMatch(/# fail 0/);
  }, 240_000);
});

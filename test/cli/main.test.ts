import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reproduceCommand, safeFolderName } from '../../src/cli/seeds.js';
import { exitCodes } from '../../src/errors.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { AssertionError } from '../../src/sim/assert.js';
import { main } from '../../src/cli/main.js';
import { fakeRunOutput, fakeSummary } from '../report/fixtures.js';
import { Collector, fakeDeps, runCli } from './helpers.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'owsim-cli-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const noStack = /\n\s+at /;

describe('owsim (no command, help, version, bad flags)', () => {
  it('prints the version from package.json', async () => {
    const r = await runCli(['--version'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('prints help listing the commands', async () => {
    const r = await runCli(['--help'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toContain('owsim run [scenario]');
    expect(r.stdout).toContain('owsim validate <file>');
    expect(r.stdout).toContain('owsim list');
  });

  it('prints the run help with its flags', async () => {
    const r = await runCli(['run', '--help'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    for (const flag of ['--seed', '--out', '--set', '--report', '--quiet', '--debug']) expect(r.stdout).toContain(flag);
  });

  it('exits 2 with the parser message and no stack for an unknown flag', async () => {
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', '--bogus'], deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('error: Unknown argument: bogus');
    expect(r.stderr).not.toMatch(noStack);
    expect(calls.runs).toHaveLength(0);
  });

  it('exits 2 for an unknown command', async () => {
    const r = await runCli(['frobnicate'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(noStack);
  });

  it('exits 2 when no command is given', async () => {
    const r = await runCli([], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('no command given');
  });

  it('exits 2 when a flag that needs a value has none', async () => {
    const r = await runCli(['run', '--seed'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).not.toMatch(noStack);
  });
});

describe('owsim run', () => {
  it('runs the built-in quick start by default and writes every report', async () => {
    const out = tempDir();
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', '--out', out], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(calls.builtin).toEqual(['quickstart']);
    expect(calls.runs).toHaveLength(1);
    expect(readdirSync(out).sort()).toEqual(
      ['charts', 'index.html', 'run-info.json', 'scenario.resolved.json', 'summary.json', 'summary.md', 'timeseries.csv'].sort(),
    );
    expect(r.stdout).toContain('running quickstart with seed 42');
    expect(r.stdout).toContain(`resolved scenario: ${join(out, 'scenario.resolved.json')}`);
    expect(r.stdout).toContain('arrived 1,000, completed 980, timed out 5, rejected 7, lost 1, in flight 7');
    expect(r.stdout).toContain('latency p50 10.3 ms, p99 40.9 ms; cold starts 1.2%');
    expect(r.stdout).toContain(`reports: ${out}`);
    expect(r.stderr).toBe('');
  });

  it('passes --seed to the run and records it in the resolved scenario', async () => {
    const out = tempDir();
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', 'x.yaml', '--seed', '1234', '--out', out], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(calls.runs[0]!.options?.seed).toBe(1234);
    expect(calls.runs[0]!.scenario.seed).toBe(1234);
    expect(JSON.parse(readFileSync(join(out, 'scenario.resolved.json'), 'utf8')).seed).toBe(1234);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).seed).toBe(1234);
    expect(r.stdout).toContain('with seed 1234');
  });

  it('passes repeated --set overrides to the loader in order', async () => {
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', '--set', 'invokers.count=20', 'x.yaml', '--set', 'seed=3', '--out', tempDir()], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(calls.loaded).toEqual([{ path: 'x.yaml', overrides: ['invokers.count=20', 'seed=3'] }]);
  });

  it('loads a shipped scenario by name', async () => {
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', 'overflow-burst', '--out', tempDir()], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(calls.loaded[0]!.path).toBe('scenarios/overflow-burst.yaml');
  });

  it('writes only the reports named by --report (comma-separated or repeated)', async () => {
    const out = tempDir();
    const r = await runCli(['run', '--report', 'json,md', '--out', out, '--quiet'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(readdirSync(out).sort()).toEqual(['run-info.json', 'scenario.resolved.json', 'summary.json', 'summary.md']);
    const out2 = tempDir();
    await runCli(['run', '--report', 'csv', '--report', 'csv', '--out', out2], fakeDeps().deps);
    expect(readdirSync(out2).sort()).toEqual(['run-info.json', 'scenario.resolved.json', 'timeseries.csv']);
  });

  it('rejects an unknown --report name with exit 2 before running', async () => {
    const { deps, calls } = fakeDeps();
    const r = await runCli(['run', '--report', 'json,pdf', '--out', tempDir()], deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('error: --report: unknown report');
    expect(r.stderr).toContain('expected: one of json, csv, md');
    expect(r.stderr).toContain('got: pdf');
    expect(calls.runs).toHaveLength(0);
  });

  it.each([['abc'], ['-1'], ['1.5'], ['99999999999']])('rejects --seed %s with exit 2', async (seed) => {
    const r = await runCli(['run', `--seed=${seed}`, '--out', tempDir()], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('error: --seed: not a valid seed');
  });

  it('rejects a --set without "=" with exit 2', async () => {
    const r = await runCli(['run', '--set', 'invokers.count', '--out', tempDir()], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('expected: path=value');
  });

  it('prints nothing on stdout with --quiet but still writes reports', async () => {
    const out = tempDir();
    const r = await runCli(['run', '--quiet', '--out', out], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toBe('');
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });

  it('writes byte-identical summary.json, summary.md and timeseries.csv for identical runs', async () => {
    const a = tempDir();
    const b = tempDir();
    await runCli(['run', 'x.yaml', '--seed', '9', '--out', a], fakeDeps().deps);
    await runCli(['run', 'x.yaml', '--seed', '9', '--out', b], fakeDeps().deps);
    for (const f of ['summary.json', 'summary.md', 'timeseries.csv', 'scenario.resolved.json']) {
      expect(readFileSync(join(b, f))).toEqual(readFileSync(join(a, f)));
    }
    expect(readFileSync(join(a, 'summary.json'), 'utf8')).toBe(renderSummaryJson({ ...fakeSummary(9), scenario: 'from-xyaml' }));
  });

  it('writes run-info.json with versions and wall time', async () => {
    const out = tempDir();
    await runCli(['run', '--out', out], fakeDeps().deps);
    const info = JSON.parse(readFileSync(join(out, 'run-info.json'), 'utf8'));
    expect(info.owsimVersion).toBe(pkg.version);
    expect(info.node).toBe(process.version);
    expect(typeof info.wallMs).toBe('number');
    expect(Number.isNaN(Date.parse(info.startedAt))).toBe(false);
  });

  it('exits 2 without a stack when the scenario is bad, naming file and field', async () => {
    const { deps, calls } = fakeDeps({ badFiles: ['bad.yaml'] });
    const r = await runCli(['run', 'bad.yaml', '--out', tempDir()], deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('error: bad.yaml: invokers.count: must be a positive integer');
    expect(r.stderr).toContain('expected: an integer ≥ 1');
    expect(r.stderr).not.toMatch(noStack);
    expect(calls.runs).toHaveLength(0);
  });

  it('exits 3 on an internal error, printing the stack only with --debug', async () => {
    const boom = (): never => {
      throw new AssertionError('in-flight count went negative');
    };
    const quiet = await runCli(['run', '--out', tempDir()], fakeDeps({ runScenario: boom }).deps);
    expect(quiet.code).toBe(exitCodes.internal);
    expect(quiet.stderr).toContain('internal error: AssertionError: in-flight count went negative');
    expect(quiet.stderr).toContain('Please report it');
    expect(quiet.stderr).not.toMatch(noStack);

    const debug = await runCli(['run', '--debug', '--out', tempDir()], fakeDeps({ runScenario: boom }).deps);
    expect(debug.code).toBe(exitCodes.internal);
    expect(debug.stderr).toMatch(noStack);
  });

  it('exits 1 after writing reports when a threshold fails, and prints the reproduce line', async () => {
    const out = tempDir();
    const { deps } = fakeDeps({
      summary: {
        thresholds: [
          { metric: 'latencyMs.p99', expression: '< 1500', actual: 40.875, ok: true },
          { metric: 'activations.lost', expression: '== 0', actual: 1, ok: false },
        ],
      },
    });
    const r = await runCli(['run', 'x.yaml', '--seed', '7', '--set', 'invokers.count=2', '--out', out], deps);
    expect(r.code).toBe(exitCodes.failed);
    expect(existsSync(join(out, 'summary.md'))).toBe(true);
    expect(r.stderr).toContain('threshold failed: activations.lost == 0 (actual 1.00)');
    expect(r.stderr).not.toContain('latencyMs.p99');
    expect(r.stderr).toContain('reproduce: owsim run x.yaml --seed 7 --set invokers.count=2');
  });

  it('draws progress only on a terminal and never with --quiet', async () => {
    let bars = 0;
    const clock = { t: 0 };
    const { deps } = fakeDeps({
      runScenario: (scenario, options) => {
        for (let i = 0; i <= 10; i++) {
          clock.t = i * 500;
          options?.onProgress?.({ simulatedMs: i * 6000, totalMs: 60_000, events: i * 1000 });
        }
        return fakeRunOutput(scenario.seed);
      },
    });
    deps.wallClockMs = () => clock.t;
    deps.createProgressBar = () => {
      bars++;
      return { start() {}, update() {}, stop() {} };
    };
    const tty = new Collector();
    tty.isTTY = true;
    await main(['run', '--out', tempDir()], { stdout: new Collector(), stderr: tty }, deps);
    expect(bars).toBe(1);
    await main(['run', '--quiet', '--out', tempDir()], { stdout: new Collector(), stderr: tty }, deps);
    await main(['run', '--out', tempDir()], { stdout: new Collector(), stderr: new Collector() }, deps);
    expect(bars).toBe(1);
  });
});

describe('owsim validate', () => {
  it('prints a digest and exits 0 for a good file', async () => {
    const { deps, calls } = fakeDeps();
    const r = await runCli(['validate', 'good.yaml', '--set', 'invokers.count=3'], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toMatch(
      /^ok: from-goodyaml \(1 action, 3 invokers, 2 controllers, sharding balancer, 60\.0 s simulated, seed 42\)\nestimate: .* kernel events, .* of wall time .*\n$/,
    );
    expect(calls.loaded).toEqual([{ path: 'good.yaml', overrides: ['invokers.count=3'] }]);
  });

  it('prints the error and exits 2 for a bad file', async () => {
    const r = await runCli(['validate', 'bad.yaml'], fakeDeps({ badFiles: ['bad.yaml'] }).deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: bad\.yaml: invokers\.count: /);
  });

  it('needs a file argument', async () => {
    const r = await runCli(['validate'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.badInput);
  });
});

describe('owsim list', () => {
  it('lists shipped scenarios aligned, with the first line of each description', async () => {
    const r = await runCli(['list'], fakeDeps().deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toBe(
      ['quickstart      A small cluster under steady load.', 'overflow-burst  A burst that drives the overflow path.', ''].join('\n'),
    );
  });
});

describe('run helpers', () => {
  it('quotes reproduce-line words only when the shell needs it', () => {
    expect(reproduceCommand(undefined, 5, [])).toBe('owsim run --seed 5');
    expect(reproduceCommand('my scenarios/x.yaml', 5, ["name=it's"])).toBe(
      "owsim run 'my scenarios/x.yaml' --seed 5 --set 'name=it'\\''s'",
    );
  });

  it('makes a folder name from any scenario name', () => {
    expect(safeFolderName('overflow burst/2017')).toBe('overflow-burst-2017');
    expect(safeFolderName('../..')).toBe('scenario');
  });
});

/**
 * examples/ci: the GitHub Actions workflow runs examples/ci/owsim-regression.sh; this test runs the same
 * script locally, through the CLI entry point of a compiled owsim, writing into a temp folder: the gate fails
 * on a deliberately worse container policy (no keep-alive) and passes on one equal to OpenWhisk's own.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compiledOwsim } from '../cli/poolBuild.js';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');
const ciDir = join(repo, 'examples', 'ci');
const tmp = mkdtempSync(join(tmpdir(), 'owsim-ci-'));
let owsimEntry = '';

/** The regression script as the workflow runs it, with a local owsim; returns its exit code and outputs. */
async function regress(candidate: string, name: string) {
  const out = join(tmp, name);
  const stepSummary = join(tmp, `${name}-step-summary.md`);
  writeFileSync(stepSummary, '');
  const env = {
    ...process.env,
    OWSIM: `node ${owsimEntry}`,
    SCENARIOS: 'scenarios/quickstart.yaml',
    SEEDS: '2',
    CANDIDATE_FIELD: 'invokers.containerPolicy',
    CANDIDATE_MODULE: candidate,
    OUT: out,
    GITHUB_STEP_SUMMARY: stepSummary,
  };
  let code = 0;
  let stdout = '';
  try {
    ({ stdout } = await run('bash', [join(ciDir, 'owsim-regression.sh')], { cwd: repo, env, encoding: 'utf8' }));
  } catch (e) {
    const failure = e as { code?: number; stdout?: string; stderr?: string };
    code = failure.code ?? -1;
    stdout = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
  }
  return { code, stdout, out, summary: readFileSync(join(out, 'summary.md'), 'utf8'), stepSummary: readFileSync(stepSummary, 'utf8') };
}

beforeAll(async () => {
  // A compiled owsim and an entry point like bin/owsim.js (worker threads for --seeds need compiled code).
  const build = await compiledOwsim();
  expect(existsSync(join(build, 'cli', 'main.js'))).toBe(true);
  owsimEntry = join(tmp, 'owsim.mjs');
  writeFileSync(
    owsimEntry,
    `import { main } from ${JSON.stringify(join(build, 'cli', 'main.js'))};\nprocess.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });\n`,
  );
}, 300_000);

describe('examples/ci', () => {
  it('the workflow runs the regression script on pull requests with the candidate module and several seeds', () => {
    const workflow = parse(readFileSync(join(ciDir, 'owsim-regression.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: { regression: { env: Record<string, string>; steps: { run?: string }[] } };
    };
    expect(Object.keys(workflow.on)).toContain('pull_request');
    const job = workflow.jobs.regression;
    expect(Number(job.env['SEEDS'])).toBeGreaterThan(1);
    expect(existsSync(join(repo, job.env['CANDIDATE_MODULE']!))).toBe(true);
    for (const s of job.env['SCENARIOS']!.split(/\s+/)) expect(existsSync(join(repo, s))).toBe(true);
    expect(job.steps.map((s) => s.run ?? '')).toContain('bash examples/ci/owsim-regression.sh');
    expect(readFileSync(join(ciDir, 'owsim-regression.sh'), 'utf8')).toContain('GITHUB_STEP_SUMMARY');
  });

  it('the gate fails on a deliberately worse policy and writes the job summary', async () => {
    const r = await regress('test/fixtures/container-policies/no-keepalive.mjs', 'worse');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('quickstart: FAILED');
    expect(r.summary).toContain('## quickstart: FAILED');
    expect(r.summary).toMatch(/\| coldStarts\.ratio>\+10% +\| +\+∞ \| FAILED \|/);
    expect(r.summary).toMatch(/\| latencyMs\.p99>\+10% +\| +\+[\d.]+% \| FAILED \|/);
    expect(r.stepSummary).toBe(r.summary);
    // Common random numbers: both sides saw the same arrivals.
    const base = JSON.parse(readFileSync(join(r.out, 'quickstart', 'base', 'summary.json'), 'utf8'));
    const cand = JSON.parse(readFileSync(join(r.out, 'quickstart', 'candidate', 'summary.json'), 'utf8'));
    expect(cand.activations.arrived).toBe(base.activations.arrived);
    expect(cand.seeds.seeds).toEqual([1, 2]);
  }, 300_000);

  it('the gate passes on a policy equal to OpenWhisk own', async () => {
    const r = await regress('examples/container-policies/noop.mjs', 'equal');
    expect(r.code, r.stdout).toBe(0);
    expect(r.summary).toContain('## quickstart: passed');
    expect(r.summary).toContain('0 improved, 0 regressed');
  }, 300_000);
});

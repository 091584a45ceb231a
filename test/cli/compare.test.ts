import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodes } from '../../src/errors.js';
import type { Summary } from '../../src/report/types.js';
import { fakeSummary } from '../report/fixtures.js';
import { fakeDeps, runCli } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Two run folders holding summary.json files. */
function runs(base: Summary, candidate: Summary): { base: string; candidate: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'owsim-cli-compare-'));
  dirs.push(root);
  for (const [name, s] of [['base', base], ['candidate', candidate]] as const) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'summary.json'), `${JSON.stringify(s, null, 2)}\n`);
  }
  return { base: join(root, 'base'), candidate: join(root, 'candidate'), root };
}

function regressed(): Summary {
  const s = fakeSummary();
  return { ...s, latencyMs: { ...s.latencyMs, p99: s.latencyMs.p99 * 1.5 }, activations: { ...s.activations, lost: 4 } };
}

describe('owsim compare', () => {
  const { deps } = fakeDeps();

  it('exits 0 and prints an all-unchanged table for identical runs', async () => {
    const r0 = runs(fakeSummary(), fakeSummary());
    const r = await runCli(['compare', r0.base, r0.candidate, '--fail-on', 'latencyMs.p99>+10%', '--fail-on', 'activations.lost>1'], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(r.stdout).toContain('0 improved, 0 regressed, 0 changed');
    expect(r.stdout).toContain('All 2 rules pass.');
    expect(r.stderr).toBe('');
  });

  it('exits 1 and names the failed rule when the candidate regressed', async () => {
    const r0 = runs(fakeSummary(), regressed());
    const r = await runCli(['compare', r0.base, join(r0.candidate, 'summary.json'), '--fail-on', 'latencyMs.p99>+10%', '--fail-on', 'activations.lost>0'], deps);
    expect(r.code).toBe(exitCodes.failed);
    expect(r.stdout).toMatch(/\| latencyMs\.p99 .*\| regressed/);
    expect(r.stderr).toContain('rule failed: latencyMs.p99>+10%');
    expect(r.stderr).toContain('rule failed: activations.lost>0');
  });

  it('exits 0 without rules even when metrics regressed', async () => {
    const r0 = runs(fakeSummary(), regressed());
    expect((await runCli(['compare', r0.base, r0.candidate], deps)).code).toBe(exitCodes.ok);
  });

  it('writes the table to --out', async () => {
    const r0 = runs(fakeSummary(), regressed());
    const out = join(r0.root, 'reports', 'compare.md');
    const r = await runCli(['compare', r0.base, r0.candidate, '--out', out], deps);
    expect(r.code).toBe(exitCodes.ok);
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it('exits 2 on a malformed rule, naming the grammar', async () => {
    const r0 = runs(fakeSummary(), fakeSummary());
    const r = await runCli(['compare', r0.base, r0.candidate, '--fail-on', 'latencyMs.p99 >> 10'], deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toContain('malformed --fail-on rule');
    expect(r.stderr).toContain('expected: METRIC OP BOUND');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown metric with a did-you-mean', async () => {
    const r0 = runs(fakeSummary(), fakeSummary());
    const r = await runCli(['compare', r0.base, r0.candidate, '--fail-on', 'latencyMs.p98>+10%'], deps);
    expect(r.code).toBe(exitCodes.badInput);
    expect(r.stderr).toMatch(/unknown metric `latencyMs\.p98` in either summary; did you mean `latencyMs\.p9\d`\?/);
  });

  it('exits 2 on a missing run folder and when a run is not given', async () => {
    const r0 = runs(fakeSummary(), fakeSummary());
    const missing = await runCli(['compare', r0.base, join(r0.root, 'nope')], deps);
    expect(missing.code).toBe(exitCodes.badInput);
    expect(missing.stderr).toContain('no such run folder or summary file');
    expect((await runCli(['compare', r0.base], deps)).code).toBe(exitCodes.badInput);
  });
});

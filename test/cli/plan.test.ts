/** owsim plan: several targets, why none is reachable, and --vary errors that name --vary (issue 16 items 13, 14). */
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const TINY = 'test/fixtures/sweep/tiny-sweep.yaml';

const cli = (args: string[]) => runCli(args, {});

describe('owsim plan', () => {
  it('takes several targets, all of which must hold', async () => {
    const r = await cli(['plan', TINY, '--vary', 'invokers.count', '--target', 'latencyMs.p99<60s', '--target', 'activations.lost==0', '--min', '1', '--max', '2', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('for latencyMs.p99<60s and activations.lost==0');
    expect(r.stdout).toMatch(/\| value \| latencyMs\.p99 \| activations\.lost \| meets \|/);
  }, 60_000);

  it('says why no size can meet a latency bound below the actions\' own run time', async () => {
    const r = await cli(['plan', TINY, '--vary', 'invokers.count', '--target', 'latencyMs.p99<100', '--min', '1', '--max', '2', '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/their p99 run time alone is [\d,.]+ ms \(executionMs\.p99 at 2\), not < 100: no invokers\.count can meet/);
  }, 60_000);

  it('blames --vary, not a --set the user never typed, for a bad varied path', async () => {
    const r = await cli(['plan', TINY, '--vary', 'invokers.cout', '--target', 'latencyMs.p99<1s', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--vary invokers.cout');
    expect(r.stderr).toContain('count');
    expect(r.stderr).not.toContain('--set');
  });
});

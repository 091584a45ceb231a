/** Several seeds: means and 95% intervals, the summary of means, paired/Welch difference intervals, run --seeds. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareSummaries, loadSummary, renderComparisonMarkdown } from '../../src/report/compare.js';
import { aggregateSeeds, differenceInterval, meanInterval, meanSummary, renderSeedsMarkdown, tQuantile975, type MultiSeedSummary } from '../../src/report/multiseed.js';
import type { Summary } from '../../src/report/types.js';
import { fakeSummary } from './fixtures.js';
import { runCli } from '../cli/helpers.js';

function withP99(seed: number, p99: number, completed = 100): Summary {
  const s = fakeSummary(seed);
  return { ...s, latencyMs: { ...s.latencyMs, p99 }, activations: { ...s.activations, completed } };
}

const cli = (args: string[]) => runCli(args, {});

describe('mean and 95% interval', () => {
  it('uses Student t with n − 1 degrees of freedom', () => {
    const m = meanInterval([1, 2, 3, 4, 5]);
    expect(m.mean).toBe(3);
    const half = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(m.ci95[0]).toBeCloseTo(3 - half, 5);
    expect(m.ci95[1]).toBeCloseTo(3 + half, 5);
    expect(m.values).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives one seed a zero-width interval and t tends to 1.96', () => {
    expect(meanInterval([7]).ci95).toEqual([7, 7]);
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(1000)).toBe(1.96);
  });

  it('aggregates every headline metric in seed order', () => {
    const agg = aggregateSeeds([withP99(1, 100), withP99(2, 200), withP99(3, 300)]);
    expect(agg.seeds).toEqual([1, 2, 3]);
    expect(agg.metrics['latencyMs.p99']!.values).toEqual([100, 200, 300]);
    expect(agg.metrics['latencyMs.p99']!.mean).toBe(200);
    expect(Object.keys(agg.metrics)[0]).toBe('activations.arrived');
  });

  it('builds a summary of means that compare and thresholds can read', () => {
    const s = meanSummary([withP99(4, 100, 10), withP99(5, 200, 11)]);
    expect(s.seed).toBe(4);
    expect(s.latencyMs.p99).toBe(150);
    expect(s.activations.completed).toBe(10.5);
    expect(s.seeds.metrics['activations.completed']!.values).toEqual([10, 11]);
  });
});

describe('difference beyond the interval', () => {
  const base = aggregateSeeds([withP99(1, 100), withP99(2, 140), withP99(3, 120)]);

  it('pairs seeds when both sides ran the same ones: a small consistent shift is beyond the noise', () => {
    const cand = aggregateSeeds([withP99(1, 103), withP99(2, 142), withP99(3, 124)]);
    const d = differenceInterval(base, cand, 'latencyMs.p99')!;
    expect(d.method).toBe('paired');
    expect(d.delta).toBe(3);
    expect(d.beyond).toBe(true);
    expect(d.ci95[0]).toBeGreaterThan(0);
  });

  it('uses Welch when the seeds differ: the same shift is within the noise', () => {
    const cand = aggregateSeeds([withP99(7, 103), withP99(8, 142), withP99(9, 124)]);
    const d = differenceInterval(base, cand, 'latencyMs.p99')!;
    expect(d.method).toBe('welch');
    expect(d.beyond).toBe(false);
  });

  it('says identical runs are not different, and needs two seeds a side', () => {
    expect(differenceInterval(base, base, 'latencyMs.p99')!.beyond).toBe(false);
    expect(differenceInterval(aggregateSeeds([withP99(1, 1)]), base, 'latencyMs.p99')).toBeUndefined();
  });

  it('shows the verdict in owsim compare for multi-seed summaries', () => {
    const b = meanSummary([withP99(1, 100), withP99(2, 140), withP99(3, 120)]);
    const c = meanSummary([withP99(1, 103), withP99(2, 142), withP99(3, 124)]);
    const comparison = compareSummaries(b, c);
    expect(comparison.rows.find((r) => r.metric === 'latencyMs.p99')!.interval!.beyond).toBe(true);
    expect(comparison.rows.find((r) => r.metric === 'activations.arrived')!.interval!.beyond).toBe(false);
    const md = renderComparisonMarkdown(comparison, { base: 'b', candidate: 'c' });
    expect(md).toContain('beyond 95% CI');
    expect(md).toContain('common random numbers');
    expect(md).toContain('means over seeds 1, 2, 3');
  });
});

describe('owsim run --seeds', () => {
  const scenario = 'test/fixtures/sweep/tiny-sweep.yaml';

  it('writes a folder per seed, the summary of means with its intervals, and summary.md', async () => {
    const out = mkdtempSync(join(tmpdir(), 'owsim-seeds-'));
    const r = await cli(['run', scenario, '--seeds', '3', '--out', out, '--report', 'json,md', '-q']);
    expect(r.code, r.stderr).toBe(0);
    for (const seed of [1, 2, 3]) expect(existsSync(join(out, `seed-${seed}`, 'summary.json'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as MultiSeedSummary;
    expect(summary.seeds.seeds).toEqual([1, 2, 3]);
    const p99 = summary.seeds.metrics['latencyMs.p99']!;
    const perSeed = [1, 2, 3].map((s) => (JSON.parse(readFileSync(join(out, `seed-${s}`, 'summary.json'), 'utf8')) as Summary).latencyMs.p99);
    expect(p99.values).toEqual(perSeed);
    expect(p99.ci95[0]).toBeLessThanOrEqual(p99.mean);
    expect(p99.ci95[1]).toBeGreaterThanOrEqual(p99.mean);
    expect(summary.latencyMs.p99).toBe(p99.mean);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('3 seeds: 1, 2, 3');
    expect(md).toContain('95% interval');
    expect(loadSummary(out).scenario).toBe('tiny-sweep');
  });

  it('starts at --seed, and compare of a run with itself finds nothing beyond the interval', async () => {
    const a = mkdtempSync(join(tmpdir(), 'owsim-seeds-'));
    const b = mkdtempSync(join(tmpdir(), 'owsim-seeds-'));
    expect((await cli(['run', scenario, '--seeds', '2', '--seed', '10', '--out', a, '--report', 'json', '-q'])).code).toBe(0);
    expect(existsSync(join(a, 'seed-10'))).toBe(true);
    expect(existsSync(join(a, 'seed-11'))).toBe(true);
    expect((await cli(['run', scenario, '--seeds', '2', '--seed', '10', '--out', b, '--report', 'json', '-q'])).code).toBe(0);
    const r = await cli(['compare', a, b]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('beyond 95% CI');
    expect(r.stdout).not.toMatch(/\| yes \|/);
  });

  it('refuses a bad --seeds', async () => {
    const r = await cli(['run', scenario, '--seeds', '0', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seeds');
  });
});

describe('compare counts only significant changes as improved or regressed (issue 16 item 7)', () => {
  it('multi-seed: a change inside the interval is unchanged, one beyond it is regressed', () => {
    const b = meanSummary([withP99(1, 100), withP99(2, 140), withP99(3, 120)]);
    const noisy = meanSummary([withP99(1, 90), withP99(2, 150), withP99(3, 121)]);
    const row = compareSummaries(b, noisy).rows.find((r) => r.metric === 'latencyMs.p99')!;
    expect(row.interval!.beyond).toBe(false);
    expect(row.delta).not.toBe(0);
    expect(row.verdict).toBe('unchanged');
    const slower = meanSummary([withP99(1, 103), withP99(2, 142), withP99(3, 124)]);
    expect(compareSummaries(b, slower).rows.find((r) => r.metric === 'latencyMs.p99')!.verdict).toBe('regressed');
  });

  it('one seed: a change within the tolerance is unchanged and the page says so', () => {
    const b = withP99(1, 1000);
    const c = withP99(1, 1002);
    const comparison = compareSummaries(b, c);
    expect(comparison.rows.find((r) => r.metric === 'latencyMs.p99')!.verdict).toBe('unchanged');
    expect(compareSummaries(b, withP99(1, 1020)).rows.find((r) => r.metric === 'latencyMs.p99')!.verdict).toBe('regressed');
    expect(compareSummaries(b, c, [], { tolerancePct: 0.1 }).rows.find((r) => r.metric === 'latencyMs.p99')!.verdict).toBe('regressed');
    expect(renderComparisonMarkdown(comparison, { base: 'b', candidate: 'c' })).toContain('a change of at most 1% either way counts as unchanged');
  });
});

describe('intervals respect a metric\'s range (issue 16 item 8)', () => {
  it('never lets a count\'s interval go below 0 nor a share above 1', () => {
    const seeds = [0, 0, 3].map((coldStarts, i) => {
      const s = fakeSummary(i + 1);
      return { ...s, coldStarts: { count: coldStarts, ratio: [0.99, 1, 0.2][i]! } };
    });
    const agg = aggregateSeeds(seeds);
    expect(agg.metrics['coldStarts.count']!.ci95[0]).toBe(0);
    expect(agg.metrics['coldStarts.count']!.ci95[1]).toBeGreaterThan(3);
    expect(agg.metrics['coldStarts.ratio']!.ci95[1]).toBe(1);
    expect(meanInterval([0, 0, 3]).ci95[0]).toBeLessThan(0); // the unclipped t interval, for contrast
    const md = renderSeedsMarkdown(meanSummary(seeds), []);
    expect(md).toContain('clipped to the metric');
    expect(md).not.toMatch(/\| coldStarts\.count +\| [^|]+\| -/);
  });
});

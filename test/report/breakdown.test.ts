import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/defaultDeps.js';
import { exitCodes } from '../../src/errors.js';
import { BreakdownMetrics, MAX_BREAKDOWN_KEYS, OTHER_KEY } from '../../src/model/metrics/BreakdownMetrics.js';
import { ActivationRecord } from '../../src/model/ActivationRecord.js';
import { resolveMetric, matchesStaticPattern } from '../../src/report/summaryPaths.js';
import { runScenario } from '../../src/runScenario.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { CompactHistogram, SPARSE_MAX } from '../../src/sim/CompactHistogram.js';
import { runCli } from '../cli/helpers.js';
import { parseTarget } from '../../src/sweep/plan.js';
import { PER_NAME_GROUPS, summaryColumns } from '../../src/sweep/sweepColumns.js';

const twoActions = `
name: breakdown
duration: 40s
warmup: 5s
drain: 1m
invokers: { count: 4, userMemory: 2GB }
controllers: { limits: { invocationsPerMinute: 700 } }
workload:
  actions:
    - name: ns/a
      memory: 256MB
      duration: 50ms
      arrivals: 10/s
    - name: other/b
      memory: 256MB
      duration: { dist: lognormal, median: 100ms, p99: 400ms }
      arrivals: { process: burst, rate: 5/s, burstRate: 60/s, at: 20s, for: 10s }
windows:
  burst: { from: 20s, to: 30s }
faults:
  - { at: 10s, kind: kafka-slow, latency: 50ms, for: 5s }
thresholds:
  'actions["ns/a"].latencyMs.p99': '< 500'
  'windows.burst.activations.rejected': '== 0'
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('per-action, per-namespace and per-window figures', () => {
  const output = runScenario(parseScenarioText(twoActions, 'breakdown.yaml'));
  const s = output.summary;

  it('adds up to the headline counts, per action and per namespace', () => {
    const actions = Object.values(s.actions!);
    expect(Object.keys(s.actions!)).toEqual(['ns/a', 'other/b']);
    expect(Object.keys(s.namespaces!)).toEqual(['ns', 'other']);
    for (const key of ['arrived', 'completed', 'timedOut', 'rejected', 'lost'] as const) {
      expect(actions.reduce((n, a) => n + a.activations[key], 0)).toBe(s.activations[key]);
      expect(Object.values(s.namespaces!).reduce((n, a) => n + a.activations[key], 0)).toBe(s.activations[key]);
    }
    expect(actions.reduce((n, a) => n + a.latencyMs.count, 0)).toBe(s.latencyMs.count);
    expect(actions.reduce((n, a) => n + a.coldStarts.count, 0)).toBe(s.coldStarts.count);
    // The run time of ns/a is a constant 50 ms: its execution figures say so within the histogram's 0.8%.
    expect(s.actions!['ns/a']!.executionMs.p50).toBeGreaterThanOrEqual(50);
    expect(s.actions!['ns/a']!.executionMs.p50).toBeLessThanOrEqual(50 * 1.008);
  });

  it('has the declared window and the automatic fault1 and burst.<action> windows', () => {
    expect(Object.keys(s.windows!)).toEqual(['burst', 'fault1', 'burst.other/b']);
    expect(s.windows!['fault1']).toMatchObject({ fromMs: 10_000, toMs: 15_000 });
    // Same interval: the same figures.
    expect(s.windows!['burst.other/b']!.activations).toEqual(s.windows!['burst']!.activations);
    // The burst window sees the rate limit's rejections (700 a minute per namespace; other/b asks for ~850 in its first minute).
    expect(s.windows!['burst']!.activations.rejected).toBeGreaterThan(0);
    expect(s.windows!['burst']!.activations.rejectedBy['throttledRate']).toBe(s.windows!['burst']!.activations.rejected);
    expect(s.windows!['fault1']!.activations.arrived).toBeGreaterThan(40);
  });

  it('evaluates the issue\'s two thresholds (bracketed action name, window path)', () => {
    expect(s.thresholds).toEqual([
      { metric: 'actions["ns/a"].latencyMs.p99', expression: '< 500', actual: s.actions!['ns/a']!.latencyMs.p99, ok: true },
      { metric: 'windows.burst.activations.rejected', expression: '== 0', actual: s.windows!['burst']!.activations.rejected, ok: false },
    ]);
    expect(resolveMetric(s, 'actions.ns/a.latencyMs.p99')).toBe(s.actions!['ns/a']!.latencyMs.p99);
    expect(resolveMetric(s, 'windows["burst.other/b"].activations.arrived')).toBe(s.windows!['burst']!.activations.arrived);
    expect(resolveMetric(s, 'actions["ns/a"].activations.rejectedBy.throttledConcurrent')).toBe(0);
    expect(matchesStaticPattern('namespaces["ns"].waitMs.p99')).toBe(true);
    expect(resolveMetric(s, 'actions["nope"].latencyMs.p99')).toBeUndefined();
  });

  it('accepts the same metrics in compare --fail-on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'owsim-breakdown-'));
    dirs.push(root);
    for (const name of ['base', 'candidate']) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'summary.json'), JSON.stringify(s));
    }
    const ok = await runCli(['compare', join(root, 'base'), join(root, 'candidate'), '--fail-on', 'actions["ns/a"].latencyMs.p99>=500'], defaultDeps);
    expect(ok.code).toBe(exitCodes.ok);
    expect(ok.stdout).toContain('actions["ns/a"].latencyMs.p99');
    const failed = await runCli(['compare', join(root, 'base'), join(root, 'candidate'), '--fail-on', 'windows.burst.activations.rejected>0'], defaultDeps);
    expect(failed.code).toBe(exitCodes.failed);
    expect(failed.stderr).toContain('rule failed: windows.burst.activations.rejected>0');
  });

  it('gives sweep.csv columns per action, namespace and window when asked for by group', () => {
    expect(PER_NAME_GROUPS).toEqual(expect.arrayContaining(['actions', 'namespaces', 'windows']));
    const plain = summaryColumns(s).map(([c]) => c);
    expect(plain.some((c) => c.startsWith('actions.'))).toBe(false);
    const columns = new Map(summaryColumns(s, ['actions', 'windows']));
    expect(columns.get('actions.ns/a.latencyMs.p99')).toBe(s.actions!['ns/a']!.latencyMs.p99);
    expect(columns.get('windows.burst.activations.rejected')).toBe(s.windows!['burst']!.activations.rejected);
  });

  it('accepts the same metrics as plan --target', () => {
    expect(parseTarget('actions["ns/a"].latencyMs.p99<500')).toMatchObject({ metric: 'actions["ns/a"].latencyMs.p99', operator: '<', bound: 500 });
    expect(parseTarget('windows.burst.activations.rejected==0')).toMatchObject({ metric: 'windows.burst.activations.rejected', bound: 0 });
    expect(parseTarget('namespaces.ns.coldStarts.ratio<0.1').metric).toBe('namespaces.ns.coldStarts.ratio');
  });

  it('refuses a declared window named like an automatic one, and one that ends before it starts', () => {
    const clash = twoActions.replace('  burst: { from: 20s, to: 30s }', '  fault1: { from: 20s, to: 30s }');
    expect(() => parseScenarioText(clash, 'clash.yaml')).toThrow(/windows\.fault1[^]*clashes with an automatic window/);
    const backwards = twoActions.replace('  burst: { from: 20s, to: 30s }', '  burst: { from: 30s, to: 20s }');
    expect(() => parseScenarioText(backwards, 'back.yaml')).toThrow(/windows\.burst\.to[^]*ends/);
  });
});

describe('the breakdown stays bounded', () => {
  it(`keeps ${MAX_BREAKDOWN_KEYS} actions of their own and folds the least invoked into ${OTHER_KEY}`, () => {
    const n = MAX_BREAKDOWN_KEYS + 500;
    const actions = Array.from({ length: n }, (_, i) => ({ name: `ns${i % 7}/a${i}`, namespace: `ns${i % 7}`, meanRatePerSec: i === 3 ? 0.001 : 1 + (i % 13) }));
    const b = new BreakdownMetrics(actions, []);
    expect(b.actionKeys).toHaveLength(MAX_BREAKDOWN_KEYS + 1);
    expect(b.actionKeys.at(-1)).toBe(OTHER_KEY);
    expect(b.actionKeys).not.toContain('ns3/a3');
    for (let i = 0; i < n; i++) {
      const r = new ActivationRecord(i, i, 1000 + i, true, 10, false, 0);
      b.arrived(r);
      r.execStartMs = r.arrivalMs + 5;
      r.execEndMs = r.arrivalMs + 5 + (i % 300);
      b.started(r, i % 2 === 0);
      b.completed(r, r.execEndMs + 2);
    }
    let arrived = 0;
    for (let slot = 0; slot < b.actionKeys.length; slot++) arrived += b.actions.arrived[slot]!;
    expect(arrived).toBe(n);
    expect(b.actions.arrived[MAX_BREAKDOWN_KEYS]).toBe(500);
    // One activation per entry: each histogram keeps one 4-byte bucket index (a few, grown from 4), not a
    // dense array of kilobytes; (other) has 500 values, past the sparse limit, so it is dense.
    expect(b.actions.histogramBytes()).toBeLessThan(MAX_BREAKDOWN_KEYS * 3 * 16 + 3 * 16 * 1024);
  });

  it('CompactHistogram gives the same quantiles from its sparse start as from dense counts', () => {
    // Each value twice: 2 × SPARSE_MAX values force the dense form, and the rank-q value of the doubled list is
    // the rank-q value of the list, so both histograms must agree on every quantile.
    const values = Array.from({ length: SPARSE_MAX }, (_, i) => 0.2 + ((i * 7919) % 997) * 61.3);
    const sparse = new CompactHistogram();
    const dense = new CompactHistogram();
    for (const v of values) sparse.record(v);
    for (const v of [...values, ...values]) dense.record(v);
    expect(sparse.bytes).toBe(SPARSE_MAX * 4);
    expect(dense.bytes).toBeGreaterThan(SPARSE_MAX * 4);
    const { count: _c, ...fromSparse } = sparse.summary();
    const { count: _d, ...fromDense } = dense.summary();
    expect(fromSparse).toEqual(fromDense);
    // Adding histograms in either form gives the same figures as recording into one.
    const folded = new CompactHistogram();
    folded.add(sparse);
    folded.add(sparse);
    expect(folded.summary()).toEqual(dense.summary());
    const mixed = new CompactHistogram();
    mixed.record(values[0]!);
    mixed.add(dense);
    const direct = new CompactHistogram();
    for (const v of [values[0]!, ...values, ...values]) direct.record(v);
    expect(mixed.summary()).toEqual(direct.summary());
  });

  it('CompactHistogram quantiles are within 0.8% of the exact ones', () => {
    const h = new CompactHistogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.5 + ((i * 7919) % 10_000) * 3.7);
    for (const v of values) h.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [50, 90, 99, 99.9]) {
      const exact = sorted[Math.ceil((q / 100) * sorted.length) - 1]!;
      expect(h.percentile(q)).toBeGreaterThanOrEqual(exact - 1e-9);
      expect(h.percentile(q)).toBeLessThanOrEqual(exact * 1.008 + 0.001);
    }
    expect(h.max).toBe(Math.max(...values));
    expect(h.count).toBe(values.length);
  });
});

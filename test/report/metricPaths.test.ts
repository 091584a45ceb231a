/** The one list of metric paths (metricPaths.ts): what thresholds, compare, plan, the sweep CSV and the docs share. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { directionOf } from '../../src/report/compare.js';
import { expandPatternLines, METRIC_PATTERNS } from '../../src/report/metricPaths.js';
import { matchesStaticPattern, numericLeaves, resolveMetric, splitMetricPath, STATIC_METRIC_PATTERNS } from '../../src/report/summaryPaths.js';
import { validateThresholds } from '../../src/report/thresholds.js';
import type { Summary } from '../../src/report/types.js';
import { packageRoot } from '../../src/scenario/builtin.js';
import { parseTarget } from '../../src/sweep/plan.js';
import { fakeSummary } from './fixtures.js';

const latency = { count: 10, mean: 5, p50: 4, p90: 8, p95: 9, p99: 12, p999: 14, max: 20 };

function storeSummary(): Summary {
  return fakeSummary(1, {
    oom: {
      crashes: 2,
      firstCrashMs: 31_000,
      peakHeapFraction: 1.02,
      timeAboveNinetyPercentMs: 4_000,
      projectedTimeToOomMs: null,
      activationsLost: 17,
      invokers: { invoker0: { peakHeapMb: 900, crashes: 2, lostRecords: 40, maxBatcherQueue: 300 } },
    },
    store: {
      produced: 100,
      written: 60,
      lostRecords: 40,
      pending: 0,
      maxQueue: 300,
      overflowed: 0,
      maxKafkaBacklog: 0,
      writeLatencyMs: latency,
      bulkCalls: 7,
      maxDatabaseBacklog: 12,
    },
  });
}

/** The fenced block after "Metric paths" in docs/reports.md, expanded. */
function documentedPatterns(): string[] {
  const docs = readFileSync(`${packageRoot()}/docs/reports.md`, 'utf8');
  const at = docs.indexOf('Metric paths (');
  expect(at).toBeGreaterThan(0);
  const open = docs.indexOf('```\n', at) + 4;
  const close = docs.indexOf('```\n', open);
  return expandPatternLines(docs.slice(open, close));
}

describe('the metric list', () => {
  it('is what docs/reports.md lists, path for path', () => {
    const documented = documentedPatterns();
    expect([...documented].sort()).toEqual([...STATIC_METRIC_PATTERNS].sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('covers every numeric leaf of a summary with a store (oom.*, store.*)', () => {
    const s = storeSummary();
    const leaves = numericLeaves(s);
    expect(leaves.map(([p]) => p)).toContain('oom.invokers.invoker0.maxBatcherQueue');
    for (const [path] of leaves) expect(matchesStaticPattern(path), path).toBe(true);
  });

  it('lets a scenario threshold name oom.* and store.* metrics', () => {
    expect(() =>
      validateThresholds({
        'oom.crashes': '== 0',
        'oom.peakHeapFraction': '< 0.9',
        'oom.invokers.invoker0.peakHeapMb': '< 1000',
        'store.lostRecords': '== 0',
        'store.writeLatencyMs.p99': '< 1s',
        'bookkeeping.maxError': '< 5',
      }),
    ).not.toThrow();
    expect(() => validateThresholds({ 'oom.crash': '== 0' })).toThrow(/unknown metric `oom.crash`.*oom.crashes/);
  });

  it('lets plan --target name them, and refuses an unknown metric before any run', () => {
    expect(parseTarget('oom.crashes==0')).toMatchObject({ metric: 'oom.crashes', operator: '==', bound: 0 });
    expect(parseTarget('store.writeLatencyMs.p99<2s')).toMatchObject({ bound: 2000 });
    expect(() => parseTarget('oom.crash==0')).toThrow(/unknown metric `oom.crash`.*oom.crashes/);
  });

  it('gives compare a direction for every metric', () => {
    expect(directionOf('oom.crashes')).toBe('lower');
    expect(directionOf('store.written')).toBe('higher');
    expect(directionOf('oom.invokers.invoker0.peakHeapMb')).toBe('lower');
    expect(directionOf('activations.arrived')).toBe('neutral');
    for (const p of METRIC_PATTERNS) expect(['lower', 'higher', 'neutral']).toContain(p.direction);
  });

  it('accepts quoted names, taken exactly, beside greedy dotted ones', () => {
    const s = fakeSummary(1, { topics: { 'a.b': { maxDepth: 9, meanDepth: 1, produced: 3 }, a: { maxDepth: 1, meanDepth: 1, produced: 1 } } });
    expect(splitMetricPath('topics["a.b"].maxDepth')).toEqual([
      { key: 'topics', exact: false },
      { key: 'a.b', exact: true },
      { key: 'maxDepth', exact: false },
    ]);
    expect(resolveMetric(s, 'topics["a.b"].maxDepth')).toBe(9);
    expect(resolveMetric(s, 'topics["a"].maxDepth')).toBe(1);
    expect(matchesStaticPattern('topics["ns/x.y"].maxDepth')).toBe(true);
    expect(matchesStaticPattern('topics["x"]maxDepth')).toBe(false);
    expect(resolveMetric(s, 'activations.rejectedBy["no such reason"]')).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileError, UsageError } from '../../src/errors.js';
import {
  compareSummaries,
  directionOf,
  formatRelative,
  formatValue,
  loadSummary,
  parseRule,
  relativeChange,
  renderComparisonMarkdown,
} from '../../src/report/compare.js';
import { fakeSummary } from './fixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'owsim-compare-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The fixture summary with latency scaled by `factor` and the given activation counts. */
function slower(factor: number, lost = 1) {
  const base = fakeSummary();
  const scale = (l: typeof base.latencyMs) => ({ ...l, mean: l.mean * factor, p50: l.p50 * factor, p99: l.p99 * factor });
  return { ...base, latencyMs: scale(base.latencyMs), activations: { ...base.activations, lost } };
}

describe('parseRule', () => {
  it('reads relative, absolute-delta and candidate-value bounds', () => {
    expect(parseRule('latencyMs.p99>+10%')).toMatchObject({ metric: 'latencyMs.p99', operator: '>', kind: 'relative', bound: 10 });
    expect(parseRule('throughputPerSec < -5%')).toMatchObject({ operator: '<', kind: 'relative', bound: -5 });
    expect(parseRule('waitMs.mean>+5ms')).toMatchObject({ kind: 'delta', bound: 5 });
    expect(parseRule('waitMs.mean>+0.5s')).toMatchObject({ kind: 'delta', bound: 500 });
    expect(parseRule('activations.lost>0')).toMatchObject({ kind: 'value', bound: 0 });
    expect(parseRule('latencyMs.p99 >= 2s')).toMatchObject({ kind: 'value', operator: '>=', bound: 2000 });
  });

  it.each(['latencyMs.p99', 'latencyMs.p99>', '>+10%', 'latencyMs.p99>10%', 'latencyMs.p99=>+1', 'latencyMs.p99>++1', 'activations.lost>+1ms', 'latencyMs.p99>5parsecs'])(
    'rejects %j as a usage error naming the grammar',
    (text) => {
      expect(() => parseRule(text)).toThrow(UsageError);
    },
  );
});

describe('compareSummaries', () => {
  it('finds nothing changed between identical summaries and fails no rule', () => {
    const c = compareSummaries(fakeSummary(), fakeSummary(), [parseRule('latencyMs.p99>+10%'), parseRule('activations.lost>1')]);
    expect(c.rows.every((r) => r.verdict === 'unchanged')).toBe(true);
    expect(c.rules.map((r) => r.failed)).toEqual([false, false]);
    expect(c.failed).toBe(false);
  });

  it('calls slower latency a regression and fewer lost activations an improvement', () => {
    const c = compareSummaries(fakeSummary(), slower(1.2, 0));
    const p99 = c.rows.find((r) => r.metric === 'latencyMs.p99')!;
    expect(p99.verdict).toBe('regressed');
    expect(p99.delta).toBeCloseTo(40.875 * 0.2, 9);
    expect(p99.relative).toBeCloseTo(0.2, 9);
    expect(c.rows.find((r) => r.metric === 'activations.lost')!.verdict).toBe('improved');
    expect(c.rows.find((r) => r.metric === 'latencyMs.p90')!.verdict).toBe('unchanged');
  });

  it('fails a relative rule past its bound and passes it within', () => {
    expect(compareSummaries(fakeSummary(), slower(1.2), [parseRule('latencyMs.p99>+10%')]).failed).toBe(true);
    expect(compareSummaries(fakeSummary(), slower(1.05), [parseRule('latencyMs.p99>+10%')]).failed).toBe(false);
  });

  it('judges absolute deltas and candidate values', () => {
    const c = compareSummaries(fakeSummary(), slower(1.2, 3), [parseRule('latencyMs.mean>+2ms'), parseRule('activations.lost>2'), parseRule('activations.lost>+5')]);
    expect(c.rules.map((r) => [r.rule.text, r.observed, r.failed])).toEqual([
      ['latencyMs.mean>+2ms', expect.closeTo(12.3456 * 0.2, 9), true],
      ['activations.lost>2', 3, true],
      ['activations.lost>+5', 2, false],
    ]);
  });

  it('adds a row for a rule metric outside the headline list', () => {
    const c = compareSummaries(fakeSummary(), fakeSummary(), [parseRule('topics.invoker5.maxDepth>+0%')]);
    expect(c.rows.at(-1)).toMatchObject({ metric: 'topics.invoker5.maxDepth', direction: 'lower', verdict: 'unchanged' });
  });

  it('rejects a rule on an unknown metric with a did-you-mean', () => {
    expect(() => compareSummaries(fakeSummary(), fakeSummary(), [parseRule('latencyMs.p99x>+1%')])).toThrow(/did you mean `latencyMs\.p99`/);
  });

  it('treats a change from zero as an infinite relative change', () => {
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(0, 3)).toBe(Infinity);
    expect(relativeChange(4, 2)).toBe(-0.5);
    expect(formatRelative(Infinity)).toBe('+∞');
    expect(formatRelative(0.123)).toBe('+12.3%');
    expect(formatValue(0.000224)).toBe('0.000224');
    expect(formatValue(4536)).toBe('4,536');
  });

  it('knows which side is better', () => {
    expect(directionOf('latencyMs.p99')).toBe('lower');
    expect(directionOf('throughputPerSec')).toBe('higher');
    expect(directionOf('activations.arrived')).toBe('neutral');
    expect(directionOf('invokers.invoker0.maxInFlight')).toBe('lower');
  });

  it('renders a Markdown table with every headline metric and the rules', () => {
    const c = compareSummaries(fakeSummary(), slower(1.2), [parseRule('latencyMs.p99>+10%')]);
    const md = renderComparisonMarkdown(c, { base: 'a', candidate: 'b' });
    expect(md).toContain('| metric ');
    expect(md).toMatch(/\| latencyMs\.p99 +\| +40\.9 \| +49\.0 \| +\+8\.1\d \| +\+20\.0% \| regressed +\|/);
    expect(md).toContain('| coldStarts.ratio');
    expect(md).toContain('| health.transitions');
    expect(md).toContain('1 of 1 rules failed.');
  });
});

describe('loadSummary', () => {
  it('reads a run folder or a summary.json file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(fakeSummary(9)));
    expect(loadSummary(dir).seed).toBe(9);
    expect(loadSummary(join(dir, 'summary.json')).seed).toBe(9);
  });

  it('turns a missing, empty or foreign file into a FileError', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    writeFileSync(join(dir, 'other.json'), '{"a": 1}');
    expect(() => loadSummary(join(dir, 'missing'))).toThrow(FileError);
    expect(() => loadSummary(join(dir, 'empty'))).toThrow(FileError);
    expect(() => loadSummary(join(dir, 'bad.json'))).toThrow(/not valid JSON/);
    expect(() => loadSummary(join(dir, 'other.json'))).toThrow(/not an owsim summary/);
  });
});

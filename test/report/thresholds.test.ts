import { describe, expect, it } from 'vitest';
import { OwsimError, ScenarioError } from '../../src/errors.js';
import { matchesStaticPattern, numericLeaves, resolveMetric } from '../../src/report/summaryPaths.js';
import { evaluateThresholds, parseCondition, validateThresholds } from '../../src/report/thresholds.js';
import { fakeSummary } from './fixtures.js';

function thrown(fn: () => unknown): OwsimError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as OwsimError;
  }
  throw new Error('expected a ScenarioError');
}

describe('summary metric paths', () => {
  const s = fakeSummary();

  it('resolves dotted paths to numbers, and nothing for records or strings', () => {
    expect(resolveMetric(s, 'latencyMs.p99')).toBe(40.875);
    expect(resolveMetric(s, 'invokers.invoker1.coldStarts')).toBe(5);
    expect(resolveMetric(s, 'controllers.controller0.overflow.episodes')).toBe(2);
    expect(resolveMetric(s, 'latencyMs')).toBeUndefined();
    expect(resolveMetric(s, 'scenario')).toBeUndefined();
    expect(resolveMetric(s, 'latencyMs..p99')).toBeUndefined();
  });

  it('finds names that contain dots', () => {
    const dotted = fakeSummary(1, { topics: { 'a.b': { maxDepth: 9, meanDepth: 1, produced: 3 } } });
    expect(resolveMetric(dotted, 'topics.a.b.maxDepth')).toBe(9);
  });

  it('reads a counter the run never incremented as 0, but not an unknown field', () => {
    expect(resolveMetric(s, 'activations.rejectedBy.throttledConcurrent')).toBe(0);
    expect(resolveMetric(s, 'health.byKind.Healthy→Offline')).toBe(0);
    expect(resolveMetric(s, 'activations.nonsense')).toBeUndefined();
  });

  it('lists every numeric leaf, each matching a static pattern', () => {
    const leaves = numericLeaves(s);
    expect(leaves).toContainEqual(['topics.invoker3.produced', 103]);
    for (const [path] of leaves) expect(matchesStaticPattern(path), path).toBe(true);
  });
});

describe('evaluateThresholds', () => {
  const s = fakeSummary();

  it('passes and fails each operator against the actual value, in scenario order', () => {
    const verdicts = evaluateThresholds(s, {
      'latencyMs.p99': '< 1500',
      'activations.lost': '== 0',
      'activations.completed': '>= 980',
      'coldStarts.ratio': '<=0.01',
      'throughputPerSec': '> 16',
      'invokers.invoker0.coldStarts': '!= 7',
    });
    expect(verdicts.map((v) => [v.metric, v.ok])).toEqual([
      ['latencyMs.p99', true],
      ['activations.lost', false],
      ['activations.completed', true],
      ['coldStarts.ratio', false],
      ['throughputPerSec', true],
      ['invokers.invoker0.coldStarts', false],
    ]);
    expect(verdicts[1]).toEqual({ metric: 'activations.lost', expression: '== 0', actual: 1, ok: false });
  });

  it('accepts ms and s on millisecond metrics, and digit grouping', () => {
    expect(parseCondition('latencyMs.p99', '< 1.5s')).toEqual({ operator: '<', value: 1500 });
    expect(parseCondition('overflow.timeInOverflowMs', '<= 250ms')).toEqual({ operator: '<=', value: 250 });
    expect(parseCondition('activations.arrived', '> 1_000')).toEqual({ operator: '>', value: 1000 });
    expect(evaluateThresholds(s, { 'latencyMs.max': '< 1s' })[0]!.ok).toBe(false);
  });

  it('yields actual null and a failed verdict for a metric that is not a finite number', () => {
    const odd = fakeSummary(1, { throughputPerSec: NaN });
    expect(evaluateThresholds(odd, { throughputPerSec: '> 0' })).toEqual([
      { metric: 'throughputPerSec', expression: '> 0', actual: null, ok: false },
    ]);
  });

  it('rejects an unknown metric with the file, the field and a did-you-mean from the summary', () => {
    const err = thrown(() => evaluateThresholds(s, { 'invokers.invoker9.coldStarts': '< 3' }, 'scenarios/x.yaml'));
    expect(err.details.file).toBe('scenarios/x.yaml');
    expect(err.details.path).toBe('thresholds["invokers.invoker9.coldStarts"]');
    expect(err.message).toMatch(/did you mean `invokers\.invoker\d\.coldStarts`/);
    expect(err.exitCode).toBe(2);
  });

  it.each([
    ['1500', 'no operator'],
    ['< ', 'no number'],
    ['=< 5', 'reversed operator'],
    ['< 1.2.3', 'two decimal points'],
    ['< 1__0', 'doubled grouping'],
  ])('rejects the malformed condition %j (%s)', (expression) => {
    const err = thrown(() => evaluateThresholds(s, { 'latencyMs.p99': expression }, 'x.yaml'));
    expect(err.message).toBe('malformed threshold');
    expect(err.details.expected).toContain('an operator');
    expect(err.details.got).toBe(JSON.stringify(expression));
  });

  it('rejects units on metrics that are not durations, and unknown units', () => {
    expect(thrown(() => parseCondition('activations.lost', '< 5ms', 'x.yaml')).message).toContain('not a duration');
    expect(thrown(() => parseCondition('latencyMs.p99', '< 5 parsecs', 'x.yaml')).message).toContain('unknown unit');
    expect(thrown(() => parseCondition('latencyMs.p99', '< 15oo', 'x.yaml')).message).toBe('unknown unit `oo`');
  });
});

describe('validateThresholds', () => {
  it('accepts every known path shape before a run exists', () => {
    expect(() =>
      validateThresholds({
        'latencyMs.p99': '< 1500',
        'topics.overflow.maxDepth': '< 100',
        'invokers.invoker17.coldStarts': '== 0',
        'controllers.controller0.overflow.episodes': '<= 1',
        'activations.rejectedBy.throttledRate': '== 0',
      }),
    ).not.toThrow();
  });

  it('rejects an unknown metric early with a did-you-mean', () => {
    const err = thrown(() => validateThresholds({ 'latencyMs.p999x': '< 1' }, 'scenarios/x.yaml'));
    expect(err.format()).toContain('scenarios/x.yaml: thresholds["latencyMs.p999x"]: unknown metric `latencyMs.p999x`; did you mean `latencyMs.p999`?');
    expect(thrown(() => validateThresholds({ 'latency.p99': '< 1' })).message).toContain('did you mean `latencyMs.p99`?');
  });

  it('rejects a malformed condition early', () => {
    expect(thrown(() => validateThresholds({ 'latencyMs.p99': 'fast' })).message).toBe('malformed threshold');
  });
});

import { describe, expect, it } from 'vitest';
import { lognormalFromMedianP99, makeDistribution } from '../../src/sim/distributions.js';
import { parseDistribution, type DistributionIssue, type QuantityKind } from '../../src/scenario/distributionSchema.js';

function ok(value: unknown, kind: QuantityKind = 'duration') {
  const issues: DistributionIssue[] = [];
  const spec = parseDistribution(value, kind, issues);
  expect(issues).toEqual([]);
  return spec!;
}

function bad(value: unknown, kind: QuantityKind = 'duration'): DistributionIssue[] {
  const issues: DistributionIssue[] = [];
  expect(parseDistribution(value, kind, issues)).toBeUndefined();
  expect(issues.length).toBeGreaterThan(0);
  return issues;
}

describe('distribution forms', () => {
  it('a bare value is a constant in base units', () => {
    expect(ok('250ms')).toEqual({ dist: 'constant', value: 250 });
    expect(ok('16KB', 'size')).toEqual({ dist: 'constant', value: 16384 });
    expect(ok({ dist: 'constant', value: '2s' })).toEqual({ dist: 'constant', value: 2000 });
  });

  it('exponential, uniform, normal and pareto convert their quantities', () => {
    expect(ok({ dist: 'exponential', mean: '100ms' })).toEqual({ dist: 'exponential', mean: 100 });
    expect(ok({ dist: 'uniform', min: '1KB', max: '1MB' }, 'size')).toEqual({ dist: 'uniform', min: 1024, max: 1024 ** 2 });
    expect(ok({ dist: 'normal', mean: '1s', stddev: '100ms' })).toEqual({ dist: 'normal', mean: 1000, stddev: 100 });
    expect(ok({ dist: 'pareto', scale: '10ms', shape: 1.5 })).toEqual({ dist: 'pareto', scale: 10, shape: 1.5 });
  });

  it('lognormal by median and p99 matches lognormalFromMedianP99 in ms', () => {
    expect(ok({ dist: 'lognormal', median: '50ms', p99: '0.4s' })).toEqual(lognormalFromMedianP99(50, 400));
  });

  it('lognormal by mu and sigma takes them as parameters of ln(ms)', () => {
    expect(ok({ dist: 'lognormal', mu: 3.9, sigma: 0.5 })).toEqual({ dist: 'lognormal', mu: 3.9, sigma: 0.5 });
  });

  it('empirical quantiles become sorted probability points in base units', () => {
    const spec = ok({ dist: 'empirical', quantiles: { p100: '2s', p0: '1ms', p99: '300ms', 'p99.9': '1s', p50: '20ms' } });
    expect(spec).toEqual({
      dist: 'empirical',
      points: [
        { p: 0, value: 1 },
        { p: 0.5, value: 20 },
        { p: 0.99, value: 300 },
        { p: 0.999, value: 1000 },
        { p: 1, value: 2000 },
      ],
    });
    expect(() => makeDistribution(spec)).not.toThrow();
  });

  it('a mixture keeps weights and nests any form', () => {
    const spec = ok({
      dist: 'mixture',
      of: [
        { weight: 9, dist: 'lognormal', median: '10ms', p99: '50ms' },
        { weight: 1, dist: 'mixture', of: [{ weight: 1, dist: 'constant', value: '2s' }] },
      ],
    });
    expect(spec).toEqual({
      dist: 'mixture',
      of: [
        { weight: 9, spec: lognormalFromMedianP99(10, 50) },
        { weight: 1, spec: { dist: 'mixture', of: [{ weight: 1, spec: { dist: 'constant', value: 2000 } }] } },
      ],
    });
    expect(makeDistribution(spec).mean).toBeGreaterThan(0);
  });
});

describe('distribution errors', () => {
  it('requires units inside distributions too', () => {
    const [issue] = bad({ dist: 'exponential', mean: 100 });
    expect(issue!.path).toEqual(['mean']);
    expect(issue!.message).toBe('a bare number has no unit');
  });

  it('takes size units for sizes, not durations', () => {
    expect(bad({ dist: 'uniform', min: '1ms', max: '2ms' }, 'size').map((i) => i.path)).toEqual([['min'], ['max']]);
  });

  it('refuses p99 below the median', () => {
    const [issue] = bad({ dist: 'lognormal', median: '400ms', p99: '50ms' });
    expect(issue!.path).toEqual(['p99']);
    expect(issue!.message).toContain('below the median');
  });

  it('refuses mixing median/p99 with mu/sigma, and a negative sigma', () => {
    expect(bad({ dist: 'lognormal', median: '1ms', p99: '2ms', sigma: 1 })[0]!.message).toContain('not both');
    expect(bad({ dist: 'lognormal', mu: 1, sigma: -1 })[0]!.path).toEqual(['sigma']);
  });

  it('refuses min above max', () => {
    expect(bad({ dist: 'uniform', min: '50ms', max: '10ms' })[0]!.message).toContain('max (10ms) is below min (50ms)');
  });

  it('refuses a non-positive pareto scale or shape', () => {
    expect(bad({ dist: 'pareto', scale: '0ms', shape: 1 })[0]!.path).toEqual(['scale']);
    expect(bad({ dist: 'pareto', scale: '1ms', shape: 0 })[0]!.path).toEqual(['shape']);
  });

  it('refuses negative quantities', () => {
    expect(bad('-5ms')[0]!.message).toContain('must not be negative');
  });

  it('empirical needs p0 and p100, pNN keys and non-decreasing values', () => {
    expect(bad({ dist: 'empirical', quantiles: { p50: '1ms', p100: '2ms' } })[0]!.path).toEqual(['quantiles', 'p0']);
    expect(bad({ dist: 'empirical', quantiles: { p0: '1ms', median: '2ms', p100: '3ms' } })[0]!.message).toContain('not a quantile key');
    expect(bad({ dist: 'empirical', quantiles: { p0: '1ms', p101: '2ms', p100: '3ms' } })[0]!.path).toEqual(['quantiles', 'p101']);
    const [decreasing] = bad({ dist: 'empirical', quantiles: { p0: '1ms', p50: '30ms', p90: '20ms', p100: '40ms' } });
    expect(decreasing!.path).toEqual(['quantiles', 'p90']);
    expect(decreasing!.message).toBe('p90 (20ms) is below p50 (30ms)');
  });

  it('a mixture needs components with positive weights', () => {
    expect(bad({ dist: 'mixture', of: [] })[0]!.path).toEqual(['of']);
    expect(bad({ dist: 'mixture', of: [{ dist: 'constant', value: '1ms' }] })[0]!.path).toEqual(['of', 0, 'weight']);
    expect(bad({ dist: 'mixture', of: [{ weight: -1, dist: 'constant', value: '1ms' }] })[0]!.path).toEqual(['of', 0, 'weight']);
    expect(bad({ dist: 'mixture', of: ['1ms'] })[0]!.path).toEqual(['of', 0]);
  });

  it('suggests the intended form and keys', () => {
    expect(bad({ dist: 'lognormel', median: '1ms', p99: '2ms' })[0]!.message).toContain('did you mean `lognormal`?');
    const [typo] = bad({ dist: 'lognormal', median: '1ms', p90: '2ms' });
    expect(typo!.path).toEqual(['p90']);
    expect(typo!.message).toContain('did you mean `p99`?');
    expect(bad({ mean: '1ms' })[0]!.path).toEqual(['dist']);
  });
});

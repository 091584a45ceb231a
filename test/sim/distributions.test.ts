import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/sim/rng.js';
import { lognormalFromMedianP99, makeDistribution, type DistributionSpec } from '../../src/sim/distributions.js';

function moments(spec: DistributionSpec, n = 200000, seed = 11) {
  const d = makeDistribution(spec);
  const rng = createRng(seed, JSON.stringify(spec));
  const xs = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    xs[i] = d.sample(rng);
    sum += xs[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  xs.sort();
  return { d, mean, variance: ss / (n - 1), quantile: (q: number) => xs[Math.floor(q * (n - 1))]! };
}

describe('distributions', () => {
  it('constant always returns its value', () => {
    const m = moments({ dist: 'constant', value: 42 }, 100);
    expect(m.mean).toBe(42);
    expect(m.variance).toBe(0);
  });

  it('uniform has mean (a+b)/2 and variance (b−a)²/12', () => {
    const m = moments({ dist: 'uniform', min: 10, max: 50 });
    expect(m.d.mean).toBe(30);
    expect(m.mean).toBeCloseTo(30, 0);
    expect(m.variance / ((40 * 40) / 12)).toBeCloseTo(1, 1);
    expect(m.quantile(0)).toBeGreaterThanOrEqual(10);
    expect(m.quantile(1)).toBeLessThan(50);
  });

  it('exponential has mean = stddev = the given mean', () => {
    const m = moments({ dist: 'exponential', mean: 100 });
    expect(m.mean / 100).toBeCloseTo(1, 1);
    expect(Math.sqrt(m.variance) / 100).toBeCloseTo(1, 1);
    expect(m.quantile(0.5) / (100 * Math.LN2)).toBeCloseTo(1, 1);
  });

  it('normal has the given mean and stddev', () => {
    const m = moments({ dist: 'normal', mean: 200, stddev: 20 });
    expect(m.mean).toBeCloseTo(200, 0);
    expect(Math.sqrt(m.variance) / 20).toBeCloseTo(1, 1);
  });

  it('lognormal by median and p99 reproduces both quantiles', () => {
    const spec = lognormalFromMedianP99(50, 400);
    const m = moments(spec, 400000);
    expect(m.quantile(0.5) / 50).toBeCloseTo(1, 1);
    expect(m.quantile(0.99) / 400).toBeCloseTo(1, 1);
    expect(m.mean / m.d.mean).toBeCloseTo(1, 1);
  });

  it('pareto has mean shape·scale/(shape−1) and nothing below its scale', () => {
    const m = moments({ dist: 'pareto', scale: 10, shape: 3 }, 400000);
    expect(m.d.mean).toBe(15);
    expect(m.mean / 15).toBeCloseTo(1, 1);
    expect(m.quantile(0)).toBeGreaterThanOrEqual(10);
    expect(makeDistribution({ dist: 'pareto', scale: 1, shape: 1 }).mean).toBe(Infinity);
  });

  it('empirical interpolates between quantiles', () => {
    const spec: DistributionSpec = {
      dist: 'empirical',
      points: [
        { p: 0, value: 0 },
        { p: 0.5, value: 100 },
        { p: 0.9, value: 200 },
        { p: 1, value: 1000 },
      ],
    };
    const m = moments(spec);
    expect(m.quantile(0.5) / 100).toBeCloseTo(1, 1);
    expect(m.quantile(0.9) / 200).toBeCloseTo(1, 1);
    expect(m.d.mean).toBeCloseTo(0.5 * 50 + 0.4 * 150 + 0.1 * 600, 9);
    expect(m.mean / m.d.mean).toBeCloseTo(1, 1);
  });

  it('mixture draws each component by weight', () => {
    const spec: DistributionSpec = {
      dist: 'mixture',
      of: [
        { weight: 3, spec: { dist: 'constant', value: 10 } },
        { weight: 1, spec: { dist: 'constant', value: 1000 } },
      ],
    };
    const m = moments(spec);
    expect(m.d.mean).toBeCloseTo(257.5, 9);
    expect(m.mean / 257.5).toBeCloseTo(1, 1);
    expect(m.quantile(0.74)).toBe(10);
    expect(m.quantile(0.76)).toBe(1000);
  });
});

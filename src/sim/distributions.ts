/**
 * Probability distributions for durations, sizes and anything else a scenario draws. A `DistributionSpec`
 * is plain data (already converted to base units by the scenario layer: milliseconds or bytes); `makeDistribution`
 * turns it into a `Distribution` that samples from a stream passed in by the caller, so the distribution
 * itself holds no randomness.
 *
 * Lognormal by median and p99: mu = ln(median), sigma = (ln(p99) − mu) / z(0.99), with z(0.99) = 2.326348.
 * Empirical by quantiles: the inverse CDF is linear between the given (probability, value) points.
 */
import { assert } from './assert.js';
import type { Rng } from './rng.js';

export type DistributionSpec =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; mu: number; sigma: number }
  | { dist: 'pareto'; scale: number; shape: number }
  | { dist: 'empirical'; points: { p: number; value: number }[] }
  | { dist: 'mixture'; of: { weight: number; spec: DistributionSpec }[] };

export interface Distribution {
  sample(rng: Rng): number;
  /** The exact mean (Infinity for a Pareto with shape ≤ 1). */
  readonly mean: number;
  readonly spec: DistributionSpec;
}

/** z such that Φ(z) = 0.99. */
export const Z_99 = 2.3263478740408408;

export function lognormalFromMedianP99(median: number, p99: number): DistributionSpec {
  assert(median > 0, 'lognormal median must be positive');
  assert(p99 >= median, 'lognormal p99 must not be below the median');
  const mu = Math.log(median);
  return { dist: 'lognormal', mu, sigma: (Math.log(p99) - mu) / Z_99 };
}

export function constant(value: number): DistributionSpec {
  return { dist: 'constant', value };
}

export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.dist) {
    case 'constant': {
      const value = spec.value;
      return { spec, mean: value, sample: () => value };
    }
    case 'uniform': {
      const { min, max } = spec;
      assert(max >= min, 'uniform max must not be below min');
      const width = max - min;
      return { spec, mean: (min + max) / 2, sample: (rng) => min + rng.nextFloat() * width };
    }
    case 'exponential': {
      const mean = spec.mean;
      assert(mean >= 0, 'exponential mean must not be negative');
      return { spec, mean, sample: (rng) => exponential(rng, mean) };
    }
    case 'normal': {
      const { mean, stddev } = spec;
      assert(stddev >= 0, 'normal stddev must not be negative');
      return { spec, mean, sample: (rng) => mean + stddev * rng.nextGaussian() };
    }
    case 'lognormal': {
      const { mu, sigma } = spec;
      assert(sigma >= 0, 'lognormal sigma must not be negative');
      return { spec, mean: Math.exp(mu + (sigma * sigma) / 2), sample: (rng) => Math.exp(mu + sigma * rng.nextGaussian()) };
    }
    case 'pareto': {
      const { scale, shape } = spec;
      assert(scale > 0, 'pareto scale must be positive');
      assert(shape > 0, 'pareto shape must be positive');
      const inverseShape = 1 / shape;
      return {
        spec,
        mean: shape > 1 ? (shape * scale) / (shape - 1) : Infinity,
        // 1 − U is in (0, 1], so the power never divides by zero.
        sample: (rng) => scale / Math.pow(1 - rng.nextFloat(), inverseShape),
      };
    }
    case 'empirical':
      return makeEmpirical(spec);
    case 'mixture':
      return makeMixture(spec);
  }
}

/** Exponential variate by inversion; `1 − U` keeps the logarithm finite. */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.nextFloat());
}

/** Index drawn with probability proportional to `weights[i]`. */
export function weightedPick(rng: Rng, cumulativeWeights: Float64Array): number {
  const total = cumulativeWeights[cumulativeWeights.length - 1]!;
  const u = rng.nextFloat() * total;
  let lo = 0;
  let hi = cumulativeWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulativeWeights[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function makeEmpirical(spec: Extract<DistributionSpec, { dist: 'empirical' }>): Distribution {
  const points = spec.points;
  assert(points.length >= 2, 'empirical distribution needs at least two quantiles');
  assert(points[0]!.p === 0, 'empirical distribution must start at p0');
  assert(points[points.length - 1]!.p === 1, 'empirical distribution must end at p100');
  const ps = Float64Array.from(points, (q) => q.p);
  const values = Float64Array.from(points, (q) => q.value);
  let mean = 0;
  for (let i = 1; i < ps.length; i++) {
    assert(ps[i]! > ps[i - 1]!, 'empirical quantile probabilities must increase');
    assert(values[i]! >= values[i - 1]!, 'empirical quantile values must not decrease');
    mean += ((ps[i]! - ps[i - 1]!) * (values[i]! + values[i - 1]!)) / 2;
  }
  return {
    spec,
    mean,
    sample: (rng) => {
      const u = rng.nextFloat();
      let i = 1;
      while (ps[i]! < u) i++;
      const p0 = ps[i - 1]!;
      return values[i - 1]! + ((u - p0) / (ps[i]! - p0)) * (values[i]! - values[i - 1]!);
    },
  };
}

function makeMixture(spec: Extract<DistributionSpec, { dist: 'mixture' }>): Distribution {
  assert(spec.of.length > 0, 'mixture needs at least one component');
  const parts = spec.of.map((c) => makeDistribution(c.spec));
  const cumulative = new Float64Array(spec.of.length);
  let total = 0;
  spec.of.forEach((c, i) => {
    assert(c.weight > 0, 'mixture weights must be positive');
    total += c.weight;
    cumulative[i] = total;
  });
  const mean = spec.of.reduce((sum, c, i) => sum + (c.weight / total) * parts[i]!.mean, 0);
  return { spec, mean, sample: (rng) => parts[weightedPick(rng, cumulative)]!.sample(rng) };
}

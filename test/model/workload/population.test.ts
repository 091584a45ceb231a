/**
 * workload.population: the generated marginals against their targets (Kolmogorov–Smirnov and quantile checks),
 * the azure2019 fits against the published figures, determinism per seed, and that adding a population does
 * not shift the random streams of listed actions.
 */
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../../src/sim/rng.js';
import { generatePopulation } from '../../../src/model/workload/Population.js';
import { AZURE2019_INVOCATIONS_PER_DAY, AZURE2019_MEMORY_MB, AZURE2019_RUN_TIME_MS, logCdf, logQuantile } from '../../../src/model/workload/azure2019.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import { unlistedActionFields } from '../../../src/scenario/resolve.js';
import { runScenario } from '../../../src/runScenario.js';
import type { ActionConfig, PopulationConfig } from '../../../src/scenario/types.js';

const base: PopulationConfig = {
  actions: 10_000,
  namespaces: 200,
  seedStream: 'population',
  popularity: { dist: 'azure2019' },
  ratePerSec: 3000,
  durationMs: 'azure2019',
  durationSpread: 4,
  memoryBytes: 'azure2019',
  arrivals: { cv: 'azure2019', cycle: null },
  blackboxFraction: 0.1,
  kind: 'nodejs:6',
  timeoutMs: 60_000,
  actionFields: unlistedActionFields(),
};

const generate = (config: Partial<PopulationConfig> = {}, seed = 1, userMemoryMb = 1_000_000): ActionConfig[] => {
  const streams = new RngStreams(seed);
  return generatePopulation({ ...base, ...config }, (name) => streams.stream(name), userMemoryMb);
};

const rateOf = (a: ActionConfig): number => {
  const s = a.arrivals;
  return s.process === 'poisson' || s.process === 'renewal' ? s.ratePerSec : s.process === 'diurnal' ? s.meanPerSec : NaN;
};
const cvOf = (a: ActionConfig): number => (a.arrivals.process === 'poisson' ? 1 : a.arrivals.process === 'renewal' || a.arrivals.process === 'diurnal' ? a.arrivals.cv : NaN);
const medianOf = (a: ActionConfig): number => (a.durationMs.dist === 'lognormal' ? Math.exp(a.durationMs.mu) : NaN);

/** Largest distance between the sample's empirical CDF and `cdf`. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const xs = [...sample].sort((a, b) => a - b);
  let d = 0;
  xs.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / xs.length), Math.abs(f - (i + 1) / xs.length));
  });
  return d;
}

/** Kolmogorov's critical value at α = 0.001: a correct generator exceeds it once in a thousand seeds. */
const ksCritical = (n: number) => 1.95 / Math.sqrt(n);

describe('azure2019 fits reproduce the published figures', () => {
  it('invocations per day: 45% at most hourly, 81% at most once a minute, eight orders of magnitude', () => {
    expect(logCdf(AZURE2019_INVOCATIONS_PER_DAY, 24)).toBeCloseTo(0.45, 9);
    expect(logCdf(AZURE2019_INVOCATIONS_PER_DAY, 1440)).toBeCloseTo(0.81, 9);
    expect(Math.log10(logQuantile(AZURE2019_INVOCATIONS_PER_DAY, 1) / logQuantile(AZURE2019_INVOCATIONS_PER_DAY, 0))).toBeCloseTo(8, 6);
  });

  it('invocations per day: the most popular 18.6% receive 99.6% of invocations (quasi-random sample of the fit)', () => {
    const n = 1_000_000;
    const xs = Array.from({ length: n }, (_, i) => logQuantile(AZURE2019_INVOCATIONS_PER_DAY, (i + 0.5) / n)).sort((a, b) => b - a);
    const total = xs.reduce((a, b) => a + b, 0);
    const top = xs.slice(0, Math.round(0.186 * n)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.994);
    expect(top / total).toBeLessThan(0.998);
  });

  it('run time: half under 1 s; memory: half at most 170 MB, 90% at most 400 MB', () => {
    expect(logCdf(AZURE2019_RUN_TIME_MS, 1000)).toBeCloseTo(0.5, 9);
    expect(logCdf(AZURE2019_MEMORY_MB, 170)).toBeCloseTo(0.5, 9);
    expect(logCdf(AZURE2019_MEMORY_MB, 400)).toBeCloseTo(0.9, 9);
  });
});

describe('generatePopulation', () => {
  const actions = generate();

  it('names, namespaces and total rate', () => {
    expect(actions).toHaveLength(10_000);
    expect(actions[0]!.name).toBe('pop-ns000/fn0000');
    expect(actions[9_999]!.name).toBe('pop-ns199/fn9999');
    expect(new Set(actions.map((a) => a.namespace)).size).toBe(200);
    expect(actions.reduce((s, a) => s + rateOf(a), 0)).toBeCloseTo(3000, 6);
  });

  it('per-action median run times follow the azure2019 fit (KS)', () => {
    const d = ksDistance(actions.map(medianOf), (x) => logCdf(AZURE2019_RUN_TIME_MS, x));
    expect(d).toBeLessThan(ksCritical(actions.length));
  });

  it('memory follows the azure2019 fit (whole MB, rounded up): p50 and p90 within 5% (about 4 standard errors)', () => {
    const mb = actions.map((a) => a.memoryMb).sort((a, b) => a - b);
    expect(Math.abs(mb[5_000]! / 170 - 1)).toBeLessThan(0.05);
    expect(Math.abs(mb[9_000]! / 400 - 1)).toBeLessThan(0.05);
    // Rounding up moves each value by less than 1 MB, so a KS test on value − 1 and value brackets the fit.
    expect(ksDistance(mb.map((x) => x - 0.5), (x) => logCdf(AZURE2019_MEMORY_MB, x))).toBeLessThan(ksCritical(mb.length) + 0.01);
    expect(mb.every(Number.isInteger)).toBe(true);
  });

  it('popularity keeps the published skew: the top 18.6% of actions carry ≥ 99% of the rate', () => {
    const rates = actions.map(rateOf).sort((a, b) => b - a);
    const top = rates.slice(0, 1860).reduce((a, b) => a + b, 0);
    expect(top / 3000).toBeGreaterThan(0.99);
  });

  it('azure2019 arrivals: 16% timers (CV 0), the rest Poisson; blackbox fraction as asked', () => {
    const timers = actions.filter((a) => cvOf(a) === 0).length / actions.length;
    expect(Math.abs(timers - 0.16)).toBeLessThan(4 * Math.sqrt((0.16 * 0.84) / actions.length));
    expect(actions.every((a) => cvOf(a) === 0 || cvOf(a) === 1)).toBe(true);
    const blackbox = actions.filter((a) => a.kind === 'blackbox' && a.pull === true).length / actions.length;
    expect(Math.abs(blackbox - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / actions.length));
  });

  it('zipf popularity: rate ∝ 1/(i+1)^s; given distributions are used as given; memory capped at the invoker', () => {
    const z = generate({ actions: 100, popularity: { dist: 'zipf', s: 1.1 }, arrivals: { cv: 1, cycle: null }, durationMs: { dist: 'constant', value: 40 }, memoryBytes: { dist: 'constant', value: 3000 * 1024 * 1024 } }, 1, 2048);
    expect(rateOf(z[0]!) / rateOf(z[9]!)).toBeCloseTo(10 ** 1.1, 6);
    expect(z.every((a) => a.arrivals.process === 'poisson' && medianOf(a) === 40 && a.memoryMb === 2048)).toBe(true);
  });

  it('a cycle makes every action diurnal with its own mean rate', () => {
    const c = generate({ actions: 50, arrivals: { cv: 2, cycle: { amplitude: 0.5, periodMs: 86_400_000, peakAtMs: 0 } } });
    expect(c.every((a) => a.arrivals.process === 'diurnal' && a.arrivals.cv === 2 && a.arrivals.amplitude === 0.5)).toBe(true);
  });

  it('is deterministic per seed and per stream name; each marginal has its own stream', () => {
    expect(generate({ actions: 500 })).toEqual(generate({ actions: 500 }));
    expect(generate({ actions: 500 }, 2)).not.toEqual(generate({ actions: 500 }));
    expect(generate({ actions: 500, seedStream: 'other' })).not.toEqual(generate({ actions: 500 }));
    // Changing the memory distribution leaves popularity and run times as they were.
    const a = generate({ actions: 500 });
    const b = generate({ actions: 500, memoryBytes: { dist: 'constant', value: 128 * 1024 * 1024 } });
    expect(b.map(rateOf)).toEqual(a.map(rateOf));
    expect(b.map(medianOf)).toEqual(a.map(medianOf));
  });
});

describe('a population in a scenario', () => {
  const listed = `
name: mixed
duration: 20s
drain: 1m
invokers: { count: 8, userMemory: 8GB }
workload:
  actions:
    - name: guest/listed
      duration: { dist: lognormal, median: 20ms, p99: 200ms }
      arrivals: 50/s
`;
  const withPopulation = `${listed}  population: { actions: 300, rate: 100/s, duration: { dist: lognormal, median: 30ms, p99: 300ms } }
`;

  /** (arrival time, run time) of every activation of action 0 in a run. */
  function listedDraws(text: string): [number, number][] {
    const draws: [number, number][] = [];
    runScenario(parseScenarioText(text, 'mixed.yaml'), {
      instrument: (cluster) => {
        const metrics = cluster.metrics;
        const arrivedAt = metrics.arrivedAt.bind(metrics);
        metrics.arrivedAt = (record) => {
          if (record.actionIndex === 0) draws.push([record.arrivalMs, record.durationMs]);
          arrivedAt(record);
        };
      },
    });
    return draws;
  }

  it('adding a population does not shift the listed action\'s arrivals or run times', () => {
    const alone = listedDraws(listed);
    expect(alone.length).toBeGreaterThan(800);
    expect(listedDraws(withPopulation)).toEqual(alone);
  });

  it('runs standalone (no actions: list) and its actions arrive', () => {
    const text = `
name: standalone
duration: 20s
drain: 1m
invokers: { count: 8, userMemory: 8GB }
workload:
  population: { actions: 200, rate: 100/s, duration: 20ms, memory: 128MB }
`;
    const out = runScenario(parseScenarioText(text, 'standalone.yaml'));
    expect(Math.abs(out.summary.activations.arrived - 2000)).toBeLessThan(5 * Math.sqrt(2000));
    expect(out.summary.activations.completed).toBe(out.summary.activations.arrived);
  });
});

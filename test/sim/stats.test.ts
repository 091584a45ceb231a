import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/sim/LatencyHistogram.js';
import { TimeWeightedGauge } from '../../src/sim/TimeWeightedGauge.js';
import { Sampler } from '../../src/sim/Sampler.js';
import { Simulation } from '../../src/sim/Simulation.js';

describe('LatencyHistogram', () => {
  it('gives quantiles within 0.1% and an exact mean and max', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 100000; i++) h.record(i / 10); // 0.1 … 10000 ms
    const s = h.summary();
    expect(s.count).toBe(100000);
    expect(s.mean).toBeCloseTo(5000.05, 3);
    expect(s.max).toBe(10000);
    for (const [q, v] of [
      [s.p50, 5000],
      [s.p90, 9000],
      [s.p99, 9900],
      [s.p999, 9990],
    ] as const) {
      expect(Math.abs(q - v) / v).toBeLessThan(0.001);
    }
  });

  it('handles zeros and an empty histogram', () => {
    const empty = new LatencyHistogram().summary();
    expect(empty).toEqual({ count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 });
    const h = new LatencyHistogram();
    h.record(0);
    h.record(0);
    expect(h.summary().p50).toBe(0);
  });
});

describe('TimeWeightedGauge', () => {
  it('weights each level by how long it held', () => {
    const g = new TimeWeightedGauge(0);
    g.set(0, 2); // 2 for 10 ms
    g.set(10, 6); // 6 for 30 ms
    g.set(40, 0); // 0 for 60 ms
    expect(g.mean(100)).toBeCloseTo((2 * 10 + 6 * 30) / 100, 12);
    expect(g.max).toBe(6);
  });

  it('resetWindow restarts the average but keeps the level', () => {
    const g = new TimeWeightedGauge(0);
    g.set(0, 100);
    g.resetWindow(50);
    g.set(60, 0);
    expect(g.mean(70)).toBeCloseTo(50, 12);
  });
});

describe('Sampler', () => {
  it('samples at fixed intervals after every event of the instant', () => {
    const sim = new Simulation({ seed: 1 });
    let level = 0;
    const samples: [number, number][] = [];
    new Sampler(sim, 10, (t) => samples.push([t, level]), 30).start();
    sim.schedule(10, () => (level = 5)); // same instant as the first sample: the sample must see it
    sim.schedule(25, () => (level = 7));
    sim.run();
    expect(samples).toEqual([
      [10, 5],
      [20, 5],
      [30, 7],
    ]);
  });
});

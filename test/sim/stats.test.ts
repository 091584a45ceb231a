import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { HDR_OPTIONS, LatencyHistogram } from '../../src/sim/LatencyHistogram.js';
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

  it('gives the same quantiles and CDF as recording each value into the HdrHistogram directly', () => {
    const direct = hdr.build(HDR_OPTIONS);
    const h = new LatencyHistogram();
    let x = 12345;
    const values = [0, 0.0004, 0.001, 1.023, 1.024, 2.047, 2.048, 2.049, 4.095, 4.096, 2 ** 31 / 1000 - 0.001, 2 ** 31 / 1000, 5e6];
    for (let i = 0; i < 200000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // Log-uniform over 1 µs … ~1.5 hours, so every bucket magnitude is hit.
      values.push(Math.exp((x / 2 ** 32) * 22.4) / 1000);
    }
    for (let i = 0; i < values.length; i++) {
      h.record(values[i]!);
      direct.recordValue(Math.round(values[i]! * 1000));
      if (i === 1000) expect(h.percentile(99)).toBe(direct.getValueAtPercentile(99) / 1000); // a read mid-way
    }
    for (const q of [0, 1, 10, 50, 90, 95, 99, 99.9, 99.99, 100]) expect(h.percentile(q)).toBe(direct.getValueAtPercentile(q) / 1000);
    const reference = new LatencyHistogram();
    (reference as unknown as { histogram: unknown }).histogram = direct;
    (reference as unknown as { count: number }).count = values.length;
    expect(h.cdfPoints()).toEqual(reference.cdfPoints());
    // Bucket by bucket: every value landed where the HdrHistogram would have put it.
    type Counts = { countsArrayLength: number; getCountAtIndex(i: number): number };
    const mine = (h as unknown as { histogram: Counts }).histogram;
    const theirs = direct as unknown as Counts;
    const length = Math.max(mine.countsArrayLength, theirs.countsArrayLength);
    let differing = 0;
    for (let i = 0; i < length; i++) {
      const a = i < mine.countsArrayLength ? mine.getCountAtIndex(i) : 0;
      const b = i < theirs.countsArrayLength ? theirs.getCountAtIndex(i) : 0;
      if (a !== b) differing++;
    }
    expect(differing).toBe(0);
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

/**
 * The arrival processes of ArrivalClocks.ts against theory over long runs. Tolerances are stated per test; each
 * is several standard errors of its estimator at the sample size used, so a correct generator fails with a
 * probability far below one in a million, while an off-by-a-factor bug (a wrong rate, a CV of 1 instead of 3,
 * a stepwise ramp) lies far outside.
 */
import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../../src/sim/rng.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { arrivalClock, DiurnalIntensity, MmppClock, StagesIntensity, UnitGaps } from '../../../src/model/workload/ArrivalClocks.js';
import { ArrivalProcess } from '../../../src/model/workload/ArrivalProcess.js';
import type { ArrivalSpec } from '../../../src/scenario/types.js';

const rng = (name: string, seed = 1) => new RngStreams(seed).stream(name);

function times(spec: ArrivalSpec, endMs: number, seed = 1, timeScale = 1): number[] {
  const clock = arrivalClock(spec, rng('a', seed), timeScale)!;
  const out: number[] = [];
  for (let t = clock.next(); t < endMs; t = clock.next()) out.push(t);
  return out;
}

function gapStats(ts: readonly number[]): { mean: number; cv: number } {
  let sum = 0;
  let sq = 0;
  const n = ts.length - 1;
  for (let i = 1; i < ts.length; i++) {
    const g = ts[i]! - ts[i - 1]!;
    sum += g;
    sq += g * g;
  }
  const mean = sum / n;
  return { mean, cv: Math.sqrt(sq / n - mean * mean) / mean };
}

/** Counts per bin of width `binMs` over [0, endMs). */
function counts(ts: readonly number[], binMs: number, endMs: number): number[] {
  const c = new Array<number>(Math.ceil(endMs / binMs)).fill(0);
  for (const t of ts) c[Math.floor(t / binMs)]!++;
  return c;
}

/** Every bin within 5 Poisson standard deviations of its expectation, and the dispersion (χ²/bins) near 1. */
function expectPoissonCounts(observed: readonly number[], expected: readonly number[]): void {
  let chi2 = 0;
  observed.forEach((o, i) => {
    const e = expected[i]!;
    expect(Math.abs(o - e)).toBeLessThanOrEqual(5 * Math.sqrt(e) + 1);
    chi2 += e > 0 ? ((o - e) * (o - e)) / e : o;
  });
  // χ² with k degrees of freedom has mean k and sd √(2k).
  const k = observed.length;
  expect(Math.abs(chi2 - k)).toBeLessThan(5 * Math.sqrt(2 * k));
}

describe('UnitGaps: mean 1 and the target CV', () => {
  // 400 000 gaps: the mean's standard error is cv/632; the CV estimator's is under 2% even for the
  // hyperexponential's heavy fourth moment at cv 3; tolerances are 4-5 of those.
  for (const cv of [0, 0.25, 0.5, 1, 2, 3]) {
    it(`cv ${cv}`, () => {
      const gaps = new UnitGaps(cv);
      const r = rng(`gaps${cv}`);
      const n = 400_000;
      let sum = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const g = gaps.gap(r);
        if (!(g >= 0)) throw new Error(`negative gap ${g}`);
        sum += g;
        sq += g * g;
      }
      const mean = sum / n;
      const measuredCv = Math.sqrt(Math.max(0, sq / n - mean * mean)) / mean;
      expect(Math.abs(mean - 1)).toBeLessThan(Math.max(1e-9, (5 * cv) / Math.sqrt(n)));
      expect(Math.abs(measuredCv - cv)).toBeLessThan(cv === 0 ? 1e-6 : 0.05 * cv);
    });
  }

  it('the first gap is the stationary residual: mean (1 + cv²) / 2', () => {
    for (const cv of [0, 0.5, 1, 3]) {
      const gaps = new UnitGaps(cv);
      const r = rng(`residual${cv}`);
      const n = 200_000;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += gaps.residual(r);
      const expected = (1 + cv * cv) / 2;
      expect(Math.abs(sum / n / expected - 1)).toBeLessThan(0.03);
    }
  });
});

describe('renewal arrivals', () => {
  it('rate and CV of the gaps match the spec (cv 0.5 and 3, 100 000 s at 2/s)', () => {
    for (const cv of [0.5, 3]) {
      const ts = times({ process: 'renewal', ratePerSec: 2, cv }, 100_000_000);
      // Count over 100 000 s: sd of the count ≈ cv·√(λT) = cv·447; 5 sd.
      expect(Math.abs(ts.length - 200_000)).toBeLessThan(5 * cv * 447);
      const s = gapStats(ts);
      expect(Math.abs(s.cv - cv) / cv).toBeLessThan(0.05);
    }
  });

  it('timers (cv 0) of many actions do not fire together: first arrivals spread uniformly over one period', () => {
    const firsts = Array.from({ length: 10_000 }, (_, i) => arrivalClock({ process: 'renewal', ratePerSec: 1, cv: 0 }, rng(`t${i}`), 1)!.next());
    expect(Math.max(...firsts)).toBeLessThan(1000);
    expectPoissonCounts(counts(firsts, 100, 1000), new Array(10).fill(1000));
  });
});

describe('stages (k6 ramping arrival rate)', () => {
  const spec: ArrivalSpec = {
    process: 'stages',
    startRatePerSec: 0,
    stages: [
      { forMs: 100_000, toPerSec: 500 },
      { forMs: 100_000, toPerSec: 500 },
      { forMs: 50_000, toPerSec: 0 },
    ],
    cv: 1,
  };

  it('counts follow the linear ramps exactly (not stepwise), Poisson dispersion, nothing after the last stage', () => {
    const ts = times(spec, 400_000);
    expect(ts[ts.length - 1]!).toBeLessThan(250_000);
    const binMs = 5_000;
    const rateAt = (t: number) => (t < 100_000 ? (500 * t) / 100_000 : t < 200_000 ? 500 : t < 250_000 ? (500 * (250_000 - t)) / 50_000 : 0);
    // Linear rate: the mean over a bin is the rate at its middle.
    const expected = Array.from({ length: 80 }, (_, i) => (rateAt((i + 0.5) * binMs) * binMs) / 1000);
    expectPoissonCounts(counts(ts, binMs, 400_000), expected);
    // Within the first 1 s of the ramp the rate is at most 5/s: a stepwise ramp at the stage's target would give 500.
    expect(ts.filter((t) => t < 1000).length).toBeLessThan(15);
  });

  it('timeScale divides the stage lengths', () => {
    const ts = times(spec, 400_000, 1, 10);
    expect(ts[ts.length - 1]!).toBeLessThan(25_000);
    expect(Math.abs(ts.length - 8_750)).toBeLessThan(5 * Math.sqrt(8_750));
  });

  it('inverts its cumulative intensity', () => {
    const intensity = new StagesIntensity(0.1, [{ forMs: 1000, toPerMs: 0.3 }, { forMs: 500, toPerMs: 0 }]);
    expect(intensity.total).toBeCloseTo(200 + 75, 9);
    expect(intensity.inverse(0)).toBe(0);
    // ∫0^x (0.1 + 0.0002 t) dt = 0.1x + 0.0001x² = 56 at x = 400.
    expect(intensity.inverse(56)).toBeCloseTo(400, 6);
    expect(intensity.inverse(200)).toBeCloseTo(1000, 6);
  });
});

describe('diurnal', () => {
  it('counts per phase follow mean·(1 + A cos(2π (t − peakAt)/period)), Poisson dispersion', () => {
    const spec: ArrivalSpec = { process: 'diurnal', meanPerSec: 100, amplitude: 0.6, periodMs: 1_000_000, peakAtMs: 700_000, cv: 1 };
    const periods = 10;
    const ts = times(spec, periods * 1_000_000);
    const bins = 50;
    const binMs = 1_000_000 / bins;
    const byPhase = new Array<number>(bins).fill(0);
    for (const t of ts) byPhase[Math.floor((t % 1_000_000) / binMs)]!++;
    const d = new DiurnalIntensity(0.1, 0.6, 1_000_000, 700_000);
    const expected = Array.from({ length: bins }, (_, i) => periods * (d.at((i + 1) * binMs) - d.at(i * binMs)));
    expectPoissonCounts(byPhase, expected);
    const peakBin = byPhase.indexOf(Math.max(...byPhase));
    expect(Math.abs(peakBin * binMs + binMs / 2 - 700_000)).toBeLessThanOrEqual(3 * binMs);
  });

  it('with timeScale a 24 h cycle runs in 10 minutes (timeScale 144)', () => {
    const spec: ArrivalSpec = { process: 'diurnal', meanPerSec: 50, amplitude: 1, periodMs: 86_400_000, peakAtMs: 0, cv: 1 };
    const ts = times(spec, 600_000, 2, 144);
    const c = counts(ts, 60_000, 600_000);
    // Peak at 0 and 10 min, trough at 5 min where the rate touches 0.
    expect(c[0]! + c[9]!).toBeGreaterThan(5 * (c[4]! + c[5]!));
    expect(Math.abs(ts.length - 30_000)).toBeLessThan(5 * Math.sqrt(30_000));
  });

  it('inverse is Λ⁻¹ to within 1e-3 ms', () => {
    const d = new DiurnalIntensity(0.2, 1, 10_000, 3_000);
    for (const t of [0, 1, 777, 5_000, 8_000.5, 123_456]) expect(d.inverse(d.at(t))).toBeCloseTo(t, 3);
  });
});

/** Interarrival moments of an MMPP(2): X is phase-type with D0 = Q − Λ, started in φ = πΛ / πλ. */
function mmppTheory(r: [number, number], d: [number, number]): { rate: number; cv: number } {
  const [q0, q1] = [1 / d[0], 1 / d[1]];
  const pi = [d[0] / (d[0] + d[1]), d[1] / (d[0] + d[1])];
  const rate = pi[0]! * r[0] + pi[1]! * r[1];
  const phi = [(pi[0]! * r[0]) / rate, (pi[1]! * r[1]) / rate];
  // −D0 = [[q0 + r0, −q0], [−q1, q1 + r1]]; M = (−D0)⁻¹.
  const a = q0 + r[0];
  const b = -q0;
  const c = -q1;
  const e = q1 + r[1];
  const det = a * e - b * c;
  const M = [[e / det, -b / det], [-c / det, a / det]];
  const m1 = [M[0]![0]! + M[0]![1]!, M[1]![0]! + M[1]![1]!];
  const ex = phi[0]! * m1[0]! + phi[1]! * m1[1]!;
  const m2 = [M[0]![0]! * m1[0]! + M[0]![1]! * m1[1]!, M[1]![0]! * m1[0]! + M[1]![1]! * m1[1]!];
  const ex2 = 2 * (phi[0]! * m2[0]! + phi[1]! * m2[1]!);
  return { rate, cv: Math.sqrt(ex2 - ex * ex) / ex };
}

describe('mmpp', () => {
  it('mean rate and interarrival CV match the phase-type theory', () => {
    const r: [number, number] = [0.02, 0.4]; // per ms: 20/s and 400/s
    const d: [number, number] = [5_000, 500];
    const theory = mmppTheory(r, d);
    const clock = new MmppClock(r, d, rng('mmpp'));
    const endMs = 20_000_000;
    const ts: number[] = [];
    for (let t = clock.next(); t < endMs; t = clock.next()) ts.push(t);
    // ≈ 3 600 on/off cycles: the rate's relative standard error is about 1.5%; 6% is 4 of them.
    expect(Math.abs(ts.length / endMs / theory.rate - 1)).toBeLessThan(0.06);
    expect(theory.cv).toBeGreaterThan(1.5);
    expect(Math.abs(gapStats(ts).cv / theory.cv - 1)).toBeLessThan(0.06);
  });

  it('the spec form runs through ArrivalProcess and timeScale shortens the sojourns, not the rates', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: number[] = [];
    const spec: ArrivalSpec = { process: 'mmpp', ratesPerSec: [20, 400], meanDurationsMs: [50_000, 5_000] };
    new ArrivalProcess(sim, spec, sim.rng('a'), 2_000_000, () => seen.push(sim.now), null, 10).start();
    sim.run();
    const theory = mmppTheory([0.02, 0.4], [5_000, 500]);
    expect(Math.abs(seen.length / 2_000_000 / theory.rate - 1)).toBeLessThan(0.15);
  });
});

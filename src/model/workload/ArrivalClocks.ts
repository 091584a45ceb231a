/**
 * Exact generators for the arrival processes beyond piecewise-constant Poisson (ArrivalProcess.ts keeps those):
 *
 * - `renewal`, `stages`, `diurnal` are a renewal process of unit mean run in *operational time*
 *   u = Λ(t), the expected number of arrivals in [0, t), and mapped back through Λ⁻¹ (inversion, the
 *   "time-change" construction). With `cv` 1 the unit gaps are exponential and the result is exactly the
 *   non-homogeneous Poisson process of intensity λ(t) = Λ'(t); other `cv`s keep the rate profile and give gaps
 *   of that CV where the rate is locally constant. The first arrival uses the renewal process's stationary
 *   residual (so many actions with the same period do not fire together at t = 0).
 * - `mmpp` is simulated directly: exponential sojourns in two states, Poisson arrivals at each state's rate.
 *   Both are memoryless, so a gap crossing a switch is redrawn at the switch (exact). The chain starts in its
 *   stationary distribution.
 *
 * Unit gaps with coefficient of variation c (mean 1): c = 0 constant; c < 1 gamma of shape 1/c²
 * (Marsaglia–Tsang); c = 1 exponential; c > 1 a two-phase hyperexponential with balanced means (each phase
 * contributes half the mean), the standard two-moment fit.
 *
 * Times are in simulated ms after `timeScale` (every time parameter of the process divided by it); rates stay
 * per simulated second.
 */
import type { ArrivalSpec } from '../../scenario/types.js';
import { exponential } from '../../sim/distributions.js';
import type { Rng } from '../../sim/rng.js';

/** A source of arrival instants: each `next()` is the first arrival after the previous one (after 0 on the first call). */
export interface ArrivalClock {
  /** Time of the next arrival, or Infinity when the process has no more. */
  next(): number;
}

/** Gaps of mean 1 and coefficient of variation `cv`, and the stationary residual for the first one. */
export class UnitGaps {
  private readonly shape: number;
  private readonly d: number;
  private readonly c: number;
  private readonly pFast: number;
  private readonly meanFast: number;
  private readonly meanSlow: number;

  constructor(readonly cv: number) {
    this.shape = cv > 0 && cv < 1 ? 1 / (cv * cv) : 1;
    this.d = this.shape - 1 / 3;
    this.c = 1 / Math.sqrt(9 * this.d);
    const scv = cv * cv;
    this.pFast = cv > 1 ? (1 + Math.sqrt((scv - 1) / (scv + 1))) / 2 : 1;
    // Balanced means: p / μ₁ = (1 − p) / μ₂ = 1/2.
    this.meanFast = this.pFast > 0 ? 0.5 / this.pFast : 0;
    this.meanSlow = this.pFast < 1 ? 0.5 / (1 - this.pFast) : 0;
  }

  gap(rng: Rng): number {
    const cv = this.cv;
    if (cv === 1) return exponential(rng, 1);
    if (cv === 0) return 1;
    if (cv < 1) return this.gamma(rng, this.d, this.c) / this.shape;
    return exponential(rng, rng.nextFloat() < this.pFast ? this.meanFast : this.meanSlow);
  }

  /** The forward recurrence time of the stationary renewal process (density (1 − F(x)) / mean). */
  residual(rng: Rng): number {
    const cv = this.cv;
    if (cv === 1) return exponential(rng, 1);
    if (cv === 0) return rng.nextFloat();
    if (cv < 1) {
      // U × (length-biased gap); a gamma(k, θ) gap is length-biased to gamma(k + 1, θ).
      const k1 = this.shape + 1;
      const d = k1 - 1 / 3;
      return (rng.nextFloat() * this.gamma(rng, d, 1 / Math.sqrt(9 * d))) / this.shape;
    }
    // Balanced means: each phase is half of the length-biased mass; within a phase the residual is exponential.
    return exponential(rng, rng.nextFloat() < 0.5 ? this.meanFast : this.meanSlow);
  }

  /** Marsaglia–Tsang gamma of shape d + 1/3 ≥ 1 and scale 1. */
  private gamma(rng: Rng, d: number, c: number): number {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = rng.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng.nextFloat();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }
}

/** A cumulative intensity Λ (expected arrivals since 0) and its inverse; `total` may be Infinity. */
export interface CumulativeIntensity {
  readonly total: number;
  inverse(u: number): number;
}

class LinearIntensity implements CumulativeIntensity {
  readonly total = Infinity;
  constructor(private readonly ratePerMs: number) {}
  inverse(u: number): number {
    return u / this.ratePerMs;
  }
}

/** Piecewise-linear rate (k6 stages); Λ is piecewise quadratic and inverted in closed form. */
export class StagesIntensity implements CumulativeIntensity {
  readonly total: number;
  private readonly startMs: Float64Array;
  private readonly lengthMs: Float64Array;
  private readonly fromRate: Float64Array;
  private readonly slope: Float64Array;
  private readonly massBefore: Float64Array;
  private segment = 0;

  constructor(startRatePerMs: number, stages: readonly { forMs: number; toPerMs: number }[]) {
    const n = stages.length;
    this.startMs = new Float64Array(n);
    this.lengthMs = new Float64Array(n);
    this.fromRate = new Float64Array(n);
    this.slope = new Float64Array(n);
    this.massBefore = new Float64Array(n + 1);
    let t = 0;
    let rate = startRatePerMs;
    for (let i = 0; i < n; i++) {
      const { forMs, toPerMs } = stages[i]!;
      this.startMs[i] = t;
      this.lengthMs[i] = forMs;
      this.fromRate[i] = rate;
      this.slope[i] = (toPerMs - rate) / forMs;
      this.massBefore[i + 1] = this.massBefore[i]! + ((rate + toPerMs) / 2) * forMs;
      t += forMs;
      rate = toPerMs;
    }
    this.total = this.massBefore[n]!;
  }

  /** u must not decrease between calls (arrivals are generated in order). */
  inverse(u: number): number {
    while (this.segment + 1 < this.startMs.length && this.massBefore[this.segment + 1]! <= u) this.segment++;
    const i = this.segment;
    const mass = u - this.massBefore[i]!;
    const a = this.fromRate[i]!;
    const k = this.slope[i]!;
    // a·x + k·x²/2 = mass, in the cancellation-free form of the quadratic's root.
    const x = (2 * mass) / (a + Math.sqrt(Math.max(0, a * a + 2 * k * mass)));
    return this.startMs[i]! + Math.min(this.lengthMs[i]!, Math.max(0, x));
  }
}

/** mean × (1 + A cos(ω (t − peak))); Λ(t) = mean × (t + A/ω (sin(ω (t − peak)) + sin(ω peak))). */
export class DiurnalIntensity implements CumulativeIntensity {
  readonly total = Infinity;
  private readonly omega: number;
  private readonly offset: number;
  private readonly reach: number;

  constructor(private readonly meanPerMs: number, private readonly amplitude: number, periodMs: number, private readonly peakAtMs: number) {
    this.omega = (2 * Math.PI) / periodMs;
    this.offset = Math.sin(this.omega * peakAtMs);
    // |Λ(t)/mean − t| ≤ 2A/ω: the root lies within that of u/mean.
    this.reach = (2 * amplitude) / this.omega;
  }

  at(t: number): number {
    return this.meanPerMs * (t + (this.amplitude / this.omega) * (Math.sin(this.omega * (t - this.peakAtMs)) + this.offset));
  }

  rate(t: number): number {
    return this.meanPerMs * (1 + this.amplitude * Math.cos(this.omega * (t - this.peakAtMs)));
  }

  /** Newton's method kept inside a shrinking bracket (bisection when a step would leave it). */
  inverse(u: number): number {
    const guess = u / this.meanPerMs;
    let lo = Math.max(0, guess - this.reach);
    let hi = guess + this.reach;
    let t = guess;
    for (let iter = 0; iter < 100; iter++) {
      const f = this.at(t) - u;
      if (f > 0) hi = t;
      else lo = t;
      const slope = this.rate(t);
      let next = slope > 0 ? t - f / slope : NaN;
      if (!(next > lo && next < hi)) next = (lo + hi) / 2;
      if (Math.abs(next - t) <= 1e-9 * Math.max(1, t)) return next;
      t = next;
    }
    return t;
  }
}

/** A renewal process of unit mean in operational time u = Λ(t), mapped back through Λ⁻¹. */
export class WarpedRenewalClock implements ArrivalClock {
  private u = -1;

  constructor(private readonly intensity: CumulativeIntensity, private readonly gaps: UnitGaps, private readonly rng: Rng) {}

  next(): number {
    this.u = this.u < 0 ? this.gaps.residual(this.rng) : this.u + this.gaps.gap(this.rng);
    if (this.u >= this.intensity.total) return Infinity;
    return this.intensity.inverse(this.u);
  }
}

/** Two-state Markov-modulated Poisson process, started in the chain's stationary distribution. */
export class MmppClock implements ArrivalClock {
  private t = 0;
  private state = -1;
  private switchAtMs = 0;

  constructor(private readonly ratesPerMs: readonly [number, number], private readonly meanDurationsMs: readonly [number, number], private readonly rng: Rng) {}

  next(): number {
    const rng = this.rng;
    if (this.state < 0) {
      const [d0, d1] = this.meanDurationsMs;
      this.state = rng.nextFloat() < d1 / (d0 + d1) ? 1 : 0;
      this.switchAtMs = exponential(rng, this.meanDurationsMs[this.state]!);
    }
    for (;;) {
      const rate = this.ratesPerMs[this.state]!;
      const gap = rate > 0 ? exponential(rng, 1 / rate) : Infinity;
      if (this.t + gap < this.switchAtMs) {
        this.t += gap;
        return this.t;
      }
      this.t = this.switchAtMs;
      this.state ^= 1;
      this.switchAtMs = this.t + exponential(rng, this.meanDurationsMs[this.state]!);
    }
  }
}

/** The clock of a spec handled here, or null for the piecewise-constant processes of ArrivalProcess.ts. */
export function arrivalClock(spec: ArrivalSpec, rng: Rng, timeScale: number): ArrivalClock | null {
  switch (spec.process) {
    case 'renewal':
      return new WarpedRenewalClock(new LinearIntensity(spec.ratePerSec / 1000), new UnitGaps(spec.cv), rng);
    case 'stages':
      return new WarpedRenewalClock(
        new StagesIntensity(spec.startRatePerSec / 1000, spec.stages.map((s) => ({ forMs: s.forMs / timeScale, toPerMs: s.toPerSec / 1000 }))),
        new UnitGaps(spec.cv),
        rng,
      );
    case 'diurnal':
      return new WarpedRenewalClock(new DiurnalIntensity(spec.meanPerSec / 1000, spec.amplitude, spec.periodMs / timeScale, spec.peakAtMs / timeScale), new UnitGaps(spec.cv), rng);
    case 'mmpp':
      return new MmppClock([spec.ratesPerSec[0] / 1000, spec.ratesPerSec[1] / 1000], [spec.meanDurationsMs[0] / timeScale, spec.meanDurationsMs[1] / timeScale], rng);
    default:
      return null;
  }
}

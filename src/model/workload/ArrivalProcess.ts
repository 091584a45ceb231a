/**
 * Arrivals of one action. Every process is reduced to a piecewise-constant rate: Poisson draws exponential
 * gaps at the current rate, and when a gap would cross a step boundary the draw restarts at the boundary
 * with the new rate (exact, because the exponential is memoryless). `constant` spaces arrivals exactly
 * 1/rate apart. A burst is three steps: base, burst, base.
 *
 * The other processes (renewal, stages, diurnal, mmpp) come from ArrivalClocks.ts. `timeScale` divides every
 * time of the process (step times, burst window), so a day's profile can run in minutes.
 *
 * One pending event per action at any time; the callback is bound once.
 */
import type { ArrivalSpec } from '../../scenario/types.js';
import { exponential } from '../../sim/distributions.js';
import type { Rng } from '../../sim/rng.js';
import type { Simulation } from '../../sim/Simulation.js';
import { arrivalClock, type ArrivalClock } from './ArrivalClocks.js';

interface Step {
  atMs: number;
  ratePerMs: number;
}

export function arrivalSteps(spec: ArrivalSpec, timeScale: number): Step[] {
  switch (spec.process) {
    case 'poisson':
    case 'constant':
      return [{ atMs: 0, ratePerMs: spec.ratePerSec / 1000 }];
    case 'piecewise':
      return spec.steps.map((s) => ({ atMs: s.atMs / timeScale, ratePerMs: s.ratePerSec / 1000 }));
    case 'burst':
      return [
        { atMs: 0, ratePerMs: spec.ratePerSec / 1000 },
        { atMs: spec.atMs / timeScale, ratePerMs: spec.burstRatePerSec / 1000 },
        { atMs: (spec.atMs + spec.forMs) / timeScale, ratePerMs: spec.ratePerSec / 1000 },
      ];
    default:
      return [];
  }
}

export class ArrivalProcess {
  private readonly steps: Step[];
  private readonly clock: ArrivalClock | null;
  private readonly deterministic: boolean;
  private stepIndex = 0;
  private readonly fire: () => void;

  constructor(
    private readonly sim: Simulation,
    spec: ArrivalSpec,
    private readonly rng: Rng,
    private readonly endMs: number,
    private readonly onArrival: (arg: any) => void,
    private readonly arg: unknown,
    /** `workload.timeScale`: divides every time of the process. */
    timeScale: number,
  ) {
    this.clock = arrivalClock(spec, rng, timeScale);
    this.steps = this.clock === null ? arrivalSteps(spec, timeScale) : [];
    this.deterministic = spec.process === 'constant';
    this.fire = () => {
      this.onArrival(this.arg);
      this.scheduleNext(this.sim.now);
    };
  }

  start(): void {
    this.scheduleNext(0);
  }

  private scheduleNext(fromMs: number): void {
    if (this.clock !== null) {
      const t = this.clock.next();
      if (t < this.endMs) this.sim.scheduleAt(Math.max(t, fromMs), this.fire);
      return;
    }
    let t = fromMs;
    for (;;) {
      while (this.stepIndex + 1 < this.steps.length && this.steps[this.stepIndex + 1]!.atMs <= t) this.stepIndex++;
      const rate = this.steps[this.stepIndex]!.ratePerMs;
      const boundary = this.stepIndex + 1 < this.steps.length ? this.steps[this.stepIndex + 1]!.atMs : Infinity;
      if (rate <= 0) {
        if (boundary === Infinity) return;
        t = boundary;
        continue;
      }
      const gap = this.deterministic ? 1 / rate : exponential(this.rng, 1 / rate);
      if (t + gap >= boundary) {
        t = boundary;
        continue;
      }
      t += gap;
      if (t >= this.endMs) return;
      this.sim.scheduleAt(t, this.fire);
      return;
    }
  }
}

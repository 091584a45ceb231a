/**
 * Fixed-interval sampling: every `intervalMs` of virtual time it calls `sample(now)`, up to `untilMs`. The
 * sampler runs at the lowest priority of its instant so a sample sees every event of that instant applied.
 * A run has exactly one (Cluster): its tick writes the time series row and the per-sample statistics. `stop()`
 * from inside `sample` schedules no further tick.
 */
import { assert } from './assert.js';
import type { Simulation } from './Simulation.js';

export const SAMPLER_PRIORITY = 1_000_000;

export class Sampler {
  private readonly tick: () => void;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly intervalMs: number,
    private readonly sample: (nowMs: number) => void,
    private readonly untilMs = Infinity,
  ) {
    assert(intervalMs > 0, 'sample interval must be positive');
    this.tick = () => {
      if (this.stopped) return;
      this.sample(this.sim.now);
      if (!this.stopped && this.sim.now + this.intervalMs <= this.untilMs) this.sim.schedule(this.intervalMs, this.tick, undefined, SAMPLER_PRIORITY);
    };
  }

  start(firstAtMs = this.sim.now + this.intervalMs): void {
    this.sim.scheduleAt(firstAtMs, this.tick, undefined, SAMPLER_PRIORITY);
  }

  stop(): void {
    this.stopped = true;
  }
}

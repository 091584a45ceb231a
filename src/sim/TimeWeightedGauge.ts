/**
 * A quantity that changes at instants (a queue depth, an in-flight count): tracks its time-weighted mean and
 * its maximum without storing the path. `set(now, value)` closes the previous level's interval.
 */
import { assert } from './assert.js';

export class TimeWeightedGauge {
  value = 0;
  max = 0;
  private area = 0;
  private lastChange: number;
  private start: number;

  constructor(startMs = 0, initial = 0) {
    this.start = startMs;
    this.lastChange = startMs;
    this.value = initial;
    this.max = initial;
  }

  set(nowMs: number, value: number): void {
    assert(nowMs >= this.lastChange, 'gauge time went backwards');
    this.area += this.value * (nowMs - this.lastChange);
    this.lastChange = nowMs;
    this.value = value;
    if (value > this.max) this.max = value;
  }

  add(nowMs: number, delta: number): void {
    this.set(nowMs, this.value + delta);
  }

  /** Integral of the value from the start to `nowMs`. */
  integral(nowMs: number): number {
    return this.area + this.value * (nowMs - this.lastChange);
  }

  mean(nowMs: number): number {
    const span = nowMs - this.start;
    return span <= 0 ? this.value : this.integral(nowMs) / span;
  }

  /** Restarts the averaging window at `nowMs` (used at the end of warm-up); the current value is kept. */
  resetWindow(nowMs: number): void {
    this.area = 0;
    this.lastChange = nowMs;
    this.start = nowMs;
    this.max = this.value;
  }
}

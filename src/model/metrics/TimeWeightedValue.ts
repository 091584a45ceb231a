/**
 * A value that changes at instants (a controller's overflow state, its count of healthy invokers), averaged
 * over time between two samples. A time series that read the value only at sample instants would miss every
 * change that comes and goes between them (an overflow episode of 800 ms in a 1 s interval); this mean does not.
 * O(1) per change and per sample, no allocation.
 */
export class TimeWeightedValue {
  private value: number;
  private since: number;
  private area = 0;
  private windowStart: number;

  constructor(initial: number, nowMs: number) {
    this.value = initial;
    this.since = nowMs;
    this.windowStart = nowMs;
  }

  get current(): number {
    return this.value;
  }

  set(value: number, nowMs: number): void {
    this.area += this.value * (nowMs - this.since);
    this.value = value;
    this.since = nowMs;
  }

  /** The time-weighted mean since the previous call (the current value for an empty window); starts a new window. */
  takeMean(nowMs: number): number {
    this.area += this.value * (nowMs - this.since);
    this.since = nowMs;
    const span = nowMs - this.windowStart;
    const mean = span > 0 ? this.area / span : this.value;
    this.area = 0;
    this.windowStart = nowMs;
    return Math.round(mean * 1e6) / 1e6;
  }
}

/**
 * Akka's phi-accrual failure detector (akka-remote `PhiAccrualFailureDetector`, as used by the cluster's
 * heartbeats), for one monitored member.
 *
 * - The history of heartbeat inter-arrival times is bootstrapped with two samples around the first-heartbeat
 *   estimate (Akka takes it from `heartbeat-interval`): estimate ± estimate/4, so a member heard only once
 *   still becomes unavailable in time.
 * - Each heartbeat after the first adds its interval to the history (at most `maxSampleSize` kept), but not
 *   while the member is suspected: the first heartbeat after a pause would skew the statistics.
 * - phi(now) = -log10(1 - F(now - last)) where F is the normal CDF with the history's mean plus the acceptable
 *   pause and its standard deviation (at least `minStdDeviation`), using the logistic approximation Akka uses.
 * - Never heard from: phi 0 (available). The membership starts monitoring a member by recording one heartbeat
 *   after `expected-response-after` if none has arrived (Akka's ExpectedFirstHeartbeat).
 *
 * Streaming: a ring of the last `maxSampleSize` intervals with running sum and sum of squares.
 */
export interface FailureDetectorSettings {
  threshold: number;
  maxSampleSize: number;
  minStdDeviationMs: number;
  acceptableHeartbeatPauseMs: number;
  firstHeartbeatEstimateMs: number;
}

export class PhiAccrualFailureDetector {
  private readonly intervals: number[] = [];
  private next = 0;
  private sum = 0;
  private squaredSum = 0;
  private lastHeartbeatMs = -1;

  constructor(private readonly settings: FailureDetectorSettings) {}

  /** A heartbeat (or heartbeat response) arrived at `nowMs`. */
  heartbeat(nowMs: number): void {
    if (this.lastHeartbeatMs < 0) {
      this.bootstrap();
    } else if (this.isAvailable(nowMs)) {
      this.add(nowMs - this.lastHeartbeatMs);
    }
    this.lastHeartbeatMs = nowMs;
  }

  get isMonitoring(): boolean {
    return this.lastHeartbeatMs >= 0;
  }

  isAvailable(nowMs: number): boolean {
    return this.phi(nowMs) < this.settings.threshold;
  }

  phi(nowMs: number): number {
    if (this.lastHeartbeatMs < 0) return 0;
    const n = this.intervals.length;
    const mean = this.sum / n;
    const variance = Math.max(0, this.squaredSum / n - mean * mean);
    const stdDeviation = Math.max(Math.sqrt(variance), this.settings.minStdDeviationMs);
    return phiOf(nowMs - this.lastHeartbeatMs, mean + this.settings.acceptableHeartbeatPauseMs, stdDeviation);
  }

  private bootstrap(): void {
    this.intervals.length = 0;
    this.next = 0;
    this.sum = 0;
    this.squaredSum = 0;
    const estimate = this.settings.firstHeartbeatEstimateMs;
    const deviation = estimate / 4;
    this.add(estimate - deviation);
    this.add(estimate + deviation);
  }

  private add(interval: number): void {
    const max = this.settings.maxSampleSize;
    if (this.intervals.length < max) {
      this.intervals.push(interval);
    } else {
      const old = this.intervals[this.next]!;
      this.sum -= old;
      this.squaredSum -= old * old;
      this.intervals[this.next] = interval;
      this.next = (this.next + 1) % max;
    }
    this.sum += interval;
    this.squaredSum += interval * interval;
  }
}

/** -log10 of the probability that a heartbeat comes later than `elapsed` (logistic approximation of the normal CDF). */
export function phiOf(elapsedMs: number, mean: number, stdDeviation: number): number {
  const y = (elapsedMs - mean) / stdDeviation;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  return elapsedMs > mean ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
}

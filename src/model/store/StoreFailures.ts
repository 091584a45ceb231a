/**
 * How the activation store answers a bulk call besides writing it (issue 15): the call fails, or the database
 * throttles it. Both modes come from the scenario's `store.errors` / `store.throttle` and from the
 * `store-errors` / `store-throttle` faults, which replace the configured mode while they last.
 *
 *   - errors: each call fails with `probability` (a timeout, a refused connection: an exception, not an HTTP
 *     answer), `latencyMs` after it was sent. Nothing of it is written and it takes none of the database's
 *     write capacity. The decision is a draw from the store's own `store/errors` stream, made only while a
 *     probability is set, so a scenario without errors draws nothing.
 *   - throttle (CosmosDB's "request rate too large"): the database grants `requestUnitsPerSecond`, refilled
 *     continuously and banked up to one second's worth. A call is admitted while the bank is positive and
 *     then costs `requestUnitsPerRecord` per record, which may take the bank below zero (a big batch is
 *     charged after the fact, as CosmosDB charges a request once it ran). A call that finds the bank empty is
 *     answered 429 with `retryAfterMs` after the call's usual latency, and nothing of it is written.
 *
 * Example (throttle): 1000 RU/s, 10 RU per record, a full bank of 1000 at t = 0. A call of 500 records is
 * admitted (bank −4000); a call at t = 1 s finds −3000 and is throttled; the bank is positive again after 4 s.
 */
import type { Rng } from '../../sim/rng.js';
import { makeDistribution, type Distribution } from '../../sim/distributions.js';
import type { StoreErrorsConfig, StoreThrottleConfig } from '../../scenario/types.js';

export const CALL_WRITTEN = 0;
export const CALL_FAILED = 1;
export const CALL_THROTTLED = 2;
export type CallOutcome = typeof CALL_WRITTEN | typeof CALL_FAILED | typeof CALL_THROTTLED;

export class StoreFailures {
  private errors: StoreErrorsConfig | null = null;
  private errorLatency: Distribution | null = null;
  private throttle: StoreThrottleConfig | null = null;
  private bankUnits = 0;
  private bankAtMs = 0;
  /** Latency of the last failed call decided by `decide`. */
  failureLatencyMs = 0;

  constructor(
    private readonly rng: Rng,
    errors: StoreErrorsConfig | null,
    throttle: StoreThrottleConfig | null,
  ) {
    this.setErrors(errors);
    this.setThrottle(throttle, 0);
  }

  get throttleConfig(): StoreThrottleConfig | null {
    return this.throttle;
  }

  get errorsConfig(): StoreErrorsConfig | null {
    return this.errors;
  }

  setErrors(errors: StoreErrorsConfig | null): void {
    this.errors = errors !== null && errors.probability > 0 ? errors : null;
    this.errorLatency = this.errors === null ? null : makeDistribution(this.errors.latencyMs);
  }

  /** A new request-unit budget starts with a full bank (one second's worth). */
  setThrottle(throttle: StoreThrottleConfig | null, nowMs: number): void {
    this.throttle = throttle;
    this.bankUnits = throttle === null ? 0 : throttle.requestUnitsPerSecond;
    this.bankAtMs = nowMs;
  }

  /** What happens to a call of `documents` records sent at `nowMs`; for CALL_FAILED see `failureLatencyMs`. */
  decide(nowMs: number, documents: number): CallOutcome {
    if (this.errors !== null && this.rng.nextFloat() < this.errors.probability) {
      const latency = this.errorLatency!.sample(this.rng);
      this.failureLatencyMs = latency > 0 ? latency : 0;
      return CALL_FAILED;
    }
    const t = this.throttle;
    if (t === null) return CALL_WRITTEN;
    const refilled = this.bankUnits + ((nowMs - this.bankAtMs) * t.requestUnitsPerSecond) / 1000;
    this.bankUnits = refilled < t.requestUnitsPerSecond ? refilled : t.requestUnitsPerSecond;
    this.bankAtMs = nowMs;
    if (!(this.bankUnits > 0)) return CALL_THROTTLED;
    this.bankUnits -= documents * t.requestUnitsPerRecord;
    return CALL_WRITTEN;
  }
}

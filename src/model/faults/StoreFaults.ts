/**
 * The store-errors and store-throttle faults (issue 15): while one lasts, the activation store's failure
 * modes (StoreFailures) are the fault's; at its heal they return to the latest still-active fault of the same
 * kind, else to the scenario's own `store.errors` / `store.throttle`.
 *
 * A throttle fault grants `requestUnitsPerSecond` with `retryAfterMs`; the per-record charge and the
 * client's retry limits come with it, resolved from the scenario's `store.throttle` or its defaults.
 *
 * Each fault's effect counts what the store did while it lasted: failed calls, retries, 429 answers and
 * records lost to errors.
 */
import type { FaultConfig, StoreErrorsConfig, StoreThrottleConfig } from '../../scenario/types.js';
import { assert } from '../../sim/assert.js';
import type { StoreFailures } from '../store/StoreFailures.js';
import type { StoreFaultTarget } from './FaultTargets.js';

type StoreErrorsFault = Extract<FaultConfig, { kind: 'store-errors' }>;
type StoreThrottleFault = Extract<FaultConfig, { kind: 'store-throttle' }>;

const COUNTS = ['failedCalls', 'bulkRetries', 'throttledCalls', 'recordsLostToErrors'] as const;

export class StoreFaults {
  private readonly baseErrors: StoreErrorsConfig | null;
  private readonly baseThrottle: StoreThrottleConfig | null;
  private readonly activeErrors: StoreErrorsFault[] = [];
  private readonly activeThrottles: StoreThrottleFault[] = [];

  private readonly modes: StoreFailures;

  constructor(private readonly store: StoreFaultTarget) {
    const modes = store.failureModes;
    assert(modes !== null, 'store faults need a store built with its failure modes (the errors stream)');
    this.modes = modes;
    this.baseErrors = modes.errorsConfig;
    this.baseThrottle = modes.throttleConfig;
  }

  /** Applies the fault; returns what it did, in words. */
  start(c: StoreErrorsFault | StoreThrottleFault, nowMs: number, effect: Record<string, number>): string {
    for (const k of COUNTS) effect[k] = this.store[k];
    if (c.kind === 'store-errors') {
      this.activeErrors.push(c);
      this.applyErrors();
      return `${Math.round(c.probability * 100)}% of the store's bulk calls failed`;
    }
    this.activeThrottles.push(c);
    this.applyThrottle(nowMs);
    return `the store granted ${c.requestUnitsPerSecond} request units per second`;
  }

  heal(c: StoreErrorsFault | StoreThrottleFault, nowMs: number): void {
    if (c.kind === 'store-errors') {
      this.activeErrors.splice(this.activeErrors.indexOf(c), 1);
      this.applyErrors();
    } else {
      this.activeThrottles.splice(this.activeThrottles.indexOf(c), 1);
      this.applyThrottle(nowMs);
    }
  }

  /** Turns the counts taken at the start into what happened while the fault lasted. */
  closeWindow(effect: Record<string, number>): void {
    for (const k of COUNTS) effect[k] = this.store[k] - effect[k]!;
  }

  private applyErrors(): void {
    const last = this.activeErrors[this.activeErrors.length - 1];
    this.modes.setErrors(last === undefined ? this.baseErrors : { probability: last.probability, latencyMs: { dist: 'constant', value: last.latencyMs } });
  }

  private applyThrottle(nowMs: number): void {
    const last = this.activeThrottles[this.activeThrottles.length - 1];
    if (last === undefined) {
      this.modes.setThrottle(this.baseThrottle, nowMs);
      return;
    }
    this.modes.setThrottle(
      {
        requestUnitsPerSecond: last.requestUnitsPerSecond,
        retryAfterMs: last.retryAfterMs,
        requestUnitsPerRecord: last.requestUnitsPerRecord,
        maxRetries: last.maxRetries,
        maxRetryWaitMs: last.maxRetryWaitMs,
      },
      nowMs,
    );
  }
}

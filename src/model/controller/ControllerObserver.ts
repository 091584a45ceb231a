/**
 * What a controller reports to the world about each activation and about its own state. The world's
 * MetricsCollector implements it and resolves the world's `ActivationRecord`s; the controller never resolves
 * records itself. Every hook carries the controller index, and the record where there is one (null for
 * invoker health test actions, which never reach these hooks anyway).
 *
 * Outcome contract, per record accepted by a controller:
 * - `activationRejected` may follow `activationAccepted` when the load balancer's publish fails after
 *   entitlement passed (`noInvokers`, `hashIndexOutOfBounds`, `sendFailed`); entitlement rejections come
 *   without `activationAccepted`.
 * - Exactly one of activationCompleted / activationTimedOut / activationRejected ends an accepted record,
 *   except when `overflowDropped` reports `lost = true`: then no controller will ever resolve it.
 * - `overflowDropped` with `lost = false` is informational: the original controller's forced timeout will
 *   end the record later (activationTimedOut).
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import type { ActivationResponse, InvokerState } from '../messages.js';

export interface ControllerObserver {
  activationAccepted(controller: number, record: ActivationRecord, nowMs: number): void;
  activationRejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void;
  activationCompleted(controller: number, record: ActivationRecord, response: ActivationResponse, nowMs: number): void;
  activationTimedOut(controller: number, record: ActivationRecord, nowMs: number): void;
  overflowStateChanged(controller: number, on: boolean, nowMs: number): void;
  overflowSent(controller: number, record: ActivationRecord | null, nowMs: number): void;
  /** `lost`: the world loses that record (no entry anywhere can resolve it any more). */
  overflowDropped(controller: number, record: ActivationRecord | null, lost: boolean, nowMs: number): void;
  invokerStateChanged(controller: number, invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void;
}

/** An observer that ignores everything (tests, tools). */
// Stryker disable next-line ObjectLiteral: a static mutant (built at module load), which Stryker's vitest runner cannot switch on per test; applied by hand, the controller behaviour tests that use this observer fail on it
export const nullControllerObserver: ControllerObserver = {
  activationAccepted() {},
  activationRejected() {},
  activationCompleted() {},
  activationTimedOut() {},
  overflowStateChanged() {},
  overflowSent() {},
  overflowDropped() {},
  invokerStateChanged() {},
};

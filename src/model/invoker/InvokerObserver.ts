/**
 * What an invoker tells the world about the activations it runs: the hook metrics collectors and invariant
 * checkers subscribe to. An observer only records; it never schedules events or changes the invoker's state.
 *
 * Calls are made only for activations with a ground-truth record; invoker health test actions (record null)
 * are never reported. Every reported start is followed by exactly one `activationFinished` or
 * `activationLost`; an activation that was buffered (accepted from Kafka but not yet started) may be lost
 * without a start.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import type { Invoker } from './Invoker.js';

export interface InvokerObserver {
  /**
   * The user code starts running: after any cold start, stem-cell init or unpause. `cold` is true when the
   * activation had to wait for a cold container start (its own, or one it joined with concurrency > 1).
   */
  activationStarted(invoker: Invoker, record: ActivationRecord, cold: boolean, nowMs: number): void;
  /** The run ended and the active ack was sent. */
  activationFinished(invoker: Invoker, record: ActivationRecord, nowMs: number): void;
  /** The invoker crashed while the activation was running, starting, or waiting in its run buffer. */
  activationLost(invoker: Invoker, record: ActivationRecord, nowMs: number): void;
}

/** An observer that ignores everything, for tests and for runs that do not sample invokers. */
export const noopInvokerObserver: InvokerObserver = {
  activationStarted() {},
  activationFinished() {},
  activationLost() {},
};

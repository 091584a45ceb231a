/**
 * The simulator's stand-in for the Scala `Promise[Either[ActivationId, WhiskActivation]]` an `ActivationEntry`
 * holds (LoadBalancerService.scala @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710, `setupActivation`).
 *
 * What it models: a promise that is completed at most once (`trySuccess` / `tryFailure`), and the caller's
 * future on it. The caller attaches with `onComplete` when its publish flow obtains the entry; if the promise
 * is already complete then, the result is delivered at once (an already-completed Future). An entry created
 * while processing another controller's overflow never gets a listener, so its result goes nowhere, as in
 * OpenWhisk. `abandon()` detaches the caller when the publish itself failed (the Scala flatMap never reaches
 * the promise).
 *
 * The Scala entry and its promise are one object here: the entry implements this interface and its `promise`
 * is the entry itself (ActivationEntry.ts), so a waiting activation costs one object, not two. Callbacks are a
 * shared `ActivationCallbacks`, so no closure is allocated either.
 */
import type { ActivationMessage, ActivationResponse } from '../messages.js';
import type { ActivationCallbacks } from './LoadBalancer.js';

export interface ActivationPromise {
  /** The activation whose result this is; the callbacks receive it. */
  readonly msg: ActivationMessage;
  readonly isCompleted: boolean;
  /** Completes with a result; false if already complete. */
  trySuccess(response: ActivationResponse): boolean;
  /** Completes with the forced-timeout failure ("no active ack received"); false if already complete. */
  tryFailure(): boolean;
  /** The caller's future: attaches the callbacks, delivering at once if the promise is already complete. */
  onComplete(callbacks: ActivationCallbacks): void;
  /** The caller stopped listening (its publish failed); a later completion goes nowhere. */
  abandon(): void;
}

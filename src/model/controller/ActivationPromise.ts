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
 * One object per activation, like the Scala promise; callbacks are a shared `ActivationCallbacks`, so no
 * closure is allocated.
 */
import { assert } from '../../sim/assert.js';
import type { ActivationMessage, ActivationResponse } from '../messages.js';
import type { ActivationCallbacks } from './LoadBalancer.js';

const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;
const STATE_MASK = 0b11;
const ABANDONED = 1 << 2;
/** The response sits above the state and abandoned bits, as its index in this list. */
const RESPONSE_SHIFT = 3;
const RESPONSES: readonly ActivationResponse[] = ['success', 'applicationError', 'developerError', 'whiskError', 'left'];

export class ActivationPromise {
  private listener: ActivationCallbacks | null = null;
  /**
   * State, abandoned flag and response in one small integer: a waiting activation holds one promise (two after an
   * overflow detour), and an overloaded cluster holds tens of thousands of them.
   */
  private bits = PENDING;

  constructor(readonly msg: ActivationMessage) {}

  get isCompleted(): boolean {
    return (this.bits & STATE_MASK) !== PENDING;
  }

  /** Completes with a result; false if already complete. */
  trySuccess(response: ActivationResponse): boolean {
    if (this.isCompleted) return false;
    this.bits = (this.bits & ABANDONED) | SUCCEEDED | (RESPONSES.indexOf(response) << RESPONSE_SHIFT);
    this.notify();
    return true;
  }

  /** Completes with the forced-timeout failure ("no active ack received"); false if already complete. */
  tryFailure(): boolean {
    if (this.isCompleted) return false;
    this.bits = (this.bits & ABANDONED) | FAILED;
    this.notify();
    return true;
  }

  /** The caller's future: attaches the callbacks, delivering at once if the promise is already complete. */
  onComplete(callbacks: ActivationCallbacks): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (this.listener !== null) assert(false, `activation ${this.msg.activationId}: a second caller attached`);
    if ((this.bits & ABANDONED) !== 0) return;
    this.listener = callbacks;
    if (this.isCompleted) this.notify();
  }

  /** The caller stopped listening (its publish failed); a later completion goes nowhere. */
  abandon(): void {
    this.bits |= ABANDONED;
    this.listener = null;
  }

  private notify(): void {
    const listener = this.listener;
    if (listener === null) return;
    this.listener = null;
    if ((this.bits & STATE_MASK) === SUCCEEDED) listener.completed(this.msg, RESPONSES[this.bits >> RESPONSE_SHIFT]!);
    else listener.timedOut(this.msg);
  }
}

/**
 * `ActivationEntry`: what a controller remembers about an activation between publish and completion.
 * Follows LoadBalancerData.scala @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (id, namespace uuid, optional
 * invoker, promise, optional original controller, overflow flag), plus the fields HEAD's entry carries for
 * releasing sharding capacity (fully qualified name, memory, maxConcurrent; ShardingContainerPoolBalancer.scala
 * @ HEAD 1fae641a) and the handle of the forced-timeout timer.
 *
 * `invokerName` is mutable on purpose: PR #2932's processOverflow assigns the invoker to an existing entry and
 * re-inserts it.
 *
 * Size: an overloaded cluster holds tens of thousands of entries (two for an activation that took the overflow
 * detour), so every entry is one `Entry` (one hidden class) of five fields. The id, the namespace uuid and the
 * action's name, memory and concurrency are read through the activation message rather than copied; the
 * entry is its own promise (ActivationPromise.ts: the Scala entry's promise, whose state would otherwise be a
 * second object); and the promise's state, its response, the overflow flag and the original controller share
 * one small integer.
 */
import { assert } from '../../sim/assert.js';
import type { ActivationMessage, ActivationResponse, ActionMeta } from '../messages.js';
import type { Cancellable } from '../messaging.js';
import type { ActivationPromise } from './ActivationPromise.js';
import type { ActivationCallbacks } from './LoadBalancer.js';

export interface ActivationEntry {
  readonly id: number;
  /** The invoking identity's namespace uuid; keys the per-namespace counter. */
  readonly namespaceId: string;
  /** The invoker it was sent to; null (Scala None) while it sits in the overflow topic. */
  invokerName: number | null;
  /** The caller's pending result (the entry itself; opaque to the bookkeeping). */
  readonly promise: ActivationPromise;
  /** PR #2932: set on an entry created for another controller's overflow activation. */
  readonly originalController: number | null;
  /** PR #2932: true only for entries created while processing another controller's overflow message. */
  readonly isOverflow: boolean;
  /** The forced-timeout timer (from Scheduler.scheduleOnce); -1 when none is armed. */
  timeoutHandle: Cancellable;
  /** HEAD: key of the action's concurrency slots. */
  readonly fullyQualifiedEntityName: string;
  /** HEAD: memory the activation holds on its invoker's semaphore. */
  readonly memoryLimitMb: number;
  /** HEAD: the action's per-container concurrency. */
  readonly maxConcurrent: number;
}

export interface ActivationEntryInit {
  readonly id: number;
  readonly namespaceId: string;
  readonly invokerName: number | null;
  readonly originalController?: number | null;
  readonly isOverflow?: boolean;
  readonly timeoutHandle?: Cancellable;
  readonly fullyQualifiedEntityName?: string;
  readonly memoryLimitMb?: number;
  readonly maxConcurrent?: number;
}

// The bits of `Entry.bits`, low to high: promise state (2), abandoned (1), response index (3), overflow (1),
// then the original controller + 1 (0 = none).
const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;
const STATE_MASK = 0b11;
const ABANDONED = 1 << 2;
const RESPONSE_SHIFT = 3;
const RESPONSE_MASK = 0b111 << RESPONSE_SHIFT;
const RESPONSES: readonly ActivationResponse[] = ['success', 'applicationError', 'developerError', 'whiskError', 'left'];
const OVERFLOW = 1 << 6;
const CONTROLLER_SHIFT = 7;
/** Keeps the packed integer a small integer (no boxed number) for any realistic controller count. */
const MAX_CONTROLLER = 2 ** 20;

class Entry implements ActivationEntry, ActivationPromise {
  timeoutHandle: Cancellable = -1;
  private listener: ActivationCallbacks | null = null;
  private bits: number;

  constructor(
    readonly msg: ActivationMessage,
    public invokerName: number | null,
    originalController: number | null,
    isOverflow: boolean,
  ) {
    const controller = originalController ?? -1;
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (!(Number.isInteger(controller) && controller >= -1 && controller < MAX_CONTROLLER)) assert(false, `original controller ${originalController} is not a controller index`);
    this.bits = (isOverflow ? OVERFLOW : 0) | ((controller + 1) << CONTROLLER_SHIFT);
  }

  get id(): number {
    return this.msg.activationId;
  }

  get namespaceId(): string {
    return this.msg.user.uuid;
  }

  get promise(): ActivationPromise {
    return this;
  }

  get originalController(): number | null {
    const stored = this.bits >>> CONTROLLER_SHIFT;
    return stored === 0 ? null : stored - 1;
  }

  get isOverflow(): boolean {
    return (this.bits & OVERFLOW) !== 0;
  }

  get fullyQualifiedEntityName(): string {
    return this.msg.action.fqn;
  }

  get memoryLimitMb(): number {
    return this.msg.action.memoryMb;
  }

  get maxConcurrent(): number {
    return this.msg.action.concurrency;
  }

  // The promise (ActivationPromise.ts).

  get isCompleted(): boolean {
    return (this.bits & STATE_MASK) !== PENDING;
  }

  trySuccess(response: ActivationResponse): boolean {
    if (this.isCompleted) return false;
    this.bits = (this.bits & ~(STATE_MASK | RESPONSE_MASK)) | SUCCEEDED | (RESPONSES.indexOf(response) << RESPONSE_SHIFT);
    this.notify();
    return true;
  }

  tryFailure(): boolean {
    if (this.isCompleted) return false;
    this.bits = (this.bits & ~STATE_MASK) | FAILED;
    this.notify();
    return true;
  }

  onComplete(callbacks: ActivationCallbacks): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (this.listener !== null) assert(false, `activation ${this.msg.activationId}: a second caller attached`);
    if ((this.bits & ABANDONED) !== 0) return;
    this.listener = callbacks;
    if (this.isCompleted) this.notify();
  }

  abandon(): void {
    this.bits |= ABANDONED;
    this.listener = null;
  }

  private notify(): void {
    const listener = this.listener;
    if (listener === null) return;
    this.listener = null;
    if ((this.bits & STATE_MASK) === SUCCEEDED) listener.completed(this.msg, RESPONSES[(this.bits & RESPONSE_MASK) >> RESPONSE_SHIFT]!);
    else listener.timedOut(this.msg);
  }
}

/** Where an entry's activation went: its invoker (null while it waits in PR #2932's overflow topic) and overflow origin. */
export interface EntryPlacement {
  readonly invoker: number | null;
  /** PR #2932: the controller whose overflow message this entry was made for; null for its own activations. */
  readonly originalController: number | null;
  /** PR #2932: made while processing another controller's overflow message. */
  readonly isOverflow: boolean;
}

/**
 * The balancers' per-activation constructor: the entry of `msg` (id, namespace and action read from the
 * message), placed as `placement` says, with a pending promise. The balancer passes one reused placement
 * object, so nothing but the entry is allocated.
 */
export function newActivationEntry(msg: ActivationMessage, placement: EntryPlacement): ActivationEntry {
  return new Entry(msg, placement.invoker, placement.originalController, placement.isOverflow);
}

/**
 * An entry from named fields; tests and extensions build entries without a message. It gets a stand-in
 * message carrying the given id, namespace uuid and action fields (no record).
 */
export function createActivationEntry(init: ActivationEntryInit): ActivationEntry {
  const action: ActionMeta = {
    index: -1,
    fqn: init.fullyQualifiedEntityName ?? '',
    namespace: '',
    kind: '',
    pull: false,
    memoryMb: init.memoryLimitMb ?? 0,
    timeoutMs: 0,
    concurrency: init.maxConcurrent ?? 1,
  };
  const msg: ActivationMessage = {
    type: 'activation',
    activationId: init.id,
    action,
    user: { namespace: '', uuid: init.namespaceId },
    rootControllerIndex: -1,
    blocking: false,
    record: null,
  };
  const entry = new Entry(msg, init.invokerName, init.originalController ?? null, init.isOverflow ?? false);
  entry.timeoutHandle = init.timeoutHandle ?? -1;
  return entry;
}

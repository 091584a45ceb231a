/**
 * `ActivationEntry`: what a controller remembers about an activation between publish and completion.
 * Follows LoadBalancerData.scala @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (id, namespace uuid, optional
 * invoker, promise, optional original controller, overflow flag), plus the fields HEAD's entry carries for
 * releasing sharding capacity (fully qualified name, memory, maxConcurrent; ShardingContainerPoolBalancer.scala
 * @ HEAD 1fae641a) and the handle of the forced-timeout timer.
 *
 * `invokerName` is mutable on purpose: PR #2932's processOverflow assigns the invoker to an existing entry and
 * re-inserts it. Every entry is an `Entry` (one hidden class): the action's name, memory and concurrency are read
 * through the action it was made for rather than copied, which keeps a waiting activation's entry small (an
 * overloaded cluster holds tens of thousands, two for an activation that took the overflow detour).
 */
import type { ActionMeta, ActivationMessage } from '../messages.js';
import type { Cancellable } from '../messaging.js';

export interface ActivationEntry {
  readonly id: number;
  /** The invoking identity's namespace uuid; keys the per-namespace counter. */
  readonly namespaceId: string;
  /** The invoker it was sent to; null (Scala None) while it sits in the overflow topic. */
  invokerName: number | null;
  /** The caller's pending result; opaque to the bookkeeping. */
  readonly promise: unknown;
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
  readonly promise?: unknown;
  readonly originalController?: number | null;
  readonly isOverflow?: boolean;
  readonly timeoutHandle?: Cancellable;
  readonly fullyQualifiedEntityName?: string;
  readonly memoryLimitMb?: number;
  readonly maxConcurrent?: number;
}

/** What an entry reads from its action: `ActionMeta` has these three, and tests build them alone. */
type EntryAction = Pick<ActionMeta, 'fqn' | 'memoryMb' | 'concurrency'>;

class Entry implements ActivationEntry {
  timeoutHandle: Cancellable = -1;

  constructor(
    readonly id: number,
    readonly namespaceId: string,
    public invokerName: number | null,
    readonly promise: unknown,
    readonly originalController: number | null,
    readonly isOverflow: boolean,
    private readonly action: EntryAction,
  ) {}

  get fullyQualifiedEntityName(): string {
    return this.action.fqn;
  }

  get memoryLimitMb(): number {
    return this.action.memoryMb;
  }

  get maxConcurrent(): number {
    return this.action.concurrency;
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
 * The balancers' per-activation constructor: the entry of `msg` (id, namespace and action from the message) placed
 * as `placement` says, holding the caller's `promise`. The balancer passes one reused placement object, so
 * nothing but the entry is allocated.
 */
export function newActivationEntry(msg: ActivationMessage, promise: unknown, placement: EntryPlacement): ActivationEntry {
  return new Entry(msg.activationId, msg.user.uuid, placement.invoker, promise, placement.originalController, placement.isOverflow, msg.action);
}

/** An entry from named fields; tests and extensions build entries without a message. */
export function createActivationEntry(init: ActivationEntryInit): ActivationEntry {
  const entry = new Entry(
    init.id,
    init.namespaceId,
    init.invokerName,
    init.promise ?? null,
    init.originalController ?? null,
    init.isOverflow ?? false,
    { fqn: init.fullyQualifiedEntityName ?? '', memoryMb: init.memoryLimitMb ?? 0, concurrency: init.maxConcurrent ?? 1 },
  );
  entry.timeoutHandle = init.timeoutHandle ?? -1;
  return entry;
}

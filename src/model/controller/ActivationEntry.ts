/**
 * `ActivationEntry`: what a controller remembers about an activation between publish and completion.
 * Follows LoadBalancerData.scala @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (id, namespace uuid, optional
 * invoker, promise, optional original controller, overflow flag), plus the fields HEAD's entry carries for
 * releasing sharding capacity (fully qualified name, memory, maxConcurrent; ShardingContainerPoolBalancer.scala
 * @ HEAD 1fae641a) and the handle of the forced-timeout timer.
 *
 * `invokerName` is mutable on purpose: PR #2932's processOverflow assigns the invoker to an existing entry and
 * re-inserts it. `createActivationEntry` builds every entry with the same field order (one hidden class).
 */
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

export function createActivationEntry(init: ActivationEntryInit): ActivationEntry {
  return newActivationEntry(
    init.id,
    init.namespaceId,
    init.invokerName,
    init.promise ?? null,
    init.originalController ?? null,
    init.isOverflow ?? false,
    init.fullyQualifiedEntityName ?? '',
    init.memoryLimitMb ?? 0,
    init.maxConcurrent ?? 1,
    init.timeoutHandle ?? -1,
  );
}

/** The balancers' per-activation constructor: positional, so no init object is built per activation. */
export function newActivationEntry(
  id: number,
  namespaceId: string,
  invokerName: number | null,
  promise: unknown,
  originalController: number | null,
  isOverflow: boolean,
  fullyQualifiedEntityName = '',
  memoryLimitMb = 0,
  maxConcurrent = 1,
  timeoutHandle: Cancellable = -1,
): ActivationEntry {
  return {
    id,
    namespaceId,
    invokerName,
    promise,
    originalController,
    isOverflow,
    timeoutHandle,
    fullyQualifiedEntityName,
    memoryLimitMb,
    maxConcurrent,
  };
}

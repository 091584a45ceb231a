/**
 * Port of common/scala/src/main/scala/org/apache/openwhisk/common/ResizableSemaphore.scala
 * @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510.
 *
 * What it models: the free concurrency slots of one action's containers on one invoker, as seen by one
 * controller (NestedSemaphore keeps one per action). It starts at `maxAllowed` (0 in practice) and grows by
 * `maxConcurrent − 1` when a new container is accounted for.
 *
 * Release is special: when the count after a release is a multiple of `reductionSize` (= maxConcurrent), that
 * many permits are removed again and `release` reports `reduced = true` — one whole container is idle, so its
 * memory can go back to the invoker's memory semaphore. Note the check uses Java's `%`, so a count of 0 also
 * counts as a multiple (JS `%` has the same sign rules).
 *
 * It also counts operations: a successful `tryAcquire` or a `release(_, false)` (adding a container's slots)
 * increments, a `release(_, true)` (an activation finished) decrements; `release` reports `actionDone = true`
 * when the counter reaches 0, so the caller can drop the action's entry.
 *
 * // port: AQS CAS loop and AtomicInteger → plain fields (the simulation is single-threaded)
 */
import { requirementFailed } from './JvmException.js';

/** `(releaseMemory, releaseAction)` as returned by `release`; shared frozen tuples, so release allocates nothing. */
export type ReleaseResult = readonly [reduced: boolean, actionDone: boolean];

const RELEASE_RESULTS: readonly ReleaseResult[] = [
  Object.freeze([false, false] as const),
  Object.freeze([false, true] as const),
  Object.freeze([true, false] as const),
  Object.freeze([true, true] as const),
];

export class ResizableSemaphore {
  private permits: number;
  private operationCount = 0;

  constructor(
    maxAllowed: number,
    private readonly reductionSize: number,
  ) {
    this.permits = maxAllowed;
  }

  /** Takes `acquires` permits if available; a success counts as the start of one operation. */
  tryAcquire(acquires = 1): boolean {
    if (!(acquires > 0)) throw requirementFailed('cannot acquire negative or no permits');
    const remaining = this.permits - acquires;
    if (remaining < 0) return false;
    this.permits = remaining;
    this.operationCount++;
    return true;
  }

  /**
   * Returns `acquires` permits (see the file comment for the reduction rule).
   *
   * @param opComplete true when an activation finished (operation count −1); false when a container's slots
   *   are being added (operation count +1)
   * @returns [reduced, actionDone]
   */
  release(acquires: number, opComplete: boolean): ReleaseResult {
    if (!(acquires > 0)) throw requirementFailed('cannot release negative or no permits');
    // 1. Adjust the operation count first; release always succeeds.
    const actionDone = opComplete ? --this.operationCount === 0 : ++this.operationCount === 0;
    // 2. Add the permits, removing a whole reductionSize when the result is a multiple of it.
    const next = this.permits + acquires;
    const reduced = next % this.reductionSize === 0;
    this.permits = reduced ? next - this.reductionSize : next;
    return RELEASE_RESULTS[(reduced ? 2 : 0) + (actionDone ? 1 : 0)]!;
  }

  /** Currently available permits. */
  get availablePermits(): number {
    return this.permits;
  }

  /** The operation counter (the Scala exposes it for tests). */
  get counter(): number {
    return this.operationCount;
  }
}

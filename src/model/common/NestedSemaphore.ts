/**
 * Port of common/scala/src/main/scala/org/apache/openwhisk/common/NestedSemaphore.scala
 * @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510.
 *
 * What it models: one controller's share of one invoker at HEAD — memory permits in MB (this class, as a
 * ForcibleSemaphore) plus, per action that allows concurrent activations per container, a ResizableSemaphore
 * of free concurrency slots (docs/openwhisk.md §9.5).
 *
 * Algorithm:
 * - maxConcurrent == 1: plain memory acquire / force / release.
 * - acquire with maxConcurrent > 1: take a free concurrency slot if one exists (no memory needed); otherwise
 *   take (or force) `memoryMb` permits for a new container and add maxConcurrent − 1 free slots for it.
 * - release with maxConcurrent > 1: return one slot; when a whole container's slots are free again, remove
 *   them and release its memory; when the action has no operations left, forget its entry.
 *
 * Caveats reproduced: an action entry is created even by an acquire that fails; releasing an action that has
 * no entry (e.g. after `updateCluster` replaced the semaphores) throws NoSuchElementException as the Scala
 * map lookup does. The Scala's double-checked locking is unnecessary single-threaded and is dropped.
 * // port: TrieMap → Map (insertion order)
 */
import { ForcibleSemaphore } from './ForcibleSemaphore.js';
import { JvmException, requirementFailed } from './JvmException.js';
import { ResizableSemaphore } from './ResizableSemaphore.js';

export class NestedSemaphore<T> extends ForcibleSemaphore {
  /** One entry per action with maxConcurrent > 1; resized per container. */
  private readonly actionConcurrentSlotsMap = new Map<T, ResizableSemaphore>();

  /** @param memoryPermits the memory share in MB (any unit; the semaphore only counts). */
  constructor(memoryPermits: number) {
    super(memoryPermits);
  }

  /** Takes a concurrency slot or `permits` of memory for `actionId`; false if neither is available. */
  tryAcquireConcurrent(actionId: T, maxConcurrent: number, permits: number): boolean {
    if (maxConcurrent === 1) return this.tryAcquire(permits);
    return this.tryOrForceAcquireConcurrent(actionId, maxConcurrent, permits, false);
  }

  /** Like tryAcquireConcurrent but never fails: memory is forced, possibly negative. */
  forceAcquireConcurrent(actionId: T, maxConcurrent: number, permits: number): void {
    if (!(permits > 0)) throw requirementFailed('cannot force acquire negative or no permits');
    if (maxConcurrent === 1) {
      this.forceAcquire(permits);
    } else {
      this.tryOrForceAcquireConcurrent(actionId, maxConcurrent, permits, true);
    }
  }

  /** Gives back what one activation of `actionId` took. */
  releaseConcurrent(actionId: T, maxConcurrent: number, permits: number): void {
    if (!(permits > 0)) throw requirementFailed('cannot release negative or no permits');
    if (maxConcurrent === 1) {
      this.release(permits);
      return;
    }
    const concurrentSlots = this.actionConcurrentSlotsMap.get(actionId);
    if (concurrentSlots === undefined) {
      throw new JvmException('java.util.NoSuchElementException', `key not found: ${String(actionId)}`);
    }
    const [resourcesRelease, actionRelease] = concurrentSlots.release(1, true);
    if (resourcesRelease) this.release(permits);
    if (actionRelease) this.actionConcurrentSlotsMap.delete(actionId);
  }

  /** The per-action concurrency semaphores (a snapshot of the map, for tests and reports). */
  concurrentState(): ReadonlyMap<T, ResizableSemaphore> {
    return new Map(this.actionConcurrentSlotsMap);
  }

  private tryOrForceAcquireConcurrent(actionId: T, maxConcurrent: number, permits: number, force: boolean): boolean {
    let concurrentSlots = this.actionConcurrentSlotsMap.get(actionId);
    if (concurrentSlots === undefined) {
      concurrentSlots = new ResizableSemaphore(0, maxConcurrent);
      this.actionConcurrentSlotsMap.set(actionId, concurrentSlots);
    }
    // 1. A free slot in an existing container needs no memory.
    if (concurrentSlots.tryAcquire(1)) return true;
    // 2. Otherwise account for a new container: its memory, and its remaining maxConcurrent − 1 slots.
    if (force) {
      this.forceAcquire(permits);
    } else if (!this.tryAcquire(permits)) {
      return false;
    }
    concurrentSlots.release(maxConcurrent - 1, false);
    return true;
  }
}

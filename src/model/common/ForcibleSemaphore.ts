/**
 * Port of common/scala/src/main/scala/org/apache/openwhisk/common/ForcibleSemaphore.scala
 * @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (SH2's `ForcableSemaphore` behaves the same).
 *
 * What it models: a controller's share of one invoker's capacity (slots in SH2, megabytes at HEAD). Normal
 * scheduling takes permits only while enough remain (`tryAcquire`); the overload fallback takes them anyway
 * (`forceAcquire`), which can push the count below zero. Until releases bring it back to ≥ the requested
 * amount, `tryAcquire` keeps failing, so forced work delays later normal work (docs/openwhisk.md §9.5).
 *
 * The Scala uses an AbstractQueuedSynchronizer with compare-and-set loops; the simulation is single-threaded,
 * so a plain integer gives the same results. // port: AQS CAS loop → plain field
 */
import { JvmException, requirementFailed } from './JvmException.js';

const INT_MAX_VALUE = 2147483647;

export class ForcibleSemaphore {
  private permits: number;

  /** @param maxAllowed permits `tryAcquire` can hand out in total (may be 0). */
  constructor(maxAllowed: number) {
    this.permits = maxAllowed;
  }

  /** Takes `acquires` permits if at least that many are available; true on success. */
  tryAcquire(acquires = 1): boolean {
    if (!(acquires > 0)) throw requirementFailed('cannot acquire negative or no permits');
    const remaining = this.permits - acquires;
    if (remaining < 0) return false;
    this.permits = remaining;
    return true;
  }

  /** Takes `acquires` permits unconditionally; the count may become negative. */
  forceAcquire(acquires = 1): void {
    if (!(acquires > 0)) throw requirementFailed('cannot force acquire negative or no permits');
    this.permits -= acquires;
  }

  /** Returns `acquires` permits. Releasing more than was taken is allowed (the count is not capped). */
  release(acquires = 1): void {
    if (!(acquires > 0)) throw requirementFailed('cannot release negative or no permits');
    const next = this.permits + acquires;
    // The Scala detects Int overflow of the permit counter; a JS number would silently pass 2^31.
    if (next > INT_MAX_VALUE) throw new JvmException('java.lang.Error', 'Maximum permit count exceeded, permit variable overflowed');
    this.permits = next;
  }

  /** Currently available permits; negative after forced acquisitions. */
  get availablePermits(): number {
    return this.permits;
  }
}

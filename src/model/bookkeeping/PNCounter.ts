/**
 * Increment/decrement counter (Akka distributed-data `PNCounter`): two grow-only counters, P for increments and
 * N for decrements, each with one component per replica; value = P − N. Merging merges P and N separately.
 *
 * The value is two field reads (each GCounter keeps its sum). A negative delta to `increment` is a decrement,
 * as in Akka.
 */
import { GCounter } from './GCounter.js';
import type { ReplicatedData } from './ReplicatedData.js';

export class PNCounter implements ReplicatedData<PNCounter> {
  private readonly p = new GCounter();
  private readonly n = new GCounter();

  get value(): number {
    return this.p.value - this.n.value;
  }

  /** Total increments and decrements (for tests and checkers). */
  get increments(): number {
    return this.p.value;
  }
  get decrements(): number {
    return this.n.value;
  }

  /** This replica's own contribution (its increments minus its decrements). */
  valueOf(replica: string): number {
    return this.p.componentOf(replica) - this.n.componentOf(replica);
  }

  increment(replica: string, delta = 1): void {
    if (delta >= 0) this.p.increment(replica, delta);
    else this.n.increment(replica, -delta);
  }

  decrement(replica: string, delta = 1): void {
    this.increment(replica, -delta);
  }

  merge(that: PNCounter): boolean {
    const p = this.p.merge(that.p);
    const n = this.n.merge(that.n);
    return p || n;
  }

  copy(): PNCounter {
    const c = new PNCounter();
    c.p.merge(this.p);
    c.n.merge(this.n);
    return c;
  }

  equals(that: PNCounter): boolean {
    return this.p.equals(that.p) && this.n.equals(that.n);
  }

  needPruningFrom(replica: string): boolean {
    return this.p.needPruningFrom(replica) || this.n.needPruningFrom(replica);
  }

  prune(removed: string, collapseInto: string, discardCounts = false): void {
    this.p.prune(removed, collapseInto, discardCounts);
    this.n.prune(removed, collapseInto, discardCounts);
  }

  pruningCleanup(removed: string): void {
    this.p.pruningCleanup(removed);
    this.n.pruningCleanup(removed);
  }
}

/**
 * Grow-only counter (Akka distributed-data `GCounter`): one non-negative component per replica; the value is
 * the sum of the components; merge takes the per-replica maximum.
 *
 * Hot path: the sum is maintained incrementally (increment adds the delta, merge adds how much a component
 * rose), so `value` is a field read. Components iterate in insertion order; a merge appends a new replica in
 * the order the incoming state lists it.
 */
import { assert } from '../../sim/assert.js';
import type { ReplicatedData } from './ReplicatedData.js';

export class GCounter implements ReplicatedData<GCounter> {
  private readonly state = new Map<string, number>();
  private sum = 0;

  /** The sum of all replicas' components. */
  get value(): number {
    return this.sum;
  }

  /** The component of one replica (0 if it never incremented). */
  componentOf(replica: string): number {
    return this.state.get(replica) ?? 0;
  }

  /** Replicas with a component, in insertion order. */
  replicas(): IterableIterator<string> {
    return this.state.keys();
  }

  increment(replica: string, delta = 1): void {
    if (!(delta >= 0)) assert(false, `GCounter.increment: delta ${delta} is negative`);
    if (delta === 0) return;
    this.state.set(replica, (this.state.get(replica) ?? 0) + delta);
    this.sum += delta;
  }

  merge(that: GCounter): boolean {
    let changed = false;
    for (const [replica, theirs] of that.state) {
      const mine = this.state.get(replica);
      if (mine === undefined) {
        this.state.set(replica, theirs);
        this.sum += theirs;
        changed = true;
      } else if (theirs > mine) {
        this.state.set(replica, theirs);
        this.sum += theirs - mine;
        changed = true;
      }
    }
    return changed;
  }

  copy(): GCounter {
    const c = new GCounter();
    for (const [replica, v] of this.state) c.state.set(replica, v);
    c.sum = this.sum;
    return c;
  }

  equals(that: GCounter): boolean {
    if (this.state.size !== that.state.size) return false;
    for (const [replica, v] of this.state) if (that.state.get(replica) !== v) return false;
    return true;
  }

  needPruningFrom(replica: string): boolean {
    return this.state.has(replica);
  }

  prune(removed: string, collapseInto: string, discardCounts = false): void {
    if (discardCounts) return this.pruningCleanup(removed);
    const v = this.state.get(removed);
    if (v === undefined) return;
    this.state.delete(removed);
    this.state.set(collapseInto, (this.state.get(collapseInto) ?? 0) + v);
  }

  pruningCleanup(removed: string): void {
    const v = this.state.get(removed);
    if (v === undefined) return;
    this.state.delete(removed);
    this.sum -= v;
  }
}

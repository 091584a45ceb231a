/**
 * Grow-only counter (Akka distributed-data `GCounter`): one non-negative component per replica; the value is
 * the sum of the components; merge takes the per-replica maximum.
 *
 * Hot path: the sum is maintained incrementally (increment adds the delta, merge adds how much a component
 * rose), so `value` is a field read. Components iterate in insertion order; a merge appends a new replica in
 * the order the incoming state lists it.
 *
 * Components are two parallel arrays (replica ids, values) searched linearly rather than a Map: there is one
 * component per controller replica, a handful, and a pointer compare beats a string-keyed Map lookup on the
 * hot path (one increment per shared-counter update). Insertion order is kept as a Map would keep it.
 */
import { assert } from '../../sim/assert.js';
import type { ReplicatedData } from './ReplicatedData.js';

export class GCounter implements ReplicatedData<GCounter> {
  private readonly replicaIds: string[] = [];
  private readonly values: number[] = [];
  private sum = 0;

  private indexOf(replica: string): number {
    const ids = this.replicaIds;
    for (let i = 0; i < ids.length; i++) if (ids[i] === replica) return i;
    return -1;
  }

  /** The sum of all replicas' components. */
  get value(): number {
    return this.sum;
  }

  /** The component of one replica (0 if it never incremented). */
  componentOf(replica: string): number {
    const i = this.indexOf(replica);
    return i < 0 ? 0 : this.values[i]!;
  }

  /** Replicas with a component, in insertion order. */
  replicas(): IterableIterator<string> {
    return this.replicaIds.slice().values();
  }

  increment(replica: string, delta = 1): void {
    // Hot (once per counter update): the inverted form builds the message only when the check fails.
    if (!(delta >= 0)) assert(false, `GCounter.increment: delta ${delta} is negative`);
    if (delta === 0) return;
    const i = this.indexOf(replica);
    if (i < 0) {
      this.replicaIds.push(replica);
      this.values.push(delta);
    } else {
      this.values[i] += delta;
    }
    this.sum += delta;
  }

  merge(that: GCounter): boolean {
    let changed = false;
    for (let j = 0; j < that.replicaIds.length; j++) {
      const replica = that.replicaIds[j]!;
      const theirs = that.values[j]!;
      const i = this.indexOf(replica);
      if (i < 0) {
        this.replicaIds.push(replica);
        this.values.push(theirs);
        this.sum += theirs;
        changed = true;
      } else {
        const mine = this.values[i]!;
        if (theirs > mine) {
          this.values[i] = theirs;
          this.sum += theirs - mine;
          changed = true;
        }
      }
    }
    return changed;
  }

  copy(): GCounter {
    const c = new GCounter();
    for (let i = 0; i < this.replicaIds.length; i++) {
      c.replicaIds.push(this.replicaIds[i]!);
      c.values.push(this.values[i]!);
    }
    c.sum = this.sum;
    return c;
  }

  equals(that: GCounter): boolean {
    if (this.replicaIds.length !== that.replicaIds.length) return false;
    for (let i = 0; i < this.replicaIds.length; i++) {
      const j = that.indexOf(this.replicaIds[i]!);
      if (j < 0 || that.values[j] !== this.values[i]) return false;
    }
    return true;
  }

  needPruningFrom(replica: string): boolean {
    return this.indexOf(replica) >= 0;
  }

  prune(removed: string, collapseInto: string, discardCounts = false): void {
    if (discardCounts) return this.pruningCleanup(removed);
    const i = this.indexOf(removed);
    if (i < 0) return;
    const v = this.values[i]!;
    this.replicaIds.splice(i, 1);
    this.values.splice(i, 1);
    const j = this.indexOf(collapseInto);
    if (j < 0) {
      this.replicaIds.push(collapseInto);
      this.values.push(v);
    } else {
      this.values[j] += v;
    }
  }

  pruningCleanup(removed: string): void {
    const i = this.indexOf(removed);
    if (i < 0) return;
    const v = this.values[i]!;
    this.replicaIds.splice(i, 1);
    this.values.splice(i, 1);
    this.sum -= v;
  }
}

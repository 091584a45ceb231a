/**
 * Map of keys to PNCounters (Akka distributed-data `PNCounterMap[K]`), built like Akka's on an ORMap: keys are an
 * add-wins observed-remove set, and a key's value is its counter's value (increments − decrements over every
 * replica). A counter that went back to 0 keeps its key.
 *
 * Hot path: `increment`/`decrement` touch the key (one dot) and bump the counter in place — no closure, no
 * allocation once the key exists. `get` is a Map lookup plus two field reads. `total` (sum over keys) is kept
 * incrementally for local updates and recomputed lazily after a merge, prune or remove.
 */
import { ORMap } from './ORMap.js';
import { PNCounter } from './PNCounter.js';
import type { ReplicatedData } from './ReplicatedData.js';

function newCounter(): PNCounter {
  return new PNCounter();
}

export class PNCounterMap<K> implements ReplicatedData<PNCounterMap<K>> {
  private readonly underlying: ORMap<K, PNCounter>;
  private cachedTotal = 0;
  private totalValid = true;

  constructor(underlying?: ORMap<K, PNCounter>) {
    this.underlying = underlying ?? new ORMap<K, PNCounter>(newCounter);
    if (underlying !== undefined) this.totalValid = false;
  }

  get size(): number {
    return this.underlying.size;
  }

  contains(key: K): boolean {
    return this.underlying.has(key);
  }

  /** The counter value of `key`, or undefined when the key is absent (Scala `get(key): Option[BigInt]`). */
  get(key: K): number | undefined {
    return this.underlying.get(key)?.value;
  }

  /** The counter of `key` (read-only use: per-replica components for the PR's inner keys). */
  counter(key: K): PNCounter | undefined {
    return this.underlying.get(key);
  }

  /** Sum of all keys' values. */
  get total(): number {
    if (!this.totalValid) {
      let sum = 0;
      for (const key of this.underlying.keys()) sum += this.underlying.get(key)!.value;
      this.cachedTotal = sum;
      this.totalValid = true;
    }
    return this.cachedTotal;
  }

  keys(): IterableIterator<K> {
    return this.underlying.keys();
  }

  /** Calls `fn(key, value, arg)` for each key in insertion order. */
  forEach<A>(fn: (key: K, value: number, arg: A) => void, arg?: A): void {
    for (const key of this.underlying.keys()) fn(key, this.underlying.get(key)!.value, arg as A);
  }

  /** Entries as a plain Map (allocates; tests, reports and the Scala-shaped snapshots). */
  entries(): Map<K, number> {
    const m = new Map<K, number>();
    for (const key of this.underlying.keys()) m.set(key, this.underlying.get(key)!.value);
    return m;
  }

  increment(replica: string, key: K, delta = 1): void {
    this.underlying.touch(replica, key).increment(replica, delta);
    if (this.totalValid) this.cachedTotal += delta;
  }

  decrement(replica: string, key: K, delta = 1): void {
    this.increment(replica, key, -delta);
  }

  remove(replica: string, key: K): boolean {
    this.totalValid = false;
    return this.underlying.remove(replica, key);
  }

  merge(that: PNCounterMap<K>): boolean {
    const changed = this.underlying.merge(that.underlying);
    if (changed) this.totalValid = false;
    return changed;
  }

  copy(): PNCounterMap<K> {
    return new PNCounterMap<K>(this.underlying.copy());
  }

  equals(that: PNCounterMap<K>): boolean {
    return this.underlying.equals(that.underlying);
  }

  needPruningFrom(replica: string): boolean {
    return this.underlying.needPruningFrom(replica);
  }

  prune(removed: string, collapseInto: string, discardCounts = false): void {
    this.underlying.prune(removed, collapseInto, discardCounts);
    this.totalValid = false;
  }

  pruningCleanup(removed: string): void {
    this.underlying.pruningCleanup(removed);
    this.totalValid = false;
  }
}

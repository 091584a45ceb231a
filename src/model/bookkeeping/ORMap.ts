/**
 * Observed-remove map (Akka distributed-data `ORMap`): keys form an add-wins observed-remove set, and each key's
 * value is itself a CRDT merged with its own `merge`.
 *
 * Algorithm (the optimized OR-Set with a causal context, as Akka's ORSet):
 * - The map keeps a version vector `vvector` of every add it has observed, and per key a small set of "dots"
 *   (replica → counter) naming the adds that are still live for the key.
 * - Update of key k at replica r: vvector[r] += 1, and k's dot for r becomes (r, vvector[r]); the value is
 *   created empty if absent and then modified in place.
 * - Remove of k: the key and its value are dropped; vvector is untouched, so the removed dots stay "seen".
 * - Merge of A with B, key by key:
 *   - in both: keep dots the two share, plus A's dots B has not seen (B.vvector below them) and B's dots A has
 *     not seen; no dot left → the key was removed on both sides; otherwise value = merge of both values;
 *   - only in A: keep the dots B has not seen (B never observed them, so B did not remove them); none left →
 *     B removed the key, drop it;
 *   - only in B: symmetric; a surviving key is appended, with a copy of B's value.
 *   Then vvector = pointwise max. An update concurrent with a remove therefore wins (its dot was unseen by the
 *   remover), and, as in Akka, the winning value keeps whatever the remover had seen before (no reset).
 *
 * Iteration is in insertion order; a merge appends new keys in the incoming state's order. `getOrCreate`
 * (`touch`) gives the hot path an allocation-free way to update a value without a closure.
 */
import { assert } from '../../sim/assert.js';
import type { ReplicatedData } from './ReplicatedData.js';
import { VersionVector } from './VersionVector.js';

interface Entry<V> {
  readonly dots: VersionVector;
  readonly value: V;
}

export class ORMap<K, V extends ReplicatedData<V>> implements ReplicatedData<ORMap<K, V>> {
  private readonly entriesByKey = new Map<K, Entry<V>>();
  private readonly vvector = new VersionVector();
  /**
   * The entry `touch` found last, and its key. A replica keeps updating the same few keys (a PNCounterMap
   * inside a store is only ever touched at this controller's own instance), so this skips the Map lookup on
   * most updates. Cleared wherever an entry can leave the map, so it never names a dropped entry.
   */
  private lastKey: K | undefined = undefined;
  private lastEntry: Entry<V> | null = null;

  /** @param emptyValue makes the initial value of a key (bind it once; it is called on first update of a key) */
  constructor(private readonly emptyValue: () => V) {}

  get size(): number {
    return this.entriesByKey.size;
  }

  has(key: K): boolean {
    return this.entriesByKey.has(key);
  }

  /** The value of `key`, or undefined. Do not mutate it; use `touch`. */
  get(key: K): V | undefined {
    return this.entriesByKey.get(key)?.value;
  }

  keys(): IterableIterator<K> {
    return this.entriesByKey.keys();
  }

  /** Calls `fn(key, value, arg)` for each entry in insertion order (no iterator allocation per entry). */
  forEach<A>(fn: (key: K, value: V, arg: A) => void, arg?: A): void {
    for (const [key, entry] of this.entriesByKey) fn(key, entry.value, arg as A);
  }

  /**
   * Akka `updated(node, key, initial)(modify)` without the closure: records an add of `key` by `replica` and
   * returns the live value, which the caller then modifies in place (before any merge).
   */
  touch(replica: string, key: K): V {
    const dot = this.vvector.increment(replica);
    let entry = this.lastEntry;
    if (entry === null || this.lastKey !== key) {
      this.lastKey = key;
      this.lastEntry = entry = this.entryOf(key);
    }
    entry.dots.set(replica, dot);
    return entry.value;
  }

  /** Removes `key` (observed remove); returns true when it was present. */
  remove(replica: string, key: K): boolean {
    this.entriesMayLeave();
    return this.entriesByKey.delete(key);
  }

  merge(that: ORMap<K, V>): boolean {
    this.entriesMayLeave();
    let changed = false;
    for (const [key, mine] of this.entriesByKey) {
      const theirs = that.entriesByKey.get(key);
      if (theirs === undefined) {
        if (!keepUnseen(mine.dots, that.vvector)) {
          this.entriesByKey.delete(key);
          changed = true;
        } else if (mine.dots.size !== 0 && dropSeen(mine.dots, that.vvector)) {
          changed = true;
        }
        continue;
      }
      if (mergeCommonDots(mine.dots, theirs.dots, this.vvector, that.vvector)) changed = true;
      if (mine.dots.size === 0) {
        this.entriesByKey.delete(key);
        changed = true;
        continue;
      }
      if (mine.value.merge(theirs.value)) changed = true;
    }
    for (const [key, theirs] of that.entriesByKey) {
      if (this.entriesByKey.has(key)) continue;
      const dots = new VersionVector();
      for (const [replica, v] of theirs.dots.entries()) {
        if (!this.vvector.covers(replica, v)) dots.set(replica, v);
      }
      if (dots.size === 0) continue; // we removed it after seeing all its adds
      this.entriesByKey.set(key, { dots, value: theirs.value.copy() });
      changed = true;
    }
    if (this.vvector.merge(that.vvector)) changed = true;
    return changed;
  }

  copy(): ORMap<K, V> {
    const c = new ORMap<K, V>(this.emptyValue);
    for (const [key, entry] of this.entriesByKey) {
      c.entriesByKey.set(key, { dots: entry.dots.copy(), value: entry.value.copy() });
    }
    c.vvector.merge(this.vvector);
    return c;
  }

  equals(that: ORMap<K, V>): boolean {
    if (this.entriesByKey.size !== that.entriesByKey.size) return false;
    if (!this.vvector.equals(that.vvector)) return false;
    for (const [key, entry] of this.entriesByKey) {
      const other = that.entriesByKey.get(key);
      if (other === undefined) return false;
      if (!entry.dots.equals(other.dots)) return false;
      if (!entry.value.equals(other.value)) return false;
    }
    return true;
  }

  needPruningFrom(replica: string): boolean {
    if (this.vvector.has(replica)) return true;
    for (const entry of this.entriesByKey.values()) {
      if (entry.dots.has(replica) || entry.value.needPruningFrom(replica)) return true;
    }
    return false;
  }

  /** Akka: keys `removed` added are re-added by `collapseInto`; values collapse their components likewise. */
  prune(removed: string, collapseInto: string, discardCounts = false): void {
    assert(removed !== collapseInto, `ORMap.prune: cannot collapse ${removed} into itself`);
    this.vvector.delete(removed);
    for (const entry of this.entriesByKey.values()) {
      if (entry.dots.delete(removed)) entry.dots.set(collapseInto, this.vvector.increment(collapseInto));
      entry.value.prune(removed, collapseInto, discardCounts);
    }
  }

  pruningCleanup(removed: string): void {
    this.entriesMayLeave();
    this.vvector.delete(removed);
    for (const [key, entry] of this.entriesByKey) {
      entry.dots.delete(removed);
      entry.value.pruningCleanup(removed);
      // A key kept alive only by the removed replica's add: the leader's pruned state re-adds it.
      if (entry.dots.size === 0) this.entriesByKey.delete(key);
    }
  }

  /** The entry of `key`, made empty if absent. */
  private entryOf(key: K): Entry<V> {
    let entry = this.entriesByKey.get(key);
    if (entry === undefined) {
      entry = { dots: new VersionVector(), value: this.emptyValue() };
      this.entriesByKey.set(key, entry);
    }
    return entry;
  }

  /** Drops touch's cached entry: it may be deleted next. */
  private entriesMayLeave(): void {
    this.lastEntry = null;
  }
}

/** Keeps the dots `seen` has not observed; returns whether any remain. */
function keepUnseen(dots: VersionVector, seen: VersionVector): boolean {
  for (const [replica, v] of dots.entries()) if (!seen.covers(replica, v)) return true;
  return false;
}

/** Drops the dots `seen` has observed; returns whether any were dropped. */
function dropSeen(dots: VersionVector, seen: VersionVector): boolean {
  let dropped = false;
  for (const [replica, v] of dots.entries()) {
    if (seen.covers(replica, v)) {
      dots.delete(replica);
      dropped = true;
    }
  }
  return dropped;
}

/**
 * Merges the dots of a key both sides hold into `mine`: shared dots stay; a dot only one side holds stays if the
 * other side has not seen it. Returns whether `mine` changed.
 */
function mergeCommonDots(mine: VersionVector, theirs: VersionVector, myContext: VersionVector, theirContext: VersionVector): boolean {
  let changed = false;
  for (const [replica, v] of mine.entries()) {
    if (theirs.versionAt(replica) === v) continue; // shared
    if (theirContext.covers(replica, v)) {
      mine.delete(replica);
      changed = true;
    }
  }
  for (const [replica, v] of theirs.entries()) {
    const have = mine.has(replica) ? mine.versionAt(replica) : -1;
    if (have === v) continue;
    if (!myContext.covers(replica, v) && v > have) {
      mine.set(replica, v);
      changed = true;
    }
  }
  return changed;
}

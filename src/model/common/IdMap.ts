/**
 * A map from integer ids to objects for tables that churn — one `set` and one `delete` per activation — used
 * instead of a JS `Map` because of how V8 ages a `Map`'s backing table, not for lookup speed.
 *
 * Why: a `Map` whose entries come and go is rehashed into a fresh table every few hundred inserts, and V8
 * leaves the obsolete table pointing to its successor and still holding the entries it had (for live
 * iterators). Once one table of the chain has reached old space, each successor is kept alive by a dead
 * predecessor until the next full GC, so every table, and every entry it ever held, survives two scavenges
 * and is promoted. In the mid-cluster benchmark that retained nearly every activation's entry, promise,
 * message and record: ~300 bytes an activation promoted, most of the scavenge time (issue 8). Here the
 * arrays are allocated once (and on growth), and a slot is cleared the moment its entry is deleted, so an
 * entry is reachable only while it is a member.
 *
 * Open addressing with linear probing and backward-shift deletion (no tombstones), capacity a power of two,
 * at most half full. Keys must be integers (any float64 integer). No iteration: nothing reads the order.
 *
 * Home slots: ids come in order and most leave soon after, so each group of 8 consecutive ids shares one
 * group of 8 slots (one cache line of `values`), and the groups are scattered by hashing. Replaying the
 * overload bench's put/remove sequence of one controller against a 128-KB LRU line cache: 0.26 line misses per
 * operation against 1.07 with every id scattered, for 2.1 probes against 1.3; ids in their own slots (no
 * scatter) pile up into runs of ~40 probes, since the live ids span far more ids than the table has slots.
 */
import { assert } from '../../sim/assert.js';

const INITIAL_CAPACITY = 64;

export class IdMap<V extends object> {
  private keys = new Float64Array(INITIAL_CAPACITY);
  /** `undefined` marks a free slot. */
  private values: (V | undefined)[] = new Array<V | undefined>(INITIAL_CAPACITY).fill(undefined);
  private mask = INITIAL_CAPACITY - 1;
  /** 32 − log2(capacity): the home slot is the hash's top bits. */
  private shift = 32 - Math.log2(INITIAL_CAPACITY);
  private count = 0;
  /** Bumped by every insert and removal: `getOrAdd` knows whether its probe survived `make`. */
  private mutations = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): V | undefined {
    const keys = this.keys, values = this.values, mask = this.mask, shift = this.shift;
    for (let i = slotOf(id, shift); ; i = (i + 1) & mask) {
      const v = values[i];
      if (v === undefined) return undefined;
      if (keys[i] === id) return v;
    }
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: V): void {
    // Hot (once per insert): the inverted form builds the message only when the check fails.
    if (!Number.isInteger(id)) assert(false, `IdMap: key ${id} is not an integer`);
    const keys = this.keys, values = this.values, mask = this.mask, shift = this.shift;
    let i = slotOf(id, shift);
    for (; values[i] !== undefined; i = (i + 1) & mask) {
      if (keys[i] === id) {
        values[i] = value;
        return;
      }
    }
    this.insertAt(i, id, value);
  }

  /**
   * The value of `id`; when absent, `make(arg)` is stored under `id` and returned. One probe finds the value or
   * the free slot, where `get` then `set` would take two. `make` may use this map: then the slot is found again.
   */
  getOrAdd<A>(id: number, make: (arg: A) => V, arg: A): V {
    // Hot (once per insert): the inverted form builds the message only when the check fails.
    if (!Number.isInteger(id)) assert(false, `IdMap: key ${id} is not an integer`);
    const keys = this.keys, values = this.values, mask = this.mask;
    let i = slotOf(id, this.shift);
    for (let v = values[i]; v !== undefined; v = values[i]) {
      if (keys[i] === id) return v;
      i = (i + 1) & mask;
    }
    const before = this.mutations;
    const value = make(arg);
    if (this.mutations === before) this.insertAt(i, id, value);
    else this.set(id, value);
    return value;
  }

  /** Fills the free slot `i`, the end of `id`'s probe run. */
  private insertAt(i: number, id: number, value: V): void {
    this.keys[i] = id;
    this.values[i] = value;
    this.mutations++;
    if (++this.count * 2 > this.values.length) this.grow();
  }

  /** Removes `id`; false when it was absent. */
  delete(id: number): boolean {
    return this.take(id) !== undefined;
  }

  /** Removes `id` and returns its value (one probe where `get` then `delete` would take two), or undefined. */
  take(id: number): V | undefined {
    const keys = this.keys, values = this.values, mask = this.mask, shift = this.shift;
    let i = slotOf(id, shift);
    for (;;) {
      if (values[i] === undefined) return undefined;
      if (keys[i] === id) break;
      i = (i + 1) & mask;
    }
    const taken = values[i]!;
    // Backward shift: pull later members of the probe run into the hole so lookups never stop early.
    let hole = i;
    for (let j = (i + 1) & mask; values[j] !== undefined; j = (j + 1) & mask) {
      const home = slotOf(keys[j]!, shift);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        keys[hole] = keys[j]!;
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = undefined;
    this.count--;
    this.mutations++;
    return taken;
  }

  private grow(): void {
    const oldKeys = this.keys, oldValues = this.values;
    const capacity = oldValues.length * 2;
    this.keys = new Float64Array(capacity);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
    this.shift--;
    const keys = this.keys, values = this.values, mask = this.mask, shift = this.shift;
    for (let k = 0; k < oldValues.length; k++) {
      const v = oldValues[k];
      if (v === undefined) continue;
      const id = oldKeys[k]!;
      let i = slotOf(id, shift);
      while (values[i] !== undefined) i = (i + 1) & mask;
      keys[i] = id;
      values[i] = v;
      // The old array may sit in old space until the next full GC: leave it pointing at nothing.
      oldValues[k] = undefined;
    }
  }
}

/**
 * Home slot: the id's group of 8 consecutive ids (one 64-byte line of `values`) goes to a group of 8 slots by
 * Fibonacci hashing of its low and high 32 bits, keeping the top `29 − shift` bits; the id's low 3 bits pick the
 * slot in the group. Consecutive new ids then fill one line instead of eight scattered ones.
 */
function slotOf(id: number, shift: number): number {
  const lo = id | 0;
  const hi = (id / 4294967296) | 0;
  return ((Math.imul((lo >>> 3) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (shift + 3)) << 3) | (lo & 7);
}

/**
 * A version vector (Akka distributed-data `VersionVector`): per replica, the highest event counter seen. The
 * ORMap uses one as its causal context (every add it has observed) and small ones as the "dots" that tag each
 * key with the adds that created or refreshed it.
 *
 * Mutable; entries iterate in insertion order.
 *
 * Representation: one array of (replica id, counter) pairs, flattened — [id0, v0, id1, v1, …] — searched
 * linearly. A vector holds one entry per controller replica — a handful — and the hot path (one `increment` and
 * one `set` per ORMap touch, two touches per shared-counter update, four updates per activation) is then a few
 * pointer compares in one array instead of string-keyed Map lookups (or two parallel arrays: one object and one
 * backing store fewer to load). Order is insertion order, as a Map's would be: a new replica is appended,
 * `delete` closes the gap.
 */
export class VersionVector {
  /** [replica id, counter] pairs, flattened: ids at even indices, counters at odd ones. */
  private readonly pairs: (string | number)[] = [];

  /** The index of `replica`'s id in `pairs`, or -1. */
  private indexOf(replica: string): number {
    const pairs = this.pairs;
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === replica) return i;
    return -1;
  }

  versionAt(replica: string): number {
    const i = this.indexOf(replica);
    return i < 0 ? 0 : (this.pairs[i + 1] as number);
  }

  /** Raises `replica`'s counter by one and returns the new counter (the new dot). */
  increment(replica: string): number {
    const i = this.indexOf(replica);
    if (i < 0) {
      this.pairs.push(replica, 1);
      return 1;
    }
    const v = (this.pairs[i + 1] as number) + 1;
    this.pairs[i + 1] = v;
    return v;
  }

  /** Sets `replica`'s counter (the caller guarantees it does not go down). */
  set(replica: string, version: number): void {
    const i = this.indexOf(replica);
    if (i < 0) this.pairs.push(replica, version);
    else this.pairs[i + 1] = version;
  }

  /** True when the dot (replica, version) has been seen. */
  covers(replica: string, version: number): boolean {
    return this.versionAt(replica) >= version;
  }

  get size(): number {
    return this.pairs.length >> 1;
  }

  /** A snapshot of the entries (the vector may be changed while iterating it). Allocates: merges only. */
  entries(): IterableIterator<[string, number]> {
    const out: [string, number][] = [];
    for (let i = 0; i < this.pairs.length; i += 2) out.push([this.pairs[i] as string, this.pairs[i + 1] as number]);
    return out.values();
  }

  has(replica: string): boolean {
    return this.indexOf(replica) >= 0;
  }

  delete(replica: string): boolean {
    const i = this.indexOf(replica);
    if (i < 0) return false;
    this.pairs.splice(i, 2);
    return true;
  }

  /** Pointwise maximum; returns true when anything rose. */
  merge(that: VersionVector): boolean {
    let changed = false;
    const theirs = that.pairs;
    for (let j = 0; j < theirs.length; j += 2) {
      const replica = theirs[j] as string;
      const v = theirs[j + 1] as number;
      const i = this.indexOf(replica);
      if (i < 0) {
        this.pairs.push(replica, v);
        changed = true;
      } else if (v > (this.pairs[i + 1] as number)) {
        this.pairs[i + 1] = v;
        changed = true;
      }
    }
    return changed;
  }

  copy(): VersionVector {
    const c = new VersionVector();
    for (let i = 0; i < this.pairs.length; i++) c.pairs.push(this.pairs[i]!);
    return c;
  }

  equals(that: VersionVector): boolean {
    if (this.pairs.length !== that.pairs.length) return false;
    for (let i = 0; i < this.pairs.length; i += 2) {
      if (that.versionAt(this.pairs[i] as string) !== this.pairs[i + 1]) return false;
    }
    return true;
  }
}

/**
 * A version vector (Akka distributed-data `VersionVector`): per replica, the highest event counter seen. The
 * ORMap uses one as its causal context (every add it has observed) and small ones as the "dots" that tag each
 * key with the adds that created or refreshed it.
 *
 * Mutable; entries iterate in insertion order.
 *
 * Representation: two parallel arrays (replica ids, counters) searched linearly. A vector holds one entry per
 * controller replica — a handful — and the hot path (one `increment` and one `set` per shared-counter update,
 * four updates per activation) is then a few pointer compares instead of string-keyed Map lookups. Order is
 * insertion order, as a Map's would be: a new replica is appended, `delete` closes the gap.
 */
export class VersionVector {
  private readonly replicaIds: string[] = [];
  private readonly versions: number[] = [];

  private indexOf(replica: string): number {
    const ids = this.replicaIds;
    for (let i = 0; i < ids.length; i++) if (ids[i] === replica) return i;
    return -1;
  }

  versionAt(replica: string): number {
    const i = this.indexOf(replica);
    return i < 0 ? 0 : this.versions[i]!;
  }

  /** Raises `replica`'s counter by one and returns the new counter (the new dot). */
  increment(replica: string): number {
    const i = this.indexOf(replica);
    if (i < 0) {
      this.replicaIds.push(replica);
      this.versions.push(1);
      return 1;
    }
    return ++this.versions[i]!;
  }

  /** Sets `replica`'s counter (the caller guarantees it does not go down). */
  set(replica: string, version: number): void {
    const i = this.indexOf(replica);
    if (i < 0) {
      this.replicaIds.push(replica);
      this.versions.push(version);
    } else {
      this.versions[i] = version;
    }
  }

  /** True when the dot (replica, version) has been seen. */
  covers(replica: string, version: number): boolean {
    return this.versionAt(replica) >= version;
  }

  get size(): number {
    return this.replicaIds.length;
  }

  /** A snapshot of the entries (the vector may be changed while iterating it). Allocates: merges only. */
  entries(): IterableIterator<[string, number]> {
    const out: [string, number][] = [];
    for (let i = 0; i < this.replicaIds.length; i++) out.push([this.replicaIds[i]!, this.versions[i]!]);
    return out.values();
  }

  has(replica: string): boolean {
    return this.indexOf(replica) >= 0;
  }

  delete(replica: string): boolean {
    const i = this.indexOf(replica);
    if (i < 0) return false;
    this.replicaIds.splice(i, 1);
    this.versions.splice(i, 1);
    return true;
  }

  /** Pointwise maximum; returns true when anything rose. */
  merge(that: VersionVector): boolean {
    let changed = false;
    for (let j = 0; j < that.replicaIds.length; j++) {
      const replica = that.replicaIds[j]!;
      const v = that.versions[j]!;
      const i = this.indexOf(replica);
      if (i < 0) {
        this.replicaIds.push(replica);
        this.versions.push(v);
        changed = true;
      } else if (v > this.versions[i]!) {
        this.versions[i] = v;
        changed = true;
      }
    }
    return changed;
  }

  copy(): VersionVector {
    const c = new VersionVector();
    for (let i = 0; i < this.replicaIds.length; i++) {
      c.replicaIds.push(this.replicaIds[i]!);
      c.versions.push(this.versions[i]!);
    }
    return c;
  }

  equals(that: VersionVector): boolean {
    if (this.replicaIds.length !== that.replicaIds.length) return false;
    for (let i = 0; i < this.replicaIds.length; i++) {
      if (that.versionAt(this.replicaIds[i]!) !== this.versions[i]) return false;
    }
    return true;
  }
}

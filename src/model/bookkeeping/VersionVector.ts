/**
 * A version vector (Akka distributed-data `VersionVector`): per replica, the highest event counter seen. The
 * ORMap uses one as its causal context (every add it has observed) and small ones as the "dots" that tag each
 * key with the adds that created or refreshed it.
 *
 * Mutable; entries iterate in insertion order.
 */
export class VersionVector {
  private readonly versions = new Map<string, number>();

  versionAt(replica: string): number {
    return this.versions.get(replica) ?? 0;
  }

  /** Raises `replica`'s counter by one and returns the new counter (the new dot). */
  increment(replica: string): number {
    const next = (this.versions.get(replica) ?? 0) + 1;
    this.versions.set(replica, next);
    return next;
  }

  /** Sets `replica`'s counter (the caller guarantees it does not go down). */
  set(replica: string, version: number): void {
    this.versions.set(replica, version);
  }

  /** True when the dot (replica, version) has been seen. */
  covers(replica: string, version: number): boolean {
    return (this.versions.get(replica) ?? 0) >= version;
  }

  get size(): number {
    return this.versions.size;
  }

  entries(): IterableIterator<[string, number]> {
    return this.versions.entries();
  }

  has(replica: string): boolean {
    return this.versions.has(replica);
  }

  delete(replica: string): boolean {
    return this.versions.delete(replica);
  }

  /** Pointwise maximum; returns true when anything rose. */
  merge(that: VersionVector): boolean {
    let changed = false;
    for (const [replica, v] of that.versions) {
      const mine = this.versions.get(replica);
      if (mine === undefined || v > mine) {
        this.versions.set(replica, v);
        changed = true;
      }
    }
    return changed;
  }

  copy(): VersionVector {
    const c = new VersionVector();
    for (const [replica, v] of this.versions) c.versions.set(replica, v);
    return c;
  }

  equals(that: VersionVector): boolean {
    if (this.versions.size !== that.versions.size) return false;
    for (const [replica, v] of this.versions) if (that.versions.get(replica) !== v) return false;
    return true;
  }
}

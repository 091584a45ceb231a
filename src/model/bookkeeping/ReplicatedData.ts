/**
 * The contract every state-based CRDT in owsim's bookkeeping fulfils, after Akka distributed-data's
 * `ReplicatedData` and `RemovedNodePruning` traits (the library OpenWhisk's DistributedLoadBalancerData used).
 *
 * Differences from Akka, on purpose:
 * - Values are mutable and `merge` works in place (Akka returns a new immutable value). This keeps the
 *   simulator's hot path free of allocation; `copy()` makes the snapshot a gossip message carries.
 * - `merge` reports whether this replica's state changed, so the Replicator knows which keys to notify.
 *
 * Laws (checked by the property tests): merge is commutative, associative and idempotent on state, so replicas
 * that see the same updates in any order and any merge schedule converge.
 *
 * Pruning (Akka "CRDT garbage"): when a replica leaves the cluster for good, the cluster's leader collapses that
 * replica's contributions into its own (`prune(removed, collapseInto)`), which keeps every value unchanged;
 * every other replica drops the removed replica's contributions (`pruningCleanup`) once it has seen the
 * leader's pruned state. See Replicator.ts for when this happens.
 */
export interface ReplicatedData<T> {
  /** Merges `that` into this state; `that` is not modified. Returns true when this state changed. */
  merge(that: T): boolean;
  /** A deep copy that shares no mutable state with this one. */
  copy(): T;
  /** Same state (order of insertion ignored). */
  equals(that: T): boolean;
  /** True when the state holds contributions of `replica`. */
  needPruningFrom(replica: string): boolean;
  /**
   * Moves `removed`'s contributions to `collapseInto` (the value is unchanged). With `discardCounts`, counters
   * drop `removed`'s counts instead, while structure (map keys) still moves to `collapseInto` (owsim-only mode).
   */
  prune(removed: string, collapseInto: string, discardCounts?: boolean): void;
  /** Drops `removed`'s contributions (after the leader's prune has been seen). */
  pruningCleanup(removed: string): void;
}

/**
 * Port of the `LoadBalancerData` trait that OpenWhisk keeps beside LocalLoadBalancerData in
 * core/controller/src/main/scala/whisk/core/loadBalancer/LocalLoadBalancerData.scala (PR #2932 era): a
 * controller's books of in-flight activations as the balancers read them. LocalLoadBalancerData (one controller's own books) and
 * DistributedLoadBalancerData / DistributedLoadBalancerDataMB (books shared through replicated counters)
 * implement it; the balancers, the controller and the invariant checkers see only this interface.
 */
import type { ActivationEntry } from '../controller/ActivationEntry.js';

export interface LoadBalancerData {
  /** Activations this controller has in flight (PR Distributed: plus other controllers' invoker counts). */
  totalActivationCount(): number;
  /** In-flight activations of the namespace with this uuid. */
  activationCountOn(namespaceId: string): number;
  /** In-flight activations on one invoker; 0 for an unknown one. Allocation-free. */
  activationCountOnInvoker(invoker: number): number;
  /** Every invoker ever counted, by id in ascending order, with its count (allocates; for tests and reports). */
  activationCountPerInvoker(): Map<number, number>;
  /** PR #2932: entries without an invoker (parked in the overflow topic). */
  overflowActivationCount(): number;
  /** The entry for `id`, or null (Scala None). */
  activationById(id: number): ActivationEntry | null;
  /**
   * Stores the entry `makeEntry(arg)` under `id` unless one exists; `makeEntry` runs at most once and not at
   * all when `id` is present. Returns the stored entry.
   * @param isOverflow PR #2932's flag for the shared counters; the local store ignores it
   * @param arg handed to `makeEntry`, so callers can bind the factory once instead of allocating a closure
   */
  putActivation<A>(id: number, makeEntry: (arg: A) => ActivationEntry, isOverflow?: boolean, arg?: A): ActivationEntry;
  /** Removes `entry.id`; returns the removed entry or null. Counts are reversed with `entry`'s fields. */
  removeActivation(entry: ActivationEntry): ActivationEntry | null;
  /** Removes the entry stored under `id`; returns it or null. */
  removeActivationById(id: number): ActivationEntry | null;
  /**
   * MB's distributed bookkeeping only: an asynchronous read of every invoker's count (the replicator's Get);
   * `callback(counts, arg)` runs later from a scheduler event. Absent where counts are read at once.
   */
  readInvokerCounts?<A>(callback: (counts: InvokerCountsRead, arg: A) => void, arg?: A): void;
}

/** The counts one `readInvokerCounts` answered; valid only inside its callback. */
export interface InvokerCountsRead {
  countOn(invoker: number): number;
}

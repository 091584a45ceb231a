/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/LocalLoadBalancerData.scala (and the
 * `LoadBalancerData` trait beside it) @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (docs/openwhisk.md §7.2).
 *
 * What it models: a controller's own books of in-flight activations — the entries by activation id, and the
 * counts the scheduler and the throttles read: total, per namespace, per invoker, and (PR #2932) activations
 * parked in the overflow topic (entries without an invoker).
 *
 * Rules (PR version):
 * - `putActivation(id, makeEntry)` evaluates `makeEntry` only when `id` is absent; then total +1, namespace +1
 *   (always — the `isOverflow` argument is ignored here; DistributedLoadBalancerData uses it), and invoker +1
 *   if the entry has one, else overflow +1. It returns the stored entry (the old one if `id` was present).
 * - `removeActivation(entry)` removes by `entry.id` and, only if something was removed, reverses the counts
 *   using the fields of the entry *passed in* (not the stored one), as the Scala does.
 * - Counter keys stay present at 0 after removal (`activationCountPerInvoker` lists every invoker ever counted).
 *
 * Hot path: per-invoker counts live in an array indexed by invoker id (grown as needed), so
 * `activationCountOnInvoker` is O(1) and allocation-free; a namespace's count is a mutable cell, so counting is
 * one Map lookup. `putActivation` probes the table once (IdMap.getOrAdd) and knows a new id by the table
 * growing, so `makeEntry` must not put or remove entries of these books itself (no caller's does).
 * The entries by id are an IdMap, not a Map: a churning Map's obsolete tables kept every entry alive into
 * old space (IdMap.ts).
 * // port: TrieMap/AtomicInteger → IdMap, Map, array, numbers
 */
import { assert } from '../../sim/assert.js';
import type { ActivationEntry } from '../controller/ActivationEntry.js';
import { IdMap } from '../common/IdMap.js';
import type { LoadBalancerData } from './LoadBalancerData.js';

/** One namespace's count (Scala's AtomicInteger). */
interface NamespaceCount {
  count: number;
}

export class LocalLoadBalancerData implements LoadBalancerData {
  private readonly activationsById = new IdMap<ActivationEntry>();
  private readonly activationByNamespaceId = new Map<string, NamespaceCount>();
  /** Count per invoker id; `invokerKnown[i]` records whether invoker i was ever counted (keys stay at 0). */
  private readonly activationByInvoker: number[] = [];
  private readonly invokerKnown: boolean[] = [];
  private totalActivations = 0;
  private overflowActivations = 0;

  totalActivationCount(): number {
    return this.totalActivations;
  }

  activationCountOn(namespaceId: string): number {
    return this.activationByNamespaceId.get(namespaceId)?.count ?? 0;
  }

  activationCountOnInvoker(invoker: number): number {
    return invoker < this.activationByInvoker.length ? this.activationByInvoker[invoker]! : 0;
  }

  activationCountPerInvoker(): Map<number, number> {
    const counts = new Map<number, number>();
    for (let i = 0; i < this.activationByInvoker.length; i++) {
      if (this.invokerKnown[i]) counts.set(i, this.activationByInvoker[i]!);
    }
    return counts;
  }

  overflowActivationCount(): number {
    return this.overflowActivations;
  }

  activationById(id: number): ActivationEntry | null {
    return this.activationsById.get(id) ?? null;
  }

  putActivation<A>(id: number, makeEntry: (arg: A) => ActivationEntry, _isOverflow = false, arg?: A): ActivationEntry {
    // One probe finds the stored entry or the free slot; the table grows only when `makeEntry` ran.
    const held = this.activationsById.size;
    const entry = this.activationsById.getOrAdd(id, makeEntry, arg as A);
    if (this.activationsById.size === held) return entry;
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (entry.id !== id) assert(false, `putActivation: entry id ${entry.id} differs from key ${id}`);
    this.count(entry, 1);
    return entry;
  }

  removeActivation(entry: ActivationEntry): ActivationEntry | null {
    const removed = this.activationsById.take(entry.id);
    if (removed === undefined) return null;
    // Faithful: the counts are reversed with the fields of the entry passed in.
    this.count(entry, -1);
    return removed;
  }

  removeActivationById(id: number): ActivationEntry | null {
    // removeActivation(stored entry), without looking the id up twice.
    const entry = this.activationsById.take(id);
    if (entry === undefined) return null;
    this.count(entry, -1);
    return entry;
  }

  /** Number of entries held (for checkers: it must equal totalActivationCount). */
  get size(): number {
    return this.activationsById.size;
  }

  private count(entry: ActivationEntry, delta: 1 | -1): void {
    this.totalActivations += delta;
    const namespace = this.activationByNamespaceId.get(entry.namespaceId);
    if (namespace !== undefined) namespace.count += delta;
    else this.activationByNamespaceId.set(entry.namespaceId, { count: delta });
    if (entry.invokerName !== null) {
      const invoker = entry.invokerName;
      // Hot (once per activation): the inverted form builds the message only when the check fails.
      if (!Number.isInteger(invoker)) assert(false, `invoker id ${invoker} is not an integer`);
      if (!(invoker >= 0)) assert(false, `invoker id ${invoker} is negative`);
      while (this.activationByInvoker.length <= invoker) {
        this.activationByInvoker.push(0);
        this.invokerKnown.push(false);
      }
      this.invokerKnown[invoker] = true;
      this.activationByInvoker[invoker]! += delta;
    } else {
      this.overflowActivations += delta;
    }
  }
}

/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/DistributedLoadBalancerData.scala
 *   @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (docs/openwhisk.md §7.2, §18.8).
 *
 * What it models: a controller's bookkeeping when counts are shared through CRDTs. Three SharedDataService
 * stores, "Invokers", "Namespaces", "Overflow" (each an ORMap[String, PNCounterMap[Int]] keyed by controller
 * instance inside), plus a wrapped LocalLoadBalancerData for this controller's own entries and counts.
 * - Reads = others' part of the last replicated snapshot (this controller's inner key filtered out) + the local
 *   store, which is immediate. So one's own changes are visible at once, other controllers' only after gossip
 *   (Replicator gossip interval + network latency) and the next notify tick.
 * - putActivation (the block runs only if the id is new): the shared namespace counter +1 unless `isOverflow`
 *   (do not count a foreign overflow activation twice); the shared invoker counter +1 if the entry has an
 *   invoker, else the shared overflow counter; and the local store (here first: the updates are independent and
 *   its one probe decides whether the id is new). The local store always counts the namespace, so the
 *   processing controller double-counts a foreign overflow activation's namespace (§18.8).
 * - removeActivation: the namespace decrement is skipped when the *stored* entry is an overflow one; the
 *   invoker/overflow choice uses the entry *passed in*, as in Scala.
 * - totalActivationCount = others' invoker counts + local total (others' overflow entries are not included).
 * - Entries are never replicated; activationById reads the local store only.
 * - A negative shared count fails the snapshot's `require` (see SharedDataService: thrown unless
 *   `onRequirementFailed` is given, in which case the snapshot is dropped and reads stay at the previous one).
 *
 * Hot path: the snapshot is folded, on each notify, into a per-invoker array of others' sums (plus a per-
 * namespace Map and two totals), and a second per-invoker array holds others' sum + the local count, kept in
 * step by put and remove, so `activationCountOnInvoker` is one array read — O(1), allocation-free.
 * // port: Akka actor Updated → ChangedSubscriber callback; mutable.Map → Map (insertion order)
 */
import { assert } from '../../sim/assert.js';
import type { ActivationEntry } from '../controller/ActivationEntry.js';
import { LocalLoadBalancerData } from './LocalLoadBalancerData.js';
import type { LoadBalancerData } from './LoadBalancerData.js';
import type { Replicator } from './Replicator.js';
import {
  SharedDataService,
  type RequirementFailedHandler,
  type SharedCounters,
  type UpdatedListener,
} from './SharedDataService.js';

/** The Overflow store's one outer key. */
const OVERFLOW_KEY = 'overflow';

export interface DistributedLoadBalancerDataOptions {
  /** Scala's `monitor: Option[ActorRef]`: also receives every Updated snapshot. */
  monitor?: UpdatedListener;
  /** Called when a snapshot fails `require(value >= 0)`; without it the failure is thrown. */
  onRequirementFailed?: RequirementFailedHandler;
}

export class DistributedLoadBalancerData implements LoadBalancerData {
  /** This controller's entries and counts; also the one index of entries by id (Scala keeps a second map). */
  private readonly localData = new LocalLoadBalancerData();

  // Others' part of the last snapshot of each store (this controller's inner key filtered out).
  private readonly sharedInvokerCounts: number[] = [];
  private readonly sharedInvokerKnown: boolean[] = [];
  private sharedInvokerTotal = 0;
  /**
   * Per invoker id: others' shared count + the local store's count, kept in step with both, so the balancers'
   * read (every invoker of a cascade walk, per activation) is one array read instead of two classes' arrays.
   */
  private readonly invokerCounts: number[] = [];
  private readonly sharedNamespaceCounts = new Map<string, number>();
  private sharedOverflowCount = 0;

  private readonly sharedStateInvokers: SharedDataService;
  private readonly sharedStateNamespaces: SharedDataService;
  private readonly sharedStateOverflow: SharedDataService;
  /** Outer keys of the Invokers store by invoker id (each string made once). */
  private readonly invokerKeys: string[] = [];
  private readonly monitor: UpdatedListener | undefined;

  constructor(
    readonly instance: number,
    replicator: Replicator,
    options: DistributedLoadBalancerDataOptions = {},
  ) {
    assert(Number.isInteger(instance), `controller instance ${instance} is not an integer`);
    this.monitor = options.monitor;
    const updateMonitor = this.updated.bind(this);
    this.sharedStateInvokers = new SharedDataService('Invokers', updateMonitor, replicator, options.onRequirementFailed);
    this.sharedStateNamespaces = new SharedDataService('Namespaces', updateMonitor, replicator, options.onRequirementFailed);
    this.sharedStateOverflow = new SharedDataService('Overflow', updateMonitor, replicator, options.onRequirementFailed);
  }

  totalActivationCount(): number {
    return this.sharedInvokerTotal + this.localData.totalActivationCount();
  }

  activationCountOn(namespaceId: string): number {
    return (this.sharedNamespaceCounts.get(namespaceId) ?? 0) + this.localData.activationCountOn(namespaceId);
  }

  activationCountOnInvoker(invoker: number): number {
    return invoker < this.invokerCounts.length ? this.invokerCounts[invoker]! : 0;
  }

  /** Local keys plus every key of the shared snapshot (shared sum + local), ascending. Allocates. */
  activationCountPerInvoker(): Map<number, number> {
    const local = this.localData.activationCountPerInvoker();
    for (let i = 0; i < this.sharedInvokerKnown.length; i++) {
      if (this.sharedInvokerKnown[i]) local.set(i, this.sharedInvokerCounts[i]! + (local.get(i) ?? 0));
    }
    return new Map([...local.entries()].sort((a, b) => a[0] - b[0]));
  }

  overflowActivationCount(): number {
    return this.sharedOverflowCount + this.localData.overflowActivationCount();
  }

  /** Activations are not replicated, only the counters. */
  activationById(id: number): ActivationEntry | null {
    return this.localData.activationById(id);
  }

  putActivation<A>(id: number, makeEntry: (arg: A) => ActivationEntry, isOverflow = false, arg?: A): ActivationEntry {
    // The local store stores and counts a new entry (one probe of its table); the block below runs only then.
    const local = this.localData;
    const held = local.size;
    const entry = local.putActivation(id, makeEntry, isOverflow, arg);
    if (local.size === held) return entry;
    // 1. Shared counters: a foreign overflow activation does not count against the namespace again.
    if (!isOverflow) this.sharedStateNamespaces.increaseCounter(entry.namespaceId, this.instance, 1);
    // 2. Routed to an invoker → its counter; parked in the overflow topic → the overflow counter.
    const invoker = entry.invokerName;
    if (invoker !== null) {
      this.sharedStateInvokers.increaseCounter(this.invokerKey(invoker), this.instance, 1);
      this.countOnInvoker(invoker, 1);
    } else {
      this.sharedStateOverflow.increaseCounter(OVERFLOW_KEY, this.instance, 1);
    }
    return entry;
  }

  removeActivation(entry: ActivationEntry): ActivationEntry | null {
    // The local store's map is Scala's activationsById (both always hold the same ids); the local counts are
    // reversed with `entry`'s fields, as Scala's localData.removeActivation(entry) does.
    const activationEntry = this.localData.removeActivation(entry);
    if (activationEntry === null) return null;
    this.decreaseShared(activationEntry, entry);
    return activationEntry;
  }

  removeActivationById(id: number): ActivationEntry | null {
    // removeActivation(stored entry): the stored entry is also the one passed in.
    const entry = this.localData.removeActivationById(id);
    if (entry !== null) this.decreaseShared(entry, entry);
    return entry;
  }

  /** Faithful: the overflow flag of the stored entry, the namespace and invoker of the entry passed in. */
  private decreaseShared(stored: ActivationEntry, entry: ActivationEntry): void {
    if (!stored.isOverflow) this.sharedStateNamespaces.decreaseCounter(entry.namespaceId, this.instance, 1);
    const invoker = entry.invokerName;
    if (invoker !== null) {
      this.sharedStateInvokers.decreaseCounter(this.invokerKey(invoker), this.instance, 1);
      this.countOnInvoker(invoker, -1);
    } else {
      this.sharedStateOverflow.decreaseCounter(OVERFLOW_KEY, this.instance, 1);
    }
  }

  /** Follows a change of the local store's count of `invoker` (which has checked the id) in `invokerCounts`. */
  private countOnInvoker(invoker: number, delta: 1 | -1): void {
    const counts = this.invokerCounts;
    while (counts.length <= invoker) counts.push(0);
    counts[invoker]! += delta;
  }

  /** Entries held (for checkers). */
  get size(): number {
    return this.localData.size;
  }

  /** The stores' services (tests and checkers read `requirementFailures` and `getMap()`). */
  get sharedStores(): readonly SharedDataService[] {
    return [this.sharedStateInvokers, this.sharedStateNamespaces, this.sharedStateOverflow];
  }

  private invokerKey(invoker: number): string {
    let key = this.invokerKeys[invoker];
    if (key === undefined) {
      assert(Number.isInteger(invoker) && invoker >= 0, `invoker id ${invoker} is not a non-negative integer`);
      key = String(invoker);
      this.invokerKeys[invoker] = key;
    }
    return key;
  }

  /** The Updated message: fold the snapshot into others' sums. */
  private updated(storageName: string, entries: SharedCounters): void {
    this.monitor?.(storageName, entries);
    switch (storageName) {
      case 'Invokers':
        this.sharedInvokerCounts.fill(0);
        this.sharedInvokerKnown.fill(false);
        this.sharedInvokerTotal = 0;
        for (const key of entries.keys()) {
          const invoker = Number(key);
          assert(Number.isInteger(invoker) && invoker >= 0, `Invokers store key ${key} is not an invoker id`);
          while (this.sharedInvokerCounts.length <= invoker) {
            this.sharedInvokerCounts.push(0);
            this.sharedInvokerKnown.push(false);
          }
          const sum = this.othersSum(entries, key);
          this.sharedInvokerCounts[invoker] = sum;
          this.sharedInvokerKnown[invoker] = true;
          this.sharedInvokerTotal += sum;
        }
        this.refoldInvokerCounts();
        break;
      case 'Namespaces':
        this.sharedNamespaceCounts.clear();
        for (const key of entries.keys()) this.sharedNamespaceCounts.set(key, this.othersSum(entries, key));
        break;
      case 'Overflow': {
        let sum = 0;
        for (const key of entries.keys()) sum += this.othersSum(entries, key);
        this.sharedOverflowCount = sum;
        break;
      }
      default:
        assert(false, `unknown store ${storageName}`);
    }
  }

  /** invokerCounts = others' shared counts + the local counts, after a new snapshot. */
  private refoldInvokerCounts(): void {
    const counts = this.invokerCounts;
    while (counts.length < this.sharedInvokerCounts.length) counts.push(0);
    for (let i = 0; i < counts.length; i++) {
      const shared = i < this.sharedInvokerCounts.length ? this.sharedInvokerCounts[i]! : 0;
      counts[i] = shared + this.localData.activationCountOnInvoker(i);
    }
  }

  private othersSum(entries: SharedCounters, key: string): number {
    const counters = entries.get(key)!;
    let sum = 0;
    for (const instance of counters.keys()) {
      if (instance !== this.instance) sum += counters.get(instance)!;
    }
    return sum;
  }
}

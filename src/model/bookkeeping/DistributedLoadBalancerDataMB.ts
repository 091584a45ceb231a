/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/DistributedLoadBalancerData.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 — the pre-PR distributed bookkeeping (docs/openwhisk.md §7.1, §18.9).
 *
 * What it models: two SharedDataServiceMB stores, "Invokers" (key = invoker id) and "Namespaces" (key =
 * namespace uuid), each a cluster-wide PNCounterMap[String]; this controller's entries in its own map (never
 * replicated). Counts include this controller's own (its replica's components), but every count is read from the
 * replicator — there is no local fast path as in the PR version.
 *
 * Reads are asynchronous in Scala (an ask to the SharedDataService, then a ReadLocal Get). The MB balancer
 * awaits the invoker counts, *then* schedules and records the entry, so publishes whose reads overlap all
 * decide on the same stale counts (issue #2859, §18.9). For the balancer:
 *
 *   readInvokerCounts(callback, arg)
 *     The counts are taken from the local replica *now* (when the replicator would process the Get) and
 *     `callback(counts, arg)` runs `readDelayMs` later, from a scheduler event (never synchronously). The
 *     legacy balancer should: on publish, call readInvokerCounts; in the callback, choose the invoker with
 *     `counts.countOn(id)` and then `putActivation`. Every publish issued within `readDelayMs` of another's
 *     read then sees counts without the other's entry. `counts` is pooled: use it only inside the callback.
 *
 * The synchronous LoadBalancerData methods read the local replica at call time (as if the ask answered at
 * once) — good for throttles and reports; use readInvokerCounts to reproduce §18.9. overflowActivationCount is
 * always 0 (no overflow path before the PR). `totalActivationCount` is the sum of the Invokers store (kept by
 * PNCounterMap), O(1) between merges.
 *
 * // port: ask(GetMap) Future → callback after a scheduler hop; TrieMap → IdMap (never iterated; see IdMap.ts)
 */
import { assert } from '../../sim/assert.js';
import type { ActivationEntry } from '../controller/ActivationEntry.js';
import { IdMap } from '../common/IdMap.js';
import type { Scheduler } from '../messaging.js';
import type { LoadBalancerData } from './LoadBalancerData.js';
import type { Replicator } from './Replicator.js';
import { SharedDataServiceMB } from './SharedDataServiceMB.js';

export interface DistributedLoadBalancerDataMBOptions {
  scheduler: Scheduler;
  /** Ask round trip of readInvokerCounts (ms): `controllers.replication.readDelay`. */
  readDelayMs: number;
}

/** Invoker counts as read by one readInvokerCounts; valid only during its callback. */
export class InvokerCounts {
  /** Count per invoker id; ids beyond `length` count 0. */
  readonly counts: number[] = [];
  length = 0;

  countOn(invoker: number): number {
    return invoker < this.length ? this.counts[invoker]! : 0;
  }
}

interface PendingRead {
  readonly snapshot: InvokerCounts;
  callback: ((counts: InvokerCounts, arg: any) => void) | null;
  arg: unknown;
}

export class DistributedLoadBalancerDataMB implements LoadBalancerData {
  private readonly activationsById = new IdMap<ActivationEntry>();
  private readonly sharedStateInvokers: SharedDataServiceMB;
  private readonly sharedStateNamespaces: SharedDataServiceMB;
  private readonly scheduler: Scheduler;
  private readonly readDelayMs: number;
  private readonly invokerKeys: string[] = [];
  private readonly readPool: PendingRead[] = [];
  private readonly boundAnswerRead: (read: PendingRead) => void;

  constructor(replicator: Replicator, options: DistributedLoadBalancerDataMBOptions) {
    this.scheduler = options.scheduler;
    this.readDelayMs = options.readDelayMs;
    assert(this.readDelayMs >= 0, `readDelayMs ${this.readDelayMs} is negative`);
    this.sharedStateInvokers = new SharedDataServiceMB('Invokers', replicator);
    this.sharedStateNamespaces = new SharedDataServiceMB('Namespaces', replicator);
    this.boundAnswerRead = this.answerRead.bind(this);
  }

  /** Asynchronous `activationCountPerInvoker` (see the file comment). */
  readInvokerCounts<A>(callback: (counts: InvokerCounts, arg: A) => void, arg?: A): void {
    const read = this.readPool.pop() ?? { snapshot: new InvokerCounts(), callback: null, arg: undefined };
    read.callback = callback;
    read.arg = arg;
    const snapshot = read.snapshot;
    snapshot.counts.fill(0);
    snapshot.length = 0;
    this.sharedStateInvokers.store()?.forEach(fillCount, snapshot);
    this.scheduler.scheduleOnce(this.readDelayMs, this.boundAnswerRead, read);
  }

  totalActivationCount(): number {
    return this.sharedStateInvokers.store()?.total ?? 0;
  }

  activationCountOn(namespaceId: string): number {
    return this.sharedStateNamespaces.store()?.get(namespaceId) ?? 0;
  }

  activationCountOnInvoker(invoker: number): number {
    return this.sharedStateInvokers.store()?.get(this.invokerKey(invoker)) ?? 0;
  }

  activationCountPerInvoker(): Map<number, number> {
    const out: [number, number][] = [];
    this.sharedStateInvokers.store()?.forEach((key, value) => out.push([Number(key), value]));
    return new Map(out.sort((a, b) => a[0] - b[0]));
  }

  overflowActivationCount(): number {
    return 0;
  }

  activationById(id: number): ActivationEntry | null {
    return this.activationsById.get(id) ?? null;
  }

  putActivation<A>(id: number, makeEntry: (arg: A) => ActivationEntry, _isOverflow = false, arg?: A): ActivationEntry {
    const existing = this.activationsById.get(id);
    if (existing !== undefined) return existing;
    const entry = makeEntry(arg as A);
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (entry.id !== id) assert(false, `putActivation: entry id ${entry.id} differs from key ${id}`);
    assert(entry.invokerName !== null, 'pre-PR bookkeeping: every entry has an invoker');
    this.sharedStateNamespaces.increaseCounter(entry.namespaceId, 1);
    this.sharedStateInvokers.increaseCounter(this.invokerKey(entry.invokerName), 1);
    this.activationsById.set(id, entry);
    return entry;
  }

  removeActivation(entry: ActivationEntry): ActivationEntry | null {
    const removed = this.activationsById.take(entry.id);
    if (removed === undefined) return null;
    this.sharedStateNamespaces.decreaseCounter(entry.namespaceId, 1);
    assert(entry.invokerName !== null, 'pre-PR bookkeeping: every entry has an invoker');
    this.sharedStateInvokers.decreaseCounter(this.invokerKey(entry.invokerName), 1);
    return removed;
  }

  removeActivationById(id: number): ActivationEntry | null {
    const entry = this.activationsById.get(id);
    return entry === undefined ? null : this.removeActivation(entry);
  }

  get size(): number {
    return this.activationsById.size;
  }

  private answerRead(read: PendingRead): void {
    const callback = read.callback!;
    const arg = read.arg;
    read.callback = null;
    read.arg = undefined;
    try {
      callback(read.snapshot, arg);
    } finally {
      this.readPool.push(read);
    }
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
}

function fillCount(key: string, value: number, snapshot: InvokerCounts): void {
  const invoker = Number(key);
  while (snapshot.counts.length <= invoker) snapshot.counts.push(0);
  snapshot.counts[invoker] = value;
  if (invoker >= snapshot.length) snapshot.length = invoker + 1;
}

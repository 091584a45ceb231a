/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/SharedDataService.scala
 *   @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (docs/openwhisk.md §7.2).
 *
 * What it models: one shared store of the PR's distributed bookkeeping — an `ORMap[String, PNCounterMap[Int]]`
 * named `storageName` ("Invokers", "Namespaces" or "Overflow"): outer key = invoker / namespace / "overflow",
 * inner key = controller instance number, counter components = cluster replica.
 * - `increaseCounter` / `decreaseCounter` (the IncreaseCounter / DecreaseCounter messages) update this
 *   controller's inner key with WriteLocal. // port: actor tell → direct call (the mailbox hop is not modelled)
 * - `getMap()` (GetMap → Get ReadLocal) answers with the local replica as plain Maps.
 * - On Changed (the replicator's notify tick), an empty store is ignored; otherwise every inner value must be
 *   ≥ 0 (Scala `require`), and the store is pushed to `monitor` (the `Updated` message).
 *
 * The failed `require`: in Akka the IllegalArgumentException crashes this actor; it is restarted and the
 * snapshot never reaches the monitor, so DistributedLoadBalancerData keeps reading its previous snapshot. Here
 * the failure is a `JvmException('java.lang.IllegalArgumentException')`: handed to `onRequirementFailed` when
 * given (the snapshot is dropped, as in Akka — pass a handler to count it and carry on), and thrown otherwise
 * (the run stops: a checker or test observes it). Not modelled: the actor's restart re-running preStart (a
 * re-subscribe, and an Update removing outer key "0").
 *
 * The monitor receives the live ORMap (read-only) instead of Scala's converted Map, so the reader can refresh
 * its sums without allocation; `sharedEntries()` gives the Scala-shaped Map for tests.
 *
 * Hot path (four counter updates per activation): one `Replicator.update` with a module-level modifier and a reused
 * argument, no closure or allocation per update. The store's key lookup in the replicator and the outer-key
 * lookup in the ORMap stay: holding both across updates saved about 800 instructions per activation, under 1% of
 * the whole model's (docs/performance.md, history), not worth a second API through three classes.
 */
import type { JvmException } from '../common/JvmException.js';
import { requirementFailed } from '../common/JvmException.js';
import { ORMap } from './ORMap.js';
import { PNCounterMap } from './PNCounterMap.js';
import type { Replicator } from './Replicator.js';

/** The replicated value of one store. */
export type SharedCounters = ORMap<string, PNCounterMap<number>>;

/** The `Updated(storageName, entries)` message; `entries` is live and must not be modified. */
export type UpdatedListener = (storageName: string, entries: SharedCounters) => void;

export type RequirementFailedHandler = (error: JvmException, storageName: string) => void;

function newCounterMap(): PNCounterMap<number> {
  return new PNCounterMap<number>();
}

function emptyStore(): SharedCounters {
  return new ORMap<string, PNCounterMap<number>>(newCounterMap);
}

/** One counter update, reused: `Replicator.update` hands it to `applyCounterUpdate` at once. */
interface CounterUpdate {
  readonly replica: string;
  key: string;
  instance: number;
  delta: number;
}

/** m + (key, m.getOrElse(key, PNCounterMap()).increment(instance, delta)), in place. */
function applyCounterUpdate(m: SharedCounters, u: CounterUpdate): void {
  m.touch(u.replica, u.key).increment(u.replica, u.instance, u.delta);
}

/** The Scala-shaped view of a store: outer key → (controller instance → count). Allocates. */
export function sharedEntries(store: SharedCounters | undefined): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  store?.forEach((key, counters) => out.set(key, counters.entries()));
  return out;
}

export class SharedDataService {
  private readonly update: CounterUpdate;
  private readonly boundChanged: (key: string, data: SharedCounters) => void;
  /** Failed `require`s so far (each dropped one snapshot). */
  requirementFailures = 0;

  constructor(
    readonly storageName: string,
    private readonly monitor: UpdatedListener,
    private readonly replicator: Replicator,
    private readonly onRequirementFailed?: RequirementFailedHandler,
  ) {
    this.update = { replica: replicator.self, key: '', instance: 0, delta: 0 };
    this.boundChanged = this.changed.bind(this);
    // preStart: subscribe to the store.
    this.replicator.subscribe(storageName, this.boundChanged);
  }

  increaseCounter(key: string, instance: number, value: number): void {
    this.updateCounter(key, instance, value);
  }

  decreaseCounter(key: string, instance: number, value: number): void {
    this.updateCounter(key, instance, -value);
  }

  /** GetMap: the local replica (ReadLocal), Scala-shaped. */
  getMap(): Map<string, Map<number, number>> {
    return sharedEntries(this.replicator.get<SharedCounters>(this.storageName));
  }

  /** Update(storageName, ORMap(), WriteLocal)(m => m + (key, m.getOrElse(key, PNCounterMap()).increment(instance, delta))). */
  private updateCounter(key: string, instance: number, delta: number): void {
    const u = this.update;
    u.key = key;
    u.instance = instance;
    u.delta = delta;
    this.replicator.update(this.storageName, emptyStore, applyCounterUpdate, u);
  }

  private changed(_key: string, data: SharedCounters): void {
    if (data.size === 0) return;
    const negative = firstNegative(data);
    if (negative !== null) {
      this.requirementFailures++;
      const error = requirementFailed(`values cannot be less than 0 (${this.storageName} ${negative})`);
      if (this.onRequirementFailed === undefined) throw error;
      this.onRequirementFailed(error, this.storageName);
      return;
    }
    this.monitor(this.storageName, data);
  }
}

/** Describes the first negative inner value, or null when all are ≥ 0. */
function firstNegative(data: SharedCounters): string | null {
  for (const key of data.keys()) {
    const counters = data.get(key)!;
    for (const instance of counters.keys()) {
      const v = counters.get(instance)!;
      if (v < 0) return `${key}/${instance}=${v}`;
    }
  }
  return null;
}

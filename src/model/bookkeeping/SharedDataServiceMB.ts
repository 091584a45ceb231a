/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/SharedDataService.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 (docs/openwhisk.md §7.1).
 *
 * What it models: one shared `PNCounterMap[String]` named `storageName` ("Invokers" or "Namespaces"); the
 * counter components are the cluster replicas, so a key's value is the cluster-wide count.
 * `increaseCounter` / `decreaseCounter` update with WriteLocal; `getMap()` reads the local replica (ReadLocal).
 * // port: actor tell / ask → direct calls; DistributedLoadBalancerDataMB adds the asynchronous read.
 * Not modelled: preStart's Update removing key "0" (a no-op on the fresh replica a controller starts with).
 */
import { PNCounterMap } from './PNCounterMap.js';
import type { Replicator } from './Replicator.js';

function emptyStore(): PNCounterMap<string> {
  return new PNCounterMap<string>();
}

interface CounterUpdate {
  replica: string;
  key: string;
  delta: number;
}

function applyCounterUpdate(m: PNCounterMap<string>, u: CounterUpdate): void {
  m.increment(u.replica, u.key, u.delta);
}

export class SharedDataServiceMB {
  private readonly update: CounterUpdate;

  constructor(
    readonly storageName: string,
    private readonly replicator: Replicator,
  ) {
    this.update = { replica: replicator.self, key: '', delta: 0 };
  }

  increaseCounter(key: string, value: number): void {
    this.updateCounter(key, value);
  }

  decreaseCounter(key: string, value: number): void {
    this.updateCounter(key, -value);
  }

  /** The live local replica, or undefined before the first update or gossip (read-only). */
  store(): PNCounterMap<string> | undefined {
    return this.replicator.get<PNCounterMap<string>>(this.storageName);
  }

  /** GetMap: the local replica as a plain Map (allocates). */
  getMap(): Map<string, number> {
    return this.store()?.entries() ?? new Map();
  }

  private updateCounter(key: string, delta: number): void {
    const u = this.update;
    u.key = key;
    u.delta = delta;
    this.replicator.update(this.storageName, emptyStore, applyCounterUpdate, u);
  }
}

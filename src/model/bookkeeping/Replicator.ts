/**
 * One controller's replicator (Akka distributed-data `Replicator`): the local replica of every shared key, its
 * gossip with the other members of the cluster, and change notifications to local subscribers.
 *
 * What it models, and the choices made:
 * - `update(key, initial, modify, arg)` is Akka's `Update(key, initial, WriteLocal)(modify)`: applied to the
 *   local replica at once; no message is sent per update.
 * - Gossip is full-state push: every `gossipIntervalMs` the replicator snapshots all its keys (one deep copy,
 *   reused while nothing changed, shared by every recipient) and sends it to each other member through the
 *   ReplicationNetwork; the receiver merges key by key. Akka 2.5 instead pushes deltas every
 *   max(gossip-interval / 5, 200 ms) = 400 ms to all (few) nodes and runs a full-state anti-entropy round with
 *   one random node every gossip-interval (2 s). To approximate Akka's delta path, set gossipIntervalMs to 400;
 *   to model delta propagation switched off, keep 2000. Either way the replicas converge once messages flow.
 * - Subscribers (Akka `Subscribe`/`Changed`) are notified every `notifyIntervalMs` of each key that changed —
 *   by a local update, a merge or a prune — since the last notification, with the live data (read-only). A new
 *   subscriber of an existing key is notified at the next tick, as in Akka.
 * - Timers: one repeating gossip timer and one notify timer, each re-armed with a callback bound once. Their
 *   first firing is at a random phase within the interval (drawn from this replicator's rng), so the replicas of
 *   a cluster do not tick in lockstep.
 * - `crash()` stops the replicator: no timers, incoming gossip dropped. It stays a member, so its last
 *   counts stay in its peers' replicas (phantom load) until the network removes it and the leader prunes.
 * - Pruning (Akka "CRDT garbage"): `pruneRemoved(id)` runs on the leader; with `collapse` it moves `id`'s
 *   contributions into the leader's own components (values unchanged), with `discard` it drops the counts
 *   (map keys the removed replica added are still re-added by the leader, so no key vanishes). The
 *   leader then carries a pruning marker for `id` in its gossip. A replica that learns a marker cleans `id`'s
 *   contributions from its own data before merging, and cleans incoming data from peers that have not learned
 *   it yet, so nothing is counted twice. The markers are never dropped (Akka drops them after a TTL).
 */
import { assert } from '../../sim/assert.js';
import type { Rng } from '../../sim/rng.js';
import type { Cancellable, Scheduler } from '../messaging.js';
import type { ReplicatedData } from './ReplicatedData.js';
import type { ReplicationNetwork } from './ReplicationNetwork.js';

type AnyData = ReplicatedData<any>;

/** What one gossip message carries. Immutable once built; shared by every recipient. */
export interface GossipSnapshot {
  readonly from: string;
  readonly data: ReadonlyMap<string, AnyData>;
  /** Replicas whose contributions the sender has pruned or cleaned. */
  readonly pruned: readonly string[];
}

/**
 * One key of the local replica. The data object of a key never changes once created (updates and merges work
 * in place), so the slot is made once. `changed` mirrors membership in the replicator's `changed` set: an
 * update of a key already pending notification (the common case, four updates per activation) is then a flag
 * read instead of a Set insertion, and one Map lookup finds both the data and the flag.
 */
interface KeySlot {
  readonly key: string;
  readonly data: AnyData;
  changed: boolean;
}

export type ChangedSubscriber = (key: string, data: any) => void;

export interface ReplicatorOptions {
  /** This replica's id, e.g. `controller0`; the component name in every counter it updates. */
  self: string;
  scheduler: Scheduler;
  /** This replicator's stream (timer phases, message loss and latency draws). */
  rng: Rng;
  network: ReplicationNetwork;
  /** Akka `gossip-interval` (`controllers.replication.gossipInterval`). */
  gossipIntervalMs: number;
  /** Akka `notify-subscribers-interval` (`controllers.replication.notifyInterval`). */
  notifyIntervalMs: number;
}

export class Replicator {
  readonly self: string;
  readonly rng: Rng;
  readonly gossipIntervalMs: number;
  readonly notifyIntervalMs: number;
  private readonly scheduler: Scheduler;
  private readonly network: ReplicationNetwork;
  private readonly slots = new Map<string, KeySlot>();
  private readonly subscribers = new Map<string, ChangedSubscriber[]>();
  /** Keys changed since the last notification, in the order they first changed (each has `changed` set). */
  private changed = new Set<KeySlot>();
  private notifying = new Set<KeySlot>();
  private readonly prunedReplicas = new Set<string>();
  private prunedList: readonly string[] = [];
  /** Bumped on every change of the local state; a snapshot is rebuilt only when it moved. */
  private version = 0;
  private snapshot: GossipSnapshot | null = null;
  private snapshotVersion = -1;
  private gossipTimer: Cancellable = -1;
  private notifyTimer: Cancellable = -1;
  private stopped = false;
  private isCrashed = false;
  private readonly boundGossipTick: () => void;
  private readonly boundNotifyTick: () => void;

  constructor(options: ReplicatorOptions) {
    this.self = options.self;
    this.scheduler = options.scheduler;
    this.rng = options.rng;
    this.network = options.network;
    this.gossipIntervalMs = options.gossipIntervalMs;
    this.notifyIntervalMs = options.notifyIntervalMs;
    assert(this.gossipIntervalMs > 0, `gossipIntervalMs ${this.gossipIntervalMs} must be positive`);
    assert(this.notifyIntervalMs > 0, `notifyIntervalMs ${this.notifyIntervalMs} must be positive`);
    this.boundGossipTick = this.gossipTick.bind(this);
    this.boundNotifyTick = this.notifyTick.bind(this);
    this.network.addMember(this);
    this.gossipTimer = this.scheduler.scheduleOnce(this.rng.nextFloat() * this.gossipIntervalMs, this.boundGossipTick);
    this.notifyTimer = this.scheduler.scheduleOnce(this.rng.nextFloat() * this.notifyIntervalMs, this.boundNotifyTick);
  }

  get crashed(): boolean {
    return this.isCrashed;
  }

  /** Keys of the local replica, in the order they were first seen. */
  keys(): string[] {
    return [...this.slots.keys()];
  }

  /** The local replica of `key` (Akka `Get(key, ReadLocal)`), or undefined. Read-only. */
  get<T extends AnyData>(key: string): T | undefined {
    return this.slots.get(key)?.data as T | undefined;
  }

  /**
   * Akka `Update(key, initial, WriteLocal)(modify)`: creates the key with `initial()` if absent, then runs
   * `modify(data, arg)` on the local replica. Bind `initial` and `modify` once; pass per-call values in `arg`.
   */
  update<T extends AnyData, A>(key: string, initial: () => T, modify: (data: T, arg: A) => void, arg?: A): void {
    if (this.isCrashed || this.stopped) return;
    let slot = this.slots.get(key);
    if (slot === undefined) slot = this.addKey(key, initial());
    modify(slot.data as T, arg as A);
    this.markSlotChanged(slot);
  }

  /** Akka `Subscribe(key, subscriber)`: `subscriber(key, data)` on the notify tick after each change. */
  subscribe(key: string, subscriber: ChangedSubscriber): void {
    let list = this.subscribers.get(key);
    if (list === undefined) {
      list = [];
      this.subscribers.set(key, list);
    }
    list.push(subscriber);
    const slot = this.slots.get(key);
    if (slot !== undefined && !slot.changed) {
      slot.changed = true;
      this.changed.add(slot);
    }
  }

  /** The controller crashed: the replica stops, and its peers keep its last counts. */
  crash(): void {
    this.isCrashed = true;
    this.cancelTimers();
  }

  /** Called by the network when this member is removed from the cluster. */
  leave(): void {
    this.stopped = true;
    this.cancelTimers();
  }

  /** Called by the network on delivery of a gossip message. */
  receiveGossip(snapshot: GossipSnapshot): void {
    if (this.isCrashed || this.stopped) return;
    // 1. Learn the sender's pruning markers: drop the pruned replicas' contributions from our own data.
    for (const removed of snapshot.pruned) {
      if (this.prunedReplicas.has(removed)) continue;
      this.addMarker(removed);
      for (const slot of this.slots.values()) {
        if (slot.data.needPruningFrom(removed)) {
          slot.data.pruningCleanup(removed);
          this.markSlotChanged(slot);
        }
      }
    }
    // 2. Merge key by key, cleaning incoming data of replicas the sender has not yet seen pruned.
    const senderKnowsAll = this.prunedList.length === snapshot.pruned.length;
    for (const [key, theirs] of snapshot.data) {
      const incoming = senderKnowsAll ? theirs : this.cleaned(theirs, snapshot.pruned);
      const mine = this.slots.get(key);
      if (mine === undefined) {
        this.markSlotChanged(this.addKey(key, incoming === theirs ? theirs.copy() : incoming));
      } else if (mine.data.merge(incoming)) {
        this.markSlotChanged(mine);
      }
    }
  }

  /** Leader only: prune `removed`'s contributions from every key (see the file comment). */
  pruneRemoved(removed: string, mode: 'collapse' | 'discard'): void {
    assert(removed !== this.self, `replicator ${this.self} asked to prune itself`);
    if (this.isCrashed || this.stopped) return;
    for (const slot of this.slots.values()) {
      if (!slot.data.needPruningFrom(removed)) continue;
      slot.data.prune(removed, this.self, mode === 'discard');
      this.markSlotChanged(slot);
    }
    if (!this.prunedReplicas.has(removed)) this.addMarker(removed);
  }

  /** Replicas this one has pruned or cleaned. */
  get pruned(): readonly string[] {
    return this.prunedList;
  }

  private cleaned(theirs: AnyData, theirPruned: readonly string[]): AnyData {
    let result = theirs;
    for (const removed of this.prunedList) {
      if (theirPruned.includes(removed)) continue;
      if (!result.needPruningFrom(removed)) continue;
      if (result === theirs) result = theirs.copy();
      result.pruningCleanup(removed);
    }
    return result;
  }

  private addMarker(removed: string): void {
    this.prunedReplicas.add(removed);
    this.prunedList = [...this.prunedReplicas];
    this.version++;
  }

  private addKey(key: string, data: AnyData): KeySlot {
    const slot: KeySlot = { key, data, changed: false };
    this.slots.set(key, slot);
    return slot;
  }

  private markSlotChanged(slot: KeySlot): void {
    if (!slot.changed) {
      slot.changed = true;
      this.changed.add(slot);
    }
    this.version++;
  }

  private gossipTick(): void {
    this.gossipTimer = this.scheduler.scheduleOnce(this.gossipIntervalMs, this.boundGossipTick);
    const members = this.network.members;
    if (members.length < 2) return;
    if (this.slots.size === 0 && this.prunedList.length === 0) return;
    const snapshot = this.currentSnapshot();
    for (const peer of members) {
      if (peer !== this) this.network.send(this, peer, snapshot);
    }
  }

  private currentSnapshot(): GossipSnapshot {
    if (this.snapshot === null || this.snapshotVersion !== this.version) {
      const data = new Map<string, AnyData>();
      for (const slot of this.slots.values()) data.set(slot.key, slot.data.copy());
      this.snapshot = { from: this.self, data, pruned: this.prunedList };
      this.snapshotVersion = this.version;
    }
    return this.snapshot;
  }

  private notifyTick(): void {
    this.notifyTimer = this.scheduler.scheduleOnce(this.notifyIntervalMs, this.boundNotifyTick);
    if (this.changed.size === 0) return;
    // Swap the sets, so a subscriber that updates a key schedules it for the next tick.
    const keys = this.changed;
    this.changed = this.notifying;
    this.notifying = keys;
    // All flags drop before any subscriber runs: an update from a subscriber must re-enter `changed`.
    for (const slot of keys) slot.changed = false;
    for (const slot of keys) {
      const list = this.subscribers.get(slot.key);
      if (list === undefined) continue;
      for (let i = 0; i < list.length; i++) list[i]!(slot.key, slot.data);
    }
    keys.clear();
  }

  private cancelTimers(): void {
    if (this.gossipTimer !== -1) this.scheduler.cancel(this.gossipTimer);
    if (this.notifyTimer !== -1) this.scheduler.cancel(this.notifyTimer);
    this.gossipTimer = -1;
    this.notifyTimer = -1;
  }
}

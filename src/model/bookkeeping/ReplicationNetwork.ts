/**
 * The network between the Replicators of one controller cluster (Akka cluster membership plus the wire).
 *
 * What it models:
 * - Membership: replicators join in construction order (`addMember`); `removeMember(id)` is Akka's downing +
 *   removal of a node: the node leaves (it sends and receives no more gossip) and, `pruningDelayMs` later, the
 *   cluster's leader prunes the removed replica's contributions (see Replicator.pruneRemoved). The leader is the
 *   first member, in join order, that has not crashed (Akka: the lowest-address Up member).
 *   Pruning mode `collapse` (Akka's, the default) moves the removed replica's counts into the leader's own
 *   components, so every counter value stays the same — a crashed controller's in-flight counts stay visible
 *   to everyone for good. Mode `discard` drops them instead (what one might expect; an owsim-only option).
 *   Akka performs pruning only after `max-pruning-dissemination` (300 s) of all-reachable time since removal,
 *   on a `pruning-interval` (120 s) tick, hence the scenario's 300 s default (src/scenario/defaults.ts).
 * - Messages: each gossip message from a to b is dropped when the link a–b is blocked (checked at send and
 *   again at delivery, so a partition also cuts messages in flight), or with `lossProbability`; otherwise it
 *   arrives after a delay drawn from `latency`. Draws use the *sender's* rng stream, so adding a replicator
 *   never shifts another's numbers. Messages may overtake each other; full-state merges do not care.
 * - Links: `setLinkBlocked(a, b, blocked)` blocks both directions (a partition between two controllers).
 *
 * Cost: one event per gossip message (members − 1 per replicator per gossip interval); nothing per update.
 */
import { assert } from '../../sim/assert.js';
import type { Distribution } from '../../sim/distributions.js';
import type { Scheduler } from '../messaging.js';
import type { GossipSnapshot, Replicator } from './Replicator.js';

/** Complete: the values come from the scenario (`controllers.replication`) or, in tests, are written out. */
export interface ReplicationNetworkOptions {
  scheduler: Scheduler;
  /** One-way delay of a gossip message (ms). */
  latency: Distribution;
  /** Probability that a gossip message is lost. */
  lossProbability: number;
  /** Delay from removeMember to the leader's pruning (ms); Akka's max-pruning-dissemination. */
  pruningDelayMs: number;
  /** `collapse` (Akka: counts move to the leader, values unchanged) or `discard` (counts dropped). */
  pruning: 'collapse' | 'discard';
  /**
   * Time so far during which every member was reachable (the cluster membership's clock). With it, a removed
   * member is pruned only after `pruningDelayMs` of such time since its removal, as Akka's Replicator does;
   * with null (no membership: a single controller, or a test), after `pruningDelayMs` of plain time.
   */
  reachableClockMs: (() => number) | null;
}

interface InFlight {
  from: Replicator;
  to: Replicator;
  snapshot: GossipSnapshot;
}

export class ReplicationNetwork {
  readonly scheduler: Scheduler;
  readonly pruningDelayMs: number;
  readonly pruning: 'collapse' | 'discard';
  private readonly latency: Distribution;
  private readonly lossProbability: number;
  private readonly memberList: Replicator[] = [];
  private readonly removed = new Set<string>();
  private readonly blocked = new Map<string, Set<string>>();
  private readonly boundDeliver: (m: InFlight) => void;
  private readonly boundPrune: (id: string) => void;
  private readonly reachableClockMs: (() => number) | null;
  /** The reachable clock at each pending removal. */
  private readonly removedAtClock = new Map<string, number>();

  /** Counters for reports and tests. */
  readonly stats = { sent: 0, delivered: 0, lost: 0, blocked: 0, prunings: 0 };
  private pendingPrunings = 0;

  constructor(options: ReplicationNetworkOptions) {
    this.scheduler = options.scheduler;
    this.latency = options.latency;
    this.lossProbability = options.lossProbability;
    this.pruningDelayMs = options.pruningDelayMs;
    this.pruning = options.pruning;
    assert(this.lossProbability >= 0, `lossProbability ${this.lossProbability} is negative`);
    assert(this.lossProbability <= 1, `lossProbability ${this.lossProbability} is above 1`);
    assert(this.pruningDelayMs >= 0, `pruningDelayMs ${this.pruningDelayMs} is negative`);
    this.boundDeliver = this.deliver.bind(this);
    this.boundPrune = this.prune.bind(this);
    this.reachableClockMs = options.reachableClockMs;
  }

  /** Current members in join order (crashed ones included: they are still in the cluster). */
  get members(): readonly Replicator[] {
    return this.memberList;
  }

  isMember(id: string): boolean {
    return this.indexOf(id) >= 0;
  }

  /** Called by the Replicator's constructor. A removed id cannot rejoin (Akka: a new incarnation needs a new uid). */
  addMember(replicator: Replicator): void {
    assert(!this.isMember(replicator.self), `replicator ${replicator.self} joined twice`);
    assert(!this.removed.has(replicator.self), `replicator ${replicator.self} was removed and cannot rejoin`);
    this.memberList.push(replicator);
  }

  /** Downs and removes a member; its data is pruned from the others after `pruningDelayMs`. */
  removeMember(id: string): void {
    const index = this.indexOf(id);
    assert(index >= 0, `removeMember: ${id} is not a member`);
    const [replicator] = this.memberList.splice(index, 1);
    this.removed.add(id);
    replicator!.leave();
    this.pendingPrunings++;
    if (this.reachableClockMs !== null) this.removedAtClock.set(id, this.reachableClockMs());
    this.scheduler.scheduleOnce(this.pruningDelayMs, this.boundPrune, id);
  }

  /** Removed members whose pruning has not happened yet. */
  get pruningPending(): number {
    return this.pendingPrunings;
  }

  /** True when any link is blocked (a partition has not healed). */
  get anyLinkBlocked(): boolean {
    for (const set of this.blocked.values()) if (set.size > 0) return true;
    return false;
  }

  setLinkBlocked(a: string, b: string, blocked: boolean): void {
    assert(a !== b, `setLinkBlocked: a link needs two ends, got ${a} twice`);
    this.setBlocked(a, b, blocked);
    this.setBlocked(b, a, blocked);
  }

  isLinkBlocked(a: string, b: string): boolean {
    return this.blocked.get(a)?.has(b) ?? false;
  }

  /** The leader: the first member that has not crashed, or null. */
  leader(): Replicator | null {
    for (const r of this.memberList) if (!r.crashed) return r;
    return null;
  }

  /** Sends `snapshot` from `from` to `to`, subject to blocking, loss and latency. */
  send(from: Replicator, to: Replicator, snapshot: GossipSnapshot): void {
    this.stats.sent++;
    if (this.isLinkBlocked(from.self, to.self)) {
      this.stats.blocked++;
      return;
    }
    if (this.lossProbability > 0 && from.rng.chance(this.lossProbability)) {
      this.stats.lost++;
      return;
    }
    const delayMs = this.latency.sample(from.rng);
    assert(delayMs >= 0, `replication latency drew a negative delay ${delayMs}`);
    const message: InFlight = { from, to, snapshot };
    this.scheduler.scheduleOnce(delayMs, this.boundDeliver, message);
  }

  private deliver(m: InFlight): void {
    if (this.isLinkBlocked(m.from.self, m.to.self)) {
      this.stats.blocked++;
      return;
    }
    // Gossip from or to a node no longer in the cluster is ignored.
    if (!this.isMember(m.from.self) || !this.isMember(m.to.self)) return;
    this.stats.delivered++;
    m.to.receiveGossip(m.snapshot);
  }

  private prune(id: string): void {
    const at = this.removedAtClock.get(id);
    if (at !== undefined) {
      const missingMs = this.pruningDelayMs - (this.reachableClockMs!() - at);
      if (missingMs > 0) {
        // Not enough all-reachable time yet: look again (at most once a second, Akka checks every 120 s).
        this.scheduler.scheduleOnce(Math.max(missingMs, 1000), this.boundPrune, id);
        return;
      }
      this.removedAtClock.delete(id);
    }
    this.pendingPrunings--;
    const leader = this.leader();
    if (leader === null) return; // nobody left to prune; nothing reads the data either
    this.stats.prunings++;
    leader.pruneRemoved(id, this.pruning);
  }

  private indexOf(id: string): number {
    for (let i = 0; i < this.memberList.length; i++) if (this.memberList[i]!.self === id) return i;
    return -1;
  }

  private setBlocked(from: string, to: string, blocked: boolean): void {
    let set = this.blocked.get(from);
    if (set === undefined) {
      if (!blocked) return;
      set = new Set();
      this.blocked.set(from, set);
    }
    if (blocked) set.add(to);
    else set.delete(to);
  }
}

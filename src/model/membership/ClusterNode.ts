/**
 * One controller incarnation's Akka cluster node: its own view of the membership and what it does with it.
 *
 * What it models (Akka 2.5 `ClusterCoreDaemon`, `ClusterHeartbeatSender`, `MembershipState`):
 * - View: a status per member it has heard of, tombstones for the members it has seen removed, and its own
 *   unreachable set. Gossip merges views member by member, keeping the later status (MemberStatus order);
 *   a tombstoned uid never comes back. Gossip from a member this view has removed, or gossip that does not
 *   hold this node, is ignored (after a split brain the two sides never merge again).
 * - Failure detection: every `heartbeatInterval` the node sends a heartbeat to every other member in its view;
 *   the response feeds that member's phi-accrual detector. A member it has started monitoring but never heard
 *   from gets one heartbeat recorded after `expectedResponseAfter` (Akka's ExpectedFirstHeartbeat). Every
 *   cluster tick the reaper marks members unreachable (phi ≥ threshold) or reachable again.
 *   Simplification: Akka gossips each observer's reachability records and monitors each member from at most
 *   `monitored-by-nr-of-members` (5) others; here every node monitors every member and uses its own
 *   observations only (the same for clusters of up to six controllers, up to a gossip round).
 * - Leader actions, every cluster tick, on the node that is leader in its own view (lowest address among the
 *   reachable Up/Leaving members, else among the reachable others): with convergence (every unreachable member
 *   is Down or Exiting) Joining/WeaklyUp → Up, Leaving → Exiting, Down/Exiting → Removed; without it, after
 *   three ticks, Joining → WeaklyUp when `allowWeaklyUp`. Auto-downing (`autoDownAfter`) downs, on the leader,
 *   a member unreachable for that long — on each side of a partition, each side's own leader. (Akka's seen-set
 *   part of convergence is not modelled: views converge by gossip within a few ticks.)
 * - Gossip: every cluster tick, the view goes to one reachable member chosen at random.
 * - Joining (a restarted controller): InitJoin to the seed addresses (the original controllers' addresses),
 *   Join to the first that acknowledges, a Welcome with its view. A Join from a new uid at the address of a
 *   member still in the view makes the receiver mark the old member unreachable and Down it instead of
 *   welcoming (Akka's `joining`): the newcomer retries after `retryUnsuccessfulJoinAfter`. The first seed
 *   address joins itself when no seed answers within `seedNodeTimeout`.
 * Every change of the view is published as Akka's cluster domain events to the node's subscribers.
 */
import type { Rng } from '../../sim/rng.js';
import type { ClusterEvent, ClusterEventListener } from './ClusterEvents.js';
import { type Member, MemberStatus } from './Member.js';
import { PhiAccrualFailureDetector } from './PhiAccrualFailureDetector.js';
import type { Membership } from './Membership.js';

/** A view as gossip carries it: statuses of the members still in it, and the uids it has removed. */
export interface GossipView {
  readonly statuses: readonly (readonly [number, MemberStatus])[];
  readonly removed: readonly number[];
}

const STATUS_EVENT: Record<MemberStatus, ClusterEvent> = [
  'MemberJoined',
  'MemberWeaklyUp',
  'MemberUp',
  'MemberLeft',
  'MemberExited',
  'MemberDowned',
  'MemberRemoved',
];

export class ClusterNode {
  alive = true;
  joined = false;
  /** Member status per uid, for every member in this view (self included once joined). */
  readonly status = new Map<number, MemberStatus>();
  /** Uids this view has removed; they never come back. */
  readonly removed = new Set<number>();
  /** Unreachable members (by this node's own detector) and since when. */
  readonly unreachable = new Map<number, number>();
  /** Members confirmed dead at once (a new incarnation at their address asked to join): stay unreachable. */
  private readonly terminated = new Set<number>();
  /** Uids this view has heard of through a join or a gossip (for the invariant checker). */
  readonly heardOf = new Set<number>();
  private readonly detectors = new Map<number, PhiAccrualFailureDetector>();
  private readonly listeners: ClusterEventListener[] = [];
  private ticksWithoutConvergence = 0;
  private awaitingWelcome = false;
  private joinAttempt = 0;

  constructor(
    readonly member: Member,
    readonly rng: Rng,
    private readonly cluster: Membership,
  ) {}

  get uid(): number {
    return this.member.uid;
  }

  subscribe(listener: ClusterEventListener): void {
    this.listeners.push(listener);
    listener.snapshot(this.upMembers());
  }

  /** Uids Up in this view, in view order. */
  upMembers(): number[] {
    const up: number[] = [];
    for (const [uid, st] of this.status) if (st === MemberStatus.Up) up.push(uid);
    return up;
  }

  /** The founding members: every original controller, Up, in every view, at time 0. */
  found(founders: readonly Member[]): void {
    for (const m of founders) {
      this.status.set(m.uid, MemberStatus.Up);
      this.heardOf.add(m.uid);
    }
    this.joined = true;
    for (const m of founders) if (m.uid !== this.uid) this.startMonitoring(m.uid);
    this.startTicks();
  }

  /** The leader in this view, or -1. */
  leader(): number {
    let best = -1;
    let bestAddress = Infinity;
    let fallback = -1;
    let fallbackAddress = Infinity;
    for (const [uid, st] of this.status) {
      if (uid !== this.uid && this.unreachable.has(uid)) continue;
      const address = this.cluster.memberOf(uid).address;
      if (st === MemberStatus.Up || st === MemberStatus.Leaving) {
        if (address < bestAddress) {
          best = uid;
          bestAddress = address;
        }
      } else if (st !== MemberStatus.Down && st !== MemberStatus.Exiting && address < fallbackAddress) {
        fallback = uid;
        fallbackAddress = address;
      }
    }
    return best >= 0 ? best : fallback;
  }

  /** No unreachable member other than Down or Exiting ones. */
  converged(): boolean {
    for (const uid of this.unreachable.keys()) {
      const st = this.status.get(uid);
      if (st !== undefined && st !== MemberStatus.Down && st !== MemberStatus.Exiting) return false;
    }
    return true;
  }

  /** The process died: it sends, answers and decides nothing more. */
  crash(): void {
    this.alive = false;
  }

  // --- joining ------------------------------------------------------------------------------------------------

  /** A new incarnation starts: it asks the seeds to let it join. */
  startJoining(): void {
    this.joinAttempt++;
    this.awaitingWelcome = false;
    this.cluster.sendInitJoin(this);
    this.cluster.scheduler.scheduleOnce(this.cluster.config.seedNodeTimeoutMs, this.seedTimeout, this.joinAttempt);
  }

  private readonly seedTimeout = (attempt: number): void => {
    if (!this.alive || this.joined || this.awaitingWelcome || attempt !== this.joinAttempt) return;
    if (this.member.address === 0) {
      // The first seed forms a new cluster on its own when nobody answers.
      this.status.set(this.uid, MemberStatus.Joining);
      this.heardOf.add(this.uid);
      this.cluster.admitted(this.uid);
      this.joined = true;
      this.publish('MemberJoined', this.uid);
      this.startTicks();
      this.cluster.changed();
      return;
    }
    this.startJoining();
  };

  private readonly joinRetry = (attempt: number): void => {
    if (this.alive && !this.joined && attempt === this.joinAttempt) this.startJoining();
  };

  /** A seed answered: join through it, and retry the whole process if no Welcome comes. */
  initJoinAck(from: number): void {
    if (!this.alive || this.joined || this.awaitingWelcome) return;
    this.awaitingWelcome = true;
    this.cluster.sendJoin(this, from);
    this.cluster.scheduler.scheduleOnce(this.cluster.config.retryUnsuccessfulJoinAfterMs, this.joinRetry, this.joinAttempt);
  }

  /** Answers a seed-node probe when this node is a member that can take joiners. */
  canAcknowledgeJoin(): boolean {
    if (!this.alive || !this.joined) return false;
    const own = this.status.get(this.uid);
    return own !== undefined && own !== MemberStatus.Down && own !== MemberStatus.Exiting;
  }

  /** A Join from `joiner` (Akka ClusterCoreDaemon.joining). Returns true when a Welcome should go back. */
  join(joiner: Member, nowMs: number): boolean {
    if (!this.canAcknowledgeJoin()) return false;
    if (this.removed.has(joiner.uid)) return false;
    for (const [uid, st] of this.status) {
      const m = this.cluster.memberOf(uid);
      if (m.address !== joiner.address) continue;
      if (uid === joiner.uid) return true;
      // A new incarnation at the address of a member still here: that member is gone; down it, no Welcome.
      if (st !== MemberStatus.Down) {
        this.terminated.add(uid);
        if (!this.unreachable.has(uid)) {
          this.unreachable.set(uid, nowMs);
          this.publish('UnreachableMember', uid);
        }
        this.setStatus(uid, MemberStatus.Down);
        this.cluster.changed();
      }
      return false;
    }
    this.heardOf.add(joiner.uid);
    this.setStatus(joiner.uid, MemberStatus.Joining);
    this.cluster.admitted(joiner.uid);
    this.cluster.changed();
    return true;
  }

  /** The Welcome: the joiner takes the welcoming node's view as its own. */
  welcome(view: GossipView): void {
    if (!this.alive || this.joined) return;
    this.joined = true;
    this.awaitingWelcome = false;
    this.merge(view);
    this.startTicks();
    this.cluster.changed();
  }

  // --- gossip -------------------------------------------------------------------------------------------------

  gossipView(): GossipView {
    const statuses: (readonly [number, MemberStatus])[] = [];
    for (const [uid, st] of this.status) statuses.push([uid, st]);
    return { statuses, removed: [...this.removed] };
  }

  receiveGossip(from: number, view: GossipView): void {
    if (!this.alive || !this.joined || this.removed.has(from)) return;
    let holdsMe = false;
    for (const [uid] of view.statuses) if (uid === this.uid) holdsMe = true;
    if (!holdsMe) return;
    if (this.merge(view)) this.cluster.changed();
  }

  /** Merges a view into this one; true when anything changed. */
  private merge(view: GossipView): boolean {
    let changed = false;
    for (const uid of view.removed) {
      if (this.removed.has(uid)) continue;
      this.heardOf.add(uid);
      this.setStatus(uid, MemberStatus.Removed);
      changed = true;
    }
    for (const [uid, st] of view.statuses) {
      if (this.removed.has(uid)) continue;
      const current = this.status.get(uid);
      if (current !== undefined && st <= current) continue;
      this.heardOf.add(uid);
      this.setStatus(uid, st);
      changed = true;
    }
    return changed;
  }

  /** Sets a member's status in this view, publishing the event; Removed drops it and leaves a tombstone. */
  private setStatus(uid: number, st: MemberStatus): void {
    const isNew = !this.status.has(uid);
    if (st === MemberStatus.Removed) {
      const wasHere = !isNew;
      this.status.delete(uid);
      this.removed.add(uid);
      this.unreachable.delete(uid);
      this.terminated.delete(uid);
      this.detectors.delete(uid);
      if (wasHere) {
        this.publish('MemberRemoved', uid);
        this.cluster.removedFromView(this, uid);
      }
      return;
    }
    this.status.set(uid, st);
    if (isNew && uid !== this.uid) this.startMonitoring(uid);
    this.publish(STATUS_EVENT[st], uid);
  }

  private publish(event: ClusterEvent, uid: number): void {
    for (const l of this.listeners) l.clusterEvent(event, uid);
  }

  // --- periodic tasks -----------------------------------------------------------------------------------------

  private startTicks(): void {
    const s = this.cluster.scheduler;
    s.scheduleOnce(this.cluster.config.heartbeatIntervalMs, this.heartbeatTick);
    s.scheduleOnce(this.cluster.config.gossipIntervalMs, this.clusterTick);
  }

  private startMonitoring(uid: number): void {
    const c = this.cluster.config;
    this.detectors.set(
      uid,
      new PhiAccrualFailureDetector({
        threshold: c.threshold,
        maxSampleSize: c.maxSampleSize,
        minStdDeviationMs: c.minStdDeviationMs,
        acceptableHeartbeatPauseMs: c.acceptableHeartbeatPauseMs,
        firstHeartbeatEstimateMs: c.heartbeatIntervalMs,
      }),
    );
    this.cluster.scheduler.scheduleOnce(c.expectedResponseAfterMs, this.expectedFirstHeartbeat, uid);
  }

  private readonly expectedFirstHeartbeat = (uid: number): void => {
    if (!this.alive) return;
    const detector = this.detectors.get(uid);
    if (detector !== undefined && !detector.isMonitoring) detector.heartbeat(this.cluster.scheduler.now());
  };

  /** A heartbeat response from `uid`. */
  heartbeatResponse(uid: number): void {
    if (!this.alive) return;
    this.detectors.get(uid)?.heartbeat(this.cluster.scheduler.now());
  }

  private readonly heartbeatTick = (): void => {
    if (!this.alive) return;
    for (const uid of this.detectors.keys()) this.cluster.sendHeartbeat(this, uid);
    this.cluster.scheduler.scheduleOnce(this.cluster.config.heartbeatIntervalMs, this.heartbeatTick);
  };

  private readonly clusterTick = (): void => {
    if (!this.alive) return;
    const nowMs = this.cluster.scheduler.now();
    const reaped = this.reapUnreachable(nowMs);
    const acted = this.leader() === this.uid && this.leaderActions(nowMs);
    if (reaped || acted) this.cluster.changed();
    this.gossip();
    this.cluster.scheduler.scheduleOnce(this.cluster.config.gossipIntervalMs, this.clusterTick);
  };

  private reapUnreachable(nowMs: number): boolean {
    let changed = false;
    for (const [uid, detector] of this.detectors) {
      const available = !this.terminated.has(uid) && detector.isAvailable(nowMs);
      if (!available && !this.unreachable.has(uid)) {
        this.unreachable.set(uid, nowMs);
        this.publish('UnreachableMember', uid);
        changed = true;
      } else if (available && this.unreachable.has(uid)) {
        this.unreachable.delete(uid);
        this.publish('ReachableMember', uid);
        changed = true;
      }
    }
    return changed;
  }

  private leaderActions(nowMs: number): boolean {
    let changed = false;
    if (this.converged()) {
      this.ticksWithoutConvergence = 0;
      const moves: [number, MemberStatus][] = [];
      for (const [uid, st] of this.status) {
        if (st === MemberStatus.Joining || st === MemberStatus.WeaklyUp) moves.push([uid, MemberStatus.Up]);
        else if (st === MemberStatus.Leaving) moves.push([uid, MemberStatus.Exiting]);
        else if (st === MemberStatus.Down || st === MemberStatus.Exiting) moves.push([uid, MemberStatus.Removed]);
      }
      for (const [uid, st] of moves) {
        if (st === MemberStatus.Up) this.cluster.promoted(uid);
        this.setStatus(uid, st);
        changed = true;
      }
    } else {
      this.ticksWithoutConvergence++;
      if (this.cluster.config.allowWeaklyUp && this.ticksWithoutConvergence >= 3) {
        const joiners: number[] = [];
        for (const [uid, st] of this.status) if (st === MemberStatus.Joining && !this.unreachable.has(uid)) joiners.push(uid);
        for (const uid of joiners) this.setStatus(uid, MemberStatus.WeaklyUp);
        if (joiners.length > 0) changed = true;
      }
    }
    const autoDownAfterMs = this.cluster.autoDownAfterMs;
    if (autoDownAfterMs !== null) {
      const downs: number[] = [];
      for (const [uid, since] of this.unreachable) {
        const st = this.status.get(uid);
        if (st !== undefined && st < MemberStatus.Down && nowMs - since >= autoDownAfterMs) downs.push(uid);
      }
      for (const uid of downs) this.setStatus(uid, MemberStatus.Down);
      if (downs.length > 0) changed = true;
    }
    return changed;
  }

  private gossip(): void {
    const candidates: number[] = [];
    for (const [uid, st] of this.status) {
      if (uid !== this.uid && !this.unreachable.has(uid) && st !== MemberStatus.Down) candidates.push(uid);
    }
    if (candidates.length === 0) return;
    const to = candidates.length === 1 ? candidates[0]! : candidates[this.rng.nextInt(candidates.length)]!;
    this.cluster.sendGossip(this, to, this.gossipView());
  }
}

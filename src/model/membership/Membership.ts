/**
 * The controllers' Akka cluster: the members ever started, each live incarnation's ClusterNode, and the wire
 * between them (ControllerGroup builds one when there are two or more controllers).
 *
 * - Members: controller i starts at address i (the seed addresses are 0 … count−1); every incarnation gets a
 *   new uid. A restart keeps its address unless the fault says `newAddress`, which takes the next free one
 *   (higher than all: a new host). At time 0 the founding members are Up in every view.
 * - Wire: heartbeats, gossip and the join handshake travel with the replication network's latency and loss
 *   (`controllers.replication.latency` / `loss`), drawn from the sender node's own stream
 *   (`membership/<incarnation>`); a partition blocks the link between two controllers, checked at send and at
 *   delivery. Messages to a uid reach only that incarnation while it is alive; InitJoin goes to an address
 *   (whoever lives there now).
 * - Hooks: `changed` after any view change (the metrics recompute), `removedFromView` when a view removes a
 *   member (the replication layer drops a dead member's replicator or quarantines a live one).
 */
import { assert } from '../../sim/assert.js';
import type { Distribution } from '../../sim/distributions.js';
import type { MembershipConfig } from '../../scenario/types.js';
import type { Scheduler } from '../messaging.js';
import { ClusterNode, type GossipView } from './ClusterNode.js';
import type { Member } from './Member.js';

export interface MembershipOptions {
  scheduler: Scheduler;
  config: MembershipConfig;
  controllers: number;
  latency: Distribution;
  lossProbability: number;
  autoDownAfterMs: number | null;
  /** A named random stream (the simulation's). */
  rng: (name: string) => import('../../sim/rng.js').Rng;
  /** Incarnation name for controller i's n-th incarnation. */
  incarnationName: (controller: number, incarnation: number) => string;
}

/** What the rest of the world hears from the membership. */
export interface MembershipObserver {
  /** Some view changed (status, reachability or a join). */
  membershipChanged(): void;
  /** `view` removed `member` (Removed in that view). */
  memberRemoved(view: ClusterNode, member: Member): void;
}

type Message =
  | { kind: 'heartbeat'; from: ClusterNode; to: number }
  | { kind: 'heartbeatRsp'; from: ClusterNode; to: number }
  | { kind: 'gossip'; from: ClusterNode; to: number; view: GossipView }
  | { kind: 'initJoin'; from: ClusterNode; toAddress: number }
  | { kind: 'initJoinAck'; from: ClusterNode; to: number }
  | { kind: 'join'; from: ClusterNode; to: number }
  | { kind: 'welcome'; from: ClusterNode; to: number; view: GossipView };

export class Membership {
  readonly scheduler: Scheduler;
  readonly config: MembershipConfig;
  readonly autoDownAfterMs: number | null;
  readonly members: Member[] = [];
  /** Node per uid (dead ones included). */
  readonly nodes: ClusterNode[] = [];
  /** Current incarnation's node per controller. */
  readonly current: ClusterNode[] = [];
  /** Uids a leader has moved to Up; uids some member admitted as joiners (for the invariant checker). */
  readonly everPromoted = new Set<number>();
  readonly everAdmitted = new Set<number>();
  observer: MembershipObserver | null = null;
  /** Messages sent, delivered, lost, blocked (for tests). */
  readonly stats = { sent: 0, delivered: 0, lost: 0, blocked: 0 };
  private readonly incarnations: number[] = [];
  private nextAddress: number;
  private readonly blocked = new Set<number>();
  private readonly boundDeliver: (m: Message) => void;

  constructor(private readonly options: MembershipOptions) {
    this.scheduler = options.scheduler;
    this.config = options.config;
    this.autoDownAfterMs = options.autoDownAfterMs;
    this.nextAddress = options.controllers;
    this.boundDeliver = this.deliver.bind(this);
    const founders: Member[] = [];
    for (let c = 0; c < options.controllers; c++) {
      this.incarnations.push(0);
      founders.push(this.newMember(c, c));
    }
    for (const m of founders) {
      const node = this.newNode(m);
      this.current[m.controller] = node;
      node.found(founders);
      this.everAdmitted.add(m.uid);
      this.everPromoted.add(m.uid);
    }
  }

  memberOf(uid: number): Member {
    return this.members[uid]!;
  }

  node(controller: number): ClusterNode {
    return this.current[controller]!;
  }

  /** Controller i's process dies. */
  crash(controller: number): void {
    this.current[controller]!.crash();
    this.changed();
  }

  /** Controller i starts again as a new member; it joins through the seeds. Returns its (not yet joined) node. */
  restart(controller: number, newAddress: boolean): ClusterNode {
    const old = this.current[controller]!;
    assert(!old.alive, `membership: controller ${controller} restarted while alive`);
    const address = newAddress ? this.nextAddress++ : old.member.address;
    this.incarnations[controller]!++;
    const node = this.newNode(this.newMember(controller, address));
    this.current[controller] = node;
    node.startJoining();
    this.changed();
    return node;
  }

  /** Blocks or unblocks the link between two controllers (whatever incarnations run there). */
  setLinkBlocked(a: number, b: number, blocked: boolean): void {
    const key = linkKey(a, b);
    if (blocked) this.blocked.add(key);
    else this.blocked.delete(key);
  }

  // --- called by nodes ----------------------------------------------------------------------------------------

  changed(): void {
    this.observer?.membershipChanged();
  }

  removedFromView(view: ClusterNode, uid: number): void {
    this.observer?.memberRemoved(view, this.memberOf(uid));
  }

  promoted(uid: number): void {
    this.everPromoted.add(uid);
  }

  admitted(uid: number): void {
    this.everAdmitted.add(uid);
  }

  sendHeartbeat(from: ClusterNode, to: number): void {
    this.send({ kind: 'heartbeat', from, to });
  }

  sendGossip(from: ClusterNode, to: number, view: GossipView): void {
    this.send({ kind: 'gossip', from, to, view });
  }

  sendInitJoin(from: ClusterNode): void {
    for (let address = 0; address < this.options.controllers; address++) {
      if (address !== from.member.address) this.send({ kind: 'initJoin', from, toAddress: address });
    }
  }

  sendJoin(from: ClusterNode, to: number): void {
    this.send({ kind: 'join', from, to });
  }

  // --- the wire -----------------------------------------------------------------------------------------------

  private send(m: Message): void {
    this.stats.sent++;
    const target = this.target(m);
    if (target !== null && this.isBlocked(m.from, target)) {
      this.stats.blocked++;
      return;
    }
    const rng = m.from.rng;
    if (this.options.lossProbability > 0 && rng.chance(this.options.lossProbability)) {
      this.stats.lost++;
      return;
    }
    const delayMs = this.options.latency.sample(rng);
    assert(delayMs >= 0, `membership latency drew a negative delay ${delayMs}`);
    this.scheduler.scheduleOnce(delayMs, this.boundDeliver, m);
  }

  private deliver(m: Message): void {
    const to = this.target(m);
    if (to === null || !to.alive) return;
    if (this.isBlocked(m.from, to)) {
      this.stats.blocked++;
      return;
    }
    this.stats.delivered++;
    const nowMs = this.scheduler.now();
    switch (m.kind) {
      case 'heartbeat':
        this.send({ kind: 'heartbeatRsp', from: to, to: m.from.uid });
        break;
      case 'heartbeatRsp':
        to.heartbeatResponse(m.from.uid);
        break;
      case 'gossip':
        to.receiveGossip(m.from.uid, m.view);
        break;
      case 'initJoin':
        if (to.canAcknowledgeJoin()) this.send({ kind: 'initJoinAck', from: to, to: m.from.uid });
        break;
      case 'initJoinAck':
        to.initJoinAck(m.from.uid);
        break;
      case 'join':
        if (to.join(m.from.member, nowMs)) this.send({ kind: 'welcome', from: to, to: m.from.uid, view: to.gossipView() });
        break;
      case 'welcome':
        to.welcome(m.view);
        break;
    }
  }

  /** The live node a message goes to, or null. */
  private target(m: Message): ClusterNode | null {
    if (m.kind === 'initJoin') {
      for (const node of this.current) if (node.alive && node.member.address === m.toAddress) return node;
      return null;
    }
    const node = this.nodes[m.to];
    return node !== undefined && node.alive ? node : null;
  }

  private isBlocked(a: ClusterNode, b: ClusterNode): boolean {
    return this.blocked.size > 0 && this.blocked.has(linkKey(a.member.controller, b.member.controller));
  }

  private newMember(controller: number, address: number): Member {
    const member: Member = { uid: this.members.length, address, controller, name: this.options.incarnationName(controller, this.incarnations[controller]!) };
    this.members.push(member);
    return member;
  }

  private newNode(member: Member): ClusterNode {
    const node = new ClusterNode(member, this.options.rng(`membership/${member.name}`), this);
    this.nodes[member.uid] = node;
    return node;
  }
}

function linkKey(a: number, b: number): number {
  return a < b ? a * 65536 + b : b * 65536 + a;
}

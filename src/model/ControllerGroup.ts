/**
 * The controllers of a cluster as a group: who is up, how their bookkeeping is shared, and what a crash or a
 * restart does (issue 4; docs/openwhisk.md §7, §9.2). Cluster builds one and hands its slots to the front door.
 *
 * What it models:
 * - One slot per controller instance number; a slot holds the current incarnation (a `Controller`) and
 *   whether it is up. The front door routes only to slots that are up.
 * - Bookkeeping: `local` gives each controller its own LocalLoadBalancerData. `distributed` builds one
 *   ReplicationNetwork (latency, loss, pruning from `controllers.replication`) and one Replicator per
 *   incarnation, and gives each controller the distributed store its balancer was written against: PR #2932's
 *   DistributedLoadBalancerData for `overflow` and `sharding`, the pre-PR asynchronous
 *   DistributedLoadBalancerDataMB for `legacy` (its balancer awaits the read, §18.9).
 * - Membership (two or more controllers): an Akka cluster (src/model/membership): each incarnation has its
 *   own view, heartbeats and failure detector; crashes are detected, restarts join through the seeds, the
 *   leader moves and removes members, auto-downing (`autoDownAfter`) downs unreachable ones. Each sharding
 *   balancer is told the cluster size by HEAD's monitor in its *own* controller's view.
 * - `crashController(i)`: the process dies at once — the front door stops routing to it, its Kafka consumers
 *   leave their groups (so the `overflow` group rebalances and a restart can take `completed<i>` back), it
 *   sends and reports nothing more, its replicator stops, and every activation it had accepted and not yet
 *   answered is lost (the client's connection broke). Its last counts stay in the other replicas — phantom
 *   load — until the membership removes its member (downed by `autoDownAfter`, or by a new incarnation at its
 *   address); the leader prunes its counts after `pruningDelay` of all-reachable time (Akka `collapse` keeps
 *   the values; `discard` drops them).
 * - `restartController(i, newAddress)`: a fresh process with the same instance number (same topics and
 *   groups) and empty books, under a new cluster identity (`controller<i>#<n>`), at its old address or a new
 *   one; it joins the membership through the seeds (meanwhile its balancer owns every invoker in full).
 * - A view that removes a *live* member (split brain) quarantines the replication link between the two.
 *
 * The incarnation's observer wrapper keeps the set of records it accepted (OpenRecords: linked through the
 * records, no hashing) and mutes a dead incarnation's late timers. The messaging wrapper counts, for the
 * believed-vs-true error, every user activation sent to an invoker topic.
 */
import { assert } from '../sim/assert.js';
import { makeDistribution } from '../sim/distributions.js';
import type { Simulation } from '../sim/Simulation.js';
import type { ReplicationConfig, Scenario } from '../scenario/types.js';
import type { ActivationRecord } from './ActivationRecord.js';
import { DistributedLoadBalancerData } from './bookkeeping/DistributedLoadBalancerData.js';
import { DistributedLoadBalancerDataMB } from './bookkeeping/DistributedLoadBalancerDataMB.js';
import type { LoadBalancerData } from './bookkeeping/LoadBalancerData.js';
import { ReplicationNetwork } from './bookkeeping/ReplicationNetwork.js';
import { Replicator } from './bookkeeping/Replicator.js';
import type { JvmException } from './common/JvmException.js';
import { Controller } from './controller/Controller.js';
import type { ControllerObserver } from './controller/ControllerObserver.js';
import { LoadBalancerActorService } from './controller/LoadBalancerActorService.js';
import type { ControllerFaultTarget } from './faults/FaultTargets.js';
import type { ActivationResponse, InvokerState, Message } from './messages.js';
import { controllerName, topics } from './messages.js';
import type { MessageConsumer, MessageProducer, MessagingProvider, Scheduler, SendCompletion } from './messaging.js';
import type { BookkeepingError } from './metrics/BookkeepingError.js';
import { OpenRecords } from './OpenRecords.js';
import { Membership, type MembershipObserver } from './membership/Membership.js';
import { MembershipMetrics, type MembershipSummary } from './membership/MembershipMetrics.js';
import { ShardingClusterMonitor } from './membership/ShardingClusterMonitor.js';
import type { ClusterNode } from './membership/ClusterNode.js';
import type { Member } from './membership/Member.js';

export interface ControllerGroupOptions {
  sim: Simulation;
  scenario: Scenario;
  scheduler: Scheduler;
  messaging: MessagingProvider;
  /** The one observer of every controller: the metrics collector (each incarnation filters and forwards to it). */
  observer: ControllerObserver;
  /** Ends a record as lost (the metrics collector). */
  lose: (record: ActivationRecord, nowMs: number) => void;
  /** Counts activations truly sent to invokers. */
  truth: BookkeepingError;
}

/** One front-door slot: the current incarnation of controller i and whether it is up (the group changes both). */
export interface ControllerSlot {
  readonly controller: Controller;
  readonly isUp: boolean;
  /** What the current incarnation's balancer believes is running on `invoker`. */
  believedLoad(invoker: number): number;
}

class Slot implements ControllerSlot {
  constructor(
    public controller: Controller,
    public isUp: boolean,
  ) {}

  believedLoad(invoker: number): number {
    return this.controller.loadBalancer.believedLoad(invoker);
  }
}

/** A controller process's view of Kafka: remembers its consumers, counts sends to invokers, dies with it. */
class ControllerMessaging implements MessagingProvider {
  private readonly consumers: MessageConsumer[] = [];
  dead = false;

  constructor(
    private readonly inner: MessagingProvider,
    private readonly truth: BookkeepingError,
    private readonly invokerByTopic: ReadonlyMap<string, number>,
  ) {}

  getConsumer(topic: string, groupId: string, maxPeek: number): MessageConsumer {
    const consumer = this.inner.getConsumer(topic, groupId, maxPeek);
    this.consumers.push(consumer);
    return consumer;
  }

  getProducer(): MessageProducer {
    return new CountingProducer(this.inner.getProducer(), this);
  }

  ensureTopic(topic: string, partitions?: number): void {
    this.inner.ensureTopic(topic, partitions);
  }

  /** The process died: consumers leave their groups; producers fall silent. */
  crash(): void {
    this.dead = true;
    for (const consumer of this.consumers) consumer.close();
  }

  invokerOf(topic: string): number | undefined {
    return this.invokerByTopic.get(topic);
  }

  get truthCounter(): BookkeepingError {
    return this.truth;
  }
}

/**
 * A send to an invoker that the truth counter follows: the completion handed to the sender, which keeps the
 * callback the sender attached and the send's destination. One per send in flight, reused through its
 * producer's free list (one send per activation otherwise allocated one).
 */
class CountedSend implements SendCompletion {
  callback: ((ok: boolean, context: any) => void) | null = null;
  context: unknown = undefined;
  invoker = 0;
  record: ActivationRecord | null = null;

  constructor(
    private readonly truth: BookkeepingError,
    private readonly free: CountedSend[],
  ) {}

  andThen<C>(callback: (ok: boolean, context: C) => void, context: C): void {
    // Hot (once per activation sent): the inverted form builds the message only when the check fails.
    if (this.record === null) assert(false, 'andThen on a counted send that has already completed');
    if (this.callback !== null) assert(false, 'andThen attached twice to one send');
    this.callback = callback;
    this.context = context;
  }

  /** The inner send completed: count a failure, recycle, then tell the sender. */
  completed(ok: boolean): void {
    const { callback, context } = this;
    if (!ok) this.truth.unpublished(this.invoker, this.record!);
    this.callback = null;
    this.context = undefined;
    this.record = null;
    this.free.push(this);
    if (callback !== null) callback(ok, context);
  }
}

function countedSendCompleted(ok: boolean, send: CountedSend): void {
  send.completed(ok);
}

/** What a dead process's send hands back: nothing will ever complete it. */
const NEVER_COMPLETES: SendCompletion = { andThen: () => {} };

class CountingProducer implements MessageProducer {
  private readonly freeSends: CountedSend[] = [];

  constructor(
    private readonly inner: MessageProducer,
    private readonly owner: ControllerMessaging,
  ) {}

  send(topic: string, msg: Message): SendCompletion {
    if (this.owner.dead) return NEVER_COMPLETES; // a dead process sends nothing
    if (msg.type === 'activation' && msg.record !== null) {
      const invoker = this.owner.invokerOf(topic);
      if (invoker !== undefined) {
        const truth = this.owner.truthCounter;
        truth.published(invoker, msg.record);
        const send = this.freeSends.pop() ?? new CountedSend(truth, this.freeSends);
        send.invoker = invoker;
        send.record = msg.record;
        this.inner.send(topic, msg).andThen(countedSendCompleted, send);
        return send;
      }
    }
    return this.inner.send(topic, msg);
  }
}

/** One controller process: forwards its reports to the world while alive and tracks its open records. */
class ControllerIncarnation implements ControllerObserver {
  /** Keyed by the controller index: a dead incarnation's set is cleared at its crash and never used again. */
  readonly open: OpenRecords;
  alive = true;
  controller!: Controller;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly messaging: ControllerMessaging,
    readonly replicator: Replicator | null,
    private readonly world: ControllerObserver,
  ) {
    this.open = new OpenRecords(index + 1);
  }

  activationAccepted(controller: number, record: ActivationRecord, nowMs: number): void {
    if (!this.alive) return;
    this.open.add(record);
    this.world.activationAccepted(controller, record, nowMs);
  }
  activationRejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void {
    if (!this.alive) return;
    this.open.delete(record);
    this.world.activationRejected(controller, record, reason, nowMs);
  }
  activationCompleted(controller: number, record: ActivationRecord, response: ActivationResponse, nowMs: number): void {
    if (!this.alive) return;
    this.open.delete(record);
    this.world.activationCompleted(controller, record, response, nowMs);
  }
  activationTimedOut(controller: number, record: ActivationRecord, nowMs: number): void {
    if (!this.alive) return;
    this.open.delete(record);
    this.world.activationTimedOut(controller, record, nowMs);
  }
  overflowStateChanged(controller: number, on: boolean, nowMs: number): void {
    if (this.alive) this.world.overflowStateChanged(controller, on, nowMs);
  }
  overflowSent(controller: number, record: ActivationRecord | null, nowMs: number): void {
    if (this.alive) this.world.overflowSent(controller, record, nowMs);
  }
  overflowDropped(controller: number, record: ActivationRecord | null, lost: boolean, nowMs: number): void {
    if (!this.alive) return;
    if (lost && record !== null) this.open.delete(record);
    this.world.overflowDropped(controller, record, lost, nowMs);
  }
  invokerStateChanged(controller: number, invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void {
    if (this.alive) this.world.invokerStateChanged(controller, invoker, from, to, nowMs);
  }
}

/** The group's figures for summary.json (ControllerGroup.results). */
export interface ControllerGroupResults {
  /** Gossip messages the replication network delivered (0 with local bookkeeping). */
  gossipMessages: number;
  requirementFailures: number;
  controllerCrashes: number;
  controllerRestarts: number;
  /** Per controller (current incarnation): placements its balancer forced, when it counts them. */
  forcedPlacements: (number | undefined)[];
  /** Activations the PR's LoadBalancerActor re-queued to the overflow topic, all controllers. */
  overflowRequeues: number;
  membership: MembershipSummary | null;
}

/**
 * Public surface: the slots and current controllers (Cluster: front door, probes, checkers), the fault seam
 * (crash, restart, partition), what the checkers read of replication and membership (`network`, `membership`,
 * `replicator`, `isUp`), and the figures after the run (`results`, `openRecords`, `addTimeSeries`).
 */
export class ControllerGroup implements ControllerFaultTarget {
  /** The replication network, when bookkeeping is distributed (checkers; tests read its members and stats). */
  readonly network: ReplicationNetwork | null;
  /** The controllers' Akka cluster membership (null with a single controller). */
  readonly membership: Membership | null = null;

  /** The current incarnation of each controller (replaced in place on restart). */
  private readonly current: Controller[] = [];
  private readonly slotList: Slot[] = [];
  /** The membership's summary figures (null with a single controller). */
  private readonly membershipMetrics: MembershipMetrics | null = null;
  /** Snapshots dropped by the PR's `require(value >= 0)` (SharedDataService). */
  private requirementFailures = 0;
  private crashes = 0;
  private restarts = 0;
  private readonly incarnations: ControllerIncarnation[] = [];
  private readonly incarnationCount: number[] = [];
  private readonly replication: ReplicationConfig;
  private readonly invokerByTopic = new Map<string, number>();
  private readonly boundRequirementFailed: (error: JvmException, storageName: string) => void;
  /** HEAD's cluster-size monitor of each controller's current incarnation. */
  private readonly monitors: ShardingClusterMonitor[] = [];
  /** Controller pairs whose replication link a split brain cut for good (key a*65536+b, a < b). */
  private readonly quarantined = new Set<number>();
  private readonly partitioned = new Set<number>();

  constructor(private readonly options: ControllerGroupOptions) {
    const s = options.scenario;
    this.replication = s.controllers.replication;
    for (let k = 0; k < s.invokers.count; k++) this.invokerByTopic.set(topics.invoker(k), k);
    this.boundRequirementFailed = this.requirementFailed.bind(this);
    this.network =
      s.controllers.bookkeeping === 'distributed'
        ? new ReplicationNetwork({
            scheduler: options.scheduler,
            latency: makeDistribution(this.replication.latencyMs),
            lossProbability: this.replication.lossProbability,
            pruningDelayMs: this.replication.pruningDelayMs,
            pruning: this.replication.pruning,
            reachableClockMs: s.controllers.count >= 2 ? () => this.membershipMetrics!.allReachableClockMs(options.scheduler.now()) : null,
          })
        : null;
    if (s.controllers.count >= 2) {
      this.membership = new Membership({
        scheduler: options.scheduler,
        config: s.controllers.membership,
        controllers: s.controllers.count,
        latency: makeDistribution(this.replication.latencyMs),
        lossProbability: this.replication.lossProbability,
        autoDownAfterMs: s.controllers.autoDownAfterMs,
        rng: (name) => options.sim.rng(name),
        incarnationName: (c, n) => (n === 0 ? controllerName(c) : `${controllerName(c)}#${n}`),
      });
    }
    for (let c = 0; c < s.controllers.count; c++) {
      this.incarnationCount.push(0);
      const incarnation = this.startIncarnation(c, this.subscribeMonitor(c));
      this.incarnations.push(incarnation);
      this.current.push(incarnation.controller);
      this.slotList.push(new Slot(incarnation.controller, true));
      this.attachMonitor(c, incarnation.controller);
    }
    if (this.membership !== null) {
      this.membershipMetrics = new MembershipMetrics(this.membership, (c) => this.monitors[c]!.size, s.warmupMs);
      const observer: MembershipObserver = {
        membershipChanged: () => this.membershipChanged(),
        memberRemoved: (view, member) => this.memberRemoved(view, member),
      };
      this.membership.observer = observer;
    }
  }

  /** The current incarnation of each controller; the same array throughout, replaced in place on restart. */
  get controllers(): readonly Controller[] {
    return this.current;
  }

  /** One front-door slot per controller; the same array and slots throughout. */
  get slots(): readonly ControllerSlot[] {
    return this.slotList;
  }

  /** Records the current controller incarnations accepted and have not answered (for activations.csv). */
  openRecords(): ActivationRecord[] {
    return this.incarnations.flatMap((incarnation) => incarnation.open.toArray());
  }

  isUp(index: number): boolean {
    return this.slotList[index]!.isUp;
  }

  /** The replicator of controller i's current incarnation (null with local bookkeeping). */
  replicator(index: number): Replicator | null {
    return this.incarnations[index]!.replicator;
  }

  /**
   * Controller i's process dies now: 1. the front door stops routing to it, 2. it stops (feeds, consumers,
   * producers, reports, replicator, cluster node), 3. its open activations are lost. The others learn of it
   * through their failure detectors (membership).
   */
  crashController(index: number): void {
    const slot = this.slotList[index];
    assert(slot !== undefined, `crashController: no controller ${index}`);
    assert(slot.isUp, `crashController: controller ${index} is already down`);
    const incarnation = this.incarnations[index]!;
    slot.isUp = false;
    incarnation.controller.close();
    incarnation.messaging.crash();
    incarnation.alive = false;
    incarnation.replicator?.crash();
    const nowMs = this.options.scheduler.now();
    for (const record of incarnation.open.toArray()) this.options.lose(record, nowMs);
    incarnation.open.clear();
    this.crashes++;
    this.membership?.crash(index);
  }

  /**
   * Controller i starts again with empty books, under a new cluster identity, at its old address or (with
   * `newAddress`) a new one; it joins the membership through the seeds.
   */
  restartController(index: number, newAddress = false): void {
    const slot = this.slotList[index];
    assert(slot !== undefined, `restartController: no controller ${index}`);
    assert(!slot.isUp, `restartController: controller ${index} is up`);
    this.incarnationCount[index]!++;
    this.membership?.restart(index, newAddress);
    const incarnation = this.startIncarnation(index, this.subscribeMonitor(index));
    this.incarnations[index] = incarnation;
    this.current[index] = incarnation.controller;
    slot.controller = incarnation.controller;
    slot.isUp = true;
    this.restarts++;
    this.attachMonitor(index, incarnation.controller);
    // A partition (or a quarantine) between hosts outlives the process.
    for (let c = 0; c < this.slotList.length; c++) if (c !== index) this.applyReplicationLink(index, c);
    this.membershipMetrics?.update(this.options.scheduler.now());
  }

  /** Blocks or unblocks the network between two controllers: membership traffic and bookkeeping gossip (a partition). */
  setLinkBlocked(a: number, b: number, blocked: boolean): void {
    this.membership?.setLinkBlocked(a, b, blocked);
    const key = pairKey(a, b);
    if (blocked) this.partitioned.add(key);
    else this.partitioned.delete(key);
    this.applyReplicationLink(a, b);
  }

  /** The run ended: the membership figures stop. */
  finishMembership(nowMs: number): void {
    this.membershipMetrics?.finish(nowMs);
  }

  /**
   * The group's time-series columns, with two or more controllers: the cluster size each live controller's
   * balancer is told (HEAD's monitor in its own view; 0 while down), the membership's share sum and garbage.
   */
  addTimeSeries(add: (name: string, probe: () => number) => void): void {
    const membership = this.membershipMetrics;
    if (membership === null) return;
    this.slotList.forEach((slot, i) => add(`clusterSize.${controllerName(i)}`, () => (slot.isUp ? this.clusterSizeSeenBy(i) : 0)));
    add('membership.shareSum', () => Math.round(membership.shareSum * 1e6) / 1e6);
    add('membership.garbage', () => membership.garbage);
  }

  /** The group's figures, after the run (and `finishMembership`). */
  results(): ControllerGroupResults {
    let overflowRequeues = 0;
    for (const c of this.current) if (c.loadBalancer instanceof LoadBalancerActorService) overflowRequeues += c.loadBalancer.lbActor.overflowRequeues;
    return {
      gossipMessages: this.network?.stats.delivered ?? 0,
      requirementFailures: this.requirementFailures,
      controllerCrashes: this.crashes,
      controllerRestarts: this.restarts,
      forcedPlacements: this.current.map((c) => c.loadBalancer.statistics?.().forcedPlacements),
      overflowRequeues,
      membership: this.membershipMetrics !== null ? this.membershipMetrics.summary() : null,
    };
  }

  /** Controller c's cluster size as its balancer sees it (HEAD's monitor in c's view); the true count with one controller. */
  private clusterSizeSeenBy(c: number): number {
    return this.monitors[c]?.size ?? this.upCount();
  }

  private upCount(): number {
    let n = 0;
    for (const slot of this.slotList) if (slot.isUp) n++;
    return n;
  }

  // --- the membership's observer ------------------------------------------------------------------------------

  private membershipChanged(): void {
    this.membershipMetrics?.update(this.options.scheduler.now());
  }

  /**
   * A view removed a member. A dead one's replicator leaves the replication network (its counts are pruned
   * later); a live one (the other side of a partition) is quarantined: the two never gossip again.
   */
  private memberRemoved(view: ClusterNode, member: Member): void {
    const node = this.membership!.nodes[member.uid]!;
    if (!node.alive) {
      if (this.network !== null && this.network.isMember(member.name)) this.network.removeMember(member.name);
      return;
    }
    if (member.controller === view.member.controller) return; // another incarnation of the same controller
    const key = pairKey(view.member.controller, member.controller);
    if (this.quarantined.has(key)) return;
    this.quarantined.add(key);
    this.applyReplicationLink(view.member.controller, member.controller);
  }

  private applyReplicationLink(a: number, b: number): void {
    const ra = this.replicator(a);
    const rb = this.replicator(b);
    if (this.network === null || ra === null || rb === null) return;
    const key = pairKey(a, b);
    this.network.setLinkBlocked(ra.self, rb.self, this.partitioned.has(key) || this.quarantined.has(key));
  }

  /** A new monitor on controller c's current node; returns the size it starts with. */
  private subscribeMonitor(c: number): number | undefined {
    if (this.membership === null) return undefined;
    const monitor = new ShardingClusterMonitor();
    this.monitors[c] = monitor;
    this.membership.node(c).subscribe(monitor);
    return monitor.size;
  }

  /** From now on the monitor tells controller c's balancer every cluster size it counts. */
  private attachMonitor(c: number, controller: Controller): void {
    this.monitors[c]?.attach((size) => controller.updateCluster(size));
  }

  private startIncarnation(index: number, clusterSize: number | undefined): ControllerIncarnation {
    const o = this.options;
    const s = o.scenario;
    const n = this.incarnationCount[index]!;
    // The first incarnation keeps the stream names a single-incarnation run always had.
    const name = n === 0 ? controllerName(index) : `${controllerName(index)}#${n}`;
    const messaging = new ControllerMessaging(o.messaging, o.truth, this.invokerByTopic);
    let replicator: Replicator | null = null;
    let data: LoadBalancerData | undefined;
    if (this.network !== null) {
      replicator = new Replicator({
        self: name,
        scheduler: o.scheduler,
        rng: o.sim.rng(`replicator/${name}`),
        network: this.network,
        gossipIntervalMs: this.replication.gossipIntervalMs,
        notifyIntervalMs: this.replication.notifyIntervalMs,
      });
      data =
        s.controllers.loadBalancer === 'legacy'
          ? new DistributedLoadBalancerDataMB(replicator, { scheduler: o.scheduler })
          : new DistributedLoadBalancerData(index, replicator, { onRequirementFailed: this.boundRequirementFailed });
    }
    const incarnation = new ControllerIncarnation(index, name, messaging, replicator, o.observer);
    incarnation.controller = new Controller({
      index,
      config: s.controllers,
      invokerCount: s.invokers.count,
      messaging,
      scheduler: o.scheduler,
      rng: o.sim.rng(`${name}/loadBalancer`),
      observer: incarnation,
      loadBalancerData: data,
      invokerUserMemoryMb: s.invokers.userMemoryMb,
      clusterSize,
      scenarioFile: s.source,
    });
    return incarnation;
  }

  private requirementFailed(): void {
    this.requirementFailures++;
  }
}

function pairKey(a: number, b: number): number {
  return a < b ? a * 65536 + b : b * 65536 + a;
}

/**
 * Invariant checkers (issue 7): they watch a run through the components' observation hooks and never drive
 * it — no events scheduled, no state changed. The first violation throws an `InvariantViolation`, which
 * stops the run (exit 3).
 *
 * Hooks (installed through `CheckedWorld.watch`, Cluster's `checkSeam`): every activation event before the
 * collector counts it, every Kafka append, delivery and commit, each sample instant; and `finish` after the run.
 *
 * Invariants:
 *   - activation-resolved-once: an activation ends in exactly one outcome and at most once. A controller may
 *     report a completion or a forced timeout for an activation the world already lost or timed out (a late
 *     answer, ignored by the books), but never completes it twice, never completes or times out an activation
 *     it rejected, and never times out one it completed. Resolutions seen here plus the activations in
 *     flight always equal the arrivals.
 *   - bookkeeping-non-negative: every controller's LoadBalancerData counts (total, per namespace, per invoker,
 *     overflow) stay ≥ 0 — OpenWhisk's own `require(>= 0)`. Checked at every completion (for that controller)
 *     and every sample instant.
 *   - invoker-capacity: an invoker never has more activations running or starting than its activation feed
 *     hands out (its handler capacity: user memory / 128 MB, or the slot count). This is what OpenWhisk
 *     guarantees. It does NOT guarantee that container memory stays within user memory: HEAD's
 *     ContainerPool creates a container after evicting idle ones without re-checking memory, so
 *     `memoryUsedMb` can legitimately exceed `userMemoryMb` (ContainerPool.ts pins that quirk); the checker
 *     therefore bounds concurrency, not memory.
 *   - kafka-offsets-monotonic: offsets appended to a partition increase by one, a group's committed offset
 *     never moves backwards, and a group is never handed a record below its committed offset (no committed
 *     record is consumed twice by one group; uncommitted records may be redelivered after a rebalance).
 *   - records-conserved (with a store): written + lost + queued + in flight = produced, at every sample.
 *   - clock-monotonic: the simulated time seen by any hook never goes back.
 *   - membership-up-known, membership-removed-stays-removed: the controllers' membership views (with two or
 *     more controllers; MembershipChecker.ts).
 *   - liveness: once every fault has healed and a quiet period has passed (the longest action time limit plus
 *     the controllers' timeout grace plus 30 s), nothing is in flight at the end of the run.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import { Outcome } from '../ActivationRecord.js';
import type { LoadBalancerData } from '../bookkeeping/LoadBalancerData.js';
import type { KafkaObserver } from '../kafka/KafkaObserver.js';
import { controllerName, invokerName } from '../messages.js';
import type { ActivationEventListener } from '../metrics/MetricsCollector.js';
import type { RecordsHeld } from '../store/storeResults.js';
import type { Scenario } from '../../scenario/types.js';
import { InvariantViolation } from './InvariantViolation.js';
import type { Replicator } from '../bookkeeping/Replicator.js';
import type { Membership } from '../membership/Membership.js';
import { MembershipChecker } from './MembershipChecker.js';

/** What the checker watches: Cluster's `checkSeam`. */
export interface CheckedWorld {
  readonly scenario: Scenario;
  readonly sim: { readonly now: number };
  readonly invokers: readonly CheckedInvoker[];
  /** The current incarnation of each controller. */
  readonly controllers: readonly { readonly loadBalancerData: LoadBalancerData }[];
  readonly activations: { readonly arrived: number; readonly inFlight: number };
  /** When the last scheduled fault heals (0 without faults). */
  readonly lastFaultHealMs: number;
  /** The activation store's ledger and the records still on their way, when the scenario models the store. */
  readonly records: { readonly ledger: StoreLedger; held(): RecordsHeld } | null;
  /** The controllers' replication and membership (for replica convergence and the membership checks). */
  readonly controllerGroup: ReplicatedControllers;
  /** Installs the checker's hooks: every activation event, every Kafka event, every sample instant. */
  watch(activations: ActivationEventListener, kafka: KafkaObserver, sample: (nowMs: number) => void): void;
}

/** What the capacity check reads of an invoker. */
export interface CheckedInvoker {
  readonly name: string;
  readonly inFlight: number;
  /** Activations its feed hands out at most. */
  readonly feedCapacity: number;
}

/** What the replica-convergence check reads of the controller cluster. */
export interface ReplicatedControllers {
  readonly network: { readonly anyLinkBlocked: boolean; readonly pruningPending: number } | null;
  replicator(index: number): Replicator | null;
  isUp(index: number): boolean;
  /** The controllers' cluster membership (null with one controller). */
  readonly membership: Membership | null;
}

export interface StoreLedger {
  readonly produced: number;
  readonly written: number;
  /** Records that ended unwritten: lost, dropped, given up, refused, failed after retries. */
  readonly notWritten: number;
}

/** Extra quiet time after the longest timeout and grace before liveness is demanded. */
export const LIVENESS_SLACK_MS = 30_000;

const activationName = (r: ActivationRecord) => `activation ${r.id}`;
const OUTCOME_NAMES = ['in flight', 'completed', 'timed out', 'rejected', 'lost'];

export class InvariantChecker implements ActivationEventListener, KafkaObserver {
  private lastNowMs = 0;
  /** Set by finish(): the scenario left enough quiet time after the last heal for liveness to be demanded. */
  private livenessDemanded = false;
  private resolved = 0;
  /** Last appended offset per partition, by topic. */
  private readonly lastAppended = new Map<string, number[]>();
  /** Committed offsets per partition, by `topic group`. */
  private readonly committedBy = new Map<string, number[]>();
  private readonly namespaces: string[];
  /** Invariants checked, by name, with how many times (for reports and tests). */
  readonly checks = new Map<string, number>();
  private membershipChecker: MembershipChecker | null = null;
  private readonly boundCount = (invariant: string) => this.count(invariant);
  private readonly boundFail = (invariant: string, detail: string, entities: string[]): never => this.fail(invariant, detail, entities);

  constructor(private readonly world: CheckedWorld) {
    this.namespaces = [...new Set(world.scenario.workload.actions.map((a) => a.namespace))];
  }

  /** Installs the hooks. */
  attach(): this {
    const w = this.world;
    w.watch(this, this, (nowMs) => this.sample(nowMs));
    const membership = w.controllerGroup.membership;
    if (membership !== null) this.membershipChecker = new MembershipChecker(membership);
    return this;
  }

  private fail(invariant: string, detail: string, entities: string[]): never {
    throw new InvariantViolation(invariant, detail, this.world.sim.now, entities);
  }

  private count(invariant: string): void {
    this.checks.set(invariant, (this.checks.get(invariant) ?? 0) + 1);
  }

  private tick(nowMs: number): void {
    if (nowMs < this.lastNowMs) this.fail('clock-monotonic', `the clock went back from ${this.lastNowMs} ms to ${nowMs} ms`, []);
    this.lastNowMs = nowMs;
  }

  // ---- activations ----

  accepted(controller: number, record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    if (record.outcome !== Outcome.inFlight) {
      this.fail('activation-resolved-once', `${activationName(record)} was accepted after it was ${OUTCOME_NAMES[record.outcome]}`, [activationName(record), controllerName(controller)]);
    }
  }

  rejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void {
    this.tick(nowMs);
    this.count('activation-resolved-once');
    if (record.outcome !== Outcome.inFlight) {
      this.fail('activation-resolved-once', `${activationName(record)} was rejected (${reason}) after it was ${OUTCOME_NAMES[record.outcome]}`, [activationName(record), controller >= 0 ? controllerName(controller) : 'front door']);
    }
    this.resolved++;
  }

  started(invoker: number, record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    this.checkInvoker(this.world.invokers[invoker]!);
    void record;
  }

  finished(invoker: number, record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    void invoker;
    void record;
  }

  completed(controller: number, record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    this.count('activation-resolved-once');
    const o = record.outcome;
    if (o === Outcome.completed || o === Outcome.rejected) {
      this.fail('activation-resolved-once', `${controllerName(controller)} completed ${activationName(record)}, which was already ${OUTCOME_NAMES[o]} at ${record.resolvedMs} ms`, [activationName(record), controllerName(controller), record.invoker >= 0 ? invokerName(record.invoker) : 'no invoker']);
    }
    if (o === Outcome.inFlight) this.resolved++;
    const c = this.world.controllers[controller];
    if (c !== undefined) this.checkBookkeeping(controller, c.loadBalancerData, record.invoker);
  }

  timedOut(controller: number, record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    this.count('activation-resolved-once');
    const o = record.outcome;
    if (o === Outcome.completed || o === Outcome.rejected) {
      this.fail('activation-resolved-once', `${controllerName(controller)} timed out ${activationName(record)}, which was already ${OUTCOME_NAMES[o]} at ${record.resolvedMs} ms`, [activationName(record), controllerName(controller)]);
    }
    if (o === Outcome.inFlight) this.resolved++;
  }

  lost(record: ActivationRecord, nowMs: number): void {
    this.tick(nowMs);
    if (record.outcome === Outcome.inFlight) this.resolved++;
  }

  // ---- Kafka ----

  appended(topic: string, partition: number, offset: number, nowMs: number): void {
    this.tick(nowMs);
    this.count('kafka-offsets-monotonic');
    let last = this.lastAppended.get(topic);
    if (last === undefined) {
      last = [];
      this.lastAppended.set(topic, last);
    }
    const previous = last[partition] ?? -1;
    if (offset !== previous + 1) {
      this.fail('kafka-offsets-monotonic', `partition ${partition} of ${topic} appended offset ${offset} after ${previous}`, [`${topic}[${partition}]`]);
    }
    last[partition] = offset;
  }

  delivered(topic: string, groupId: string, partition: number, fromOffset: number, toOffset: number, nowMs: number): void {
    this.tick(nowMs);
    this.count('kafka-offsets-monotonic');
    const committed = this.committedBy.get(`${topic} ${groupId}`)?.[partition] ?? 0;
    if (fromOffset < committed) {
      this.fail('kafka-offsets-monotonic', `group ${groupId} was handed offsets ${fromOffset}–${toOffset - 1} of ${topic}[${partition}], below its committed offset ${committed}: committed records consumed twice`, [`${topic}[${partition}]`, `group ${groupId}`]);
    }
    if (toOffset < fromOffset) this.fail('kafka-offsets-monotonic', `a delivery of ${topic}[${partition}] ended before it started`, [`${topic}[${partition}]`]);
  }

  committing(topic: string, groupId: string, partition: number, fromOffset: number, toOffset: number, nowMs: number): void {
    this.tick(nowMs);
    if (toOffset < fromOffset) {
      this.fail('kafka-offsets-monotonic', `group ${groupId} would move its committed offset of ${topic}[${partition}] back from ${fromOffset} to ${toOffset}`, [`${topic}[${partition}]`, `group ${groupId}`]);
    }
    const key = `${topic} ${groupId}`;
    let committed = this.committedBy.get(key);
    if (committed === undefined) {
      committed = [];
      this.committedBy.set(key, committed);
    }
    committed[partition] = Math.max(committed[partition] ?? 0, toOffset);
  }

  // ---- state checks ----

  private checkBookkeeping(index: number, data: LoadBalancerData, invoker: number): void {
    this.count('bookkeeping-non-negative');
    const name = controllerName(index);
    const total = data.totalActivationCount();
    if (total < 0) this.fail('bookkeeping-non-negative', `${name} counts ${total} activations in flight in total`, [name]);
    const overflow = data.overflowActivationCount();
    if (overflow < 0) this.fail('bookkeeping-non-negative', `${name} counts ${overflow} activations in the overflow topic`, [name]);
    if (invoker >= 0) {
      const n = data.activationCountOnInvoker(invoker);
      if (n < 0) this.fail('bookkeeping-non-negative', `${name} counts ${n} activations on ${invokerName(invoker)}`, [name, invokerName(invoker)]);
    }
  }

  private checkAllBookkeeping(index: number, data: LoadBalancerData): void {
    this.checkBookkeeping(index, data, -1);
    const name = controllerName(index);
    for (let i = 0; i < this.world.invokers.length; i++) {
      const n = data.activationCountOnInvoker(i);
      if (n < 0) this.fail('bookkeeping-non-negative', `${name} counts ${n} activations on ${invokerName(i)}`, [name, invokerName(i)]);
    }
    for (const ns of this.namespaces) {
      const n = data.activationCountOn(ns);
      if (n < 0) this.fail('bookkeeping-non-negative', `${name} counts ${n} activations of namespace ${ns}`, [name, `namespace ${ns}`]);
    }
  }

  private checkInvoker(inv: CheckedInvoker): void {
    this.count('invoker-capacity');
    if (inv.inFlight > inv.feedCapacity) {
      this.fail('invoker-capacity', `${inv.name} runs ${inv.inFlight} activations, more than its feed hands out (${inv.feedCapacity})`, [inv.name]);
    }
  }

  private checkActivationBooks(): void {
    const m = this.world.activations;
    if (m.inFlight < 0) this.fail('activation-resolved-once', `more activations resolved (${m.arrived - m.inFlight}) than arrived (${m.arrived})`, []);
    if (m.arrived - this.resolved !== m.inFlight) {
      this.fail('activation-resolved-once', `${this.resolved} resolutions seen and ${m.inFlight} in flight do not add up to ${m.arrived} arrivals`, []);
    }
  }

  private checkStore(): void {
    const records = this.world.records;
    if (records === null) return;
    this.count('records-conserved');
    const ledger = records.ledger;
    const h = records.held();
    const accounted = ledger.written + ledger.notWritten + h.queued + h.inFlight + h.held + h.inKafka;
    if (accounted !== ledger.produced) {
      this.fail('records-conserved', `written ${ledger.written} + not written ${ledger.notWritten} + queued ${h.queued} + in flight ${h.inFlight + h.held + h.inKafka} = ${accounted}, but ${ledger.produced} records were produced`, ['activation store']);
    }
  }

  /** Every state invariant, at a sample instant. */
  sample(nowMs: number): void {
    this.tick(nowMs);
    this.checkActivationBooks();
    const controllers = this.world.controllers;
    for (let c = 0; c < controllers.length; c++) this.checkAllBookkeeping(c, controllers[c]!.loadBalancerData);
    for (const inv of this.world.invokers) this.checkInvoker(inv);
    this.checkStore();
    this.membershipChecker?.sample(this.boundCount, this.boundFail);
  }

  /**
   * How long the world must settle after the run before replicas are compared. The run ends when the world has
   * nothing in flight, but a controller may still hold entries whose activations the world already lost (a
   * crashed invoker): their forced timeouts fire later and change the counters. So: the quiet period (the
   * longest time limit plus grace), then three gossip rounds plus a generous 1 s of replication latency.
   * 0 when there is nothing to converge.
   */
  convergenceSettleMs(): number {
    const network = this.world.controllerGroup.network;
    if (network === null || !this.livenessDemanded) return 0;
    return this.quietPeriodMs() + 3 * this.world.scenario.controllers.replication.gossipIntervalMs + 1000;
  }

  /**
   * Replication liveness, after `Cluster.settle(convergenceSettleMs())`: every live replica of the current
   * incarnations holds the same state for every key. Not demanded while a partition is still blocked, a
   * pruning is still pending (it waits `pruningDelay` after a member is removed), or the liveness quiet period
   * was not met.
   */
  checkReplicasConverged(): void {
    const group = this.world.controllerGroup;
    const network = group.network;
    if (network === null || !this.livenessDemanded) return;
    if (network.anyLinkBlocked || network.pruningPending > 0) return;
    const live: Replicator[] = [];
    for (let i = 0; i < this.world.controllers.length; i++) {
      const r = group.replicator(i);
      if (r !== null && !r.crashed && group.isUp(i)) live.push(r);
    }
    if (live.length < 2) return;
    this.count('replicas-converge');
    const first = live[0]!;
    for (const other of live.slice(1)) {
      const keys = new Set([...first.keys(), ...other.keys()]);
      for (const key of keys) {
        const a = first.get(key);
        const b = other.get(key);
        const same = a === undefined || b === undefined ? a === b : (a as { equals(x: unknown): boolean }).equals(b);
        if (!same) {
          this.fail('replicas-converge', `replicas disagree on "${key}" after every fault healed and gossip settled`, [first.self, other.self]);
        }
      }
    }
  }

  /** The quiet time liveness needs after the last fault heals (and arrivals stop). */
  quietPeriodMs(): number {
    const s = this.world.scenario;
    let maxTimeoutMs = 0;
    for (const a of s.workload.actions) maxTimeoutMs = Math.max(maxTimeoutMs, a.timeoutMs);
    return maxTimeoutMs + s.controllers.timeoutGraceMs + LIVENESS_SLACK_MS;
  }

  /** After the run: the state invariants once more, then liveness when the scenario left enough quiet time. */
  finish(endMs: number): void {
    this.sample(endMs);
    const s = this.world.scenario;
    const quietFromMs = Math.max(s.durationMs, this.world.lastFaultHealMs);
    const horizonMs = s.durationMs + s.drainMs;
    const m = this.world.activations;
    this.livenessDemanded = horizonMs - quietFromMs >= this.quietPeriodMs();
    if (this.livenessDemanded) {
      this.count('liveness');
      if (m.inFlight > 0) {
        const busy: string[] = [];
        this.world.controllers.forEach((c, i) => {
          const n = c.loadBalancerData.totalActivationCount();
          if (n > 0) busy.push(`${controllerName(i)} (${n} in its books)`);
        });
        this.fail('liveness', `${m.inFlight} activations still in flight ${Math.round(endMs - quietFromMs)} ms after arrivals stopped and every fault healed`, busy);
      }
    }
  }
}

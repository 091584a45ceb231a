/**
 * Scheduled faults (the scenario's `faults:`, issue 7): each starts at `atMs` and heals at `atMs + forMs`.
 * A fault acts only on the simulated world, through the hooks the world's components expose; the OpenWhisk
 * port sees nothing but the effects, as the real code would:
 *   - invoker-crash: `Invoker.crash()`, then `restart()` at the heal (its consumer resumes from the committed
 *     offset). An invoker already down (an out-of-memory crash) is left alone.
 *   - controller-crash: `ControllerGroup.crashController` / `restartController`.
 *   - partition: the network between two controllers is cut: membership heartbeats and gossip, and the
 *     bookkeeping replication when it is distributed.
 *   - kafka-outage: `KafkaBroker.setOutage` (produced records are refused, polls answer empty).
 *   - kafka-slow: `KafkaBroker.setExtraLatency` adds latency to every send.
 *   - store-slow: the activation store's throughput drops to the given rate.
 *   - ping-loss: the invoker's pings are dropped with a probability (PingLossFilter).
 *   - store-errors / store-throttle: the activation store's failure modes (StoreFailures) are replaced by
 *     the fault's while it lasts, and restored at the heal; with overlapping faults of one kind the latest
 *     started still active wins. A throttle fault keeps the scenario's per-record charge and client retry
 *     limits when it has a `store.throttle`, else uses `store.throttle`'s defaults.
 * Overlapping faults compose: an invoker stays down until its last crash fault heals, the outage lasts until
 * the last outage heals, extra latencies add up, ping-loss probabilities combine.
 *
 * Each kind acts through a typed seam (FaultTargets.ts). The scenario layer refuses a fault whose target the
 * scenario lacks (faultSchema.ts), so a missing target here is asserted: a bug, not a user error.
 *
 * What each fault did is summarised for summary.json: the activation outcomes between its start and its heal
 * and kind-specific counts (activations lost in the crash, records refused by the broker, pings dropped).
 */
import type { FaultConfig } from '../../scenario/types.js';
import { formatDuration } from '../../scenario/units.js';
import { assert } from '../../sim/assert.js';
import { controllerName, invokerName } from '../messages.js';
import type { FaultSummary } from './FaultSummary.js';
import type { FaultWorld, OutcomeCounts } from './FaultTargets.js';
import { PingLossFilter } from './PingLossFilter.js';
import { StoreFaults } from './StoreFaults.js';

interface Outcomes {
  arrived: number;
  completed: number;
  timedOut: number;
  rejected: number;
  lost: number;
}

interface FaultState {
  readonly config: FaultConfig;
  readonly index: number;
  startedMs: number | null;
  healedMs: number | null;
  atStart: Outcomes | null;
  during: Outcomes | null;
  readonly effect: Record<string, number>;
  /** What the start did, for the description. */
  note: string;
}

function outcomes(m: OutcomeCounts): Outcomes {
  return { arrived: m.arrived, completed: m.completed, timedOut: m.timedOut, rejected: m.rejected, lost: m.lost };
}

function minus(a: Outcomes, b: Outcomes): Outcomes {
  return { arrived: a.arrived - b.arrived, completed: a.completed - b.completed, timedOut: a.timedOut - b.timedOut, rejected: a.rejected - b.rejected, lost: a.lost - b.lost };
}

export class FaultInjector {
  private readonly faults: FaultState[];
  private readonly invokerDown: number[];
  private readonly controllerDown: number[] = [];
  private readonly pingLoss: (PingLossFilter | null)[];
  private outages = 0;
  private extraLatencyMs = 0;
  private storeSlow: number[] = [];
  private storeBaseThroughput = 0;
  private storeFaults: StoreFaults | null = null;
  /** Faults started and not yet healed. */
  active = 0;
  private readonly startBound = (f: FaultState) => this.start(f);
  private readonly healBound = (f: FaultState) => this.heal(f);

  constructor(
    private readonly world: FaultWorld,
    configs: readonly FaultConfig[],
  ) {
    this.faults = configs.map((config, index) => ({ config, index, startedMs: null, healedMs: null, atStart: null, during: null, effect: {}, note: '' }));
    this.invokerDown = world.invokers.map(() => 0);
    this.pingLoss = world.invokers.map(() => null);
    for (const f of this.faults) {
      const kind = f.config.kind;
      if (kind === 'store-slow' || kind === 'store-errors' || kind === 'store-throttle') {
        assert(world.store !== null, `faults[${f.index}]: a ${kind} fault in a world without an activation store (the scenario layer refuses it)`);
        if (kind !== 'store-slow') this.storeFaults ??= new StoreFaults(world.store);
      }
    }
  }

  get count(): number {
    return this.faults.length;
  }

  /** Schedules every fault's start and heal; call once when the run starts. */
  schedule(): void {
    const sim = this.world.sim;
    for (const f of this.faults) {
      sim.scheduleAt(Math.max(sim.now, f.config.atMs), this.startBound, f);
      sim.scheduleAt(Math.max(sim.now, f.config.atMs + f.config.forMs), this.healBound, f);
    }
  }

  /** The time the last fault heals (0 without faults). */
  get lastHealMs(): number {
    let last = 0;
    for (const f of this.faults) last = Math.max(last, f.config.atMs + f.config.forMs);
    return last;
  }

  private start(f: FaultState): void {
    const w = this.world;
    const now = w.sim.now;
    f.startedMs = now;
    f.atStart = outcomes(w.outcomes);
    this.active++;
    const c = f.config;
    switch (c.kind) {
      case 'invoker-crash': {
        const inv = w.invokers[c.target]!;
        if (this.invokerDown[c.target]!++ === 0 && inv.isAlive) {
          const lostBefore = w.outcomes.lost;
          inv.crash();
          f.effect['activationsLost'] = w.outcomes.lost - lostBefore;
          f.note = `${inv.name} crashed, losing ${f.effect['activationsLost']} activations in flight`;
        } else {
          f.effect['activationsLost'] = 0;
          f.note = `${inv.name} was already down`;
        }
        break;
      }
      case 'controller-crash': {
        if (this.controllerDown[c.target] === undefined) this.controllerDown[c.target] = 0;
        if (this.controllerDown[c.target]!++ === 0) {
          const lostBefore = w.outcomes.lost;
          w.controllers.crashController(c.target);
          f.effect['activationsLost'] = w.outcomes.lost - lostBefore;
          f.note = `${controllerName(c.target)} crashed, losing ${f.effect['activationsLost']} activations it had accepted`;
        } else f.note = `${controllerName(c.target)} was already down`;
        break;
      }
      case 'partition':
        w.controllers.setLinkBlocked(c.between[0], c.between[1], true);
        f.note = `gossip between ${controllerName(c.between[0])} and ${controllerName(c.between[1])} was blocked`;
        break;
      case 'kafka-outage':
        if (this.outages++ === 0) w.broker.setOutage(true);
        f.effect['recordsRefused'] = w.broker.refusedDuringOutage;
        f.note = 'Kafka was down';
        break;
      case 'kafka-slow':
        this.extraLatencyMs += c.latencyMs;
        w.broker.setExtraLatency(this.extraLatencyMs);
        f.note = `every Kafka send took ${formatDuration(c.latencyMs)} longer`;
        break;
      case 'store-slow': {
        const store = w.store!;
        if (this.storeSlow.length === 0) this.storeBaseThroughput = store.throughputPerSec;
        this.storeSlow.push(c.throughputPerSec);
        store.setThroughputPerSec(Math.min(...this.storeSlow));
        f.effect['recordsWritten'] = store.written;
        f.note = `the activation store wrote at most ${c.throughputPerSec}/s`;
        break;
      }
      case 'store-errors':
      case 'store-throttle':
        f.note = this.storeFaults!.start(c, now, f.effect);
        break;
      case 'ping-loss': {
        let filter = this.pingLoss[c.target]!;
        if (filter === null) {
          filter = new PingLossFilter(w.sim.rng(`faults/pingLoss/${invokerName(c.target)}`));
          this.pingLoss[c.target] = filter;
        }
        if (!filter.active) w.invokers[c.target]!.setPingLoss(filter);
        filter.add(c.probability);
        f.effect['pingsDropped'] = filter.dropped;
        f.effect['pingsPassed'] = filter.passed;
        f.note = `${invokerName(c.target)} lost ${Math.round(c.probability * 100)}% of its health pings`;
        break;
      }
    }
  }

  private heal(f: FaultState): void {
    if (f.startedMs === null) return;
    const w = this.world;
    f.healedMs = w.sim.now;
    this.active--;
    this.closeWindow(f);
    const c = f.config;
    switch (c.kind) {
      case 'invoker-crash': {
        const inv = w.invokers[c.target]!;
        if (--this.invokerDown[c.target]! === 0 && !inv.isAlive) inv.restart();
        break;
      }
      case 'controller-crash':
        if (--this.controllerDown[c.target]! === 0) w.controllers.restartController(c.target, c.newAddress);
        break;
      case 'partition':
        // Another partition on the same link keeps it blocked.
        if (!this.faults.some((o) => o !== f && o.config.kind === 'partition' && o.startedMs !== null && o.healedMs === null && sameLink(o.config.between, c.between))) {
          w.controllers.setLinkBlocked(c.between[0], c.between[1], false);
        }
        break;
      case 'kafka-outage':
        if (--this.outages === 0) w.broker.setOutage(false);
        break;
      case 'kafka-slow':
        this.extraLatencyMs -= c.latencyMs;
        w.broker.setExtraLatency(Math.max(0, this.extraLatencyMs));
        break;
      case 'store-slow': {
        const i = this.storeSlow.indexOf(c.throughputPerSec);
        if (i >= 0) this.storeSlow.splice(i, 1);
        w.store!.setThroughputPerSec(this.storeSlow.length > 0 ? Math.min(...this.storeSlow) : this.storeBaseThroughput);
        break;
      }
      case 'store-errors':
      case 'store-throttle':
        this.storeFaults!.heal(c, w.sim.now);
        break;
      case 'ping-loss': {
        const filter = this.pingLoss[c.target]!;
        filter.remove(c.probability);
        if (!filter.active) w.invokers[c.target]!.setPingLoss(null);
        break;
      }
    }
  }

  /** Fixes the outcome window and the kind-specific counts at the heal (or at the end of the run). */
  private closeWindow(f: FaultState): void {
    const w = this.world;
    f.during = minus(outcomes(w.outcomes), f.atStart!);
    const c = f.config;
    if (c.kind === 'kafka-outage') f.effect['recordsRefused'] = w.broker.refusedDuringOutage - f.effect['recordsRefused']!;
    if (c.kind === 'store-slow') {
      const store = w.store!;
      f.effect['recordsWritten'] = store.written - f.effect['recordsWritten']!;
      f.effect['databaseBacklogAtHeal'] = store.backlogDocuments(w.sim.now);
    }
    if (c.kind === 'store-errors' || c.kind === 'store-throttle') this.storeFaults!.closeWindow(f.effect);
    if (c.kind === 'ping-loss') {
      const filter = this.pingLoss[c.target]!;
      f.effect['pingsDropped'] = filter.dropped - f.effect['pingsDropped']!;
      f.effect['pingsPassed'] = filter.passed - f.effect['pingsPassed']!;
    }
  }

  /** Each fault and what it did, in scenario order. Call after the run. */
  summaries(): FaultSummary[] {
    return this.faults.map((f) => {
      if (f.startedMs !== null && f.healedMs === null && f.during === null) this.closeWindow(f);
      const c = f.config;
      const parameters: Record<string, number> = {};
      if (c.kind === 'kafka-slow') parameters['latencyMs'] = c.latencyMs;
      if (c.kind === 'store-slow') parameters['throughputPerSec'] = c.throughputPerSec;
      if (c.kind === 'ping-loss') parameters['probability'] = c.probability;
      if (c.kind === 'store-errors') {
        parameters['probability'] = c.probability;
        parameters['latencyMs'] = c.latencyMs;
      }
      if (c.kind === 'store-throttle') {
        parameters['requestUnitsPerSecond'] = c.requestUnitsPerSecond;
        parameters['retryAfterMs'] = c.retryAfterMs;
      }
      const during = f.during ?? { arrived: 0, completed: 0, timedOut: 0, rejected: 0, lost: 0 };
      const summary: FaultSummary = {
        kind: c.kind,
        ...(c.kind === 'invoker-crash' || c.kind === 'ping-loss' ? { target: invokerName(c.target) } : {}),
        ...(c.kind === 'controller-crash' ? { target: controllerName(c.target) } : {}),
        ...(c.kind === 'partition' ? { between: [controllerName(c.between[0]), controllerName(c.between[1])] } : {}),
        atMs: c.atMs,
        forMs: c.forMs,
        healedAtMs: f.healedMs,
        parameters,
        during,
        effect: { ...f.effect },
        description: describe(f, during),
      };
      return summary;
    });
  }
}

function sameLink(a: [number, number], b: [number, number]): boolean {
  return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);
}

function describe(f: FaultState, d: Outcomes): string {
  const c = f.config;
  if (f.startedMs === null) return `${c.kind} at ${formatDuration(c.atMs)} never started (the run ended first)`;
  let text = `at ${formatDuration(c.atMs)} for ${formatDuration(c.forMs)}: ${f.note}`;
  if (c.kind === 'kafka-outage') text += `, refusing ${f.effect['recordsRefused'] ?? 0} records`;
  if (c.kind === 'ping-loss') text += ` (${f.effect['pingsDropped'] ?? 0} dropped, ${f.effect['pingsPassed'] ?? 0} delivered)`;
  if (c.kind === 'store-slow') text += ` (${f.effect['recordsWritten'] ?? 0} records written, ${f.effect['databaseBacklogAtHeal'] ?? 0} waiting at the database when it healed)`;
  text += f.healedMs === null ? '; it had not healed when the run ended' : `; healed at ${formatDuration(f.healedMs)}`;
  text += `. Meanwhile ${d.completed} completed, ${d.timedOut} timed out, ${d.rejected} rejected, ${d.lost} lost of ${d.arrived} arrivals.`;
  return text;
}

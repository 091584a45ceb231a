/**
 * Scheduled faults (the scenario's `faults:`, issue 7): each starts at `atMs` and heals at `atMs + forMs`.
 * A fault acts only on the simulated world, through the hooks the world's components expose; the OpenWhisk
 * port sees nothing but the effects, as the real code would:
 *   - invoker-crash: `Invoker.crash()`, then `restart()` at the heal (its consumer resumes from the committed
 *     offset). An invoker already down (an out-of-memory crash) is left alone.
 *   - controller-crash: the world's `crashController` / `restartController` seam (Cluster).
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
 * A kind whose seam the world lacks (a build without the store, without replication) is refused when the
 * injector is built, with a ScenarioError naming the fault, never ignored.
 *
 * What each fault did is summarised for summary.json: the activation outcomes between its start and its heal
 * and kind-specific counts (activations lost in the crash, records refused by the broker, pings dropped).
 */
import { ScenarioError } from '../../errors.js';
import type { FaultConfig } from '../../scenario/types.js';
import { formatDuration } from '../../scenario/units.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Invoker } from '../invoker/Invoker.js';
import type { KafkaBroker } from '../kafka/KafkaBroker.js';
import { controllerName, invokerName } from '../messages.js';
import type { MetricsCollector } from '../metrics/MetricsCollector.js';
import type { FaultSummary } from './FaultSummary.js';
import { PingLossFilter } from './PingLossFilter.js';
import { StoreFaults } from './StoreFaults.js';

/** What the injector needs from the world; the optional members are seams other parts of the model add. */
export interface FaultWorld {
  readonly sim: Simulation;
  readonly broker: KafkaBroker;
  readonly invokers: readonly Invoker[];
  readonly metrics: MetricsCollector;
  crashController?(index: number): void;
  restartController?(index: number, newAddress?: boolean): void;
  /** Controller membership and shared bookkeeping; `network` is null unless bookkeeping is distributed, `membership` with one controller. */
  readonly controllerGroup?: { readonly network: unknown; readonly membership?: unknown; setLinkBlocked(a: number, b: number, blocked: boolean): void };
  /** The activation store when the scenario models it (null otherwise); see `StoreThrottle`. */
  readonly store?: unknown;
}

/** What store-slow needs from the activation store. */
interface StoreThrottle {
  readonly throughputPerSec: number;
  setThroughputPerSec(perSec: number): void;
  /** Records written so far. */
  readonly written: number;
  /** Documents accepted by the database and not yet written. */
  backlogDocuments(nowMs: number): number;
}

function storeThrottle(store: unknown): StoreThrottle | null {
  if (typeof store !== 'object' || store === null) return null;
  const s = store as Partial<StoreThrottle>;
  return typeof s.setThroughputPerSec === 'function' && typeof s.throughputPerSec === 'number' ? (s as StoreThrottle) : null;
}

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

function outcomes(m: MetricsCollector): Outcomes {
  return { arrived: m.arrived, completed: m.completed, timedOut: m.timedOut, rejected: m.rejected, lost: m.lost };
}

function minus(a: Outcomes, b: Outcomes): Outcomes {
  return { arrived: a.arrived - b.arrived, completed: a.completed - b.completed, timedOut: a.timedOut - b.timedOut, rejected: a.rejected - b.rejected, lost: a.lost - b.lost };
}

function unsupported(source: string, index: number, kind: string, why: string): ScenarioError {
  return new ScenarioError(`${kind} faults are not supported in this build: ${why}`, {
    file: source,
    path: `faults[${index}].kind`,
    expected: 'a fault kind this build can inject',
    got: kind,
  });
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
    source: string,
  ) {
    this.faults = configs.map((config, index) => ({ config, index, startedMs: null, healedMs: null, atStart: null, during: null, effect: {}, note: '' }));
    this.invokerDown = world.invokers.map(() => 0);
    this.pingLoss = world.invokers.map(() => null);
    for (const f of this.faults) {
      const c = f.config;
      switch (c.kind) {
        case 'controller-crash':
          if (typeof world.crashController !== 'function' || typeof world.restartController !== 'function') {
            throw unsupported(source, f.index, c.kind, 'the cluster cannot crash and restart a controller yet');
          }
          break;
        case 'partition':
          if (!world.controllerGroup || (!world.controllerGroup.network && !world.controllerGroup.membership)) throw unsupported(source, f.index, c.kind, 'the controllers share no network in this world (needs two or more controllers)');
          break;
        case 'store-slow':
          if (!world.store) throw unsupported(source, f.index, c.kind, 'the scenario has no activation store (add a store: section)');
          if (storeThrottle(world.store) === null) throw unsupported(source, f.index, c.kind, 'the activation store cannot change its throughput yet');
          break;
        case 'store-errors':
        case 'store-throttle':
          if (!world.store) throw unsupported(source, f.index, c.kind, 'the scenario has no activation store (add a store: section)');
          this.storeFaults ??= StoreFaults.of(world.store);
          if (this.storeFaults === null) throw unsupported(source, f.index, c.kind, 'the activation store cannot fail or throttle in this build');
          break;
        default:
          break;
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
    f.atStart = outcomes(w.metrics);
    this.active++;
    const c = f.config;
    switch (c.kind) {
      case 'invoker-crash': {
        const inv = w.invokers[c.target]!;
        if (this.invokerDown[c.target]!++ === 0 && inv.isAlive) {
          const lostBefore = w.metrics.lost;
          inv.crash();
          f.effect['activationsLost'] = w.metrics.lost - lostBefore;
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
          const lostBefore = w.metrics.lost;
          w.crashController!(c.target);
          f.effect['activationsLost'] = w.metrics.lost - lostBefore;
          f.note = `${controllerName(c.target)} crashed, losing ${f.effect['activationsLost']} activations it had accepted`;
        } else f.note = `${controllerName(c.target)} was already down`;
        break;
      }
      case 'partition':
        w.controllerGroup!.setLinkBlocked(c.between[0], c.between[1], true);
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
        const store = storeThrottle(w.store)!;
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
        if (--this.controllerDown[c.target]! === 0) w.restartController!(c.target, c.newAddress);
        break;
      case 'partition':
        // Another partition on the same link keeps it blocked.
        if (!this.faults.some((o) => o !== f && o.config.kind === 'partition' && o.startedMs !== null && o.healedMs === null && sameLink(o.config.between, c.between))) {
          w.controllerGroup!.setLinkBlocked(c.between[0], c.between[1], false);
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
        storeThrottle(w.store)!.setThroughputPerSec(this.storeSlow.length > 0 ? Math.min(...this.storeSlow) : this.storeBaseThroughput);
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
    f.during = minus(outcomes(w.metrics), f.atStart!);
    const c = f.config;
    if (c.kind === 'kafka-outage') f.effect['recordsRefused'] = w.broker.refusedDuringOutage - f.effect['recordsRefused']!;
    if (c.kind === 'store-slow') {
      const store = storeThrottle(w.store)!;
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

/**
 * Turns what happens in a run into the numbers of summary.json and timeseries.csv, without storing
 * per-activation samples: latencies go into HdrHistograms, levels into time-weighted gauges, series into a
 * fixed-interval sampler whose rows hold one number per column.
 *
 * It is the single place where activation records are resolved, so "every arrival ends in exactly one
 * outcome" is enforced here (ActivationRecord.resolve asserts it). Outcome counts cover every arrival;
 * latency, wait, execution and cold-start figures cover activations that arrived after warm-up.
 *
 * Little's law is checked from two independent paths: the time-average of a gauge of measured activations
 * in the system, and (their resolutions per second) × (their mean time in system).
 */
import { ActivationRecord, Outcome } from '../ActivationRecord.js';
import { LatencyHistogram, round3 } from '../../sim/LatencyHistogram.js';
import { TimeWeightedGauge } from '../../sim/TimeWeightedGauge.js';
import type { ControllerObserver } from '../controller/ControllerObserver.js';
import type { Invoker } from '../invoker/Invoker.js';
import type { InvokerObserver } from '../invoker/InvokerObserver.js';
import type { ActivationResponse, InvokerState } from '../messages.js';
import type { BookkeepingError } from './BookkeepingError.js';
import type { BreakdownMetrics } from './BreakdownMetrics.js';
import { TimeWeightedValue } from './TimeWeightedValue.js';

/**
 * Every activation event the collector sees, before it acts on it: the invariant checkers' hook
 * (src/model/checks). A listener only records; it never changes a record or schedules anything.
 */
export interface ActivationEventListener {
  accepted(controller: number, record: ActivationRecord, nowMs: number): void;
  rejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void;
  started(invoker: number, record: ActivationRecord, nowMs: number): void;
  finished(invoker: number, record: ActivationRecord, nowMs: number): void;
  completed(controller: number, record: ActivationRecord, nowMs: number): void;
  timedOut(controller: number, record: ActivationRecord, nowMs: number): void;
  lost(record: ActivationRecord, nowMs: number): void;
}

export interface OverflowCounters {
  episodes: number;
  timeInOverflowMs: number;
  activations: number;
  dropped: number;
  since: number;
  on: boolean;
}

export interface ControllerCounters {
  activations: number;
  overflowActivations: number;
  overflow: OverflowCounters;
}

export interface InvokerCounters {
  activations: number;
  coldStarts: number;
}

/** The collector's figures for summary.json (MetricsCollector.results). */
export interface ActivationResults {
  activations: { arrived: number; completed: number; timedOut: number; rejected: number; lost: number; inFlight: number; rejectedBy: Record<string, number> };
  latencyMs: ReturnType<LatencyHistogram['summary']>;
  waitMs: ReturnType<LatencyHistogram['summary']>;
  executionMs: ReturnType<LatencyHistogram['summary']>;
  coldStarts: { count: number; ratio: number };
  throughputPerSec: number;
  littlesLaw: { meanInFlight: number; throughputTimesLatency: number; relativeError: number };
  overflow: { episodes: number; timeInOverflowMs: number; activations: number; dropped: number };
  health: { transitions: number; byKind: Record<string, number> };
  /** Per controller and per invoker, by index. */
  controllers: readonly ControllerCounters[];
  invokers: readonly InvokerCounters[];
  /** The latency, wait and execution CDFs for the charts. */
  cdfs: { latency: ReturnType<LatencyHistogram['cdfPoints']>; wait: ReturnType<LatencyHistogram['cdfPoints']>; execution: ReturnType<LatencyHistogram['cdfPoints']> };
}

/**
 * The one observer of the controllers (through their incarnations, ControllerGroup.ts) and the invokers:
 * every activation event reaches it in one call, and it feeds the believed-vs-true books (BookkeepingError)
 * when an activation leaves an invoker.
 */
export class MetricsCollector implements ControllerObserver, InvokerObserver {
  readonly latency = new LatencyHistogram();
  readonly wait = new LatencyHistogram();
  readonly execution = new LatencyHistogram();
  /** Measured, accepted activations not yet resolved. */
  readonly inSystem: TimeWeightedGauge;
  arrived = 0;
  completed = 0;
  timedOut = 0;
  rejected = 0;
  lost = 0;
  readonly rejectedBy = new Map<string, number>();
  measuredStarted = 0;
  measuredColdStarts = 0;
  measuredResolvedAccepted = 0;
  private measuredSojournSumMs = 0;
  measuredCompleted = 0;
  healthTransitions = 0;
  readonly healthByKind = new Map<string, number>();
  readonly controllers: ControllerCounters[];
  readonly invokers: InvokerCounters[];
  /** Left-forwarded forced timeouts that the originating controller took as success (§18.6). */
  forwardedTimeoutsAsSuccess = 0;
  /** The invariant checkers, when a run is checked; null otherwise. */
  listener: ActivationEventListener | null = null;
  /** Per-action, per-namespace and per-window figures, when the run keeps them (BreakdownMetrics.ts). */
  breakdown: BreakdownMetrics | null = null;
  /** Called once per activation when its outcome is set (the activations CSV), or null. */
  onResolved: ((record: ActivationRecord) => void) | null = null;

  /** Per controller, for the time series: the share of each sample interval in overflow, the mean healthy count. */
  readonly overflowShares: TimeWeightedValue[];
  readonly healthyCounts: TimeWeightedValue[];

  constructor(
    controllerCount: number,
    invokerCount: number,
    readonly warmupMs: number,
    /** Believed vs true load per invoker: an activation leaving an invoker leaves its true load. */
    private readonly truth: BookkeepingError,
  ) {
    this.overflowShares = Array.from({ length: controllerCount }, () => new TimeWeightedValue(0, 0));
    this.healthyCounts = Array.from({ length: controllerCount }, () => new TimeWeightedValue(0, 0));
    this.inSystem = new TimeWeightedGauge(warmupMs);
    this.controllers = Array.from({ length: controllerCount }, () => ({
      activations: 0,
      overflowActivations: 0,
      overflow: { episodes: 0, timeInOverflowMs: 0, activations: 0, dropped: 0, since: 0, on: false },
    }));
    this.invokers = Array.from({ length: invokerCount }, () => ({ activations: 0, coldStarts: 0 }));
  }

  // --- activation lifecycle -------------------------------------------------------------------------------

  arrivedAt(record: ActivationRecord): void {
    this.arrived++;
    this.breakdown?.arrived(record);
  }

  activationAccepted(controller: number, record: ActivationRecord, nowMs: number): void {
    this.listener?.accepted(controller, record, nowMs);
    record.controller = controller;
    this.controllers[controller]!.activations++;
    if (record.measured) this.inSystem.add(nowMs, 1);
  }

  /** Refused by entitlement, or (after `activationAccepted`) by a publish that failed; controller -1: the front door. */
  activationRejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void {
    this.listener?.rejected(controller, record, reason, nowMs);
    const wasAccepted = record.controller >= 0;
    record.controller = controller;
    record.reason = reason;
    record.resolve(Outcome.rejected, nowMs);
    if (wasAccepted && record.measured) this.leaveSystem(record, nowMs);
    this.rejected++;
    this.rejectedBy.set(reason, (this.rejectedBy.get(reason) ?? 0) + 1);
    this.breakdown?.rejected(record, reason);
    this.onResolved?.(record);
  }

  activationStarted(invoker: Invoker, record: ActivationRecord, cold: boolean, nowMs: number): void {
    const id = invoker.id;
    this.listener?.started(id, record, nowMs);
    record.invoker = id;
    record.execStartMs = nowMs;
    record.cold = cold;
    const counters = this.invokers[id]!;
    counters.activations++;
    if (cold) counters.coldStarts++;
    if (record.measured) {
      this.measuredStarted++;
      if (cold) this.measuredColdStarts++;
      this.breakdown?.started(record, cold);
    }
  }

  activationFinished(invoker: Invoker, record: ActivationRecord, nowMs: number): void {
    this.truth.left(invoker.id, record);
    this.listener?.finished(invoker.id, record, nowMs);
    record.execEndMs = nowMs;
  }

  /** The invoker crashed with the activation running, starting or buffered. */
  activationLost(invoker: Invoker, record: ActivationRecord, nowMs: number): void {
    this.truth.left(invoker.id, record);
    this.lostAt(record, nowMs);
  }

  activationCompleted(controller: number, record: ActivationRecord, response: ActivationResponse, nowMs: number): void {
    this.listener?.completed(controller, record, nowMs);
    void controller;
    if (record.outcome !== Outcome.inFlight) return; // already lost or timed out: a late completion
    record.resolve(Outcome.completed, nowMs);
    this.completed++;
    if (response === 'left' && record.execEndMs < 0) this.forwardedTimeoutsAsSuccess++;
    this.breakdown?.completed(record, nowMs);
    this.onResolved?.(record);
    if (!record.measured) return;
    this.leaveSystem(record, nowMs);
    this.measuredCompleted++;
    this.latency.record(nowMs - record.arrivalMs);
    if (record.execStartMs >= 0) {
      this.wait.record(record.execStartMs - record.arrivalMs);
      if (record.execEndMs >= 0) this.execution.record(record.execEndMs - record.execStartMs);
    }
  }

  activationTimedOut(controller: number, record: ActivationRecord, nowMs: number): void {
    this.listener?.timedOut(controller, record, nowMs);
    void controller;
    if (record.outcome !== Outcome.inFlight) return; // the world lost it first
    record.resolve(Outcome.timedOut, nowMs);
    this.timedOut++;
    this.breakdown?.timedOut(record);
    this.onResolved?.(record);
    if (record.measured) this.leaveSystem(record, nowMs);
  }

  /** The world destroyed the activation (dropped message, crashed invoker or controller). */
  lostAt(record: ActivationRecord, nowMs: number): void {
    this.listener?.lost(record, nowMs);
    if (record.outcome !== Outcome.inFlight) return;
    record.resolve(Outcome.lost, nowMs);
    this.lost++;
    this.breakdown?.lost(record);
    this.onResolved?.(record);
    if (record.measured) this.leaveSystem(record, nowMs);
  }

  private leaveSystem(record: ActivationRecord, nowMs: number): void {
    this.inSystem.add(nowMs, -1);
    this.measuredResolvedAccepted++;
    this.measuredSojournSumMs += nowMs - record.arrivalMs;
  }

  // --- controller state -----------------------------------------------------------------------------------

  overflowStateChanged(controller: number, on: boolean, nowMs: number): void {
    this.overflowShares[controller]!.set(on ? 1 : 0, nowMs);
    const o = this.controllers[controller]!.overflow;
    if (on === o.on) return;
    if (on) {
      o.episodes++;
      o.since = nowMs;
    } else {
      o.timeInOverflowMs += nowMs - o.since;
    }
    o.on = on;
  }

  overflowSent(controller: number, record: ActivationRecord | null, _nowMs: number): void {
    const c = this.controllers[controller]!;
    c.overflowActivations++;
    c.overflow.activations++;
    if (record) record.overflowed = true;
  }

  /** `lost`: no controller will resolve the record any more, so the world loses it. */
  overflowDropped(controller: number, record: ActivationRecord | null, lost: boolean, nowMs: number): void {
    this.controllers[controller]!.overflow.dropped++;
    if (lost && record) this.lostAt(record, nowMs);
  }

  invokerStateChanged(controller: number, _invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void {
    this.healthTransitions++;
    const key = `${from}->${to}`;
    this.healthByKind.set(key, (this.healthByKind.get(key) ?? 0) + 1);
    // The supervision's transition; the balancer's own list (re-read at each sample) follows it.
    const healthy = this.healthyCounts[controller]!;
    if ((from === 'Healthy') !== (to === 'Healthy')) healthy.set(Math.max(0, healthy.current + (to === 'Healthy' ? 1 : -1)), nowMs);
  }

  // --- end of run -----------------------------------------------------------------------------------------

  /** Closes open overflow episodes at the end of the run. */
  finish(nowMs: number): void {
    for (const c of this.controllers) {
      if (c.overflow.on) c.overflow.timeInOverflowMs += nowMs - c.overflow.since;
      c.overflow.since = nowMs;
    }
  }

  get inFlight(): number {
    return this.arrived - this.completed - this.timedOut - this.rejected - this.lost;
  }

  littlesLaw(endMs: number) {
    const windowMs = endMs - this.warmupMs;
    const meanInSystem = this.inSystem.mean(endMs);
    const throughputPerMs = windowMs > 0 ? this.measuredResolvedAccepted / windowMs : 0;
    const meanSojournMs = this.measuredResolvedAccepted > 0 ? this.measuredSojournSumMs / this.measuredResolvedAccepted : 0;
    const product = throughputPerMs * meanSojournMs;
    const relativeError = meanInSystem > 0 ? Math.abs(product - meanInSystem) / meanInSystem : 0;
    return {
      meanInFlight: round6(meanInSystem),
      throughputTimesLatency: round6(product),
      relativeError: round6(relativeError),
    };
  }

  /** The figures for summary.json, after the run ended at `endMs`. */
  results(endMs: number): ActivationResults {
    const windowMs = Math.max(0, endMs - this.warmupMs);
    return {
      activations: {
        arrived: this.arrived,
        completed: this.completed,
        timedOut: this.timedOut,
        rejected: this.rejected,
        lost: this.lost,
        inFlight: this.inFlight,
        rejectedBy: sortedRecord(this.rejectedBy),
      },
      latencyMs: this.latency.summary(),
      waitMs: this.wait.summary(),
      executionMs: this.execution.summary(),
      coldStarts: {
        count: this.measuredColdStarts,
        ratio: this.measuredStarted > 0 ? round6(this.measuredColdStarts / this.measuredStarted) : 0,
      },
      throughputPerSec: windowMs > 0 ? round3((this.measuredCompleted / windowMs) * 1000) : 0,
      littlesLaw: this.littlesLaw(endMs),
      overflow: this.overflowTotals(),
      health: { transitions: this.healthTransitions, byKind: sortedRecord(this.healthByKind) },
      controllers: this.controllers,
      invokers: this.invokers,
      cdfs: { latency: this.latency.cdfPoints(), wait: this.wait.cdfPoints(), execution: this.execution.cdfPoints() },
    };
  }

  overflowTotals() {
    const total = { episodes: 0, timeInOverflowMs: 0, activations: 0, dropped: 0 };
    for (const c of this.controllers) {
      total.episodes += c.overflow.episodes;
      total.timeInOverflowMs += c.overflow.timeInOverflowMs;
      total.activations += c.overflow.activations;
      total.dropped += c.overflow.dropped;
    }
    total.timeInOverflowMs = round3(total.timeInOverflowMs);
    return total;
  }
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of [...map.keys()].sort()) out[key] = map.get(key)!;
  return out;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The library's main entry: run a resolved scenario and return its results as values. Nothing is written
 * here; reporters turn the `RunOutput` into files and the CLI adds wall-clock facts (run-info).
 */
import { Cluster, type ClusterProgress } from './model/Cluster.js';
import { InvariantChecker } from './model/checks/InvariantChecker.js';
import { invokerName, controllerName } from './model/messages.js';
import { scenarioToPlain } from './scenario/load.js';
import type { Scenario } from './scenario/types.js';
import { round3 } from './sim/LatencyHistogram.js';
import type { RunOutput, Summary, TopicSummary, InvokerSummary, ControllerSummary, OomSummary, StoreSummary } from './report/types.js';
import { projectTimeToOomMs } from './model/store/oomRisk.js';
import { topics as topicNames } from './model/messages.js';
import { evaluateThresholds } from './report/thresholds.js';
import { openTraceCursor } from './trace/openTrace.js';
import { BreakdownMetrics } from './model/metrics/BreakdownMetrics.js';
import { breakdownSummaries } from './report/breakdownSummary.js';
import { meanRatePerSec } from './scenario/checks.js';
import { windowsOf } from './scenario/windows.js';
import { ActivationsCsvWriter } from './report/ActivationsCsvWriter.js';
import { diagnose } from './report/diagnosis/diagnose.js';
import { LoadBalancerActorService } from './model/controller/LoadBalancerActorService.js';

export interface RunScenarioOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  onProgress?: (p: ClusterProgress) => void;
  /**
   * Run the invariant checkers (src/model/checks): a violation stops the run with an InvariantViolation.
   * Defaults to `checksByDefault()` (off, except in the test suite, which turns it on in test/setup.ts).
   */
  checks?: boolean;
  /**
   * Stream one row per activation to this file (activations.csv, ActivationsCsvWriter.ts); the CLI passes it
   * when the scenario sets `report.activationsCsv`.
   */
  activationsCsvPath?: string;
  /** Called with the built world before it runs: tests use it to inject bugs the checkers must catch. */
  instrument?: (cluster: Cluster) => void;
}

let checksOnByDefault = false;

/** Whether runs check invariants when `RunScenarioOptions.checks` is not given. */
export function checksByDefault(): boolean {
  return checksOnByDefault;
}

/** Turns the invariant checkers on (or off) for every run that does not say; the test suite turns them on. */
export function setChecksByDefault(on: boolean): void {
  checksOnByDefault = on;
}

export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): RunOutput {
  const seed = options.seed ?? scenario.seed;
  const resolved = seed === scenario.seed ? scenario : { ...scenario, seed };
  const trace = resolved.workload.trace;
  const actionNames = resolved.workload.actions.map((a) => a.name);
  const cluster = new Cluster(resolved, seed, trace ? { openTrace: (rng) => openTraceCursor(trace, rng, actionNames) } : {});
  const windows = windowsOf(resolved);
  // The cluster's scenario lists a population's generated actions too (Population.ts).
  const breakdown = new BreakdownMetrics(
    cluster.scenario.workload.actions.map((a) => ({ name: a.name, namespace: a.namespace, meanRatePerSec: meanRatePerSec(a.arrivals, resolved.durationMs) })),
    windows,
  );
  cluster.metrics.breakdown = breakdown;
  const csv =
    options.activationsCsvPath !== undefined
      ? new ActivationsCsvWriter(options.activationsCsvPath, resolved.workload.actions.map((a) => a.name), resolved.workload.actions.map((a) => a.namespace))
      : null;
  if (csv !== null) cluster.metrics.onResolved = (record) => csv.write(record);
  const checker = (options.checks ?? checksOnByDefault) ? new InvariantChecker(cluster).attach() : null;
  options.instrument?.(cluster);
  cluster.run(options.onProgress);
  if (csv !== null) {
    cluster.metrics.onResolved = null;
    csv.close(cluster.controllerGroup.openRecords());
  }
  checker?.finish(cluster.simulatedMs);
  const summary = summarize(cluster, resolved, seed);
  if (cluster.faults.count > 0) summary.faults = cluster.faults.summaries();
  Object.assign(summary, breakdownSummaries(breakdown, windows));
  if (Object.keys(resolved.thresholds).length > 0) {
    summary.thresholds = evaluateThresholds(summary, resolved.thresholds, resolved.source);
  }
  const timeseries = { columns: cluster.columns, rows: cluster.rows };
  let overflowRequeues = 0;
  for (const c of cluster.controllers) if (c.loadBalancer instanceof LoadBalancerActorService) overflowRequeues += c.loadBalancer.lbActor.overflowRequeues;
  summary.diagnosis = diagnose({ summary, scenario: cluster.scenario, timeseries, overflowRequeues });
  if (checker !== null) {
    // Replica convergence: let gossip run on with no new work, then compare. The results are already taken.
    cluster.settle(checker.convergenceSettleMs());
    checker.checkReplicasConverged();
  }
  return {
    summary,
    timeseries,
    resolvedScenario: scenarioToPlain(resolved),
    charts: {
      latencyCdf: cluster.metrics.latency.cdfPoints(),
      waitCdf: cluster.metrics.wait.cdfPoints(),
      executionCdf: cluster.metrics.execution.cdfPoints(),
    },
    ...(checker !== null ? { checks: Object.fromEntries([...checker.checks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {}),
  };
}

function summarize(cluster: Cluster, scenario: Scenario, seed: number): Summary {
  const m = cluster.metrics;
  const endMs = cluster.simulatedMs;
  const windowMs = Math.max(0, endMs - scenario.warmupMs);
  const rejectedBy: Record<string, number> = {};
  for (const key of [...m.rejectedBy.keys()].sort()) rejectedBy[key] = m.rejectedBy.get(key)!;
  const byKind: Record<string, number> = {};
  for (const key of [...m.healthByKind.keys()].sort()) byKind[key] = m.healthByKind.get(key)!;

  const topics: Record<string, TopicSummary> = {};
  for (const topic of cluster.broker.topicNames()) {
    const gauge = cluster.broker.depthGauge(topic);
    topics[topic] = { maxDepth: gauge.max, meanDepth: round3(gauge.mean(endMs)), produced: cluster.broker.produced(topic) };
  }
  const invokers: Record<string, InvokerSummary> = {};
  cluster.invokers.forEach((inv, i) => {
    invokers[invokerName(i)] = {
      activations: m.invokers[i]!.activations,
      coldStarts: m.invokers[i]!.coldStarts,
      maxInFlight: inv.maxInFlight,
      evictions: inv.evictions,
    };
  });
  const controllers: Record<string, ControllerSummary> = {};
  const bookkeeping = cluster.bookkeepingError.summary();
  m.controllers.forEach((c, i) => {
    controllers[controllerName(i)] = {
      activations: c.activations,
      overflowActivations: c.overflowActivations,
      overflow: {
        episodes: c.overflow.episodes,
        timeInOverflowMs: round3(c.overflow.timeInOverflowMs),
        activations: c.overflow.activations,
        dropped: c.overflow.dropped,
      },
      believedVsTrueError: bookkeeping.perController[i]!,
    };
    const statistics = cluster.controllers[i]!.loadBalancer.statistics?.();
    if (statistics?.forcedPlacements !== undefined) controllers[controllerName(i)]!.forcedPlacements = statistics.forcedPlacements;
  });
  const group = cluster.controllerGroup;

  return {
    scenario: scenario.name,
    seed,
    simulatedMs: endMs,
    events: cluster.sim.eventsProcessed,
    measuredFromMs: scenario.warmupMs,
    activations: {
      arrived: m.arrived,
      completed: m.completed,
      timedOut: m.timedOut,
      rejected: m.rejected,
      lost: m.lost,
      inFlight: m.inFlight,
      rejectedBy,
    },
    latencyMs: m.latency.summary(),
    waitMs: m.wait.summary(),
    executionMs: m.execution.summary(),
    coldStarts: {
      count: m.measuredColdStarts,
      ratio: m.measuredStarted > 0 ? round6(m.measuredColdStarts / m.measuredStarted) : 0,
    },
    throughputPerSec: windowMs > 0 ? round3((m.measuredCompleted / windowMs) * 1000) : 0,
    littlesLaw: m.littlesLaw(endMs),
    overflow: m.overflowTotals(),
    controllers,
    health: { transitions: m.healthTransitions, byKind },
    bookkeeping: {
      meanError: bookkeeping.meanError,
      maxError: bookkeeping.maxError,
      residualAtEnd: bookkeeping.residualAtEnd,
      gossipMessages: group.network?.stats.delivered ?? 0,
      requirementFailures: group.requirementFailures,
      controllerCrashes: group.crashes,
    },
    topics,
    invokers,
    containers: cluster.containerMemory.summary(endMs),
    ...storeSummaries(cluster, scenario),
    ...(group.membershipMetrics !== null ? { membership: group.membershipMetrics.summary() } : {}),
  };
}

/** `oom` and `store`, when the scenario models the activation store. */
function storeSummaries(cluster: Cluster, scenario: Scenario): { oom?: OomSummary; store?: StoreSummary } {
  const store = cluster.store;
  if (store === null) return {};
  const limitMb = scenario.invokers.heap.limitMb;
  let crashes = 0;
  let firstCrashMs: number | null = null;
  let peakHeapBytes = 0;
  let aboveMs = 0;
  let activationsLost = 0;
  let maxQueue = 0;
  const perInvoker: OomSummary['invokers'] = {};
  cluster.invokers.forEach((inv, i) => {
    crashes += inv.oomCrashes;
    if (inv.firstCrashMs >= 0 && (firstCrashMs === null || inv.firstCrashMs < firstCrashMs)) firstCrashMs = inv.firstCrashMs;
    peakHeapBytes = Math.max(peakHeapBytes, inv.peakHeapBytes);
    aboveMs += inv.timeAboveNinetyPercentMs;
    activationsLost += inv.lostActivations;
    maxQueue = Math.max(maxQueue, inv.maxBatcherQueue);
    perInvoker[invokerName(i)] = {
      peakHeapMb: round3(inv.peakHeapBytes / 1048576),
      crashes: inv.oomCrashes,
      lostRecords: inv.lostRecords,
      maxBatcherQueue: inv.maxBatcherQueue,
    };
  });
  const windowMs = Math.max(scenario.sampleIntervalMs, Math.min(60_000, (scenario.durationMs - scenario.warmupMs) / 2));
  const names = cluster.invokers.map((_, i) => invokerName(i));
  const projected = projectTimeToOomMs({ columns: cluster.columns, rows: cluster.rows }, names, limitMb, scenario.durationMs, windowMs);
  const held = cluster.recordsHeld();
  const kafkaTopic = topicNames.activations;
  const hasTopic = cluster.broker.topicNames().includes(kafkaTopic);
  return {
    oom: {
      crashes,
      firstCrashMs,
      peakHeapFraction: round6(peakHeapBytes / (limitMb * 1048576)),
      timeAboveNinetyPercentMs: round3(aboveMs),
      projectedTimeToOomMs: projected,
      activationsLost,
      invokers: perInvoker,
    },
    store: {
      produced: store.produced,
      written: store.written,
      lostRecords: store.lostRecords,
      pending: held.queued + held.inFlight + held.held + held.inKafka,
      maxQueue,
      overflowed: store.overflowed,
      maxKafkaBacklog: hasTopic ? cluster.broker.depthGauge(kafkaTopic).max : 0,
      writeLatencyMs: store.writeLatency.summary(),
      bulkCalls: store.bulkCalls,
      maxDatabaseBacklog: store.maxBacklogDocuments,
      droppedRecords: store.droppedRecords,
      givenUpRecords: store.givenUpRecords,
      refusedRecords: store.refusedRecords,
      recordsLostToErrors: store.recordsLostToErrors,
      failedCalls: store.failedCalls,
      bulkRetries: store.bulkRetries,
      throttledCalls: store.throttledCalls,
      blockedSends: store.blockedSends,
    },
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

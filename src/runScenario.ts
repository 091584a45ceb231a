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
import type { RunOutput, Summary, TopicSummary, InvokerSummary, ControllerSummary } from './report/types.js';
import { evaluateThresholds } from './report/thresholds.js';
import { ShardingContainerPoolBalancer } from './model/controller/ShardingContainerPoolBalancer.js';
import { openTraceCursor } from './trace/openTrace.js';

export interface RunScenarioOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  onProgress?: (p: ClusterProgress) => void;
  /**
   * Run the invariant checkers (src/model/checks): a violation stops the run with an InvariantViolation.
   * Defaults to `checksByDefault()` (off, except in the test suite, which turns it on in test/setup.ts).
   */
  checks?: boolean;
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
  const checker = (options.checks ?? checksOnByDefault) ? new InvariantChecker(cluster).attach() : null;
  options.instrument?.(cluster);
  cluster.run(options.onProgress);
  checker?.finish(cluster.simulatedMs);
  const summary = summarize(cluster, resolved, seed);
  if (cluster.faults.count > 0) summary.faults = cluster.faults.summaries();
  if (Object.keys(resolved.thresholds).length > 0) {
    summary.thresholds = evaluateThresholds(summary, resolved.thresholds, resolved.source);
  }
  return {
    summary,
    timeseries: { columns: cluster.columns, rows: cluster.rows },
    resolvedScenario: scenarioToPlain(resolved),
    charts: {
      latencyCdf: cluster.metrics.latency.cdfPoints(),
      waitCdf: cluster.metrics.wait.cdfPoints(),
      executionCdf: cluster.metrics.execution.cdfPoints(),
    },
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
    const balancer = cluster.controllers[i]!.loadBalancer;
    if (balancer instanceof ShardingContainerPoolBalancer) controllers[controllerName(i)]!.forcedPlacements = balancer.forcedPlacements;
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
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

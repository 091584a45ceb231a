/**
 * The library's main entry: run a resolved scenario and return its results as values. Nothing is written
 * here; reporters turn the `RunOutput` into files and the CLI adds wall-clock facts (run-info).
 */
import { Cluster, type ClusterParts, type ClusterProgress, type ClusterResults } from './model/Cluster.js';
import { InvariantChecker } from './model/checks/InvariantChecker.js';
import { invokerName, controllerName } from './model/messages.js';
import { scenarioToPlain } from './scenario/load.js';
import type { Scenario } from './scenario/types.js';
import type { RunOutput, Summary, InvokerSummary, ControllerSummary } from './report/types.js';
import { evaluateThresholds } from './report/thresholds.js';
import { openTraceCursor } from './trace/openTrace.js';
import { BreakdownMetrics } from './model/metrics/BreakdownMetrics.js';
import { breakdownSummaries } from './report/breakdownSummary.js';
import { meanRatePerSec } from './scenario/checks.js';
import { windowsOf } from './scenario/windows.js';
import { ActivationsCsvWriter } from './report/ActivationsCsvWriter.js';
import { diagnose } from './report/diagnosis/diagnose.js';

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
  /** Called with the built world's parts before it runs: tests use it to inject bugs the checkers must catch. */
  instrument?: (parts: ClusterParts) => void;
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
  const windows = windowsOf(resolved);
  const csv =
    options.activationsCsvPath !== undefined
      ? new ActivationsCsvWriter(options.activationsCsvPath, resolved.workload.actions.map((a) => a.name), resolved.workload.actions.map((a) => a.namespace))
      : null;
  let breakdown: BreakdownMetrics | null = null;
  const cluster = new Cluster(resolved, seed, {
    ...(trace ? { openTrace: (rng) => openTraceCursor(trace, rng, actionNames) } : {}),
    // The cluster's scenario lists a population's generated actions too (Population.ts).
    breakdown: (asRun) =>
      (breakdown = new BreakdownMetrics(
        asRun.workload.actions.map((a) => ({ name: a.name, namespace: a.namespace, meanRatePerSec: meanRatePerSec(a.arrivals, resolved.durationMs) })),
        windows,
      )),
    ...(csv !== null ? { onResolved: (record) => csv.write(record) } : {}),
  });
  const checker = (options.checks ?? checksOnByDefault) ? new InvariantChecker(cluster.checkSeam).attach() : null;
  options.instrument?.(cluster.parts);
  cluster.run(options.onProgress);
  const results = cluster.results();
  csv?.close(results.openRecords);
  checker?.finish(results.endMs);
  const summary = summarize(results, resolved, seed);
  if (results.faults.length > 0) summary.faults = results.faults;
  Object.assign(summary, breakdownSummaries(breakdown!, windows));
  if (Object.keys(resolved.thresholds).length > 0) {
    summary.thresholds = evaluateThresholds(summary, resolved.thresholds, resolved.source);
  }
  const timeseries = results.timeseries;
  summary.diagnosis = diagnose({ summary, scenario: cluster.scenario, timeseries, overflowRequeues: results.overflowRequeues });
  if (checker !== null) {
    // Replica convergence: let gossip run on with no new work, then compare. The results are already taken.
    cluster.settle(checker.convergenceSettleMs());
    checker.checkReplicasConverged();
  }
  const cdfs = results.activations.cdfs;
  return {
    summary,
    timeseries,
    resolvedScenario: scenarioToPlain(resolved),
    charts: {
      latencyCdf: cdfs.latency,
      waitCdf: cdfs.wait,
      executionCdf: cdfs.execution,
    },
    ...(checker !== null ? { checks: Object.fromEntries([...checker.checks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) } : {}),
  };
}

/** summary.json from the cluster's results, in the order of the Summary type. */
function summarize(r: ClusterResults, scenario: Scenario, seed: number): Summary {
  const a = r.activations;
  const controllers: Record<string, ControllerSummary> = {};
  r.controllers.forEach((c, i) => (controllers[controllerName(i)] = c));
  const invokers: Record<string, InvokerSummary> = {};
  r.invokers.forEach((inv, i) => (invokers[invokerName(i)] = inv));
  return {
    scenario: scenario.name,
    seed,
    simulatedMs: r.endMs,
    events: r.events,
    measuredFromMs: scenario.warmupMs,
    activations: a.activations,
    latencyMs: a.latencyMs,
    waitMs: a.waitMs,
    executionMs: a.executionMs,
    coldStarts: a.coldStarts,
    throughputPerSec: a.throughputPerSec,
    littlesLaw: a.littlesLaw,
    overflow: a.overflow,
    controllers,
    health: a.health,
    bookkeeping: r.bookkeeping,
    topics: r.topics,
    invokers,
    containers: r.containers,
    ...(r.oom !== null ? { oom: r.oom } : {}),
    ...(r.store !== null ? { store: r.store } : {}),
    ...(r.membership !== null ? { membership: r.membership } : {}),
  };
}

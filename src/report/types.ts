/**
 * The shapes a run produces. `Summary` is the machine-readable contract behind summary.json: thresholds and
 * comparisons read it, so a published name is never renamed (new fields may be added). Every number in it is
 * a pure function of the scenario and seed.
 */
import type { LatencySummary } from '../sim/LatencyHistogram.js';

export interface ActivationCounts {
  arrived: number;
  completed: number;
  timedOut: number;
  rejected: number;
  lost: number;
  inFlight: number;
  /** Rejections by reason, e.g. `noInvokers`, `throttledConcurrent`, `throttledRate`, `hashIndexOutOfBounds`, `askTimeout`. */
  rejectedBy: Record<string, number>;
}

export interface TopicSummary {
  /** Largest produced − committed backlog (max over consumer groups) seen at any instant. */
  maxDepth: number;
  /** Time-weighted mean of that backlog over the measured window. */
  meanDepth: number;
  produced: number;
}

export interface InvokerSummary {
  activations: number;
  coldStarts: number;
  maxInFlight: number;
  /** Idle containers removed to make room for another action's or namespace's container. */
  evictions?: number;
}

export interface OverflowSummary {
  /** Times overflowState went false → true. */
  episodes: number;
  timeInOverflowMs: number;
  /** Activations sent to the overflow topic. */
  activations: number;
  /** Overflow messages dropped because no invoker was healthy (§18.5). */
  dropped: number;
}

export interface ControllerSummary {
  activations: number;
  overflowActivations: number;
  overflow: OverflowSummary;
  /** Mean |believed − true| activations over invokers and samples while up (see `BookkeepingSummary`). */
  believedVsTrueError?: number;
  /** Sharding: placements the random forced fallback made (every share full); current incarnation only. */
  forcedPlacements?: number;
}

/**
 * How wrong the controllers' books were. Truth: activations sent to an invoker's topic and not yet finished
 * (or lost) by that invoker. Belief: each up controller's `believedLoad`. Errors are |believed − true| per
 * (controller, invoker) pair, sampled every `sampleInterval` from warm-up end to `duration`.
 */
export interface BookkeepingSummary {
  /** Mean error in activations over samples and (controller, invoker) pairs. */
  meanError: number;
  /** Largest error of any pair at any sample. */
  maxError: number;
  /** At the last sample: the largest Σ over invokers of (believed − true) of any up controller (phantom load). */
  residualAtEnd: number;
  /** Gossip messages delivered between replicators (0 with local bookkeeping). */
  gossipMessages: number;
  /** Replicated snapshots dropped by the PR's `require(value >= 0)`. */
  requirementFailures: number;
  controllerCrashes: number;
}

export interface Summary {
  scenario: string;
  seed: number;
  simulatedMs: number;
  /** Kernel events processed. */
  events: number;
  /** Arrivals counted from the end of warm-up. */
  measuredFromMs: number;
  activations: ActivationCounts;
  /** Arrival at the controller → completion seen by that controller; completed, post-warm-up only. */
  latencyMs: LatencySummary;
  /** Arrival → execution start on an invoker; completed, post-warm-up only. */
  waitMs: LatencySummary;
  /** Execution start → end on the invoker; completed, post-warm-up only. */
  executionMs: LatencySummary;
  coldStarts: { count: number; ratio: number };
  /** Completed activations per second over the measured window. */
  throughputPerSec: number;
  /** Little's law check: time-average in flight vs throughput × mean latency. */
  littlesLaw: { meanInFlight: number; throughputTimesLatency: number; relativeError: number };
  overflow: OverflowSummary;
  controllers: Record<string, ControllerSummary>;
  health: { transitions: number; byKind: Record<string, number> };
  topics: Record<string, TopicSummary>;
  invokers: Record<string, InvokerSummary>;
  /** Memory held by containers and by idle containers over the measured window (optional in older summaries). */
  containers?: import('../model/metrics/ContainerMemory.js').ContainerMemorySummary;
  /** Believed vs true load (issue 4); always present in runs of owsim ≥ this field. */
  bookkeeping?: BookkeepingSummary;
  /** Invoker heap and out-of-memory risk; present only when the scenario models the activation store. */
  oom?: OomSummary;
  /** The activation store; present only when the scenario models it. */
  store?: StoreSummary;
  /** Threshold verdicts in scenario order; absent when the scenario declares no thresholds. */
  thresholds?: ThresholdVerdict[];
  /** The scenario's scheduled faults in file order, with what each did; absent when it has none. */
  faults?: import('../model/faults/FaultSummary.js').FaultSummary[];
  /** Akka cluster membership of the controllers (issue 14); present when there are two or more controllers. */
  membership?: MembershipSummary;
  /** Per action that had arrivals, in workload order; `(other)` last when there are too many (breakdownSummary.ts). */
  actions?: Record<string, ActionBreakdown>;
  /** Per invoking namespace that had arrivals. */
  namespaces?: Record<string, Breakdown>;
  /** Per window (declared, then fault<N>, then burst.<action>): activations that arrived inside it. */
  windows?: Record<string, WindowBreakdown>;
  /** What went wrong, by rule (src/report/diagnosis); an empty list when nothing did. */
  diagnosis?: Finding[];
}

/** The headline figures of a subset of the activations (an action, a namespace, a window). */
export interface Breakdown {
  activations: ActivationCounts;
  latencyMs: LatencySummary;
  waitMs: LatencySummary;
  executionMs: LatencySummary;
  coldStarts: { count: number; ratio: number };
}

export interface ActionBreakdown extends Breakdown {
  namespace: string;
}

export interface WindowBreakdown extends Breakdown {
  fromMs: number;
  toMs: number;
}

export type Severity = 'info' | 'warning' | 'critical';

/** One diagnosis: a rule that fired, how bad, what it saw (numbers), and the settings to try. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  evidence: Record<string, number | string>;
  knobs: string[];
}

/** The membership figures (defined beside the metrics that compute them). */
export type { MembershipSummary } from '../model/membership/MembershipMetrics.js';
import type { MembershipSummary } from '../model/membership/MembershipMetrics.js';

/** One scheduled fault and its effect (defined beside the injector). */
export type { FaultSummary } from '../model/faults/FaultSummary.js';

/** The heap and store figures (defined beside the code that computes them). */
export type { OomSummary, StoreSummary } from '../model/store/storeResults.js';
import type { OomSummary, StoreSummary } from '../model/store/storeResults.js';

/** One scenario threshold evaluated against the summary, e.g. `latencyMs.p99` `< 1500`. */
export interface ThresholdVerdict {
  /** Dotted path into the summary. */
  metric: string;
  /** The condition as written in the scenario. */
  expression: string;
  /** The metric's value, or null when the path names no number. */
  actual: number | null;
  ok: boolean;
}

/** Column-oriented time series: one row per sample instant. */
export interface TimeSeries {
  columns: string[];
  rows: number[][];
}

export interface RunInfo {
  owsimVersion: string;
  node: string;
  platform: string;
  wallMs: number;
  eventsPerSec: number;
  activationsPerSec: number;
  startedAt: string;
}

/**
 * Optional chart inputs a run may attach beyond the summary and time series. Each CDF is `[valueMs, fraction]`
 * points in ascending order (LatencyHistogram.cdfPoints()). Absent: the latency chart falls back to the
 * summary's quantiles.
 */
export interface ChartData {
  /** Latency CDF points [valueMs, fraction ≤ value] of measured completed activations. */
  latencyCdf?: [number, number][];
  waitCdf?: [number, number][];
  executionCdf?: [number, number][];
}

export interface RunOutput {
  summary: Summary;
  timeseries: TimeSeries;
  /** Extra data for charts that the summary does not carry (charts/*.png, index.html); never in summary.json. */
  charts?: ChartData;
  /** The fully resolved scenario as run (after defaults and overrides), for the report and reproduction. */
  resolvedScenario: unknown;
  /** Filled by the CLI, which alone may read the wall clock. */
  runInfo?: RunInfo;
  /** With the invariant checkers on: checks made per invariant, by name (none failed, or the run would have thrown). */
  checks?: Record<string, number>;
}

/**
 * The one list of metric paths: every number in a `Summary`, written once as a shape that mirrors the Summary
 * type. `MetricShape<Summary>` is computed from the type, so adding a numeric field to the Summary (or one of
 * its parts) without adding it here is a compile error, and a field here that the Summary lacks is one too.
 *
 * Everything that names metrics reads this list: scenario thresholds (known paths before a run), `owsim
 * compare` (direction of each metric, did-you-mean), `owsim plan --target` (checked before any run), the
 * sweep's CSV columns, and docs/reports.md (a test checks that the docs list exactly these paths).
 *
 * A leaf says which side is better (`lower`, `higher`, `neutral`). A `perName(...)` group is a record keyed by
 * a name chosen by the scenario or the run (invoker, topic, controller, action); in paths it is `*`. Counter
 * maps (`counters(...)`) list only what happened, so a name they lack reads as 0.
 *
 * To add a group (another branch's `membership`, per-action `actions`, more `store` fields): add the field to
 * the Summary type, then one entry below in the same place; paths, docs check, compare, plan and sweep follow.
 */
import type { Summary } from './types.js';

export type Direction = 'lower' | 'higher' | 'neutral';

/** A numeric leaf of the summary, with the range its values can take (counts, times, rates: ≥ 0). */
export class MetricLeaf {
  constructor(
    readonly direction: Direction,
    readonly min = 0,
    readonly max = Infinity,
  ) {}
}

/** A record keyed by names from the scenario or the run; `*` in paths. */
export class PerName<S> {
  constructor(
    /** What the names are, for docs and messages: `invoker`, `topic`, `action`. */
    readonly names: string,
    readonly each: S,
    /** A counter map: lists only what happened, a missing name reads as 0. */
    readonly counter = false,
  ) {}
}

/** Omits a field from the metric list on purpose (strings, verdicts, lists). */
export class NotAMetric {
  constructor(readonly why: string) {}
}

type Defined<T> = Exclude<T, undefined | null>;

/** The shape that mirrors `T`: a leaf per number, a PerName per string-keyed record, a group per object. */
export type MetricShape<T> = [Defined<T>] extends [number]
  ? MetricLeaf
  : [Defined<T>] extends [string | boolean | readonly unknown[]]
    ? NotAMetric
    : string extends keyof Defined<T>
      ? PerName<MetricShape<Defined<T>[string]>>
      : { [K in keyof Defined<T>]-?: MetricShape<Defined<T>[K]> };

export const lower = new MetricLeaf('lower');
export const higher = new MetricLeaf('higher');
export const neutral = new MetricLeaf('neutral');

export function perName<S>(names: string, each: S): PerName<S> {
  return new PerName(names, each);
}

export function counters(names: string, direction: MetricLeaf = lower): PerName<MetricLeaf> {
  return new PerName(names, direction, true);
}

const latency = { count: neutral, mean: lower, p50: lower, p90: lower, p95: lower, p99: lower, p999: lower, max: lower };
const overflow = { episodes: lower, timeInOverflowMs: lower, activations: lower, dropped: lower };
/** One breakdown entry (an action, a namespace, a window): the headline outcome and latency figures. */
const breakdown = {
  activations: {
    arrived: neutral,
    completed: higher,
    timedOut: lower,
    rejected: lower,
    lost: lower,
    inFlight: lower,
    rejectedBy: counters('rejection reason'),
  },
  latencyMs: latency,
  waitMs: latency,
  executionMs: latency,
  coldStarts: { count: lower, ratio: new MetricLeaf('lower', 0, 1) },
};

/** Every metric of a Summary. Keep the Summary's field order: it is the order of docs, CSV columns and tables. */
export const SUMMARY_METRICS: MetricShape<Summary> = {
  scenario: new NotAMetric('a name'),
  seed: neutral,
  simulatedMs: neutral,
  events: neutral,
  measuredFromMs: neutral,
  // The run's headline figures are the same as a breakdown entry's, in the same order.
  ...breakdown,
  throughputPerSec: higher,
  littlesLaw: { meanInFlight: neutral, throughputTimesLatency: neutral, relativeError: new MetricLeaf('lower', -Infinity) },
  overflow,
  controllers: perName('controller', {
    activations: neutral,
    overflowActivations: lower,
    overflow,
    believedVsTrueError: lower,
    forcedPlacements: lower,
  }),
  health: { transitions: lower, byKind: counters('health transition') },
  topics: perName('topic', { maxDepth: lower, meanDepth: lower, produced: neutral }),
  invokers: perName('invoker', { activations: neutral, coldStarts: lower, maxInFlight: lower, evictions: lower }),
  bookkeeping: {
    meanError: lower,
    maxError: lower,
    residualAtEnd: new MetricLeaf('lower', -Infinity),
    gossipMessages: neutral,
    requirementFailures: lower,
    controllerCrashes: lower,
  },
  oom: {
    crashes: lower,
    firstCrashMs: higher,
    peakHeapFraction: lower,
    timeAboveNinetyPercentMs: lower,
    projectedTimeToOomMs: higher,
    activationsLost: lower,
    invokers: perName('invoker', { peakHeapMb: lower, crashes: lower, lostRecords: lower, maxBatcherQueue: lower }),
  },
  store: {
    produced: neutral,
    written: higher,
    lostRecords: lower,
    pending: lower,
    maxQueue: lower,
    overflowed: lower,
    maxKafkaBacklog: lower,
    writeLatencyMs: latency,
    bulkCalls: neutral,
    maxDatabaseBacklog: lower,
    droppedRecords: lower,
    givenUpRecords: lower,
    refusedRecords: lower,
    recordsLostToErrors: lower,
    failedCalls: lower,
    bulkRetries: lower,
    throttledCalls: lower,
    blockedSends: lower,
  },
  containers: { memoryMeanMb: neutral, idleMemoryMeanMb: lower, idleMemoryGbHours: lower },
  membership: {
    garbageMembersMax: lower,
    garbageMembersAtEnd: lower,
    disagreementMs: lower,
    capacityShareSumMax: neutral,
    capacityShareSumMin: neutral,
    capacityShareSumAtEnd: neutral,
    splitBrainMs: lower,
    weaklyUpMs: lower,
    convergenceBlockedMs: lower,
  },
  thresholds: new NotAMetric('verdicts, not metrics'),
  faults: new NotAMetric('a list; the sweep CSV gives per-fault columns (faults.<i>.*)'),
  actions: perName('action', { namespace: new NotAMetric('a name'), ...breakdown }),
  namespaces: perName('namespace', breakdown),
  windows: perName('window', { fromMs: neutral, toMs: neutral, ...breakdown }),
  diagnosis: new NotAMetric('findings, not metrics'),
};

export interface MetricPattern {
  /** Dotted, with `*` for a name: `invokers.*.coldStarts`. */
  pattern: string;
  direction: Direction;
  /** The values the metric can take: [0, ∞) for counts, times and rates; [0, 1] for a share. */
  range: [number, number];
  /** The per-name groups on the way, outermost first (`['invoker']`); empty for a plain metric. */
  names: string[];
  /** Under a counter map: a missing name reads as 0. */
  counter: boolean;
}

/** Flattens a shape into its patterns, in the shape's order. */
export function patternsOf(shape: unknown, prefix = '', names: string[] = [], counter = false): MetricPattern[] {
  if (shape instanceof MetricLeaf) return [{ pattern: prefix, direction: shape.direction, range: [shape.min, shape.max], names, counter }];
  if (shape instanceof NotAMetric) return [];
  if (shape instanceof PerName) {
    return patternsOf(shape.each, join(prefix, '*'), [...names, shape.names], shape.counter);
  }
  const out: MetricPattern[] = [];
  for (const [key, child] of Object.entries(shape as Record<string, unknown>)) out.push(...patternsOf(child, join(prefix, key), names, counter));
  return out;
}

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** Every metric pattern of a Summary, in summary order. */
export const METRIC_PATTERNS: readonly MetricPattern[] = patternsOf(SUMMARY_METRICS);

/** The top-level groups in summary order, with the per-name groups among their patterns (for docs and CSV). */
export function groupOf(pattern: string): string {
  return pattern.split('.')[0]!;
}

/**
 * The patterns in the compact brace notation of docs/reports.md: patterns that differ only in their last
 * segment share a line, `latencyMs.{count,mean,…}`; a single one stays as is.
 */
export function compactPatternLines(patterns: readonly MetricPattern[] = METRIC_PATTERNS): string[] {
  const lines: string[] = [];
  const byStem = new Map<string, string[]>();
  const order: string[] = [];
  for (const { pattern } of patterns) {
    const cut = pattern.lastIndexOf('.');
    const stem = cut < 0 ? '' : pattern.slice(0, cut);
    const last = cut < 0 ? pattern : pattern.slice(cut + 1);
    if (!byStem.has(stem)) {
      byStem.set(stem, []);
      order.push(stem);
    }
    byStem.get(stem)!.push(last);
  }
  for (const stem of order) {
    const lasts = byStem.get(stem)!;
    if (stem === '') lines.push(lasts.join('  '));
    else lines.push(lasts.length === 1 ? `${stem}.${lasts[0]}` : `${stem}.{${lasts.join(',')}}`);
  }
  return lines;
}

/** Expands the brace notation (`a.{b,c}`, several per line separated by whitespace) back into patterns. */
export function expandPatternLines(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/\s+/).filter((t) => t !== '')) {
    const m = /^(.*)\{([^}]*)\}(.*)$/.exec(token);
    if (!m) {
      out.push(token);
      continue;
    }
    for (const alt of m[2]!.split(',')) out.push(...expandPatternLines(`${m[1]}${alt}${m[3]}`));
  }
  return out;
}

/**
 * Dotted metric paths into a `Summary`, shared by scenario thresholds (thresholds.ts) and `owsim compare`
 * (compare.ts). A path names a numeric leaf: `latencyMs.p99`, `activations.lost`, `topics.overflow.maxDepth`,
 * `invokers.invoker0.coldStarts`.
 *
 * Keys inside the per-name records (topic, invoker and controller names, rejection reasons, health transition
 * kinds) may themselves contain dots, so resolution is greedy: at each level the longest run of segments that
 * names an existing key wins (`topics.a.b.maxDepth` finds a topic called `a.b`).
 *
 * The two counter maps, `activations.rejectedBy` and `health.byKind`, only list what happened; a key they do not
 * list reads as 0, so `activations.rejectedBy.throttledRate` is a valid metric even in a run without throttling.
 *
 * `STATIC_METRIC_PATTERNS` lists every path a summary can have, with `*` for a name chosen by the scenario. The
 * scenario loader checks threshold metrics against it before anything runs; the concrete names are checked
 * against the real summary afterwards.
 */
import type { Summary } from './types.js';

/** Records whose keys are counters of events: a missing key means "did not happen", i.e. 0. */
const COUNTER_MAPS = ['activations.rejectedBy', 'health.byKind'] as const;

const LATENCY_KEYS = ['count', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
const OVERFLOW_KEYS = ['episodes', 'timeInOverflowMs', 'activations', 'dropped'] as const;

/** Every numeric metric path of a Summary; `*` stands for one name chosen by the scenario or the run. */
export const STATIC_METRIC_PATTERNS: readonly string[] = [
  'seed',
  'simulatedMs',
  'events',
  'measuredFromMs',
  ...['arrived', 'completed', 'timedOut', 'rejected', 'lost', 'inFlight'].map((k) => `activations.${k}`),
  'activations.rejectedBy.*',
  ...['latencyMs', 'waitMs', 'executionMs'].flatMap((m) => LATENCY_KEYS.map((k) => `${m}.${k}`)),
  'coldStarts.count',
  'coldStarts.ratio',
  'throughputPerSec',
  'littlesLaw.meanInFlight',
  'littlesLaw.throughputTimesLatency',
  'littlesLaw.relativeError',
  ...OVERFLOW_KEYS.map((k) => `overflow.${k}`),
  'controllers.*.activations',
  'controllers.*.overflowActivations',
  ...OVERFLOW_KEYS.map((k) => `controllers.*.overflow.${k}`),
  'controllers.*.believedVsTrueError',
  'controllers.*.forcedPlacements',
  ...['meanError', 'maxError', 'residualAtEnd', 'gossipMessages', 'requirementFailures', 'controllerCrashes'].map((k) => `bookkeeping.${k}`),
  'health.transitions',
  'health.byKind.*',
  'topics.*.maxDepth',
  'topics.*.meanDepth',
  'topics.*.produced',
  'invokers.*.activations',
  'invokers.*.coldStarts',
  'invokers.*.maxInFlight',
  ...['memoryMeanMb', 'idleMemoryMeanMb', 'idleMemoryGbHours'].map((k) => `containers.${k}`),
];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True when `path` fits one of the patterns; `*` matches one or more segments (names may contain dots). */
export function matchesStaticPattern(path: string): boolean {
  return STATIC_METRIC_PATTERNS.some((pattern) => patternToRegExp(pattern).test(path));
}

function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('.')
    .map((part) => (part === '*' ? '[^]+?' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('\\.');
  return new RegExp(`^${body}$`);
}

/**
 * The number at `path`, or `undefined` when the path names nothing (or names something that is not a number).
 * A key missing from a counter map reads as 0.
 */
export function resolveMetric(summary: Summary | Record<string, unknown>, path: string): number | undefined {
  const segments = path.split('.');
  if (segments.some((s) => s === '')) return undefined;
  return walk(summary as Record<string, unknown>, segments, '');
}

function walk(node: Record<string, unknown>, segments: string[], here: string): number | undefined {
  // Longest key first, so a name containing dots wins over a shorter key that happens to exist.
  for (let take = segments.length; take >= 1; take--) {
    const key = segments.slice(0, take).join('.');
    if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
    const value = node[key];
    const rest = segments.slice(take);
    const at = here === '' ? key : `${here}.${key}`;
    if (rest.length === 0) return typeof value === 'number' ? value : undefined;
    if (isRecord(value)) {
      const found = walk(value, rest, at);
      if (found !== undefined) return found;
    }
  }
  if ((COUNTER_MAPS as readonly string[]).includes(here) && segments.length > 0) return 0;
  return undefined;
}

/**
 * Every numeric leaf of a summary as `[path, value]`, in the summary's own key order. Verdicts
 * (`thresholds`) are not metrics and are left out.
 */
export function numericLeaves(summary: Summary | Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  const visit = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (prefix === '' && key === 'thresholds') continue;
      if (typeof value === 'number') out.push([path, value]);
      else if (isRecord(value)) visit(value, path);
    }
  };
  visit(summary as Record<string, unknown>, '');
  return out;
}

/** True for metrics measured in milliseconds: a segment ends in `Ms` (`latencyMs.p99`, `overflow.timeInOverflowMs`). */
export function isMillisecondMetric(path: string): boolean {
  return path.split('.').some((segment) => /Ms$/.test(segment));
}

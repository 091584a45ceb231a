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
 * `STATIC_METRIC_PATTERNS` lists every path a summary can have, with `*` for a name chosen by the scenario; it is
 * derived from the one list in metricPaths.ts. The scenario loader checks threshold metrics against it before
 * anything runs; the concrete names are checked against the real summary afterwards. A name may also be quoted,
 * `actions["ns/a.b"].latencyMs.p99`, to take it exactly.
 */
import { METRIC_PATTERNS, MetricLeaf, PerName, SUMMARY_METRICS, type Direction } from './metricPaths.js';
import type { Summary } from './types.js';

/** Every numeric metric path of a Summary; `*` stands for one name chosen by the scenario or the run (metricPaths.ts). */
export const STATIC_METRIC_PATTERNS: readonly string[] = METRIC_PATTERNS.map((p) => p.pattern);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** One segment of a metric path: a plain key, or a quoted name (`actions["ns/a.b"]`) that is taken exactly. */
interface Segment {
  key: string;
  exact: boolean;
}

/**
 * Splits `a.b["x.y"].c` into segments; undefined when malformed (an empty segment, an unclosed quote). A
 * quoted name may contain anything JSON can quote, dots and slashes included.
 */
export function splitMetricPath(path: string): Segment[] | undefined {
  const out: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path.startsWith('["', i)) {
      const close = path.indexOf('"]', i + 2);
      if (close < 0) return undefined;
      let key: unknown;
      try {
        key = JSON.parse(path.slice(i + 1, close + 1));
      } catch {
        return undefined;
      }
      out.push({ key: key as string, exact: true });
      i = close + 2;
      if (i < path.length) {
        if (path[i] === '.') i++;
        else if (!path.startsWith('["', i)) return undefined;
        if (i === path.length) return undefined;
      }
      continue;
    }
    let end = i;
    while (end < path.length && path[end] !== '.' && !path.startsWith('["', end)) end++;
    if (end === i) return undefined;
    out.push({ key: path.slice(i, end), exact: false });
    i = end;
    if (path[i] === '.') {
      i++;
      if (i === path.length) return undefined;
    }
  }
  return out.length > 0 ? out : undefined;
}

/** The pattern a path fits, or undefined; `*` matches one quoted name or one or more plain segments. */
export function patternOf(path: string): (typeof METRIC_PATTERNS)[number] | undefined {
  const segments = splitMetricPath(path);
  if (!segments) return undefined;
  return METRIC_PATTERNS.find((p) => fits(p.pattern.split('.'), segments));
}

function fits(pattern: string[], path: Segment[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  if (path.length === 0) return false;
  const [head, ...rest] = pattern;
  if (head !== '*') return path[0]!.key === head && fits(rest, path.slice(1));
  if (path[0]!.exact) return fits(rest, path.slice(1));
  for (let take = 1; take <= path.length && !path[take - 1]!.exact; take++) {
    if (fits(rest, path.slice(take))) return true;
  }
  return false;
}

/** True when `path` fits one of the patterns; `*` matches one or more segments (names may contain dots). */
export function matchesStaticPattern(path: string): boolean {
  return patternOf(path) !== undefined;
}

/** Which side of a metric is better, from the list (metricPaths.ts); `neutral` for a path the list lacks. */
export function metricDirection(path: string): Direction {
  return patternOf(path)?.direction ?? 'neutral';
}

/** The values a metric can take, from the list; unbounded for a path the list lacks. */
export function metricRange(path: string): [number, number] {
  return patternOf(path)?.range ?? [-Infinity, Infinity];
}

/**
 * The number at `path`, or `undefined` when the path names nothing (or names something that is not a number).
 * A key missing from a counter map reads as 0.
 */
export function resolveMetric(summary: Summary | Record<string, unknown>, path: string): number | undefined {
  const segments = splitMetricPath(path);
  if (!segments) return undefined;
  return walk(summary as Record<string, unknown>, segments, SUMMARY_METRICS);
}

function childShape(shape: unknown, key: string): unknown {
  if (shape instanceof PerName) return shape.each;
  if (isRecord(shape) && !(shape instanceof MetricLeaf)) return shape[key];
  return undefined;
}

function walk(node: Record<string, unknown>, segments: Segment[], shape: unknown): number | undefined {
  // Longest key first, so a name containing dots wins over a shorter key that happens to exist.
  let plain = 0;
  while (plain < segments.length && !segments[plain]!.exact) plain++;
  const longest = segments[0]!.exact ? 1 : plain;
  for (let take = longest; take >= 1; take--) {
    const key = segments[0]!.exact ? segments[0]!.key : segments.slice(0, take).map((s) => s.key).join('.');
    if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
    const value = node[key];
    const rest = segments.slice(take);
    if (rest.length === 0) return typeof value === 'number' ? value : undefined;
    if (isRecord(value)) {
      const found = walk(value, rest, childShape(shape, key));
      if (found !== undefined) return found;
    }
  }
  if (shape instanceof PerName && shape.counter && shape.each instanceof MetricLeaf && segments.length > 0) {
    if (segments[0]!.exact ? segments.length === 1 : !segments.some((s) => s.exact)) return 0;
  }
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

/**
 * The headline metrics: the ones every comparison, seed aggregate, sweep table and capacity chart shows, in table
 * order; each one's better side comes from the metric list (metricPaths.ts).
 */
const HEADLINE_PATHS: readonly string[] = [
  ...['arrived', 'completed', 'timedOut', 'rejected', 'lost', 'inFlight'].map((k) => `activations.${k}`),
  ...['mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'].map((k) => `latencyMs.${k}`),
  ...['mean', 'p50', 'p90', 'p99', 'max'].map((k) => `waitMs.${k}`),
  ...['mean', 'p99'].map((k) => `executionMs.${k}`),
  'coldStarts.count',
  'coldStarts.ratio',
  'throughputPerSec',
  ...['episodes', 'timeInOverflowMs', 'activations', 'dropped'].map((k) => `overflow.${k}`),
  'health.transitions',
];

export const HEADLINE_METRICS: readonly (readonly [string, Direction])[] = HEADLINE_PATHS.map((p) => [p, metricDirection(p)] as const);

/**
 * The columns a sweep keeps from each run's summary beyond the headline metrics: every metric of the list
 * (report/metricPaths.ts) the summary has, group by group (`oom.*`, `store.*`, `bookkeeping.*`, …), plus one
 * block per scheduled fault (`faults.<i>.during.*`, `faults.<i>.effect.*`, i in file order). Metrics under a
 * per-name group (per invoker, topic, controller, action) are kept only when asked for by group
 * (`--per-name invokers`, or `all`), so a sweep of a 5,000-action scenario stays a readable table; counter maps
 * (`activations.rejectedBy.*`, `health.byKind.*`) are small and always kept.
 */
import { HEADLINE_METRICS } from '../report/summaryPaths.js';
import { METRIC_PATTERNS } from '../report/metricPaths.js';
import { numericLeaves, patternOf } from '../report/summaryPaths.js';
import type { Summary } from '../report/types.js';

const HEADLINE = new Set(HEADLINE_METRICS.map(([m]) => m));

/** The per-name groups a sweep can be asked to keep: the pattern up to its first `*` (`invokers`, `oom.invokers`). */
export const PER_NAME_GROUPS: readonly string[] = [
  ...new Set(METRIC_PATTERNS.filter((p) => p.names.length - (p.counter ? 1 : 0) > 0).map((p) => p.pattern.slice(0, p.pattern.indexOf('.*')))),
];

/** Whether a column of a counter map (a missing value there means 0, not "not measured"). */
export function isCounterColumn(column: string): boolean {
  return patternOf(column)?.counter === true;
}

function perNameGroup(path: string): string | undefined {
  const p = patternOf(path);
  // A counter map's own `*` does not count: it is small; a per-name group above it (per action) does.
  if (p === undefined || p.names.length - (p.counter ? 1 : 0) === 0) return undefined;
  return p.pattern.slice(0, p.pattern.indexOf('.*'));
}

/** `perName`: groups from PER_NAME_GROUPS, or `all`. */
export function summaryColumns(summary: Summary, perName: readonly string[] = []): [string, number][] {
  const all = perName.includes('all');
  const out: [string, number][] = [];
  for (const [path, value] of numericLeaves(summary)) {
    if (HEADLINE.has(path) || path === 'seed') continue;
    const group = perNameGroup(path);
    if (group !== undefined && !all && !perName.includes(group)) continue;
    out.push([path, value]);
  }
  (summary.faults ?? []).forEach((f, i) => {
    for (const [k, v] of Object.entries(f.during)) out.push([`faults.${i}.during.${k}`, v]);
    for (const [k, v] of Object.entries(f.effect)) out.push([`faults.${i}.effect.${k}`, v]);
  });
  return out;
}

/** The union of the results' columns, in order of first appearance (task order, then summary order). */
export function unionColumns(rows: readonly (readonly [string, number][])[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const row of rows) {
    for (const [c] of row) {
      if (!seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
    }
  }
  return out;
}

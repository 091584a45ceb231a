/**
 * Scenario thresholds, k6-style: `thresholds: { "latencyMs.p99": "< 1500", "activations.lost": "== 0" }`.
 *
 * Grammar of one threshold (the key is the metric, the value the condition that must hold):
 *
 *   metric     = a dotted path into summary.json (see summaryPaths.ts), e.g. latencyMs.p99, topics.overflow.maxDepth
 *   condition  = operator number [unit]
 *   operator   = "<" | "<=" | ">" | ">=" | "==" | "!="
 *   number     = a decimal such as 1500, 0.05, -3, 1e3 (an underscore may group digits: 1_500)
 *   unit       = "ms" | "s", only on millisecond metrics (a path segment ending in `Ms`); "1.5s" means 1500
 *
 * A threshold holds when `actual <operator> number`. `==` and `!=` compare exactly: use them for counts.
 * `validateThresholds` checks the syntax and that each metric fits a known summary path (run it when the
 * scenario loads, before anything runs); `evaluateThresholds` judges a finished run. Both throw a
 * `ScenarioError` naming the file, `thresholds["<metric>"]`, what was expected, and a did-you-mean.
 */
import { ScenarioError } from '../errors.js';
import { didYouMean } from '../scenario/suggest.js';
import { durationUnitMs } from '../scenario/units.js';
import {
  isMillisecondMetric,
  matchesStaticPattern,
  numericLeaves,
  resolveMetric,
  STATIC_METRIC_PATTERNS,
} from './summaryPaths.js';
import type { Summary, ThresholdVerdict } from './types.js';

export type ComparisonOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ParsedCondition {
  operator: ComparisonOperator;
  /** The bound, converted to the metric's own unit (milliseconds for `…Ms` metrics). */
  value: number;
}

const CONDITION = /^\s*(<=|>=|==|!=|<|>)\s*([+-]?(?:\d[\d_]*)?(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i;
const EXPECTED_CONDITION = 'an operator (<, <=, >, >=, ==, !=) and a number, e.g. "< 1500" or "== 0"';

/** Parses a decimal with optional `_` digit grouping; NaN when it is not one. */
export function parseDecimal(text: string): number {
  if (!/\d/.test(text) || /__|_\.|\._|^[+-]?_|_$/.test(text)) return NaN;
  const value = Number(text.replace(/_/g, ''));
  return Number.isFinite(value) ? value : NaN;
}

export function compare(actual: number, operator: ComparisonOperator, bound: number): boolean {
  switch (operator) {
    case '<':
      return actual < bound;
    case '<=':
      return actual <= bound;
    case '>':
      return actual > bound;
    case '>=':
      return actual >= bound;
    case '==':
      return actual === bound;
    case '!=':
      return actual !== bound;
  }
}

function fieldPath(metric: string): string {
  return `thresholds[${JSON.stringify(metric)}]`;
}

/** Parses one condition for `metric`; throws a ScenarioError when it is malformed. */
export function parseCondition(metric: string, expression: string, file?: string): ParsedCondition {
  const where = { ...(file !== undefined ? { file } : {}), path: fieldPath(metric) };
  const match = CONDITION.exec(expression);
  const value = match ? parseDecimal(match[2]!) : NaN;
  if (!match || Number.isNaN(value)) {
    throw new ScenarioError('malformed threshold', { ...where, expected: EXPECTED_CONDITION, got: JSON.stringify(expression) });
  }
  if (match[3] === '') return { operator: match[1] as ComparisonOperator, value };
  if (!isMillisecondMetric(metric)) {
    throw new ScenarioError(`unit \`${match[3]}\` on a metric that is not a duration`, {
      ...where,
      expected: 'a plain number (units ms and s are allowed only on metrics measured in milliseconds)',
      got: JSON.stringify(expression),
    });
  }
  const factor = durationUnitMs(match[3]!);
  if (factor === undefined) {
    throw new ScenarioError(`unknown unit \`${match[3]}\``, { ...where, expected: 'a duration unit: ms, s, m or min, h (any case)', got: JSON.stringify(expression) });
  }
  return { operator: match[1] as ComparisonOperator, value: value * factor };
}

/** The nearest pattern with its `*` left visible, for "did you mean" before a run exists. */
function staticSuggestion(metric: string): string {
  return didYouMean(metric, STATIC_METRIC_PATTERNS);
}

/**
 * Checks every threshold's syntax and that its metric fits a known summary path, without a run. The scenario
 * loader calls this so a typo fails in milliseconds instead of after a long run.
 */
export function validateThresholds(thresholds: Record<string, string>, file?: string): void {
  for (const [metric, expression] of Object.entries(thresholds)) {
    if (!matchesStaticPattern(metric)) {
      throw new ScenarioError(`unknown metric \`${metric}\`${staticSuggestion(metric)}`, {
        ...(file !== undefined ? { file } : {}),
        path: fieldPath(metric),
        expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99, activations.lost (see docs/reports.md)',
        got: metric,
      });
    }
    parseCondition(metric, expression, file);
  }
}

/**
 * Judges each threshold against a finished run's summary, in the scenario's order. A metric path that names no
 * number in this summary (a typo, or an invoker the scenario does not have) is a ScenarioError with a
 * did-you-mean from the summary's real paths. A metric whose value is not finite yields `actual: null`, not ok.
 */
export function evaluateThresholds(summary: Summary, thresholds: Record<string, string>, file?: string): ThresholdVerdict[] {
  const verdicts: ThresholdVerdict[] = [];
  let available: string[] | undefined;
  for (const [metric, expression] of Object.entries(thresholds)) {
    const condition = parseCondition(metric, expression, file);
    const actual = resolveMetric(summary, metric);
    if (actual === undefined) {
      available ??= numericLeaves(summary).map(([path]) => path);
      throw new ScenarioError(`unknown metric \`${metric}\`${didYouMean(metric, available)}`, {
        ...(file !== undefined ? { file } : {}),
        path: fieldPath(metric),
        expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99, activations.lost (see docs/reports.md)',
        got: metric,
      });
    }
    if (!Number.isFinite(actual)) {
      verdicts.push({ metric, expression, actual: null, ok: false });
      continue;
    }
    verdicts.push({ metric, expression, actual, ok: compare(actual, condition.operator, condition.value) });
  }
  return verdicts;
}

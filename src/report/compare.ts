/**
 * `owsim compare BASE CANDIDATE`: a baseline run against a candidate run, metric by metric, with optional
 * regression gates (`--fail-on`). Reads only summary.json (never run-info.json, whose wall times differ
 * between identical runs).
 *
 * The table lists the headline metrics (HEADLINE_METRICS) plus any metric a rule names. For each: base,
 * candidate, absolute delta, relative delta and a verdict. Each metric has a direction: `lower` is better
 * (latency, lost, timed out), `higher` is better (completed, throughput), `neutral` has no better side
 * (arrived). Only a significant change gets a verdict other than `unchanged`: beyond the 95% interval of the
 * difference (multi-seed runs on both sides) or beyond a relative tolerance (one seed a side, `--tolerance`,
 * default 1%); it is then `improved`/`regressed` by direction, or `changed` for neutral metrics.
 *
 * Rule grammar (`--fail-on`, repeatable; a rule *fails the comparison* when its condition is true):
 *
 *   rule      = metric operator bound
 *   metric    = a dotted summary path, e.g. latencyMs.p99 (see summaryPaths.ts)
 *   operator  = ">" | ">=" | "<" | "<=" | "==" | "!="
 *   bound     = sign number "%"          relative delta, (candidate − base) / |base| in percent: p99>+10%
 *             | sign number [unit]       absolute delta, candidate − base: waitMs.mean>+5ms
 *             | number [unit]            the candidate's own value: activations.lost>0
 *   sign      = "+" | "-"
 *   unit      = "ms" | "s", only on millisecond metrics
 *
 * A relative delta from a base of 0 is +∞ (or −∞) when the candidate differs and 0 when it does not, so
 * `coldStarts.count>+10%` fails when cold starts appear where there were none.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileError, UsageError } from '../errors.js';
import { didYouMean } from '../scenario/suggest.js';
import { durationUnitMs } from '../scenario/units.js';
import { formatCount, formatQuantity, markdownTable } from './format.js';
import { SUMMARY_JSON_FILE } from './SummaryJsonReporter.js';
import type { Direction } from './metricPaths.js';
import { HEADLINE_METRICS, isMillisecondMetric, metricDirection, numericLeaves, resolveMetric } from './summaryPaths.js';
import { compare as holds, parseDecimal, type ComparisonOperator } from './thresholds.js';
import type { Summary } from './types.js';
import { differenceInterval, isMultiSeedSummary, type DifferenceInterval } from './multiseed.js';

export type { Direction } from './metricPaths.js';
export type Verdict = 'improved' | 'regressed' | 'unchanged' | 'changed';

/** Which side of a metric is better, from the metric list; `neutral` for a path the list does not know. */
export function directionOf(metric: string): Direction {
  return metricDirection(metric);
}

export type RuleKind = 'relative' | 'delta' | 'value';

export interface CompareRule {
  /** The rule as written. */
  text: string;
  metric: string;
  operator: ComparisonOperator;
  kind: RuleKind;
  /** Percent for `relative`, the metric's unit for `delta` and `value`. */
  bound: number;
}

export const RULE_GRAMMAR =
  'METRIC OP BOUND, e.g. latencyMs.p99>+10% (relative change), waitMs.mean>+5ms (absolute change), ' +
  'activations.lost>0 (candidate value); OP is one of > >= < <= == !=';

const RULE = /^\s*([^<>=!\s]+)\s*(<=|>=|==|!=|<|>)\s*([+-])?\s*([\d_.eE+-]+?)\s*(%|[a-zA-Z]+)?\s*$/;

/** Parses one `--fail-on` rule; a malformed rule is a UsageError (exit 2). The metric is checked later. */
export function parseRule(text: string): CompareRule {
  const match = RULE.exec(text);
  const number = match ? parseDecimal(match[4]!) : NaN;
  if (!match || Number.isNaN(number) || /^[+-]/.test(match[4]!)) {
    throw new UsageError('malformed --fail-on rule', { path: '--fail-on', expected: RULE_GRAMMAR, got: JSON.stringify(text) });
  }
  const [, metric, operator, sign, , suffix] = match;
  const signed = sign === '-' ? -number : number;
  if (suffix === '%') {
    if (sign === undefined) {
      throw new UsageError('a percentage needs a sign', {
        path: '--fail-on',
        expected: 'a signed relative change such as +10% or -5%',
        got: JSON.stringify(text),
      });
    }
    return { text, metric: metric!, operator: operator as ComparisonOperator, kind: 'relative', bound: signed };
  }
  let bound = signed;
  if (suffix !== undefined) {
    const factor = durationUnitMs(suffix);
    if (!isMillisecondMetric(metric!) || factor === undefined) {
      throw new UsageError(`unit \`${suffix}\` not allowed here`, {
        path: '--fail-on',
        expected: 'a plain number, or ms / s on a metric measured in milliseconds',
        got: JSON.stringify(text),
      });
    }
    bound *= factor;
  }
  return { text, metric: metric!, operator: operator as ComparisonOperator, kind: sign === undefined ? 'value' : 'delta', bound };
}

/** Reads a summary from a run folder (its summary.json) or a summary.json file. */
export function loadSummary(path: string): Summary {
  let file = path;
  try {
    if (statSync(path).isDirectory()) file = join(path, SUMMARY_JSON_FILE);
  } catch {
    throw new FileError('no such run folder or summary file', { file: path, expected: `a run folder or a ${SUMMARY_JSON_FILE} file` });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new FileError(`cannot read ${SUMMARY_JSON_FILE}`, { file, expected: `a run folder that holds ${SUMMARY_JSON_FILE}` });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new FileError('not valid JSON', { file, got: err instanceof Error ? err.message : String(err) });
  }
  const looksLikeSummary =
    typeof parsed === 'object' && parsed !== null && 'activations' in parsed && 'latencyMs' in parsed;
  if (!looksLikeSummary) {
    throw new FileError('not an owsim summary', { file, expected: 'a summary.json written by owsim run (with activations and latencyMs)' });
  }
  return parsed as Summary;
}

export interface ComparisonRow {
  metric: string;
  direction: Direction;
  base: number;
  candidate: number;
  delta: number;
  /** (candidate − base) / |base|; ±Infinity from a zero base, 0 when both are 0. */
  relative: number;
  verdict: Verdict;
  /** Multi-seed runs on both sides (multiseed.ts): the 95% interval of the difference and whether it excludes 0. */
  interval?: DifferenceInterval;
}

export interface RuleResult {
  rule: CompareRule;
  /** The number the rule compared: percent, delta or candidate value. */
  observed: number;
  failed: boolean;
}

export interface Comparison {
  /** `seeds`: the seeds of a multi-seed run (multiseed.ts), whose values are means. */
  base: { scenario: string; seed: number; seeds?: number[] };
  candidate: { scenario: string; seed: number; seeds?: number[] };
  rows: ComparisonRow[];
  rules: RuleResult[];
  /** True when any rule failed. */
  failed: boolean;
  /** Rows without an interval: relative changes up to this many percent are `unchanged`. */
  tolerancePct: number;
}

export function relativeChange(base: number, candidate: number): number {
  if (base === candidate) return 0;
  if (base === 0) return candidate > 0 ? Infinity : -Infinity;
  return (candidate - base) / Math.abs(base);
}

/** Relative change within which one-seed runs count as unchanged, in percent (`--tolerance`). */
export const DEFAULT_TOLERANCE_PCT = 1;

/**
 * A row's verdict. Only a significant change counts as improved or regressed: with multi-seed runs on both
 * sides, a difference whose 95% interval excludes 0; with one seed a side, a relative change beyond the
 * tolerance. The rest is `unchanged` (the table still shows the delta).
 */
function verdictOf(direction: Direction, delta: number, relative: number, tolerancePct: number, interval?: DifferenceInterval): Verdict {
  if (delta === 0) return 'unchanged';
  const significant = interval !== undefined ? interval.beyond : Math.abs(relative) * 100 > tolerancePct;
  if (!significant) return 'unchanged';
  if (direction === 'neutral') return 'changed';
  return (direction === 'lower') === delta < 0 ? 'improved' : 'regressed';
}

function row(metric: string, base: number, candidate: number, tolerancePct: number): ComparisonRow {
  const direction = directionOf(metric);
  const delta = candidate - base;
  const relative = relativeChange(base, candidate);
  return { metric, direction, base, candidate, delta, relative, verdict: verdictOf(direction, delta, relative, tolerancePct) };
}

/** The value of `metric` on both sides, or a UsageError with a did-you-mean when either lacks it. */
function bothValues(base: Summary, candidate: Summary, rule: CompareRule): [number, number] {
  const b = resolveMetric(base, rule.metric);
  const c = resolveMetric(candidate, rule.metric);
  if (b !== undefined && c !== undefined) return [b, c];
  const known = [...new Set([...numericLeaves(base), ...numericLeaves(candidate)].map(([p]) => p))];
  const side = b === undefined && c === undefined ? 'either summary' : b === undefined ? 'the base summary' : 'the candidate summary';
  throw new UsageError(`unknown metric \`${rule.metric}\` in ${side}${didYouMean(rule.metric, known)}`, {
    path: '--fail-on',
    expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99',
    got: JSON.stringify(rule.text),
  });
}

export function compareSummaries(
  base: Summary,
  candidate: Summary,
  rules: readonly CompareRule[] = [],
  options: { tolerancePct?: number } = {},
): Comparison {
  const tolerancePct = options.tolerancePct ?? DEFAULT_TOLERANCE_PCT;
  const rows: ComparisonRow[] = [];
  for (const [metric] of HEADLINE_METRICS) {
    const b = resolveMetric(base, metric);
    const c = resolveMetric(candidate, metric);
    if (b === undefined || c === undefined) continue;
    rows.push(row(metric, b, c, tolerancePct));
  }
  if (isMultiSeedSummary(base) && isMultiSeedSummary(candidate)) {
    for (const r of rows) {
      const interval = differenceInterval(base.seeds, candidate.seeds, r.metric);
      if (interval !== undefined) {
        r.interval = interval;
        r.verdict = verdictOf(r.direction, r.delta, r.relative, tolerancePct, interval);
      }
    }
  }
  const results: RuleResult[] = [];
  for (const rule of rules) {
    const [b, c] = bothValues(base, candidate, rule);
    if (!rows.some((r) => r.metric === rule.metric)) rows.push(row(rule.metric, b, c, tolerancePct));
    const observed = rule.kind === 'relative' ? relativeChange(b, c) * 100 : rule.kind === 'delta' ? c - b : c;
    results.push({ rule, observed, failed: holds(observed, rule.operator, rule.bound) });
  }
  return {
    base: { scenario: base.scenario, seed: base.seed, ...(isMultiSeedSummary(base) ? { seeds: base.seeds.seeds } : {}) },
    candidate: { scenario: candidate.scenario, seed: candidate.seed, ...(isMultiSeedSummary(candidate) ? { seeds: candidate.seeds.seeds } : {}) },
    rows,
    rules: results,
    failed: results.some((r) => r.failed),
    tolerancePct,
  };
}

/** Integers (counts) as counts, small fractions (ratios) to three significant digits, others by size. */
export function formatValue(x: number): string {
  if (Number.isInteger(x)) return formatCount(x);
  if (Number.isFinite(x) && Math.abs(x) < 0.01) return x.toPrecision(3);
  return formatQuantity(x);
}

function signed(text: string, x: number): string {
  return x > 0 ? `+${text}` : text;
}

export function formatRelative(relative: number): string {
  if (relative === 0) return '0%';
  if (!Number.isFinite(relative)) return relative > 0 ? '+∞' : '−∞';
  return signed(`${formatQuantity(relative * 100)}%`, relative);
}

function observedText(r: RuleResult): string {
  if (r.rule.kind === 'relative') return formatRelative(r.observed / 100);
  if (r.rule.kind === 'delta') return signed(formatValue(r.observed), r.observed);
  return formatValue(r.observed);
}

function seedsText(side: Comparison['base']): string {
  return side.seeds !== undefined ? `means over seeds ${side.seeds.join(', ')}` : `seed ${side.seed}`;
}

/** The comparison as Markdown: a heading, the metric table, then the rules (when any) and a one-line result. */
export function renderComparisonMarkdown(c: Comparison, labels: { base: string; candidate: string }): string {
  const counts = { improved: 0, regressed: 0, changed: 0, unchanged: 0 };
  for (const r of c.rows) counts[r.verdict]++;
  const intervals = c.rows.some((r) => r.interval !== undefined);
  const beyond = (r: ComparisonRow): string => (r.interval === undefined ? '–' : r.interval.beyond ? 'yes' : 'no');
  const lines = [
    '# owsim compare',
    '',
    `- base: ${labels.base} (${c.base.scenario}, ${seedsText(c.base)})`,
    `- candidate: ${labels.candidate} (${c.candidate.scenario}, ${seedsText(c.candidate)})`,
    '',
    `${counts.improved} improved, ${counts.regressed} regressed, ${counts.changed} changed, ${counts.unchanged} unchanged.`,
    '',
    markdownTable(
      ['metric', 'base', 'candidate', 'delta', 'relative', 'verdict', ...(intervals ? ['beyond 95% CI'] : [])],
      c.rows.map((r) => [
        r.metric,
        formatValue(r.base),
        formatValue(r.candidate),
        r.delta === 0 ? '0' : signed(formatValue(r.delta), r.delta),
        formatRelative(r.relative),
        r.verdict,
        ...(intervals ? [beyond(r)] : []),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'left', ...(intervals ? (['left'] as const) : [])],
    ),
  ];
  if (c.rows.some((r) => r.interval === undefined)) {
    lines.push(
      '',
      `${intervals ? 'Rows without an interval' : 'One seed a side'}: a change of at most ${c.tolerancePct}% either way counts as unchanged ` +
        '(--tolerance); the delta columns still show it.',
    );
  }
  if (intervals) {
    const method = c.rows.find((r) => r.interval !== undefined)!.interval!.method;
    lines.push(
      '',
      method === 'paired'
        ? 'Both sides ran the same seeds: each delta is judged by the 95% interval of the per-seed differences (common random numbers).'
        : 'The sides ran different seeds: each delta is judged by a Welch 95% interval for a difference of means.',
      '`yes`: the difference is beyond what the seeds\' noise explains; only those rows count as improved or regressed, the rest as unchanged.',
    );
  }
  if (c.rules.length > 0) {
    const failed = c.rules.filter((r) => r.failed).length;
    lines.push(
      '',
      '## Rules',
      '',
      markdownTable(
        ['rule', 'observed', 'result'],
        c.rules.map((r) => [r.rule.text, observedText(r), r.failed ? 'FAILED' : 'ok']),
        ['left', 'right', 'left'],
      ),
      '',
      failed === 0 ? `All ${c.rules.length} rules pass.` : `${failed} of ${c.rules.length} rules failed.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

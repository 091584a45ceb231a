/**
 * `owsim plan SCENARIO --vary PATH --target 'METRIC OP BOUND'`: the smallest whole value of PATH (e.g.
 * invokers.count) in [min, max] at which the target holds, by bisection.
 *
 * Assumption: the target is monotone in the varied value: once it holds it keeps holding for every larger
 * value (more invokers never make p99 worse). Bisection then needs about log2(max − min) runs instead of a
 * full sweep. When the assumption is false the answer is still a value that meets the target, next to one
 * that does not, but not necessarily the smallest; the report lists every value tried so this can be checked.
 *
 * Margin: the metric at the found value and at the value below it (one less), so a reader sees how close the
 * boundary is. With several seeds each value's metric is the mean over the seeds.
 */
import { UsageError } from '../errors.js';
import { formatQuantity } from '../report/format.js';
import { matchesStaticPattern, resolveMetric, STATIC_METRIC_PATTERNS } from '../report/summaryPaths.js';
import { didYouMean } from '../scenario/suggest.js';
import { compare, parseCondition, type ComparisonOperator } from '../report/thresholds.js';
import type { TaskRunner } from './runTask.js';

export interface PlanTarget {
  text: string;
  metric: string;
  operator: ComparisonOperator;
  bound: number;
}

export interface PlanEvaluation {
  value: number;
  /** Mean over seeds of the target metric. */
  metric: number;
  ok: boolean;
}

export interface PlanResult {
  vary: string;
  target: PlanTarget;
  min: number;
  max: number;
  seeds: number[];
  /** The smallest value meeting the target, or null when even `max` does not. */
  found: number | null;
  /** The metric at `found`, and at `found − 1` (null when `found` is `min`, which is not run below). */
  atFound: number | null;
  belowFound: number | null;
  /** Every value run, in the order tried. */
  evaluations: PlanEvaluation[];
}

const TARGET = /^\s*([^<>=!\s]+)\s*((?:<=|>=|==|!=|<|>)[\s\S]*)$/;

/** `latencyMs.p99<500`, `activations.lost == 0`, `latencyMs.p99 < 1.5s`. */
export function parseTarget(text: string): PlanTarget {
  const m = TARGET.exec(text);
  if (!m) {
    throw new UsageError('malformed --target', { path: '--target', expected: "METRIC OP BOUND, e.g. 'latencyMs.p99<500'", got: JSON.stringify(text) });
  }
  if (!matchesStaticPattern(m[1]!)) {
    throw new UsageError(`unknown metric \`${m[1]}\` in --target${didYouMean(m[1]!, STATIC_METRIC_PATTERNS)}`, {
      path: '--target',
      expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99, oom.crashes (see docs/reports.md)',
      got: JSON.stringify(text),
    });
  }
  try {
    const c = parseCondition(m[1]!, m[2]!);
    return { text, metric: m[1]!, operator: c.operator, bound: c.value };
  } catch (err) {
    throw new UsageError(`malformed --target: ${(err as Error).message}`, { path: '--target', expected: "METRIC OP BOUND, e.g. 'latencyMs.p99<500'", got: JSON.stringify(text) });
  }
}

export interface PlanOptions {
  file: string;
  overrides: string[];
  vary: string;
  target: PlanTarget;
  min: number;
  max: number;
  seeds: number[];
  runner: TaskRunner;
  onEvaluation?: (e: PlanEvaluation) => void;
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  const { min, max } = options;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
    throw new UsageError('--min and --max must be whole numbers with min ≤ max', { path: '--min', got: `${min}..${max}` });
  }
  const cache = new Map<number, PlanEvaluation>();
  const evaluations: PlanEvaluation[] = [];
  const evaluate = async (value: number): Promise<PlanEvaluation> => {
    const cached = cache.get(value);
    if (cached) return cached;
    const scenario = await options.runner.loadScenarioFile(options.file, [...options.overrides, `${options.vary}=${value}`]);
    let sum = 0;
    for (const seed of options.seeds) {
      const { summary } = await options.runner.runScenario({ ...scenario, seed }, { seed });
      const metric = resolveMetric(summary, options.target.metric);
      if (metric === undefined) {
        throw new UsageError(`unknown metric \`${options.target.metric}\``, { path: '--target', expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99' });
      }
      sum += metric;
    }
    const metric = sum / options.seeds.length;
    const e: PlanEvaluation = { value, metric, ok: compare(metric, options.target.operator, options.target.bound) };
    cache.set(value, e);
    evaluations.push(e);
    options.onEvaluation?.(e);
    return e;
  };

  const result: PlanResult = { vary: options.vary, target: options.target, min, max, seeds: options.seeds, found: null, atFound: null, belowFound: null, evaluations };
  const top = await evaluate(max);
  if (!top.ok) return result;
  let hi = max;
  if ((await evaluate(min)).ok) hi = min;
  else {
    // Invariant: lo fails, hi meets the target.
    let lo = min;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await evaluate(mid)).ok) hi = mid;
      else lo = mid;
    }
  }
  result.found = hi;
  result.atFound = cache.get(hi)!.metric;
  result.belowFound = hi > min ? cache.get(hi - 1)!.metric : null;
  return result;
}

export function renderPlanMarkdown(r: PlanResult): string {
  const lines = [`# owsim plan: ${r.vary} for ${r.target.text}`, ''];
  if (r.found === null) {
    lines.push(`No value in ${r.min}..${r.max} meets the target: at ${r.max}, ${r.target.metric} is ${formatQuantity(r.evaluations[0]!.metric)}.`);
  } else {
    lines.push(`Smallest ${r.vary} meeting ${r.target.text}: **${r.found}** (${r.target.metric} = ${formatQuantity(r.atFound!)}` + (r.belowFound !== null ? `; at ${r.found - 1} it is ${formatQuantity(r.belowFound)})` : `; ${r.found} is --min)`) + '.');
  }
  lines.push(
    '',
    `Bisection over ${r.min}..${r.max}, assuming the target, once met, stays met for larger values. ${r.seeds.length > 1 ? `Each value is the mean over seeds ${r.seeds.join(', ')}.` : `Seed ${r.seeds[0]}.`}`,
    '',
    '| value | ' + r.target.metric + ' | meets |',
    '|---:|---:|:---|',
    ...[...r.evaluations].sort((a, b) => a.value - b.value).map((e) => `| ${e.value} | ${formatQuantity(e.metric)} | ${e.ok ? 'yes' : 'no'} |`),
  );
  return `${lines.join('\n')}\n`;
}

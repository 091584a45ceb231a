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
  /** Mean over seeds of the (first) target's metric. */
  metric: number;
  /** Mean over seeds of each target's metric, in target order. */
  metrics: number[];
  /** Every target holds. */
  ok: boolean;
  /** Mean over seeds of the activations' own execution time at the quantile of each latency target (else NaN). */
  execution: number[];
}

export interface PlanResult {
  vary: string;
  /** The first target; `targets` has them all (all must hold). */
  target: PlanTarget;
  targets: PlanTarget[];
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
  /** Every target, all of which must hold (`--target` repeated); default: [target]. */
  targets?: PlanTarget[];
  min: number;
  max: number;
  seeds: number[];
  runner: TaskRunner;
  onEvaluation?: (e: PlanEvaluation) => void;
}

/** For an end-to-end latency quantile, the same quantile of execution alone: a floor no cluster size lowers. */
function executionCounterpart(metric: string): string | undefined {
  const m = /^latencyMs\.(p\d+|mean|p50|max)$/.exec(metric);
  return m ? `executionMs.${m[1]}` : undefined;
}

/**
 * Why no value met the targets, when the run says: a latency bound at or below the activations' own execution
 * time at that quantile cannot be met by any cluster size. Undefined when nothing is known.
 */
export function whyUnreachable(r: PlanResult): string | undefined {
  const top = r.evaluations.find((e) => e.value === r.max);
  if (top === undefined) return undefined;
  for (const [i, t] of r.targets.entries()) {
    const floor = top.execution[i]!;
    if (!Number.isFinite(floor) || (t.operator !== '<' && t.operator !== '<=')) continue;
    if (!compare(floor, t.operator, t.bound)) {
      const quantile = t.metric.slice('latencyMs.'.length);
      return `${t.metric} includes the activations' own run time, and their ${quantile} run time alone is ${formatQuantity(floor)} ms (executionMs.${quantile} at ${r.max}), not ${t.operator} ${formatQuantity(t.bound)}: no ${r.vary} can meet ${t.text}; the bound is below what the actions take to run.`;
    }
  }
  return undefined;
}

export async function plan(options: PlanOptions): Promise<PlanResult> {
  const { min, max } = options;
  const targets = options.targets ?? [options.target];
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
    throw new UsageError('--min and --max must be whole numbers with min ≤ max', { path: '--min', got: `${min}..${max}` });
  }
  const cache = new Map<number, PlanEvaluation>();
  const evaluations: PlanEvaluation[] = [];
  const evaluate = async (value: number): Promise<PlanEvaluation> => {
    const cached = cache.get(value);
    if (cached) return cached;
    const scenario = await options.runner.loadScenarioFile(options.file, [...options.overrides, `${options.vary}=${value}`]);
    const sums = targets.map(() => 0);
    const execution = targets.map(() => 0);
    for (const seed of options.seeds) {
      const { summary } = await options.runner.runScenario({ ...scenario, seed }, { seed });
      targets.forEach((t, i) => {
        const metric = resolveMetric(summary, t.metric);
        if (metric === undefined) {
          throw new UsageError(`unknown metric \`${t.metric}\``, { path: '--target', expected: 'a dotted path to a number in summary.json, e.g. latencyMs.p99' });
        }
        sums[i]! += metric;
        const own = executionCounterpart(t.metric);
        execution[i]! += own === undefined ? NaN : (resolveMetric(summary, own) ?? NaN);
      });
    }
    const metrics = sums.map((x) => x / options.seeds.length);
    const e: PlanEvaluation = {
      value,
      metric: metrics[0]!,
      metrics,
      ok: targets.every((t, i) => compare(metrics[i]!, t.operator, t.bound)),
      execution: execution.map((x) => x / options.seeds.length),
    };
    cache.set(value, e);
    evaluations.push(e);
    options.onEvaluation?.(e);
    return e;
  };

  const result: PlanResult = { vary: options.vary, target: targets[0]!, targets, min, max, seeds: options.seeds, found: null, atFound: null, belowFound: null, evaluations };
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
  const targetsText = r.targets.map((t) => t.text).join(' and ');
  const lines = [`# owsim plan: ${r.vary} for ${targetsText}`, ''];
  const top = r.evaluations.find((e) => e.value === r.max);
  if (r.found === null) {
    const values = r.targets.map((t, i) => `${t.metric} is ${formatQuantity(top?.metrics[i] ?? r.evaluations[0]!.metric)}`).join(', ');
    lines.push(`No value in ${r.min}..${r.max} meets ${r.targets.length > 1 ? 'every target' : 'the target'}: at ${r.max}, ${values}.`);
    const why = whyUnreachable(r);
    if (why !== undefined) lines.push('', why);
  } else {
    lines.push(`Smallest ${r.vary} meeting ${targetsText}: **${r.found}** (${r.target.metric} = ${formatQuantity(r.atFound!)}` + (r.belowFound !== null ? `; at ${r.found - 1} it is ${formatQuantity(r.belowFound)})` : `; ${r.found} is --min)`) + '.');
  }
  lines.push(
    '',
    `Bisection over ${r.min}..${r.max}, assuming the targets, once met, stay met for larger values. ${r.seeds.length > 1 ? `Each value is the mean over seeds ${r.seeds.join(', ')}.` : `Seed ${r.seeds[0]}.`}`,
    '',
    `| value | ${r.targets.map((t) => t.metric).join(' | ')} | meets |`,
    `|---:|${r.targets.map(() => '---:|').join('')}:---|`,
    ...[...r.evaluations].sort((a, b) => a.value - b.value).map((e) => `| ${e.value} | ${e.metrics.map((m) => formatQuantity(m)).join(' | ')} | ${e.ok ? 'yes' : 'no'} |`),
  );
  return `${lines.join('\n')}\n`;
}

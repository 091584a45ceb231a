/**
 * Several seeds of one scenario (`owsim run --seeds N`): the per-seed summaries folded into one.
 *
 * - `aggregateSeeds` gives, for every headline metric (summaryPaths.ts HEADLINE_METRICS), the mean over seeds, a 95%
 *   confidence interval for that mean (Student t: mean ± t(0.975, n − 1) · s / √n, s the sample standard
 *   deviation, clipped to the metric's range from the metric list — counts and times ≥ 0, shares ≤ 1; a single
 *   seed gives the degenerate interval [mean, mean]) and the per-seed values in seed order.
 * - `meanSummary` is a `Summary` whose every numeric leaf is the mean over seeds (paths present in the first
 *   seed's summary, averaged over the seeds that have them), with the aggregate under the extra top-level key
 *   `seeds`. It is what the run folder's summary.json holds, so thresholds and `owsim compare` read means.
 * - `differenceInterval` says whether a candidate differs from a base beyond the 95% interval. When both sides
 *   ran the same seeds (common random numbers: seed i draws the same workload on both sides) the interval is
 *   the paired one, on the per-seed differences; otherwise Welch's interval for a difference of two means.
 *
 * Caveat: the t interval assumes the per-seed values are roughly normal; with 3–5 seeds treat it as a guide.
 */
import { formatCount, formatQuantity, markdownTable } from './format.js';
import { HEADLINE_METRICS } from './summaryPaths.js';
import { metricRange, numericLeaves, resolveMetric } from './summaryPaths.js';
import type { Summary, ThresholdVerdict } from './types.js';

export interface MetricAggregate {
  mean: number;
  /** 95% confidence interval of the mean, [low, high]. */
  ci95: [number, number];
  /** One value per seed, in the order of `SeedsAggregate.seeds`. */
  values: number[];
}

export interface SeedsAggregate {
  /** The seeds run, in order. */
  seeds: number[];
  /** Headline metric path → its aggregate, in HEADLINE_METRICS order. */
  metrics: Record<string, MetricAggregate>;
}

/** A summary of means with the per-metric aggregate attached: the summary.json of a multi-seed run. */
export type MultiSeedSummary = Summary & { seeds: SeedsAggregate };

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t(0.975, df); fractional df (Welch) round down, which widens the interval slightly. Beyond 30: 2.042 → 1.96. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return Infinity;
  const d = Math.floor(df);
  if (d <= 30) return T_975[d - 1]!;
  if (d <= 60) return 2.0;
  if (d <= 120) return 1.98;
  return 1.96;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function meanOf(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function varianceOf(values: readonly number[], mean: number): number {
  if (values.length < 2) return 0;
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return ss / (values.length - 1);
}

/**
 * Mean and 95% t interval of a sample, clipped to `range`, the values the metric can take: a count's interval
 * never goes below 0 (a t interval is symmetric and ignores that; where it would cross 0 the clipped end is
 * exact — the mean cannot be lower — and the other end stays the t bound).
 */
export function meanInterval(values: readonly number[], range: readonly [number, number] = [-Infinity, Infinity]): MetricAggregate {
  const mean = meanOf(values);
  const halfWidth = values.length < 2 ? 0 : tQuantile975(values.length - 1) * Math.sqrt(varianceOf(values, mean) / values.length);
  const low = Math.max(range[0], mean - halfWidth);
  const high = Math.min(range[1], mean + halfWidth);
  return { mean: round6(mean), ci95: [round6(low), round6(high)], values: values.slice() };
}

/** The headline metrics of each summary folded into means and intervals. Summaries in seed order. */
export function aggregateSeeds(summaries: readonly Summary[]): SeedsAggregate {
  const metrics: Record<string, MetricAggregate> = {};
  for (const [metric] of HEADLINE_METRICS) {
    const values: number[] = [];
    for (const s of summaries) {
      const v = resolveMetric(s, metric);
      if (v !== undefined && Number.isFinite(v)) values.push(v);
    }
    if (values.length === summaries.length && values.length > 0) metrics[metric] = meanInterval(values, metricRange(metric));
  }
  return { seeds: summaries.map((s) => s.seed), metrics };
}

/**
 * The summary of means: the first summary's shape with each numeric leaf replaced by its mean over the seeds
 * that have it (rounded to 6 decimals), `seed` the first seed, thresholds re-judged by the caller.
 */
export function meanSummary(summaries: readonly Summary[]): MultiSeedSummary {
  if (summaries.length === 0) throw new RangeError('meanSummary needs at least one summary');
  const first = summaries[0]!;
  const sums = new Map<string, { sum: number; n: number }>();
  for (const s of summaries) {
    for (const [path, value] of numericLeaves(s)) {
      if (!Number.isFinite(value)) continue;
      const acc = sums.get(path);
      if (acc) {
        acc.sum += value;
        acc.n++;
      } else sums.set(path, { sum: value, n: 1 });
    }
  }
  const rebuild = (node: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (prefix === '' && key === 'thresholds') continue;
      if (typeof value === 'number') {
        const acc = sums.get(path);
        out[key] = acc ? round6(acc.sum / acc.n) : value;
      } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        out[key] = rebuild(value as Record<string, unknown>, path);
      } else out[key] = value;
    }
    return out;
  };
  const mean = rebuild(first as unknown as Record<string, unknown>, '') as unknown as Summary;
  mean.seed = first.seed;
  return { ...mean, seeds: aggregateSeeds(summaries) };
}

export function isMultiSeedSummary(s: Summary): s is MultiSeedSummary {
  const seeds = (s as Partial<MultiSeedSummary>).seeds;
  return typeof seeds === 'object' && seeds !== null && Array.isArray(seeds.seeds) && typeof seeds.metrics === 'object';
}

export type IntervalMethod = 'paired' | 'welch';

export interface DifferenceInterval {
  metric: string;
  /** Candidate mean − base mean. */
  delta: number;
  /** 95% interval of that difference. */
  ci95: [number, number];
  /** True when the interval excludes 0: the difference is beyond what the seeds' noise explains. */
  beyond: boolean;
  method: IntervalMethod;
}

/**
 * The 95% interval of (candidate − base) for one headline metric of two multi-seed summaries, or undefined when
 * either side lacks the metric or has fewer than two seeds. Paired when both ran the same seeds in the same
 * order (common random numbers), Welch otherwise. A zero-width interval (identical per-seed differences) is
 * beyond exactly when the difference is not 0.
 */
export function differenceInterval(base: SeedsAggregate, candidate: SeedsAggregate, metric: string): DifferenceInterval | undefined {
  const b = base.metrics[metric];
  const c = candidate.metrics[metric];
  if (!b || !c || b.values.length < 2 || c.values.length < 2) return undefined;
  const sameSeeds = base.seeds.length === candidate.seeds.length && base.seeds.every((s, i) => s === candidate.seeds[i]);
  let delta: number;
  let halfWidth: number;
  let method: IntervalMethod;
  if (sameSeeds) {
    const diffs = c.values.map((v, i) => v - b.values[i]!);
    const agg = meanInterval(diffs);
    delta = meanOf(diffs);
    halfWidth = (agg.ci95[1] - agg.ci95[0]) / 2;
    method = 'paired';
  } else {
    const mb = meanOf(b.values);
    const mc = meanOf(c.values);
    const vb = varianceOf(b.values, mb) / b.values.length;
    const vc = varianceOf(c.values, mc) / c.values.length;
    const se2 = vb + vc;
    const df = se2 === 0 ? Infinity : (se2 * se2) / ((vb * vb) / (b.values.length - 1) + (vc * vc) / (c.values.length - 1));
    delta = mc - mb;
    halfWidth = se2 === 0 ? 0 : tQuantile975(df) * Math.sqrt(se2);
    method = 'welch';
  }
  const lo = round6(delta - halfWidth);
  const hi = round6(delta + halfWidth);
  const beyond = halfWidth === 0 ? round6(delta) !== 0 : lo > 0 || hi < 0;
  return { metric, delta: round6(delta), ci95: [lo, hi], beyond, method };
}

function show(x: number): string {
  return Number.isInteger(x) ? formatCount(x) : formatQuantity(x);
}

/** summary.md of a multi-seed run: one table, metric × (mean, 95% interval, per-seed values), then thresholds. */
export function renderSeedsMarkdown(summary: MultiSeedSummary, seedFolders: readonly string[]): string {
  const agg = summary.seeds;
  const n = agg.seeds.length;
  const lines = [
    `# owsim: ${summary.scenario} (${n} seed${n === 1 ? '' : 's'}: ${agg.seeds.join(', ')})`,
    '',
    `Each metric's mean over the seeds, with a 95% confidence interval for the mean (Student t, ${n - 1} degrees of ` +
      "freedom, clipped to the metric's range: counts, times and rates are never below 0, shares never above 1). " +
      'Every seed draws its own workload; a comparison against another multi-seed run on the same seeds ' +
      'pairs them seed by seed (common random numbers), see docs/ci.md.',
    '',
    markdownTable(
      ['metric', 'mean', '95% interval', 'per seed'],
      Object.entries(agg.metrics).map(([metric, m]) => [
        metric,
        show(m.mean),
        `${show(m.ci95[0])} – ${show(m.ci95[1])}`,
        m.values.map(show).join(', '),
      ]),
      ['left', 'right', 'right', 'left'],
    ),
  ];
  const verdicts: ThresholdVerdict[] = summary.thresholds ?? [];
  if (verdicts.length > 0) {
    lines.push(
      '',
      '## Thresholds (judged on the means)',
      '',
      markdownTable(
        ['metric', 'condition', 'mean', 'result'],
        verdicts.map((t) => [t.metric, t.expression, t.actual === null ? 'missing' : show(t.actual), t.ok ? 'ok' : 'FAILED']),
        ['left', 'left', 'right', 'left'],
      ),
    );
  }
  if (seedFolders.length > 0) {
    lines.push('', '## Per-seed reports', '', ...seedFolders.map((f, i) => `- seed ${agg.seeds[i]}: \`${f}\``));
  }
  return `${lines.join('\n')}\n`;
}

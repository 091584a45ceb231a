/**
 * Distributions in scenario files, converted to `DistributionSpec` in base units (milliseconds for durations,
 * bytes for sizes).
 *
 * Forms (every quantity takes the field's unit; `shape`, `weight`, `mu` and `sigma` are plain numbers):
 *   250ms                                          constant (a bare value)
 *   { dist: constant, value: 250ms }
 *   { dist: exponential, mean: 100ms }
 *   { dist: uniform, min: 10ms, max: 50ms }
 *   { dist: normal, mean: 100ms, stddev: 20ms }
 *   { dist: lognormal, median: 50ms, p99: 400ms }  via lognormalFromMedianP99
 *   { dist: lognormal, mu: 3.9, sigma: 0.9 }       mu and sigma of ln(value in ms), or ln(bytes) for sizes
 *   { dist: pareto, scale: 10ms, shape: 1.5 }
 *   { dist: empirical, quantiles: { p0: 1ms, p50: 20ms, p99: 300ms, p100: 2s } }   any pNN keys; p0 and p100 required
 *   { dist: mixture, of: [{ weight: 9, dist: ..., ... }, { weight: 1, ... }] }
 *
 * Written by hand rather than as a zod union: the forms are told apart by `dist`, and a union's error for a
 * typo would list every branch. The checker collects every problem it finds (unknown keys with a suggestion,
 * missing fields, p99 below the median, min above max, decreasing quantiles) with paths relative to the
 * distribution; `distribution()` wraps it as a zod schema whose issues carry those paths.
 */
import { z } from 'zod';
import { lognormalFromMedianP99, type DistributionSpec } from '../sim/distributions.js';
import { checkDurationMs, checkNumber, checkSizeBytes, durationJson, leafJsonSchemas, sizeJson, type JsonSchema, type LeafResult } from './leaves.js';
import type { PathSegment } from './problems.js';
import { didYouMean } from './suggest.js';
import { formatDuration, formatSize } from './units.js';

/** Marks a schema whose value may be a mapping checked by its own code (for `--set` path walking). */
export const OPEN_VALUE = { owsimOpenValue: true } as const;

export type QuantityKind = 'duration' | 'size';

export interface DistributionIssue {
  path: PathSegment[];
  message: string;
  expected: string;
  got?: string;
}

export const DISTRIBUTION_FORMS = ['constant', 'exponential', 'uniform', 'normal', 'lognormal', 'pareto', 'empirical', 'mixture'] as const;
type Form = (typeof DISTRIBUTION_FORMS)[number];

const FORM_KEYS: Record<Form, readonly string[]> = {
  constant: ['value'],
  exponential: ['mean'],
  uniform: ['min', 'max'],
  normal: ['mean', 'stddev'],
  lognormal: ['median', 'p99', 'mu', 'sigma'],
  pareto: ['scale', 'shape'],
  empirical: ['quantiles'],
  mixture: ['of'],
};

const QUANTILE_KEY = /^p(\d{1,3}(?:\.\d+)?)$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Checker {
  readonly issues: DistributionIssue[] = [];
  private readonly check: (v: unknown) => LeafResult<number>;
  private readonly show: (n: number) => string;
  private readonly unitExample: string;

  constructor(readonly kind: QuantityKind) {
    this.check = kind === 'duration' ? checkDurationMs() : checkSizeBytes();
    this.show = kind === 'duration' ? formatDuration : formatSize;
    this.unitExample = kind === 'duration' ? 'a duration like 50ms' : 'a size like 16KB';
  }

  private report(path: PathSegment[], message: string, expected: string, got?: string): undefined {
    const issue: DistributionIssue = { path, message, expected };
    if (got !== undefined) issue.got = got;
    this.issues.push(issue);
    return undefined;
  }

  /** A quantity field; `positive` refuses zero. */
  private quantity(obj: Record<string, unknown>, key: string, path: PathSegment[], positive = false): number | undefined {
    const v = obj[key];
    if (v === undefined) return this.report([...path, key], 'missing required field', this.unitExample);
    const r = this.check(v);
    if (!r.ok) return this.report([...path, key], r.message, r.expected);
    if (positive && r.value === 0) return this.report([...path, key], `${key} must be greater than zero`, `${this.unitExample}, greater than zero`);
    return r.value;
  }

  private plain(obj: Record<string, unknown>, key: string, path: PathSegment[], opts: Parameters<typeof checkNumber>[0]): number | undefined {
    const v = obj[key];
    if (v === undefined) return this.report([...path, key], 'missing required field', 'a plain number');
    const r = checkNumber(opts)(v);
    if (!r.ok) return this.report([...path, key], r.message, r.expected);
    return r.value;
  }

  parse(value: unknown, path: PathSegment[], extraKeys: readonly string[] = []): DistributionSpec | undefined {
    if (!isPlainObject(value)) {
      if (Array.isArray(value)) {
        return this.report(path, 'a list is not a distribution', `${this.unitExample}, or { dist: ..., ... }`);
      }
      const r = this.check(value);
      if (!r.ok) return this.report(path, r.message, `${r.expected}, or a distribution { dist: ..., ... }`);
      return { dist: 'constant', value: r.value };
    }
    const dist = value['dist'];
    const forms = DISTRIBUTION_FORMS.join(', ');
    if (dist === undefined) return this.report([...path, 'dist'], 'a distribution needs `dist`', `one of ${forms}`);
    if (typeof dist !== 'string' || !(DISTRIBUTION_FORMS as readonly string[]).includes(dist)) {
      return this.report([...path, 'dist'], `unknown distribution \`${String(dist)}\`${didYouMean(String(dist), DISTRIBUTION_FORMS)}`, `one of ${forms}`);
    }
    const form = dist as Form;
    const allowed = ['dist', ...FORM_KEYS[form], ...extraKeys];
    let unknownKey = false;
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      unknownKey = true;
      this.report([...path, key], `unknown key \`${key}\` for a ${form} distribution${didYouMean(key, allowed)}`, `keys: ${allowed.join(', ')}`, key);
    }
    const spec = this.parseForm(form, value, path);
    return unknownKey ? undefined : spec;
  }

  private parseForm(form: Form, v: Record<string, unknown>, path: PathSegment[]): DistributionSpec | undefined {
    switch (form) {
      case 'constant': {
        const value = this.quantity(v, 'value', path);
        return value === undefined ? undefined : { dist: 'constant', value };
      }
      case 'exponential': {
        const mean = this.quantity(v, 'mean', path);
        return mean === undefined ? undefined : { dist: 'exponential', mean };
      }
      case 'uniform': {
        const min = this.quantity(v, 'min', path);
        const max = this.quantity(v, 'max', path);
        if (min === undefined || max === undefined) return undefined;
        if (min > max) return this.report([...path, 'max'], `max (${this.show(max)}) is below min (${this.show(min)})`, 'max ≥ min', String(v['max']));
        return { dist: 'uniform', min, max };
      }
      case 'normal': {
        const mean = this.quantity(v, 'mean', path);
        const stddev = this.quantity(v, 'stddev', path);
        if (mean === undefined || stddev === undefined) return undefined;
        return { dist: 'normal', mean, stddev };
      }
      case 'lognormal':
        return this.lognormal(v, path);
      case 'pareto': {
        const scale = this.quantity(v, 'scale', path, true);
        const shape = this.plain(v, 'shape', path, { positive: true, what: 'a plain number (the tail index)' });
        if (scale === undefined || shape === undefined) return undefined;
        return { dist: 'pareto', scale, shape };
      }
      case 'empirical':
        return this.empirical(v, path);
      case 'mixture':
        return this.mixture(v, path);
    }
  }

  private lognormal(v: Record<string, unknown>, path: PathSegment[]): DistributionSpec | undefined {
    const byQuantiles = 'median' in v || 'p99' in v;
    const byParameters = 'mu' in v || 'sigma' in v;
    if (byQuantiles && byParameters) {
      return this.report(path, 'a lognormal takes either median and p99, or mu and sigma, not both', '{ median, p99 } or { mu, sigma }');
    }
    if (byParameters) {
      const mu = this.plain(v, 'mu', path, { what: `a plain number (mean of ln(${this.kind === 'duration' ? 'ms' : 'bytes'}))` });
      const sigma = this.plain(v, 'sigma', path, { min: 0, what: 'a plain number' });
      if (mu === undefined || sigma === undefined) return undefined;
      return { dist: 'lognormal', mu, sigma };
    }
    const median = this.quantity(v, 'median', path, true);
    const p99 = this.quantity(v, 'p99', path, true);
    if (median === undefined || p99 === undefined) return undefined;
    if (p99 < median) {
      return this.report([...path, 'p99'], `p99 (${this.show(p99)}) is below the median (${this.show(median)})`, 'p99 ≥ median', String(v['p99']));
    }
    return lognormalFromMedianP99(median, p99);
  }

  private empirical(v: Record<string, unknown>, path: PathSegment[]): DistributionSpec | undefined {
    const quantiles = v['quantiles'];
    const qPath = [...path, 'quantiles'];
    const expected = `quantiles like { p0: ${this.kind === 'duration' ? '1ms, p50: 20ms, p100: 2s' : '1KB, p50: 16KB, p100: 1MB'} }`;
    if (quantiles === undefined) return this.report(qPath, 'missing required field', expected);
    if (!isPlainObject(quantiles)) return this.report(qPath, 'quantiles must be a mapping of pNN keys to values', expected);
    const points: { p: number; key: string; value: number }[] = [];
    let ok = true;
    for (const [key, raw] of Object.entries(quantiles)) {
      const m = QUANTILE_KEY.exec(key);
      const pct = m ? Number(m[1]) : NaN;
      if (!m || pct > 100) {
        ok = false;
        this.report([...qPath, key], `\`${key}\` is not a quantile key`, 'keys p0 to p100, like p50, p90, p99.9', key);
        continue;
      }
      const r = this.check(raw);
      if (!r.ok) {
        ok = false;
        this.report([...qPath, key], r.message, r.expected);
        continue;
      }
      // Rounded so p99.9 is exactly 0.999 rather than 0.9990000000000001.
      const p = Math.round(pct * 1e6) / 1e8;
      if (points.some((q) => q.p === p)) {
        ok = false;
        this.report([...qPath, key], `quantile ${key} is given twice`, 'each quantile once', key);
        continue;
      }
      points.push({ p, key, value: r.value });
    }
    for (const required of ['p0', 'p100']) {
      if (!points.some((q) => q.p === (required === 'p0' ? 0 : 1)) && !(required in quantiles)) {
        ok = false;
        this.report([...qPath, required], `missing ${required}: the quantiles must span p0 to p100`, expected);
      }
    }
    if (!ok) return undefined;
    points.sort((a, b) => a.p - b.p);
    for (let i = 1; i < points.length; i++) {
      const lower = points[i - 1]!;
      const q = points[i]!;
      if (q.value < lower.value) {
        this.report([...qPath, q.key], `${q.key} (${this.show(q.value)}) is below ${lower.key} (${this.show(lower.value)})`, 'values that do not decrease from p0 to p100', String(quantiles[q.key]));
        ok = false;
      }
    }
    return ok ? { dist: 'empirical', points: points.map((q) => ({ p: q.p, value: q.value })) } : undefined;
  }

  private mixture(v: Record<string, unknown>, path: PathSegment[]): DistributionSpec | undefined {
    const of = v['of'];
    const ofPath = [...path, 'of'];
    const expected = 'a list of components like { weight: 0.9, dist: lognormal, median: 50ms, p99: 400ms }';
    if (!Array.isArray(of) || of.length === 0) return this.report(ofPath, of === undefined ? 'missing required field' : 'a mixture needs a non-empty list of components', expected);
    const parts: { weight: number; spec: DistributionSpec }[] = [];
    let ok = true;
    of.forEach((component, i) => {
      const itemPath = [...ofPath, i];
      if (!isPlainObject(component)) {
        ok = false;
        this.report(itemPath, 'a mixture component must be a mapping with weight and dist', expected);
        return;
      }
      const weight = this.plain(component, 'weight', itemPath, { positive: true, what: 'a plain number (relative weight)' });
      const spec = this.parse(component, itemPath, ['weight']);
      if (weight === undefined || spec === undefined) ok = false;
      else parts.push({ weight, spec });
    });
    return ok ? { dist: 'mixture', of: parts } : undefined;
  }
}

/** Check a distribution as written in a file; issues go to `issues` with paths relative to the value. */
export function parseDistribution(value: unknown, kind: QuantityKind, issues: DistributionIssue[]): DistributionSpec | undefined {
  const checker = new Checker(kind);
  const spec = checker.parse(value, []);
  issues.push(...checker.issues);
  return checker.issues.length === 0 ? spec : undefined;
}

/** The zod schema of a distribution field (a duration distribution in ms, or a size distribution in bytes). */
/** The forms above as JSON Schema, for editors (leafJsonSchemas); the checker stays the authority. */
export function distributionJson(kind: QuantityKind): JsonSchema {
  const q = kind === 'duration' ? durationJson : sizeJson;
  const n = { type: 'number' };
  const properties = { dist: { enum: [...DISTRIBUTION_FORMS] }, value: q, mean: q, min: q, max: q, stddev: q, median: q, p99: q, mu: n, sigma: n, scale: q, shape: n };
  return {
    anyOf: [
      q,
      {
        type: 'object',
        required: ['dist'],
        additionalProperties: false,
        properties: {
          ...properties,
          quantiles: { type: 'object', propertyNames: { pattern: QUANTILE_KEY.source }, additionalProperties: q },
          of: { type: 'array', minItems: 1, items: { type: 'object', required: ['weight', 'dist'], properties: { weight: n, dist: properties.dist } } },
        },
      },
    ],
  };
}

export function distribution(kind: QuantityKind) {
  const schema = z.unknown().transform((value, ctx): DistributionSpec => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'missing required field', params: { expected: `a ${kind} or a distribution` } });
      return z.NEVER;
    }
    const issues: DistributionIssue[] = [];
    const spec = parseDistribution(value, kind, issues);
    for (const issue of issues) {
      const params: Record<string, string> = { expected: issue.expected };
      if (issue.got !== undefined) params['got'] = issue.got;
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params });
    }
    return spec ?? z.NEVER;
  }).meta(OPEN_VALUE);
  leafJsonSchemas.set(schema, { ...distributionJson(kind), description: `a ${kind} with a unit, or a distribution { dist: ${DISTRIBUTION_FORMS.join(' | ')}, ... }` });
  return schema;
}

/**
 * Arrival processes of an action, converted to `ArrivalSpec` (rates per second, times in ms):
 *   100/s                                                  Poisson at 100 per second (shorthand)
 *   { process: poisson, rate: 100/s }
 *   { process: constant, rate: 100/s }                     evenly spaced
 *   { process: piecewise, steps: [{ at: 0s, rate: 10/s }, { at: 1m, rate: 200/s }] }
 *                                                          Poisson whose rate holds from each `at` to the next;
 *                                                          the first step is at 0s and `at` increases
 *   { process: burst, rate: 10/s, burstRate: 500/s, at: 30s, for: 10s }
 *                                                          Poisson at `rate`, `burstRate` inside [at, at + for)
 *   { process: renewal, rate: 100/s, cv: 3 }               gaps of mean 1/rate and coefficient of variation cv
 *   { process: stages, startRate: 0/s, stages: [{ for: 2m, to: 500/s }, ...], cv: 1 }
 *                                                          k6's ramping arrival rate (linear ramps)
 *   { process: diurnal, mean: 300/s, amplitude: 0.6, period: 24h, peakAt: 14h, cv: 1 }
 *   { process: mmpp, rates: [20/s, 400/s], meanDurations: [50s, 5s] }
 * Hand-written for the same reason as distributions: the form is chosen by `process`.
 */
import { z } from 'zod';
import type { ArrivalSpec } from './types.js';
import { checkDurationMs, checkNumber, checkRatePerSec, durationJson, leafJsonSchemas, rateJson, type LeafResult } from './leaves.js';
import { OPEN_VALUE, type DistributionIssue } from './distributionSchema.js';
import type { PathSegment } from './problems.js';
import { didYouMean } from './suggest.js';
import { scenarioDefaults } from './defaults.js';

export const ARRIVAL_PROCESSES = ['poisson', 'constant', 'piecewise', 'burst', 'renewal', 'stages', 'diurnal', 'mmpp'] as const;
type Process = (typeof ARRIVAL_PROCESSES)[number];

const PROCESS_KEYS: Record<Process, readonly string[]> = {
  poisson: ['rate'],
  constant: ['rate'],
  piecewise: ['steps'],
  burst: ['rate', 'burstRate', 'at', 'for'],
  renewal: ['rate', 'cv'],
  stages: ['startRate', 'stages', 'cv'],
  diurnal: ['mean', 'amplitude', 'period', 'peakAt', 'cv'],
  mmpp: ['rates', 'meanDurations'],
};

/** Defaults of the optional keys (docs/scenarios.md#arrivals lists the same). */
const ARRIVAL_DEFAULTS = scenarioDefaults.arrivals;
/** The largest inter-arrival CV owsim accepts (beyond it a hyperexponential is one huge gap among tiny ones). */
export const MAX_CV = 100;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseArrivals(value: unknown, issues: DistributionIssue[]): ArrivalSpec | undefined {
  const report = (path: PathSegment[], message: string, expected: string, got?: string): undefined => {
    issues.push(got === undefined ? { path, message, expected } : { path, message, expected, got });
    return undefined;
  };
  const field = (obj: Record<string, unknown>, key: string, path: PathSegment[], check: (v: unknown) => LeafResult<number>, example: string): number | undefined => {
    const v = obj[key];
    if (v === undefined) return report([...path, key], 'missing required field', example);
    const r = check(v);
    return r.ok ? r.value : report([...path, key], r.message, r.expected);
  };
  /** A key with a default, written as a file would write it (so the default goes through the same check). */
  const optional = (obj: Record<string, unknown>, key: string, check: (v: unknown) => LeafResult<number>, fallback: unknown): number | undefined => {
    const r = check(obj[key] === undefined ? fallback : obj[key]);
    return r.ok ? r.value : report([key], r.message, r.expected);
  };
  const cvCheck = checkNumber({ min: 0, max: MAX_CV, what: 'a coefficient of variation' });
  const positiveRate = checkRatePerSec({ allowZero: false });
  const anyRate = checkRatePerSec();
  const time = checkDurationMs();

  if (!isPlainObject(value)) {
    const r = positiveRate(value);
    return r.ok ? { process: 'poisson', ratePerSec: r.value } : report([], r.message, `${r.expected}, or { process: ${ARRIVAL_PROCESSES.join(' | ')}, ... }`);
  }
  const process = value['process'];
  const names = ARRIVAL_PROCESSES.join(', ');
  if (process === undefined) return report(['process'], 'arrivals need `process`', `one of ${names}`);
  if (typeof process !== 'string' || !(ARRIVAL_PROCESSES as readonly string[]).includes(process)) {
    return report(['process'], `unknown arrival process \`${String(process)}\`${didYouMean(String(process), ARRIVAL_PROCESSES)}`, `one of ${names}`);
  }
  const form = process as Process;
  const allowed = ['process', ...PROCESS_KEYS[form]];
  const before = issues.length;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report([key], `unknown key \`${key}\` for ${form} arrivals${didYouMean(key, allowed)}`, `keys: ${allowed.join(', ')}`, key);
  }
  let spec: ArrivalSpec | undefined;
  switch (form) {
    case 'poisson':
    case 'constant': {
      const rate = field(value, 'rate', [], positiveRate, 'a rate like 100/s');
      if (rate !== undefined) spec = { process: form, ratePerSec: rate };
      break;
    }
    case 'burst': {
      const rate = field(value, 'rate', [], anyRate, 'a rate like 10/s');
      const burstRate = field(value, 'burstRate', [], anyRate, 'a rate like 500/s');
      const at = field(value, 'at', [], time, 'a duration like 30s');
      const forMs = field(value, 'for', [], checkDurationMs({ allowZero: false }), 'a duration like 10s');
      if (rate !== undefined && burstRate !== undefined && at !== undefined && forMs !== undefined) {
        spec = { process: 'burst', ratePerSec: rate, burstRatePerSec: burstRate, atMs: at, forMs };
      }
      break;
    }
    case 'renewal': {
      const rate = field(value, 'rate', [], positiveRate, 'a rate like 100/s');
      const cv = optional(value, 'cv', cvCheck, ARRIVAL_DEFAULTS.cv);
      if (rate !== undefined && cv !== undefined) spec = { process: 'renewal', ratePerSec: rate, cv };
      break;
    }
    case 'diurnal': {
      const mean = field(value, 'mean', [], positiveRate, 'a rate like 300/s');
      const amplitude = field(value, 'amplitude', [], checkNumber({ min: 0, max: 1, what: 'a fraction' }), 'a fraction like 0.6');
      const period = optional(value, 'period', checkDurationMs({ allowZero: false }), ARRIVAL_DEFAULTS.period);
      const peakAt = optional(value, 'peakAt', time, ARRIVAL_DEFAULTS.peakAt);
      const cv = optional(value, 'cv', cvCheck, ARRIVAL_DEFAULTS.cv);
      if (mean !== undefined && amplitude !== undefined && period !== undefined && peakAt !== undefined && cv !== undefined) {
        spec = { process: 'diurnal', meanPerSec: mean, amplitude, periodMs: period, peakAtMs: peakAt, cv };
      }
      break;
    }
    case 'mmpp': {
      const pair = (key: string, check: (v: unknown) => LeafResult<number>, example: string): [number, number] | undefined => {
        const list = value[key];
        if (!Array.isArray(list) || list.length !== 2) {
          return report([key], list === undefined ? 'missing required field' : 'mmpp needs exactly two values, one per state', example);
        }
        const values = list.map((v: unknown, i: number) => {
          const r = check(v);
          return r.ok ? r.value : report([key, i], r.message, r.expected);
        });
        return values[0] !== undefined && values[1] !== undefined ? [values[0], values[1]] : undefined;
      };
      const rates = pair('rates', anyRate, 'two rates like [20/s, 400/s]');
      const durations = pair('meanDurations', checkDurationMs({ allowZero: false }), 'two durations like [50s, 5s]');
      if (rates !== undefined && rates[0] === 0 && rates[1] === 0) report(['rates'], 'both rates are 0: the action would never be invoked', 'at least one rate above zero');
      else if (rates !== undefined && durations !== undefined) spec = { process: 'mmpp', ratesPerSec: rates, meanDurationsMs: durations };
      break;
    }
    case 'stages': {
      const startRate = optional(value, 'startRate', anyRate, ARRIVAL_DEFAULTS.startRate);
      const cv = optional(value, 'cv', cvCheck, ARRIVAL_DEFAULTS.cv);
      const stages = value['stages'];
      const example = 'a list like [{ for: 2m, to: 500/s }, { for: 1m, to: 0/s }]';
      if (!Array.isArray(stages) || stages.length === 0) {
        report(['stages'], stages === undefined ? 'missing required field' : 'stages arrivals need a non-empty list of stages', example);
        break;
      }
      const parsed: { forMs: number; toPerSec: number }[] = [];
      stages.forEach((stage, i) => {
        if (!isPlainObject(stage)) return void report(['stages', i], 'a stage must be a mapping { for, to }', '{ for: 2m, to: 500/s }');
        for (const key of Object.keys(stage)) {
          if (key !== 'for' && key !== 'to') report(['stages', i, key], `unknown key \`${key}\` in a stage${didYouMean(key, ['for', 'to'])}`, 'keys: for, to', key);
        }
        const forMs = field(stage, 'for', ['stages', i], checkDurationMs({ allowZero: false }), 'a duration like 2m');
        const to = field(stage, 'to', ['stages', i], anyRate, 'a rate like 500/s');
        if (forMs !== undefined && to !== undefined) parsed.push({ forMs, toPerSec: to });
      });
      if (parsed.length === stages.length && startRate === 0 && parsed.every((s) => s.toPerSec === 0)) {
        report(['stages'], 'every stage has target 0/s and startRate is 0/s: the action would never be invoked', 'at least one stage with a target above zero');
      }
      if (startRate !== undefined && cv !== undefined) spec = { process: 'stages', startRatePerSec: startRate, stages: parsed, cv };
      break;
    }
    case 'piecewise': {
      const steps = value['steps'];
      const example = 'a list like [{ at: 0s, rate: 10/s }, { at: 1m, rate: 200/s }]';
      if (!Array.isArray(steps) || steps.length === 0) {
        report(['steps'], steps === undefined ? 'missing required field' : 'piecewise arrivals need a non-empty list of steps', example);
        break;
      }
      const parsed: { atMs: number; ratePerSec: number }[] = [];
      steps.forEach((step, i) => {
        if (!isPlainObject(step)) return void report(['steps', i], 'a step must be a mapping { at, rate }', '{ at: 1m, rate: 200/s }');
        for (const key of Object.keys(step)) {
          if (key !== 'at' && key !== 'rate') report(['steps', i, key], `unknown key \`${key}\` in a step${didYouMean(key, ['at', 'rate'])}`, 'keys: at, rate', key);
        }
        const at = field(step, 'at', ['steps', i], time, 'a duration like 1m');
        const rate = field(step, 'rate', ['steps', i], anyRate, 'a rate like 200/s');
        if (at === undefined || rate === undefined) return;
        if (i === 0 && at !== 0) report(['steps', 0, 'at'], 'the first step must start at 0s', '0s', String(step['at']));
        const previous = parsed[parsed.length - 1];
        if (previous && at <= previous.atMs) report(['steps', i, 'at'], 'steps must be in increasing order of `at`', 'a time after the previous step', String(step['at']));
        parsed.push({ atMs: at, ratePerSec: rate });
      });
      if (parsed.length === steps.length && parsed.every((s) => s.ratePerSec === 0)) {
        report(['steps'], 'every step has rate 0: the action would never be invoked', 'at least one step with a rate above zero');
      }
      spec = { process: 'piecewise', steps: parsed };
      break;
    }
  }
  return issues.length === before ? spec : undefined;
}

/** The zod schema of an action's `arrivals`. */
export function arrivals() {
  const schema = z.unknown().transform((value, ctx): ArrivalSpec => {
    const issues: DistributionIssue[] = [];
    const spec = parseArrivals(value, issues);
    for (const issue of issues) {
      const params: Record<string, string> = { expected: issue.expected };
      if (issue.got !== undefined) params['got'] = issue.got;
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params });
    }
    return spec ?? z.NEVER;
  }).meta(OPEN_VALUE);
  leafJsonSchemas.set(schema, {
    description: `a rate like 100/s (Poisson), or { process: ${ARRIVAL_PROCESSES.join(' | ')}, ... }`,
    anyOf: [
      rateJson,
      {
        type: 'object',
        required: ['process'],
        additionalProperties: false,
        properties: {
          process: { enum: [...ARRIVAL_PROCESSES] },
          rate: rateJson,
          burstRate: rateJson,
          at: durationJson,
          for: durationJson,
          steps: { type: 'array', minItems: 1, items: { type: 'object', required: ['at', 'rate'], additionalProperties: false, properties: { at: durationJson, rate: rateJson } } },
          cv: { type: 'number', minimum: 0, maximum: MAX_CV },
          startRate: rateJson,
          stages: { type: 'array', minItems: 1, items: { type: 'object', required: ['for', 'to'], additionalProperties: false, properties: { for: durationJson, to: rateJson } } },
          mean: rateJson,
          amplitude: { type: 'number', minimum: 0, maximum: 1 },
          period: durationJson,
          peakAt: durationJson,
          rates: { type: 'array', minItems: 2, maxItems: 2, items: rateJson },
          meanDurations: { type: 'array', minItems: 2, maxItems: 2, items: durationJson },
        },
      },
    ],
  });
  return schema;
}

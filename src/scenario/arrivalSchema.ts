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
 * Hand-written for the same reason as distributions: the form is chosen by `process`.
 */
import { z } from 'zod';
import type { ArrivalSpec } from './types.js';
import { checkDurationMs, checkRatePerSec, durationJson, leafJsonSchemas, rateJson, type LeafResult } from './leaves.js';
import { OPEN_VALUE, type DistributionIssue } from './distributionSchema.js';
import type { PathSegment } from './problems.js';
import { didYouMean } from './suggest.js';

export const ARRIVAL_PROCESSES = ['poisson', 'constant', 'piecewise', 'burst'] as const;
type Process = (typeof ARRIVAL_PROCESSES)[number];

const PROCESS_KEYS: Record<Process, readonly string[]> = {
  poisson: ['rate'],
  constant: ['rate'],
  piecewise: ['steps'],
  burst: ['rate', 'burstRate', 'at', 'for'],
};

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
  const positiveRate = checkRatePerSec({ allowZero: false });
  const anyRate = checkRatePerSec();
  const time = checkDurationMs();

  if (!isPlainObject(value)) {
    const r = positiveRate(value);
    return r.ok ? { process: 'poisson', ratePerSec: r.value } : report([], r.message, `${r.expected}, or { process: poisson | constant | piecewise | burst, ... }`);
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
        },
      },
    ],
  });
  return schema;
}

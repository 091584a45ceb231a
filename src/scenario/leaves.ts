/**
 * Zod leaf schemas for scenario fields: quantities with units, counts, fractions, enums, flags, names. Each
 * leaf accepts `unknown` and does its own checking so that every message is ours (what was wrong and what was
 * expected, in words a scenario author understands) rather than zod's generic ones. A failed leaf reports a
 * `custom` issue whose `params.expected` the loader turns into the problem's "expected" line.
 */
import { z } from 'zod';
import { didYouMean } from './suggest.js';
import { DURATION_EXPECTED, formatDuration, formatSize, parseDuration, parseRate, parseSize, RATE_EXPECTED, SIZE_EXPECTED, type UnitResult } from './units.js';

export type LeafResult<T> = { ok: true; value: T } | { ok: false; message: string; expected: string };

export function fail(message: string, expected: string): { ok: false; message: string; expected: string } {
  return { ok: false, message, expected };
}

/** A JSON Schema fragment (for editors: `owsim schema`, src/scenario/jsonSchema.ts). */
export type JsonSchema = Record<string, unknown>;

/**
 * What each leaf accepts, as JSON Schema, keyed by the leaf's zod schema. The leaves check values with their
 * own code, so zod cannot derive this; a leaf without an entry is open (`{}`), never stricter than the loader.
 */
export const leafJsonSchemas = new WeakMap<object, JsonSchema>();

/** A zod schema from a check function; `undefined` (a missing required field) is reported uniformly. */
export function leaf<T>(check: (value: unknown) => LeafResult<T>, expectedWhenMissing: string, json?: JsonSchema) {
  const schema = z.unknown().transform((value, ctx): T => {
    const result: LeafResult<T> =
      value === undefined ? fail('missing required field', expectedWhenMissing) : check(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, params: { expected: result.expected } });
    return z.NEVER;
  });
  leafJsonSchemas.set(schema, { ...(json ?? {}), description: expectedWhenMissing });
  return schema;
}

const NUMBER_RE = '(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
/** Non-negative quantities as the unit parsers read them (units.ts); a sign or range is the leaf's to check. */
export const DURATION_PATTERN = `^\\s*\\+?\\s*(?:${NUMBER_RE}\\s*(?:min|sec|ms|us|µs|s|m|h|d)\\s*)+$`;
export const SIZE_PATTERN = `^\\s*\\+?\\s*${NUMBER_RE}\\s*(?:[bB]|[kKmMgGtT][iI]?[bB])\\s*$`;
export const RATE_PATTERN = `^\\s*\\+?\\s*${NUMBER_RE}\\s*/\\s*(?:[mM][sS]|[sS]|[sS][eE][cC]|[mM]|[mM][iI][nN]|[hH]|[hH][rR]|[dD])\\s*$`;
export const durationJson: JsonSchema = { type: 'string', pattern: DURATION_PATTERN };
export const sizeJson: JsonSchema = { type: 'string', pattern: SIZE_PATTERN };
export const rateJson: JsonSchema = { type: 'string', pattern: RATE_PATTERN };

export interface RangeOptions {
  /** Zero allowed (default) or not. */
  allowZero?: boolean;
  /** Inclusive upper bound, with a reason for the message. */
  max?: number;
  maxReason?: string;
}

function rangeCheck(value: number, shown: string, expected: string, opts: RangeOptions, show: (n: number) => string): LeafResult<number> {
  if (!Number.isFinite(value)) return fail(`${shown} is not finite`, expected);
  if (value < 0) return fail(`${shown} must not be negative`, expected);
  if (value === 0 && opts.allowZero === false) return fail(`${shown} must be greater than zero`, `${expected}, greater than zero`);
  if (opts.max !== undefined && value > opts.max) {
    return fail(`${shown} is too large${opts.maxReason ? ` (${opts.maxReason})` : ''}`, `at most ${show(opts.max)}`);
  }
  return { ok: true, value };
}

function quantity(parse: (v: unknown) => UnitResult, expected: string, show: (n: number) => string, opts: RangeOptions): (v: unknown) => LeafResult<number> {
  return (v) => {
    const r = parse(v);
    if (!r.ok) return fail(r.message, r.expected);
    return rangeCheck(r.value, String(v), expected, opts, show);
  };
}

export const checkDurationMs = (opts: RangeOptions = {}) => quantity(parseDuration, DURATION_EXPECTED, formatDuration, opts);
export const checkSizeBytes = (opts: RangeOptions = {}) => quantity(parseSize, SIZE_EXPECTED, formatSize, opts);
export const checkRatePerSec = (opts: RangeOptions = {}) => quantity(parseRate, RATE_EXPECTED, (n) => `${n}/s`, opts);

/** A duration in milliseconds. */
export function durationMs(opts: RangeOptions = {}) {
  return leaf(checkDurationMs(opts), 'a duration with a unit like 250ms', durationJson);
}

/** A memory size in whole megabytes (OpenWhisk memory settings are whole MB). */
export function sizeMb(opts: RangeOptions = {}) {
  const bytes = checkSizeBytes(opts);
  return leaf((v): LeafResult<number> => {
    const r = bytes(v);
    if (!r.ok) return r;
    const mb = r.value / 1024 ** 2;
    if (!Number.isInteger(mb)) return fail(`${String(v)} is not a whole number of megabytes`, 'a whole number of MB, like 128MB or 2GB');
    return { ok: true, value: mb };
  }, 'a size with a unit like 256MB', sizeJson);
}

/** A rate in events per second. */
export function ratePerSec(opts: RangeOptions = {}) {
  return leaf(checkRatePerSec(opts), 'a rate with a unit like 100/s', rateJson);
}

/** A plain integer in [min, max]. */
export function checkInteger(min: number, max: number, maxReason?: string): (v: unknown) => LeafResult<number> {
  const expected = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  return (v) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return fail('not a whole number', expected);
    if (v < min) return fail(`must be at least ${min}`, expected);
    if (v > max) return fail(`${v} is too large${maxReason ? ` (${maxReason})` : ''}`, `at most ${max}`);
    return { ok: true, value: v };
  };
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER, maxReason?: string) {
  return leaf(checkInteger(min, max, maxReason), 'a whole number', {
    type: 'integer',
    minimum: min,
    ...(max !== Number.MAX_SAFE_INTEGER ? { maximum: max } : {}),
  });
}

/** A plain (dimensionless) number; `positive` refuses zero. */
export function checkNumber(opts: { min?: number; max?: number; positive?: boolean; what?: string }): (v: unknown) => LeafResult<number> {
  const lo = opts.positive ? 'greater than 0' : opts.min !== undefined ? `≥ ${opts.min}` : '';
  const hi = opts.max !== undefined ? `≤ ${opts.max}` : '';
  const expected = `${opts.what ?? 'a number'}${lo || hi ? ' ' : ''}${[lo, hi].filter(Boolean).join(' and ')}`;
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail('not a number', expected);
    if (opts.positive && v <= 0) return fail('must be greater than zero', expected);
    if (opts.min !== undefined && v < opts.min) return fail(`must be at least ${opts.min}`, expected);
    if (opts.max !== undefined && v > opts.max) return fail(`must be at most ${opts.max}`, expected);
    return { ok: true, value: v };
  };
}

export function number(opts: { min?: number; max?: number; positive?: boolean; what?: string }) {
  return leaf(checkNumber(opts), 'a number', {
    type: 'number',
    ...(opts.positive ? { exclusiveMinimum: 0 } : opts.min !== undefined ? { minimum: opts.min } : {}),
    ...(opts.max !== undefined ? { maximum: opts.max } : {}),
  });
}

/** A probability or fraction in [0, 1]. */
export function fraction() {
  return number({ min: 0, max: 1, what: 'a fraction' });
}

/** One of a fixed set of names. Numbers are compared as text so `healthRules: 2017` works unquoted. */
export function checkOneOf<T extends string>(values: readonly T[], note = ''): (v: unknown) => LeafResult<T> {
  const expected = `one of ${values.join(', ')}${note}`;
  return (v) => {
    const text = typeof v === 'number' ? String(v) : v;
    if (typeof text !== 'string') return fail('not a name', expected);
    if ((values as readonly string[]).includes(text)) return { ok: true, value: text as T };
    return fail(`unknown value \`${text}\`${didYouMean(text, values)}`, expected);
  };
}

export function oneOf<T extends string>(values: readonly T[], note = '') {
  // Numbers are read as text (`healthRules: 2017`), so a numeric name is also accepted as a number.
  const numeric = values.filter((v) => /^\d+$/.test(v)).map(Number);
  return leaf(checkOneOf(values, note), `one of ${values.join(', ')}`, { enum: [...values, ...numeric] });
}

export function bool() {
  return leaf((v): LeafResult<boolean> => (typeof v === 'boolean' ? { ok: true, value: v } : fail('not true or false', 'true or false')), 'true or false', { type: 'boolean' });
}

/** A string, optionally matching a pattern described in words. */
export function text(pattern?: RegExp, described = 'text') {
  return leaf((v): LeafResult<string> => {
    if (typeof v !== 'string') return fail('not text', described);
    if (pattern && !pattern.test(v)) return fail(`\`${v}\` is not a valid value here`, described);
    return { ok: true, value: v };
  }, described, { type: 'string', ...(pattern ? { pattern: pattern.source } : {}) });
}

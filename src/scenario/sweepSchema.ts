/**
 * The `sweep:` section: a grid of `--set` paths to lists of values, plus an optional `seeds: N`.
 *
 *   sweep:
 *     invokers.count: [4, 8, 16]
 *     workload.actions.0.arrivals.rate: [100/s, 200/s]
 *     seeds: 3
 *
 * Every key but `seeds` is an override path (as `--set` takes it) and its value a non-empty list of values, each
 * written as the file would write it (numbers, quantities with units, names, or flow mappings). `seeds` is a
 * whole number of seeds per point (default 1; seeds run from the scenario's seed upwards). Paths are checked
 * by `owsim sweep` when it expands the grid (each value is applied to the scenario and validated), not here.
 * Ignored by `owsim run`.
 */
import { z } from 'zod';
import { fail, leaf, type LeafResult } from './leaves.js';
import type { SweepConfig } from './types.js';
import { scenarioDefaults } from './defaults.js';

/** Most points a sweep grid may have (a typo guard). */
export const MAX_SWEEP_POINTS = 100_000;
export const MAX_SWEEP_SEEDS = 1000;
export const SWEEP_SEEDS_KEY = 'seeds';

type SweepValue = number | unknown[];

const sweepValue = leaf((v): LeafResult<SweepValue> => {
  if (typeof v === 'number') return { ok: true, value: v };
  if (!Array.isArray(v)) return fail('not a list of values', 'a list of values like [4, 8, 16] (or, for `seeds`, a whole number)');
  if (v.length === 0) return fail('the list is empty', 'at least one value');
  for (const item of v) {
    if (item === null || item === undefined || Array.isArray(item)) return fail('a value in the list is empty or a list', 'numbers, quantities, names or mappings');
  }
  return { ok: true, value: v };
}, 'a list of values');

export const sweepSchema = z.record(z.string(), sweepValue).superRefine((record, ctx) => {
  let points = 1;
  for (const [key, value] of Object.entries(record)) {
    if (key === SWEEP_SEEDS_KEY) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SWEEP_SEEDS) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'not a valid number of seeds', params: { expected: `a whole number from 1 to ${MAX_SWEEP_SEEDS}` } });
      }
      continue;
    }
    if (!Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'a swept path needs a list of values', params: { expected: 'a list like [4, 8, 16]' } });
      continue;
    }
    points *= value.length;
  }
  if (points > MAX_SWEEP_POINTS) {
    ctx.addIssue({ code: 'custom', message: `the grid has ${points} points`, params: { expected: `at most ${MAX_SWEEP_POINTS} points` } });
  }
});

/** One value as `--set` text: strings as written, numbers and booleans printed, mappings as JSON (YAML flow). */
export function overrideText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** File-shaped sweep → resolved (resolve.ts turns an absent one into null). */
export function resolveSweep(raw: Record<string, SweepValue>): SweepConfig {
  const parameters: SweepConfig['parameters'] = [];
  let seeds: number = scenarioDefaults.sweep.seeds;
  for (const [key, value] of Object.entries(raw)) {
    if (key === SWEEP_SEEDS_KEY && typeof value === 'number') seeds = value;
    else if (Array.isArray(value)) parameters.push({ path: key, values: value.map(overrideText) });
  }
  return { parameters, seeds };
}

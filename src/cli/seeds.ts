/**
 * The seed flags and what hangs on a seed, shared by `run`, `run --seeds`, `sweep`, `plan` and `fuzz`: parsing
 * `--seed` and `--seeds`, the list of seeds a run covers, a seed's folder name, the `owsim run … --seed S` line
 * that reproduces a run, and the default output folder named after the scenario.
 */
import { UsageError } from '../errors.js';

/** Largest seed accepted on the command line (seeds are unsigned 32-bit). */
export const MAX_SEED = 0xffffffff;

export function parseSeed(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new UsageError('--seed given more than once', { path: '--seed', got: raw.join(', ') });
  const text = String(raw).trim();
  const seed = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seed) || seed > MAX_SEED) {
    throw new UsageError('not a valid seed', { path: '--seed', expected: `an integer from 0 to ${MAX_SEED}`, got: text });
  }
  return seed;
}

/** Most seeds one `run --seeds` accepts (a typo guard). */
export const MAX_SEEDS = 1000;

export function parseSeedCount(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new UsageError('--seeds given more than once', { path: '--seeds', got: raw.join(', ') });
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_SEEDS) {
    throw new UsageError('not a valid number of seeds', { path: '--seeds', expected: `a whole number from 1 to ${MAX_SEEDS}`, got: text });
  }
  return n;
}

/** The seeds first, first+1, …; refuses to run past the largest seed. */
export function seedList(first: number, count: number): number[] {
  if (first + count - 1 > MAX_SEED) {
    throw new UsageError('the seeds run past the largest seed', { path: '--seeds', expected: `seeds up to ${MAX_SEED}`, got: `${first}..${first + count - 1}` });
  }
  return Array.from({ length: count }, (_, i) => first + i);
}

export function seedFolderName(seed: number): string {
  return `seed-${seed}`;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=,:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function reproduceCommand(file: string | undefined, seed: number, overrides: string[]): string {
  const words = ['owsim', 'run'];
  if (file !== undefined) words.push(file);
  words.push('--seed', String(seed));
  for (const o of overrides) words.push('--set', o);
  return words.map(shellQuote).join(' ');
}

/** A folder name made from a scenario name: anything but letters, digits, `.`, `_` and `-` becomes `-`. */
export function safeFolderName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return cleaned === '' ? 'scenario' : cleaned;
}

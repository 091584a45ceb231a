/**
 * Sharded sweeps: `owsim sweep --shard i/N` runs every N-th task (runSweep.ts `shardTasks`) and writes, next to
 * its partial sweep.csv, a manifest (shard.json) with what a merge needs and what it must check: the scenario's
 * name and a fingerprint of the resolved scenario (the command's `--set` included, the file path left out),
 * the parameters, points and seeds, the owsim version, the shard's place, and its results at full precision
 * (sweep.csv rounds to six decimals; the capacity charts are drawn from the exact values). No wall-clock time,
 * so re-running a shard gives the same bytes.
 *
 * `mergeShards` checks that the manifests describe one sweep, that every shard 1..N is there exactly once and
 * that together they hold every task once, then rebuilds the SweepOutcome a single run would have produced:
 * results in task order, so sweep.csv and the charts come out byte for byte the same.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import type { SweepPoint } from './grid.js';
import type { SweepOutcome } from './runSweep.js';
import type { SweepResult } from './runTask.js';

export const SHARD_MANIFEST_FILE = 'shard.json';
const FORMAT = 'owsim-sweep-shard';
const FORMAT_VERSION = 1;

export interface ShardSpec {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

/** Most shards `--shard` accepts (a typo guard, like MAX_WORKERS). */
export const MAX_SHARDS = 10_000;

/** `--shard i/N`: shard i (1..N) of N. */
export function parseShard(raw: unknown): ShardSpec | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new UsageError('--shard given more than once', { path: '--shard', got: raw.join(', ') });
  const text = String(raw).trim();
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new UsageError('not a valid shard', {
      path: '--shard',
      expected: `i/N with N from 1 to ${MAX_SHARDS} and i from 1 to N, e.g. 2/4 (the second of four shards)`,
      got: text,
    });
  }
  return { index, count };
}

/** The resolved scenario's fingerprint: shards of one sweep agree on it whatever folder they ran in. */
export function scenarioFingerprint(plain: unknown): string {
  const copy = typeof plain === 'object' && plain !== null ? { ...(plain as Record<string, unknown>) } : plain;
  if (typeof copy === 'object' && copy !== null) delete (copy as Record<string, unknown>).source;
  return `sha256:${createHash('sha256').update(JSON.stringify(copy)).digest('hex')}`;
}

/** A metric as JSON: exact for finite numbers, a string for NaN and ±Infinity (JSON has neither). */
type JsonMetric = number | string;
const toJsonMetric = (x: number): JsonMetric => (Number.isFinite(x) ? x : String(x));
const fromJsonMetric = (x: JsonMetric): number => (typeof x === 'number' ? x : Number(x));

export interface ShardManifest {
  format: typeof FORMAT;
  formatVersion: number;
  owsimVersion: string;
  scenario: string;
  scenarioFingerprint: string;
  parameters: string[];
  /** Each point's values, in grid order. */
  points: string[][];
  seeds: number[];
  /** Tasks in the whole sweep (points × seeds). */
  tasks: number;
  shard: ShardSpec;
  results: { index: number; point: number; seed: number; metrics: JsonMetric[]; thresholdsOk: boolean; extra?: [string, JsonMetric][] }[];
  /** The shards kept each run's report folder (`--keep-points`). */
  keptPoints?: boolean;
  /** The scenario's thresholds, for the merged capacity charts. */
  thresholds?: Record<string, string>;
}

export function shardManifest(outcome: SweepOutcome, shard: ShardSpec, fingerprint: string, version: string): ShardManifest {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    owsimVersion: version,
    scenario: outcome.scenario,
    scenarioFingerprint: fingerprint,
    parameters: outcome.parameters,
    points: outcome.points.map((p) => p.values),
    seeds: outcome.seeds,
    tasks: outcome.points.length * outcome.seeds.length,
    shard,
    results: [...outcome.results]
      .sort((a, b) => a.index - b.index)
      .map((r) => ({
        index: r.index,
        point: r.point,
        seed: r.seed,
        metrics: r.metrics.map(toJsonMetric),
        thresholdsOk: r.thresholdsOk,
        extra: (r.extra ?? []).map(([c, v]): [string, JsonMetric] => [c, toJsonMetric(v)]),
      })),
    ...(outcome.keptPoints ? { keptPoints: true } : {}),
    ...(outcome.thresholds !== undefined ? { thresholds: outcome.thresholds } : {}),
  };
}

export function renderShardManifest(manifest: ShardManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function notAShard(dir: string, why: string): UsageError {
  return new UsageError(`${dir}: not a sweep shard (${why})`, {
    file: join(dir, SHARD_MANIFEST_FILE),
    expected: `a folder written by owsim sweep --shard i/N --out DIR, holding ${SHARD_MANIFEST_FILE}`,
  });
}

export function readShardManifest(dir: string): ShardManifest {
  const file = join(dir, SHARD_MANIFEST_FILE);
  if (!existsSync(file)) throw notAShard(dir, `no ${SHARD_MANIFEST_FILE}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw notAShard(dir, `${SHARD_MANIFEST_FILE} is not JSON: ${(e as Error).message}`);
  }
  const m = data as Partial<ShardManifest>;
  if (typeof m !== 'object' || m === null || m.format !== FORMAT) throw notAShard(dir, `${SHARD_MANIFEST_FILE} is not a shard manifest`);
  if (m.formatVersion !== FORMAT_VERSION) throw notAShard(dir, `manifest format ${String(m.formatVersion)}, this owsim reads ${FORMAT_VERSION}`);
  const ok =
    typeof m.scenario === 'string' &&
    typeof m.scenarioFingerprint === 'string' &&
    typeof m.owsimVersion === 'string' &&
    Array.isArray(m.parameters) &&
    Array.isArray(m.points) &&
    Array.isArray(m.seeds) &&
    typeof m.tasks === 'number' &&
    typeof m.shard?.index === 'number' &&
    typeof m.shard.count === 'number' &&
    Array.isArray(m.results);
  if (!ok) throw notAShard(dir, `${SHARD_MANIFEST_FILE} lacks fields`);
  return m as ShardManifest;
}

/** What every shard of one sweep agrees on, as text to compare and to show. */
function sweepIdentity(m: ShardManifest): [string, string][] {
  return [
    ['scenario', m.scenario],
    ['scenario fingerprint (the resolved scenario with its --set overrides)', m.scenarioFingerprint],
    ['owsim version', m.owsimVersion],
    ['sweep parameters', m.parameters.join(', ')],
    ['sweep points', JSON.stringify(m.points)],
    ['seeds', m.seeds.join(', ')],
    ['shard count', String(m.shard.count)],
  ];
}

export function mergeShards(dirs: readonly string[]): SweepOutcome {
  if (dirs.length === 0) throw new UsageError('no shard folders given', { expected: 'owsim merge DIR... --out OUT' });
  const manifests = dirs.map(readShardManifest);
  const first = manifests[0]!;
  const reference = sweepIdentity(first);
  manifests.forEach((m, i) => {
    const identity = sweepIdentity(m);
    for (const [k, [what, want]] of reference.entries()) {
      const got = identity[k]![1];
      if (got !== want) {
        throw new UsageError(`${dirs[i]}: a shard of a different sweep than ${dirs[0]} (its ${what} differs)`, {
          file: join(dirs[i]!, SHARD_MANIFEST_FILE),
          path: what,
          expected: want,
          got,
        });
      }
    }
  });
  const byIndex = new Map<number, string>();
  manifests.forEach((m, i) => {
    const other = byIndex.get(m.shard.index);
    if (other !== undefined) {
      throw new UsageError(`${dirs[i]}: shard ${m.shard.index}/${m.shard.count} is given twice (also ${other})`, {
        file: join(dirs[i]!, SHARD_MANIFEST_FILE),
        path: 'shard',
        expected: 'each shard once',
      });
    }
    byIndex.set(m.shard.index, dirs[i]!);
  });
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new UsageError(`shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')} missing`, {
      path: 'shard',
      expected: `all ${first.shard.count} shards of the sweep`,
      got: `${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${first.shard.count} (${byIndex.get(i)})`).join(', ')}`,
    });
  }

  const results: SweepResult[] = new Array(first.tasks);
  manifests.forEach((m, i) => {
    for (const r of m.results) {
      if (!Number.isInteger(r.index) || r.index < 0 || r.index >= first.tasks || results[r.index] !== undefined) {
        throw new UsageError(`${dirs[i]}: result for task ${r.index} is out of range or held by another shard`, {
          file: join(dirs[i]!, SHARD_MANIFEST_FILE),
          path: 'results',
        });
      }
      results[r.index] = {
        index: r.index,
        point: r.point,
        seed: r.seed,
        metrics: r.metrics.map(fromJsonMetric),
        thresholdsOk: r.thresholdsOk,
        extra: (r.extra ?? []).map(([c, v]): [string, number] => [c, fromJsonMetric(v)]),
      };
    }
  });
  const absent = results.findIndex((r) => r === undefined);
  if (absent >= 0 || results.length !== first.tasks) {
    throw new UsageError(`the shards do not hold every task of the sweep (task ${absent} is missing)`, { path: 'results' });
  }
  const points: SweepPoint[] = first.points.map((values, index) => ({
    index,
    values,
    overrides: values.map((v, k) => `${first.parameters[k]}=${v}`),
  }));
  return {
    scenario: first.scenario,
    parameters: first.parameters,
    points,
    seeds: first.seeds,
    results,
    ...(first.thresholds !== undefined ? { thresholds: first.thresholds } : {}),
  };
}

/** Issue 8: run --seeds on a worker pool, sweep --shard i/N and owsim merge, byte for byte against serial runs. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../src/cli/main.js';
import { expectSameTree, reportTree, runCli, scratchDir } from './helpers.js';
import { pooledDeps } from './poolBuild.js';

const TINY = 'test/fixtures/sweep/tiny-sweep.yaml';

const cli = (args: string[], deps: Partial<CliDeps> = {}) => runCli(args, deps);

const scratch = scratchDir;
const tree = reportTree;

let pooled: CliDeps;
beforeAll(async () => {
  pooled = await pooledDeps();
}, 180_000);

describe('owsim run --seeds --workers', () => {
  it('writes the same bytes on 2 workers as on 1', async () => {
    const one = scratch('seeds1');
    const two = scratch('seeds2');
    const r1 = await cli(['run', TINY, '--seeds', '3', '--workers', '1', '--out', one, '-q'], pooled);
    const r2 = await cli(['run', TINY, '--seeds', '3', '--workers', '2', '--out', two, '-q'], pooled);
    expect([r1.code, r2.code], r2.stderr).toEqual([0, 0]);
    expect(tree(one).size).toBeGreaterThan(10);
    expectSameTree(one, two);
  }, 120_000);

  it('prints seed lines in seed order and refuses --workers without --seeds', async () => {
    const r = await cli(['run', TINY, '--seeds', '3', '--workers', '2', '--out', scratch('seeds3'), '--report', 'json'], pooled);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('on 2 workers');
    expect([...r.stdout.matchAll(/^seed (\d+):/gm)].map((m) => m[1])).toEqual(['1', '2', '3']);
    const bad = await cli(['run', TINY, '--workers', '2', '-q']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--workers');
  }, 120_000);
});

describe('owsim sweep --shard and owsim merge', () => {
  let serial: string;
  let shards: string[];

  beforeAll(async () => {
    serial = scratch('serial');
    expect((await cli(['sweep', TINY, '--workers', '1', '--out', serial, '-q'])).code).toBe(0);
    shards = [1, 2, 3].map((i) => scratch(`shard${i}`));
    for (const [i, dir] of shards.entries()) {
      // One shard on the pool, the others in this thread: the manifest must not care.
      const workers = i === 0 ? '2' : '1';
      const r = await cli(['sweep', TINY, '--shard', `${i + 1}/3`, '--workers', workers, '--out', dir, '-q'], pooled);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  it('merges 3 shards into exactly the sweep.csv and charts of a serial sweep', async () => {
    const merged = scratch('merged');
    const r = await cli(['merge', ...shards, '--out', merged]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(merged, 'charts')).length).toBeGreaterThan(0);
    expectSameTree(serial, merged);
    // Shard order on the command line does not matter.
    const reversed = scratch('merged-rev');
    expect((await cli(['merge', ...[...shards].reverse(), '--out', reversed, '-q'])).code).toBe(0);
    expectSameTree(serial, reversed);
  });

  it('writes a partial sweep.csv with point and seed columns, and a manifest without wall-clock time', async () => {
    const csv = readFileSync(join(shards[1]!, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]!.startsWith('point,seed,')).toBe(true);
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['1']);
    const again = scratch('shard2-again');
    expect((await cli(['sweep', TINY, '--shard', '2/3', '--workers', '1', '--out', again, '-q'])).code).toBe(0);
    expect(readFileSync(join(again, 'shard.json'), 'utf8')).toBe(readFileSync(join(shards[1]!, 'shard.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(shards[1]!, 'shard.json'), 'utf8'));
    expect(manifest).toMatchObject({ scenario: 'tiny-sweep', shard: { index: 2, count: 3 }, seeds: [1], tasks: 4 });
  }, 60_000);

  it('refuses a missing shard, a duplicate, a shard of another sweep and a folder that is no shard', async () => {
    const out = scratch('refused');
    const missing = await cli(['merge', shards[0]!, shards[2]!, '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 2/3 missing');

    const twice = await cli(['merge', shards[0]!, shards[1]!, shards[1]!, shards[2]!, '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${shards[1]}: shard 2/3 is given twice`);

    const other = scratch('other');
    expect((await cli(['sweep', TINY, '--shard', '2/3', '--workers', '1', '--set', 'duration=5s', '--out', other, '-q'])).code).toBe(0);
    const mixed = await cli(['merge', shards[0]!, other, shards[2]!, '--out', out]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${other}: a shard of a different sweep`);
    expect(mixed.stderr).toContain('scenario fingerprint');

    const grid = scratch('grid');
    expect((await cli(['sweep', TINY, '--shard', '2/3', '--workers', '1', '--seeds', '2', '--out', grid, '-q'])).code).toBe(0);
    const seeds = await cli(['merge', shards[0]!, grid, shards[2]!, '--out', out]);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toContain(`${grid}: a shard of a different sweep`);

    const notShard = await cli(['merge', shards[0]!, serial, '--out', out]);
    expect(notShard.code).toBe(2);
    expect(notShard.stderr).toContain(`${serial}/shard.json: not a sweep shard`);
  }, 60_000);

  it('refuses a bad --shard naming the flag', async () => {
    for (const bad of ['0/0', '3/2', 'abc', '0/3', '1/0', '-1/2']) {
      const r = await cli(['sweep', TINY, '--shard', bad, '--workers', '1', '-q']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('--shard');
    }
  });
});

/** A sweep keeps every metric group as columns (oom.*, store.*, faults), per-name groups on request, each point's reports with --keep-points, and an index.html. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summaryColumns } from '../../src/sweep/sweepColumns.js';
import { fakeSummary } from '../report/fixtures.js';
import { runCli } from '../cli/helpers.js';

const STORE_SWEEP = 'test/fixtures/sweep/store-backpressure-sweep.yaml';

const cli = (args: string[]) => runCli(args, {});

function column(csv: string, name: string): string[] {
  const rows = csv.trimEnd().split('\n').map((l) => l.split(','));
  const at = rows[0]!.indexOf(name);
  expect(at, `column ${name}`).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[at]!);
}

describe('sweep columns', () => {
  it('keep per-name groups out unless asked for, and counter maps in', () => {
    const s = fakeSummary();
    const plain = summaryColumns(s).map(([c]) => c);
    expect(plain).toContain('littlesLaw.relativeError');
    expect(plain).toContain('activations.rejectedBy.throttledRate');
    expect(plain.some((c) => c.startsWith('invokers.'))).toBe(false);
    expect(plain).not.toContain('latencyMs.p99'); // a headline column already
    const withInvokers = summaryColumns(s, ['invokers']).map(([c]) => c);
    expect(withInvokers).toContain('invokers.invoker0.coldStarts');
    expect(withInvokers.some((c) => c.startsWith('topics.'))).toBe(false);
  });
});

describe('a sweep over store.backpressure', () => {
  let out: string;
  let csv: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'owsim-bp-sweep-'));
    const r = await cli(['sweep', STORE_SWEEP, '--workers', '1', '--out', out, '--keep-points', '--per-name', 'oom.invokers', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stderr).toBe(0);
    csv = readFileSync(join(out, 'sweep.csv'), 'utf8');
  }, 120_000);

  it('has the OOM, store and fault columns, which tell the three strategies apart', () => {
    expect(column(csv, 'store.backpressure')).toEqual(['none', 'wait-enqueue', 'kafka-overflow']);
    const crashes = column(csv, 'oom.crashes').map(Number);
    expect(crashes[0]).toBeGreaterThan(0);
    expect(crashes.slice(1)).toEqual([0, 0]);
    expect(Number(column(csv, 'store.lostRecords')[0])).toBeGreaterThan(0);
    expect(Number(column(csv, 'store.overflowed')[2])).toBeGreaterThan(0);
    expect(column(csv, 'faults.0.during.lost')).toHaveLength(3);
    expect(column(csv, 'oom.invokers.invoker0.peakHeapMb')).toHaveLength(3);
    expect(csv.split('\n')[0]).not.toMatch(/(^|,)invokers\./);
  });

  it('keeps each point\'s report folder and links it from index.html beside the capacity charts', () => {
    for (let p = 0; p < 3; p++) {
      expect(existsSync(join(out, 'points', `point-${p}-seed-1`, 'summary.json'))).toBe(true);
      expect(existsSync(join(out, 'points', `point-${p}-seed-1`, 'index.html'))).toBe(true);
    }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('href="points/point-2-seed-1/index.html"');
    expect(html).toContain('<img src="charts/capacity-latencyMs-p99.png"');
    expect(html).toContain('<img src="charts/capacity-oom-crashes.png"');
    expect(existsSync(join(out, 'charts', 'capacity-store-lostRecords.png'))).toBe(true);
    expect(html).toContain('<code>oom.crashes</code>');
  });

  it('prints each run with its parameter values and result (item 15)', async () => {
    const r = await cli(['sweep', STORE_SWEEP, '--workers', '1', '--out', mkdtempSync(join(tmpdir(), 'owsim-bp-')), '--set', 'sweep.store.backpressure=[none]']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\[1\/1\] store\.backpressure=none seed 1: p99 [\d,.]+ ms, [\d,.]+\/s, [\d,]+ lost, .*\d+ OOM crash(es)?, thresholds ok/);
  }, 60_000);

  it('refuses an unknown --per-name group with the known ones', async () => {
    const r = await cli(['sweep', STORE_SWEEP, '--workers', '1', '--per-name', 'invoker', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown per-name group `invoker`.*invokers/s);
  });
});

/** owsim sweep and owsim plan: grid order, deterministic sweep.csv for any worker count, bisection. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/runScenario.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { sweepPoints, sweepTasks } from '../../src/sweep/grid.js';
import { parseTarget, plan } from '../../src/sweep/plan.js';
import { renderSweepCsv, runSweep, shardTasks } from '../../src/sweep/runSweep.js';
import { buildPoolWorker } from '../cli/poolBuild.js';
import { runCli } from '../cli/helpers.js';

const TINY = 'test/fixtures/sweep/tiny-sweep.yaml';
const runner = { loadScenarioFile, runScenario };

const cli = (args: string[]) => runCli(args, {});

describe('sweep grid', () => {
  it('expands the grid with the first parameter varying slowest, then seeds within a point', () => {
    const points = sweepPoints({ parameters: [{ path: 'a', values: ['1', '2'] }, { path: 'b', values: ['x', 'y', 'z'] }], seeds: 1 });
    expect(points.map((p) => p.values.join(''))).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
    expect(points[4]!.overrides).toEqual(['a=2', 'b=y']);
    const tasks = sweepTasks('f.yaml', ['c=3'], points.slice(0, 2), [5, 6]);
    expect(tasks.map((t) => [t.index, t.point, t.seed])).toEqual([[0, 0, 5], [1, 0, 6], [2, 1, 5], [3, 1, 6]]);
    expect(tasks[3]!.overrides).toEqual(['c=3', 'a=1', 'b=y']);
  });

  it('shards tasks round-robin, so shards partition the sweep (the seam for --shard i/N)', () => {
    const tasks = sweepTasks('f', [], sweepPoints({ parameters: [{ path: 'a', values: ['1', '2', '3'] }], seeds: 1 }), [1, 2]);
    const shards = [0, 1, 2].map((i) => shardTasks(tasks, i, 3).map((t) => t.index));
    expect(shards.flat().sort((a, b) => a - b)).toEqual(tasks.map((t) => t.index));
    expect(shards[1]).toEqual([1, 4]);
  });

  it('reads sweep: from the scenario, with seeds', () => {
    const s = loadScenarioFile(TINY, ['sweep.seeds=2']);
    expect(s.sweep).toEqual({
      parameters: [
        { path: 'invokers.count', values: ['2', '4'] },
        { path: 'workload.actions.0.arrivals.rate', values: ['10/s', '20/s'] },
      ],
      seeds: 2,
    });
  });
});

describe('owsim sweep (in this thread)', () => {
  it('writes one sweep.csv row per point and seed, in grid order, and capacity charts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'owsim-sweep-'));
    const r = await cli(['sweep', TINY, '--workers', '1', '--out', out, '--seeds', '2', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]!.startsWith('point,seed,invokers.count,workload.actions.0.arrivals.rate,activations.arrived,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      '0,1,2,10/s',
      '0,2,2,10/s',
      '1,1,2,20/s',
      '1,2,2,20/s',
      '2,1,4,10/s',
      '2,2,4,10/s',
      '3,1,4,20/s',
      '3,2,4,20/s',
    ]);
    const charts = readdirSync(join(out, 'charts'));
    expect(charts).toContain('capacity-latencyMs-p99.png');
    expect(readFileSync(join(out, 'charts', 'capacity-latencyMs-p99.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a scenario without a sweep and a bad swept path before running anything', async () => {
    const none = await cli(['sweep', 'scenarios/quickstart.yaml', '--workers', '1', '-q']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no sweep');
    const bad = await cli(['sweep', TINY, '--workers', '1', '-q', '--set', 'sweep.invoker.count=[1]']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invoker.count=1');
  });
});

describe('owsim sweep with worker threads', () => {
  // Workers run compiled JavaScript: build the sources once into a scratch folder inside the package (so
  // node_modules and "type": "module" resolve) and point the pool at that build's worker.
  let workerUrl: URL;

  beforeAll(async () => {
    workerUrl = await buildPoolWorker();
  }, 180_000);

  it('gives the same sweep.csv bytes with 1 and 2 workers', async () => {
    const scenario = loadScenarioFile(TINY);
    const base = { file: TINY, overrides: [], scenario, seeds: [1], runner };
    const one = renderSweepCsv(await runSweep({ ...base, workers: 1 }));
    const two = renderSweepCsv(await runSweep({ ...base, workers: 2, workerUrl: workerUrl }));
    expect(one.trimEnd().split('\n')).toHaveLength(5);
    expect(two).toBe(one);
  }, 120_000);

  it('reports a failing point as the user error it is', async () => {
    const scenario = loadScenarioFile(TINY);
    const promise = runSweep({
      file: TINY,
      overrides: ['invokers.userMemory=128MB'],
      scenario: { ...scenario, sweep: { parameters: [{ path: 'invokers.count', values: ['2'] }], seeds: 1 } },
      seeds: [1],
      runner: { ...runner, loadScenarioFile: () => scenario },
      workers: 2,
      workerUrl: workerUrl,
    });
    await expect(promise).rejects.toMatchObject({ code: 'E_SCENARIO' });
  }, 60_000);
});

describe('owsim plan', () => {
  it('parses targets with units', () => {
    expect(parseTarget('latencyMs.p99<500')).toMatchObject({ metric: 'latencyMs.p99', operator: '<', bound: 500 });
    expect(parseTarget('latencyMs.p99 <= 1.5s')).toMatchObject({ operator: '<=', bound: 1500 });
    expect(() => parseTarget('latencyMs.p99')).toThrow(/malformed --target/);
  });

  it('finds the smallest invoker count meeting a p99 target on the shipped overflow-burst scenario', async () => {
    const overrides = ['duration=90s', 'drain=60s'];
    const result = await plan({
      file: 'scenarios/overflow-burst.yaml',
      overrides,
      vary: 'invokers.count',
      target: parseTarget('latencyMs.p99<3000'),
      min: 1,
      max: 16,
      seeds: [1],
      runner,
    });
    expect(result.found).not.toBeNull();
    const found = result.found!;
    expect(found).toBeGreaterThan(1);
    expect(result.atFound!).toBeLessThan(3000);
    expect(result.belowFound!).toBeGreaterThanOrEqual(3000);
    // Bisection: far fewer runs than values in the range, and no value below the answer meets the target.
    expect(result.evaluations.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(16)));
    for (const e of result.evaluations) expect(e.ok).toBe(e.value >= found);
    // The margin is the real metric at found − 1.
    const below = runScenario(loadScenarioFile('scenarios/overflow-burst.yaml', [...overrides, `invokers.count=${found - 1}`]));
    expect(below.summary.latencyMs.p99).toBe(result.belowFound);
  }, 120_000);

  it('exits 1 when even --max misses the target, and prints the table', async () => {
    const r = await cli(['plan', TINY, '--vary', 'invokers.count', '--target', 'latencyMs.p99<1', '--min', '1', '--max', '2', '-q']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('No value in 1..2 meets the target');
  });
});

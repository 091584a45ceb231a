/**
 * A balancer module works wherever a scenario does: run --seeds on worker threads, sweep on worker threads,
 * plan, validate, and fuzz --balancer (the swarm draws the module as one of its balancers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../src/cli/main.js';
import { drawFuzzScenario } from '../../src/fuzz/drawScenario.js';
import { expectSameTree, runCli, scratchDir } from './helpers.js';
import { pooledDeps } from './poolBuild.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'extend');
const SWEEP = join(fixtures, 'round-robin-sweep.yaml');
const ROUND_ROBIN = join(fixtures, 'balancers', 'round-robin.mjs');

const cli = (args: string[], deps: Partial<CliDeps> = {}) => runCli(args, deps);

const scratch = scratchDir;

let pooled: CliDeps;
beforeAll(async () => {
  pooled = await pooledDeps();
}, 240_000);

describe('a balancer module on worker threads', () => {
  it('run --seeds gives the same bytes on 2 workers as on 1', async () => {
    const one = scratch('mod-seeds1');
    const two = scratch('mod-seeds2');
    const r1 = await cli(['run', SWEEP, '--seeds', '2', '--workers', '1', '--out', one, '-q'], pooled);
    const r2 = await cli(['run', SWEEP, '--seeds', '2', '--workers', '2', '--out', two, '-q'], pooled);
    expect([r1.code, r2.code], r1.stderr + r2.stderr).toEqual([0, 0]);
    expectSameTree(one, two);
  }, 120_000);

  it('a module that throws inside a worker still exits 2 with its file and line', async () => {
    const dir = scratch('mod-throws');
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, readFileSync(SWEEP, 'utf8').replace('./balancers/round-robin.mjs, options: { start: 1 }', JSON.stringify(join(fixtures, 'balancers', 'throws.mjs'))));
    const r = await cli(['run', file, '--seeds', '2', '--workers', '2', '--out', scratch('mod-throws-out'), '-q'], pooled);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/throws\.mjs:9: schedule threw for activation \d+/);
  }, 120_000);

  it('sweep runs every point on 2 workers', async () => {
    const out = scratch('mod-sweep');
    const r = await cli(['sweep', SWEEP, '--workers', '2', '--out', out, '-q'], pooled);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv.length).toBe(3);
  }, 120_000);
});

describe('a balancer module in plan, validate and fuzz', () => {
  it('plan bisects over a scenario with a module', async () => {
    const r = await cli(['plan', SWEEP, '--vary', 'invokers.count', '--target', 'activations.completed>10', '--max', '4', '-q']);
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('validate names the module', async () => {
    const r = await cli(['validate', SWEEP]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('balancer module ./balancers/round-robin.mjs');
  });

  it('fuzz --balancer lets the swarm draw the module, and keeps every other draw of a seed', async () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8].filter((seed) => typeof (drawFuzzScenario(seed, [ROUND_ROBIN]).document.controllers as { loadBalancer: unknown }).loadBalancer === 'object');
    expect(seeds.length).toBeGreaterThan(0);
    const seed = seeds[0]!;
    const plain = drawFuzzScenario(seed).document;
    const withModule = drawFuzzScenario(seed, [ROUND_ROBIN]).document;
    expect({ ...withModule, controllers: { ...(withModule.controllers as object), loadBalancer: null } }).toEqual({
      ...plain,
      controllers: { ...(plain.controllers as object), loadBalancer: null },
    });
    const r = await cli(['fuzz', '--seeds', '1', '--from', String(seed), '--balancer', ROUND_ROBIN, '--out', scratch('mod-fuzz')]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
  }, 120_000);

  it('fuzz --balancer with a missing module exits 2 naming the flag and the path', async () => {
    const r = await cli(['fuzz', '--seeds', '1', '--balancer', 'nowhere/policy.mjs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--balancer');
    expect(r.stderr).toContain('nowhere/policy.mjs');
  });
});

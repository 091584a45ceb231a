/** validate and run print an estimate; run refuses a runaway scenario without --force (issue 16 item 6). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateRun, MAX_ESTIMATED_EVENTS } from '../../src/scenario/estimate.js';
import { listShippedScenarios, loadScenarioFile } from '../../src/scenario/load.js';
import { runCli } from './helpers.js';

const cli = (args: string[]) => runCli(args, {});

const RUNAWAY = `name: runaway
duration: 1h
invokers: { count: 10000, userMemory: 2GB }
workload:
  actions:
    - name: guest/a
      arrivals: 9000000/s
`;

describe('run estimates', () => {
  it('validate prints the estimate and warns that run would refuse it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-est-'));
    writeFileSync(join(dir, 'runaway.yaml'), RUNAWAY);
    const r = await cli(['validate', join(dir, 'runaway.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/estimate: ~32\.4 billion activations, ~\S+ billion kernel events, ~\d+ (days|h) of wall time/);
    expect(r.stdout).toContain('owsim run will refuse it without --force');
  });

  it('run refuses it with exit 2 naming --force, before running anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'owsim-est-'));
    writeFileSync(join(dir, 'runaway.yaml'), RUNAWAY);
    const r = await cli(['run', join(dir, 'runaway.yaml'), '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(r.stderr).toContain('billion kernel events');
  });

  it("counts a population's arrivals (azure-population: 300/s for 10 minutes, 179,935 activations in its run)", async () => {
    const shipped = (await listShippedScenarios()).find((s) => s.name === 'azure-population')!;
    const e = estimateRun(loadScenarioFile(shipped.file));
    expect(e.activations).toBeGreaterThan(170_000);
    expect(e.activations).toBeLessThan(190_000);
  });

  it('leaves every shipped and benchmark scenario far below the bound', async () => {
    for (const s of await listShippedScenarios()) {
      const e = estimateRun(loadScenarioFile(s.file));
      expect(e.events, s.name).toBeLessThan(MAX_ESTIMATED_EVENTS / 10);
    }
  });
});

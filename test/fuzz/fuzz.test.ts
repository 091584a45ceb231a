/** `owsim fuzz`: swarm testing over random valid scenarios with random faults, every checker on. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawFuzzScenario } from '../../src/fuzz/drawScenario.js';
import { fuzzScenarioText, runFuzz } from '../../src/fuzz/runFuzz.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { runCli } from '../cli/helpers.js';

describe('owsim fuzz', () => {
  it('ten seeds hold every invariant through a fault phase and a healed phase', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'owsim-fuzz-'));
    const results = runFuzz({ seeds: 10, from: 1, outDir });
    expect(results.filter((r) => !r.ok).map((r) => `${r.reproduce}: ${r.message}`)).toEqual([]);
    expect(results.every((r) => r.arrived > 0)).toBe(true);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('seeds that once failed stay fixed (467: requeued overflow messages outlived their activations)', () => {
    for (const from of [58, 194, 467]) {
      const outDir = mkdtempSync(join(tmpdir(), 'owsim-fuzz-'));
      const [result] = runFuzz({ seeds: 1, from, outDir });
      expect(result!.ok ? 'ok' : `${result!.reproduce}: ${result!.message}`).toBe('ok');
    }
  });

  it('every drawn scenario is valid, the same for the same seed, and its faults heal before arrivals stop', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { text } = fuzzScenarioText(seed);
      expect(fuzzScenarioText(seed).text).toBe(text);
      const s = parseScenarioText(text, `fuzz-seed-${seed}.yaml`);
      for (const f of s.faults ?? []) expect(f.atMs + f.forMs).toBeLessThan(s.durationMs);
    }
  });

  it('swarm testing: seeds enable different sets of fault kinds, and every kind appears', () => {
    const sets = new Set<string>();
    const kinds = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const d = drawFuzzScenario(seed);
      sets.add(d.enabledKinds.join(','));
      for (const f of (d.document['faults'] as { kind: string }[] | undefined) ?? []) kinds.add(f.kind);
    }
    expect(sets.size).toBeGreaterThan(20);
    expect([...kinds].sort()).toEqual(['controller-crash', 'invoker-crash', 'kafka-outage', 'kafka-slow', 'partition', 'ping-loss', 'store-errors', 'store-slow', 'store-throttle']);
  });

  it('the command prints a line per seed and exits 0 when all hold', async () => {
    const res = await runCli(['fuzz', '--seeds', '2', '--from', '40', '--out', mkdtempSync(join(tmpdir(), 'owsim-fuzz-'))], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^seed 40: ok/m);
    expect(res.stdout).toMatch(/^seed 41: ok/m);
    expect(res.stdout).toContain('all 2 seeds hold every invariant (seeds 40–41)');
  });

  it('refuses bad flags with exit 2', async () => {
    for (const argv of [['fuzz', '--seeds', '0'], ['fuzz', '--seeds', 'ten'], ['fuzz', '--from', '-1'], ['fuzz', '--seeds', '2', '--from', '4294967295']]) {
      const res = await runCli(argv, {});
      expect(res.code, argv.join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^error: /);
    }
  });
});

describe('fuzz progress lines (issue 16 item 16)', () => {
  it('list the faults each seed scheduled, not the kinds it enabled', async () => {
    const { fuzzScenarioText } = await import('../../src/fuzz/runFuzz.js');
    const { describe: line } = await import('../../src/cli/commands/fuzz.js');
    for (let seed = 1; seed <= 20; seed++) {
      const drawn = fuzzScenarioText(seed);
      expect(drawn.scheduled).toHaveLength(drawn.faults);
      for (const f of drawn.scheduled) expect(f).toMatch(/^[a-z-]+( \S+)? at \S+ for \S+$/);
      const text = line({ seed, ok: true, enabledKinds: drawn.enabledKinds, faults: drawn.faults, scheduled: drawn.scheduled, arrived: 10 });
      if (drawn.faults === 0) expect(text).toContain('no faults');
      else expect(text).toContain(drawn.scheduled[0]!);
      expect(text).not.toContain('[');
    }
  });
});

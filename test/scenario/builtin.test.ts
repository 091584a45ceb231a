import { describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.js';
import { listShippedScenarios, loadBuiltinScenario, loadScenarioFile, scenarioToPlain } from '../../src/scenario/load.js';
import { meanRatePerSec } from '../../src/scenario/checks.js';

describe('shipped scenarios', () => {
  it('the default built-in is quickstart', () => {
    const s = loadBuiltinScenario();
    expect(s.name).toBe('quickstart');
    expect(s.source).toBe('builtin:quickstart');
    expect(s.controllers).toMatchObject({ count: 1, loadBalancer: 'legacy' });
    expect(s.invokers).toMatchObject({ count: 4, userMemoryMb: 2048 });
    expect(s.kafka.latencyMs).toEqual({ dist: 'constant', value: 2 });
    expect(s.workload.actions.some((a) => a.kind === 'blackbox' && a.pull === true)).toBe(true);
  });

  it('quickstart stays small: about ten thousand arrivals at most', () => {
    const s = loadBuiltinScenario('quickstart');
    const arrivals = s.workload.actions.reduce((sum, a) => sum + meanRatePerSec(a.arrivals, s.durationMs), 0) * (s.durationMs / 1000);
    expect(arrivals).toBeGreaterThan(1000);
    expect(arrivals).toBeLessThan(10_000);
  });

  it('lists shipped scenarios recursively, sorted, with descriptions', () => {
    const list = listShippedScenarios();
    const quick = list.find((s) => s.name === 'quickstart');
    expect(quick?.file).toMatch(/scenarios[\\/]quickstart\.yaml$/);
    expect(quick?.description).toContain('mixed workload');
    const files = list.map((s) => s.file);
    expect([...files].sort()).toEqual(files);
    expect(loadScenarioFile(quick!.file).name).toBe('quickstart');
  });

  it('an unknown built-in name is a FileError with a suggestion', () => {
    expect(() => loadBuiltinScenario('quikstart')).toThrow(FileError);
    expect(() => loadBuiltinScenario('quikstart')).toThrow('did you mean `quickstart`?');
  });
});

describe('scenarioToPlain', () => {
  it('is JSON-able and round-trips to the same scenario', () => {
    const s = loadBuiltinScenario();
    const plain = scenarioToPlain(s);
    expect(JSON.parse(JSON.stringify(plain))).toEqual(s);
    expect(JSON.stringify(scenarioToPlain(loadBuiltinScenario()))).toBe(JSON.stringify(plain));
  });
});

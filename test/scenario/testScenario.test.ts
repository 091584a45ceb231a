/** testScenario builds complete resolved scenarios through the loader; every shipped scenario resolves complete. */
import { describe, expect, it } from 'vitest';
import { listShippedScenarios, loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';
import { testScenario } from '../../src/scenario/testScenario.js';

/** Paths of every `undefined` inside a value (a complete scenario has none). */
function undefinedPaths(value: unknown, path = ''): string[] {
  if (value === undefined) return [path];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, path === '' ? k : `${path}.${k}`));
}

/** The key paths of the sections a scenario always has (lists and nullable features left out). */
function sectionKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'dist' in value || 'process' in value) return [path];
  return Object.entries(value).flatMap(([k, v]) => sectionKeys(v, path === '' ? k : `${path}.${k}`));
}

describe('testScenario', () => {
  it('without overrides is the minimal file with every default', () => {
    const minimal = parseScenarioText('name: test-scenario\nworkload:\n  actions:\n    - name: guest/hello\n', 'testScenario');
    expect(testScenario()).toEqual(minimal);
  });

  it('merges sections key by key and replaces distributions, arrivals and lists whole', () => {
    const s = testScenario({
      controllers: { busyThreshold: 2, limits: { systemConcurrent: 7 } },
      invokers: { coldStartMs: { dist: 'uniform', min: 1, max: 2 }, prewarm: [{ kind: 'nodejs:6', memoryMb: 256, count: 1 }] },
    });
    const d = testScenario();
    expect(s.controllers).toEqual({ ...d.controllers, busyThreshold: 2, limits: { ...d.controllers.limits, systemConcurrent: 7 } });
    expect(s.invokers.coldStartMs).toEqual({ dist: 'uniform', min: 1, max: 2 });
    expect(s.invokers.prewarm).toEqual([{ kind: 'nodejs:6', memoryMb: 256, count: 1 }]);
    expect(s.invokers.heap).toEqual(d.invokers.heap);
  });

  it('turns the store on with its defaults, as `store: {}` in a file does', () => {
    const fromFile = parseScenarioText('name: test-scenario\nworkload:\n  actions:\n    - name: guest/hello\nstore: {}\n', 'testScenario');
    expect(testScenario({ store: {} }).store).toEqual(fromFile.store);
    expect(testScenario({ store: { backpressure: 'drop' } }).store).toEqual({ ...fromFile.store, backpressure: 'drop' });
    expect(testScenario().store).toBeNull();
  });

  it("derives an action's namespace and pull as the loader does", () => {
    const [a, b] = testScenario({ workload: { actions: [{ name: 'ns1/pkg/a', memoryMb: 512 }, { name: 'ns2/b', kind: 'blackbox' }] } }).workload.actions;
    expect(a).toMatchObject({ name: 'ns1/pkg/a', namespace: 'ns1', memoryMb: 512, pull: false, clients: null });
    expect(b).toMatchObject({ name: 'ns2/b', namespace: 'ns2', kind: 'blackbox', pull: true });
  });

  it('hands out copies: changing one scenario does not change the next', () => {
    testScenario().invokers.prewarm.push({ kind: 'nodejs:6', memoryMb: 128, count: 1 });
    expect(testScenario().invokers.prewarm).toEqual([]);
  });
});

describe('the resolved scenario is complete', () => {
  const reference = sectionKeys(testScenario()).sort();
  for (const shipped of listShippedScenarios()) {
    it(`${shipped.name}: no field is undefined, every section has every key`, () => {
      const s = loadScenarioFile(shipped.file);
      expect(undefinedPaths(s)).toEqual([]);
      // Nullable features and lists may hold values; the always-present sections have the same keys.
      const keys = new Set(sectionKeys(s));
      for (const path of reference) expect(keys.has(path) || [...keys].some((k) => k.startsWith(`${path}.`)), path).toBe(true);
    });
  }
});

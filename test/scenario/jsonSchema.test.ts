/**
 * The scenario JSON Schema (`owsim schema`, scenario.schema.json) against an off-the-shelf validator (ajv):
 * it compiles, the shipped copy is current, every shipped scenario validates and carries the
 * yaml-language-server line, and schema and loader agree on a corpus of good and bad files.
 */
import { readFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultDeps } from '../../src/cli/defaultDeps.js';
import { drawFuzzScenario } from '../../src/fuzz/drawScenario.js';
import { listShippedScenarios, parseScenarioText } from '../../src/scenario/load.js';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenario/jsonSchema.js';
import { runCli } from '../cli/helpers.js';

const root = join(import.meta.dirname, '..', '..');
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validate = ajv.compile(scenarioJsonSchema());

function schemaAccepts(doc: unknown): boolean {
  return validate(doc) === true;
}

function loaderAccepts(doc: unknown): boolean {
  try {
    parseScenarioText(stringify(doc), 'corpus.yaml');
    return true;
  } catch {
    return false;
  }
}

const base = {
  name: 'corpus',
  duration: '30s',
  workload: { actions: [{ name: 'guest/a', memory: '256MB', duration: '50ms', arrivals: '5/s' }] },
};
const withAction = (patch: Record<string, unknown>) => ({ ...base, workload: { actions: [{ ...base.workload.actions[0], ...patch }] } });

const good: [string, unknown][] = [
  ['minimal', base],
  ['every distribution form', withAction({ duration: { dist: 'mixture', of: [{ weight: 9, dist: 'exponential', mean: '20ms' }, { weight: 1, dist: 'pareto', scale: '10ms', shape: 1.5 }] }, recordSize: { dist: 'empirical', quantiles: { p0: '1KB', p50: '4KB', p100: '1MB' } } })],
  ['lognormal by mu and sigma', withAction({ duration: { dist: 'lognormal', mu: 3.9, sigma: 0.9 } })],
  ['burst arrivals', withAction({ arrivals: { process: 'burst', rate: '10/s', burstRate: '500/s', at: '10s', for: '5s' } })],
  ['piecewise arrivals, per minute', withAction({ arrivals: { process: 'piecewise', steps: [{ at: '0s', rate: '600/min' }, { at: '10s', rate: '20/s' }] } })],
  ['compound duration, healthRules as a number', { ...base, duration: '1m 30s', controllers: { healthRules: 2017, autoDownAfter: 'never' } }],
  ['windows, thresholds and a store', { ...base, windows: { peak: { from: '10s', to: '20s' } }, thresholds: { 'actions["guest/a"].latencyMs.p99': '< 500' }, store: { throughput: '100/s' } }],
  ['faults', { ...base, faults: [{ at: '5s', kind: 'invoker-crash', target: 'invoker1', for: '5s' }] }],
  ['stages, diurnal, mmpp, renewal arrivals and clients (issue 18)', { ...base, workload: { actions: [
    { name: 'a/s', arrivals: { process: 'stages', stages: [{ for: '10s', to: '50/s' }, { for: '5s', to: '0/s' }] } },
    { name: 'a/d', arrivals: { process: 'diurnal', mean: '30/s', amplitude: 0.6, period: '24h', peakAt: '14h', cv: 2 } },
    { name: 'a/m', arrivals: { process: 'mmpp', rates: ['2/s', '40/s'], meanDurations: ['5s', '1s'] } },
    { name: 'a/r', arrivals: { process: 'renewal', rate: '5/s', cv: 0 } },
    { name: 'a/c', clients: { count: 10, thinkTime: { dist: 'exponential', mean: '1s' } } },
  ] } }],
  ['workload defaults, timeScale and a population (issue 18)', { ...base, workload: { defaults: { memory: '128MB' }, timeScale: 144, actions: base.workload.actions, population: { actions: 50, popularity: { dist: 'zipf', s: 1.1 }, duration: { dist: 'lognormal', median: '50ms', p99: '1s' }, memory: 'azure2019', arrivals: { cv: 'azure2019', cycle: { amplitude: 0.5 } } } } }],
];

const bad: [string, unknown][] = [
  ['unknown top-level key', { ...base, invoker: { count: 2 } }],
  ['unknown nested key', { ...base, controllers: { loadBalancr: 'legacy' } }],
  ['a bare number for a size', withAction({ memory: 256 })],
  ['a duration without a unit', { ...base, duration: '30' }],
  ['an unknown unit', { ...base, duration: '30 fortnights' }],
  ['an unknown balancer', { ...base, controllers: { loadBalancer: 'fastest' } }],
  ['a fractional invoker count', { ...base, invokers: { count: 2.5 } }],
  ['a fraction above 1', { ...base, controllers: { blackboxFraction: 1.5 } }],
  ['an unknown distribution key', withAction({ duration: { dist: 'lognormal', median: '50ms', p95: '200ms' } })],
  ['an unknown arrival process', withAction({ arrivals: { process: 'gamma', rate: '5/s' } })],
  ['a bad action name', withAction({ name: 'hello' })],
  ['no name', { duration: base.duration, workload: base.workload }],
  ['a list where a section goes', { ...base, invokers: [{ count: 2 }] }],
  ['a window with an unknown key', { ...base, windows: { peak: { from: '10s', until: '20s' } } }],
];

describe('the scenario JSON Schema', () => {
  it('is what `owsim schema` prints and what the package ships (scenario.schema.json)', async () => {
    const r = await runCli(['schema'], defaultDeps);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(scenarioJsonSchemaText());
    expect(readFileSync(join(root, 'scenario.schema.json'), 'utf8')).toBe(scenarioJsonSchemaText());
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).files).toContain('scenario.schema.json');
  });

  it('validates every shipped scenario, each of which points its editor at the schema', async () => {
    const shipped = await listShippedScenarios();
    expect(shipped.length).toBeGreaterThanOrEqual(12);
    for (const s of shipped) {
      const text = readFileSync(s.file, 'utf8');
      const expected = relative(dirname(s.file), join(root, 'scenario.schema.json'));
      expect(text.split('\n')[0], s.file).toBe(`# yaml-language-server: $schema=${expected}`);
      const ok = schemaAccepts(parseYaml(text));
      expect(ok ? [] : validate.errors, s.file).toEqual([]);
    }
  });

  it('accepts what the loader accepts', () => {
    const corpus: [string, unknown][] = [...good, ...Array.from({ length: 40 }, (_, i): [string, unknown] => [`fuzz seed ${i}`, drawFuzzScenario(i).document])];
    for (const [what, doc] of corpus) {
      expect(loaderAccepts(doc), what).toBe(true);
      const ok = schemaAccepts(doc);
      expect(ok ? [] : validate.errors, what).toEqual([]);
    }
  });

  it('refuses what the loader refuses for its structure', () => {
    for (const [what, doc] of bad) {
      expect(loaderAccepts(doc), what).toBe(false);
      expect(schemaAccepts(doc), what).toBe(false);
    }
  });

  it('gives editors defaults and descriptions', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, { properties?: Record<string, Record<string, unknown>> }> };
    expect(schema.properties['controllers']!.properties!['loadBalancer']).toMatchObject({
      anyOf: [{ enum: ['legacy', 'overflow', 'sharding'] }, { type: 'object', required: ['module'] }],
      default: 'legacy',
    });
    expect(schema.properties['invokers']!.properties!['userMemory']).toMatchObject({ type: 'string', default: '2GB' });
    expect(String(schema.properties['invokers']!.properties!['userMemory']!['description'])).toContain('256MB');
  });
});

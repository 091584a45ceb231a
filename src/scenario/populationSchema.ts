/**
 * Schemas of the workloads issue: `workload.population` (actions generated from named distributions,
 * src/model/workload/Population.ts), an action's `clients` (closed-loop clients instead of `arrivals`) and
 * `workload.timeScale`. Fields, units and defaults: docs/scenarios.md#workloadpopulation.
 */
import { z } from 'zod';
import type { DistributionSpec } from '../sim/distributions.js';
import type { PopulationConfig, UnlistedActionFields } from './types.js';
import { distribution, distributionJson, parseDistribution, OPEN_VALUE, type DistributionIssue, type QuantityKind } from './distributionSchema.js';
import { checkNumber, durationJson, durationMs, fraction, integer, leaf, leafJsonSchemas, number, ratePerSec, text, type LeafResult } from './leaves.js';
import { scenarioDefaults, scenarioLimits } from './defaults.js';
import { MAX_CV } from './arrivalSchema.js';

const populationDefaults = scenarioDefaults.workload.population;
const clientsDefaults = scenarioDefaults.action.clients;

/** `azure2019` or a distribution of the given kind. */
function azureOrDistribution(kind: QuantityKind) {
  const schema = z
    .unknown()
    .transform((value, ctx): DistributionSpec | 'azure2019' => {
      if (value === 'azure2019') return 'azure2019';
      const issues: DistributionIssue[] = [];
      const spec = parseDistribution(value, kind, issues);
      for (const issue of issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, params: { expected: `azure2019, or ${issue.expected}` } });
      }
      return spec ?? z.NEVER;
    })
    .meta(OPEN_VALUE);
  leafJsonSchemas.set(schema, { description: `azure2019, or a ${kind} distribution`, anyOf: [{ const: 'azure2019' }, distributionJson(kind)] });
  return schema;
}

const popularity = leaf((v): LeafResult<PopulationConfig['popularity']> => {
  if (v === 'azure2019') return { ok: true, value: { dist: 'azure2019' } };
  const expected = 'azure2019, or { dist: zipf, s: 1.1 }';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'not a popularity', expected };
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'dist' && k !== 's');
  if (o['dist'] !== 'zipf' || extra.length > 0) return { ok: false, message: extra.length > 0 ? `unknown key \`${extra[0]}\` for zipf popularity` : `unknown popularity \`${String(o['dist'])}\``, expected };
  const s = checkNumber({ positive: true, max: 10, what: 'a zipf exponent s' })(o['s']);
  return s.ok ? { ok: true, value: { dist: 'zipf', s: s.value } } : { ok: false, message: `s: ${s.message}`, expected: s.expected };
}, 'azure2019, or { dist: zipf, s: 1.1 }');
leafJsonSchemas.set(popularity, {
  description: 'azure2019, or { dist: zipf, s: 1.1 }',
  anyOf: [{ const: 'azure2019' }, { type: 'object', required: ['dist', 's'], additionalProperties: false, properties: { dist: { const: 'zipf' }, s: { type: 'number', exclusiveMinimum: 0, maximum: 10 } } }],
});

const cvJson = { anyOf: [{ const: 'azure2019' }, { type: 'number', minimum: 0, maximum: MAX_CV }] };
const cvValue = leaf((v): LeafResult<number | 'azure2019'> => (v === 'azure2019' ? { ok: true, value: 'azure2019' } : checkNumber({ min: 0, max: MAX_CV, what: 'a coefficient of variation, or azure2019' })(v)), 'a number like 1, or azure2019', cvJson);

const cycleSchema = z.strictObject({
  amplitude: number({ min: 0, max: 1, what: 'a fraction' }),
  period: durationMs({ allowZero: false }).prefault(populationDefaults.cycle.period),
  peakAt: durationMs().prefault(populationDefaults.cycle.peakAt),
});

const populationArrivals = z.preprocess(
  (v) => (v === 'azure2019' ? { cv: 'azure2019' } : v),
  z.strictObject({ cv: cvValue.prefault(populationDefaults.arrivals.cv), cycle: cycleSchema.optional() }),
).meta(OPEN_VALUE);
leafJsonSchemas.set(populationArrivals, {
  description: 'azure2019, or { cv: 1, cycle: { amplitude: 0.6, period: 24h, peakAt: 14h } }',
  anyOf: [
    { const: 'azure2019' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        cv: cvJson,
        cycle: { type: 'object', required: ['amplitude'], additionalProperties: false, properties: { amplitude: { type: 'number', minimum: 0, maximum: 1 }, period: durationJson, peakAt: durationJson } },
      },
    },
  ],
});

export const populationSchema = z.strictObject({
  actions: integer(1, scenarioLimits.actions, `owsim simulates at most ${scenarioLimits.actions} actions`),
  namespaces: integer(1).prefault(populationDefaults.namespaces),
  seedStream: text(/^\S+$/, 'a stream name without spaces').prefault(populationDefaults.seedStream),
  popularity: popularity.prefault(populationDefaults.popularity),
  rate: ratePerSec({ allowZero: false }).prefault(populationDefaults.rate),
  duration: azureOrDistribution('duration').prefault(populationDefaults.duration),
  durationSpread: number({ min: 1, max: 1000, what: 'a ratio p99 / median' }).prefault(populationDefaults.durationSpread),
  memory: azureOrDistribution('size').prefault(populationDefaults.memory),
  arrivals: populationArrivals.prefault(populationDefaults.arrivals),
  blackboxFraction: fraction().prefault(populationDefaults.blackboxFraction),
  kind: text(/^\S+$/, 'a runtime kind like nodejs:6').prefault(populationDefaults.kind),
  timeout: durationMs({ allowZero: false }).prefault(populationDefaults.timeout),
});

export function resolvePopulation(p: z.output<typeof populationSchema>, actionFields: UnlistedActionFields): PopulationConfig {
  const cycle = p.arrivals.cycle;
  return {
    actions: p.actions,
    namespaces: p.namespaces,
    seedStream: p.seedStream,
    popularity: p.popularity,
    ratePerSec: p.rate,
    durationMs: p.duration,
    durationSpread: p.durationSpread,
    memoryBytes: p.memory,
    arrivals: { cv: p.arrivals.cv, cycle: cycle === undefined ? null : { amplitude: cycle.amplitude, periodMs: cycle.period, peakAtMs: cycle.peakAt } },
    blackboxFraction: p.blackboxFraction,
    kind: p.kind,
    timeoutMs: p.timeout,
    actionFields,
  };
}

export const clientsSchema = z.strictObject({
  count: integer(1, 100_000, 'owsim simulates at most 100000 clients per action'),
  thinkTime: distribution('duration').prefault(clientsDefaults.thinkTime),
});

/** `workload.timeScale`: how many times faster than written the arrival processes' times run. */
export const timeScaleSchema = number({ positive: true, max: 1e6, what: 'a speed-up factor like 144 (a day in 10 minutes)' });

/**
 * A population of actions generated from named distributions (`workload.population`): thousands of actions
 * without listing them. The generator is deterministic for a seed: every marginal draws from its own stream
 * (`<seedStream>/popularity`, `/duration`, `/memory`, `/kind`, `/arrivals`), so changing one marginal's
 * distribution never changes what the others draw, and listed actions (which draw from their own
 * `workload/<action>/…` streams) are unaffected by adding a population.
 *
 * Action i (0-based) is `pop-ns<k>/fn<i>` with k = i mod namespaces, names zero-padded so they sort in order.
 * Its arrival rate is `rate` × its popularity weight / the sum of weights: zipf gives weight 1/(i+1)^s;
 * azure2019 draws each weight from the invocations-per-day fit (azure2019.ts), so the skew of the published
 * figures is kept while the total is `rate`. Its run time is lognormal with a median drawn per action and
 * p99 = median × `durationSpread`; its memory is drawn per action, rounded up to a whole MB and capped at the
 * invoker's user memory (so every action can run).
 */
import type { ActionConfig, ArrivalSpec, PopulationConfig, Scenario } from '../../scenario/types.js';
import { lognormalFromMedianP99, makeDistribution } from '../../sim/distributions.js';
import type { Rng } from '../../sim/rng.js';
import { AZURE2019_INVOCATIONS_PER_DAY, AZURE2019_MEMORY_MB, AZURE2019_RUN_TIME_MS, AZURE2019_TIMER_FRACTION, logQuantile } from './azure2019.js';

const MB = 1024 * 1024;

/** Action names of a population of `count` actions over `namespaces` namespaces. */
export function populationActionName(i: number, count: number, namespaces: number): string {
  const ns = String(i % namespaces).padStart(String(namespaces - 1).length, '0');
  return `pop-ns${ns}/fn${String(i).padStart(String(count - 1).length, '0')}`;
}

/** Namespaces a population uses (`pop-ns…`); listed actions must not use them. */
export const POPULATION_NAMESPACE = /^pop-ns\d+$/;

export function generatePopulation(config: PopulationConfig, stream: (name: string) => Rng, userMemoryMb: number): ActionConfig[] {
  const n = config.actions;
  const base = config.seedStream;
  const popularity = stream(`${base}/popularity`);
  const durations = stream(`${base}/duration`);
  const memories = stream(`${base}/memory`);
  const kinds = stream(`${base}/kind`);
  const arrivals = stream(`${base}/arrivals`);

  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const pop = config.popularity;
    weights[i] = pop.dist === 'zipf' ? 1 / Math.pow(i + 1, pop.s) : logQuantile(AZURE2019_INVOCATIONS_PER_DAY, popularity.nextFloat());
    total += weights[i]!;
  }
  const durationDist = config.durationMs === 'azure2019' ? null : makeDistribution(config.durationMs);
  const memoryDist = config.memoryBytes === 'azure2019' ? null : makeDistribution(config.memoryBytes);
  const namespaces = Math.min(config.namespaces, n);
  const cycle = config.arrivals.cycle;
  const fields = config.actionFields;

  const actions: ActionConfig[] = [];
  for (let i = 0; i < n; i++) {
    const name = populationActionName(i, n, namespaces);
    const namespace = name.slice(0, name.indexOf('/'));
    const median = Math.max(1e-3, durationDist === null ? logQuantile(AZURE2019_RUN_TIME_MS, durations.nextFloat()) : durationDist.sample(durations));
    const memoryMb = memoryDist === null ? logQuantile(AZURE2019_MEMORY_MB, memories.nextFloat()) : memoryDist.sample(memories) / MB;
    const blackbox = config.blackboxFraction > 0 && kinds.chance(config.blackboxFraction);
    const cv = config.arrivals.cv === 'azure2019' ? (arrivals.chance(AZURE2019_TIMER_FRACTION) ? 0 : 1) : config.arrivals.cv;
    const rate = (config.ratePerSec * weights[i]!) / total;
    let spec: ArrivalSpec;
    if (cycle !== null) spec = { process: 'diurnal', meanPerSec: rate, amplitude: cycle.amplitude, periodMs: cycle.periodMs, peakAtMs: cycle.peakAtMs, cv };
    else if (cv === 1) spec = { process: 'poisson', ratePerSec: rate };
    else spec = { process: 'renewal', ratePerSec: rate, cv };
    const kind = blackbox ? 'blackbox' : config.kind;
    actions.push({
      name,
      namespace,
      kind,
      memoryMb: Math.min(userMemoryMb, Math.max(1, Math.ceil(memoryMb - 1e-9))),
      timeoutMs: config.timeoutMs,
      concurrency: fields.concurrency,
      durationMs: lognormalFromMedianP99(median, median * config.durationSpread),
      arrivals: spec,
      errorProbability: fields.errorProbability,
      recordSizeBytes: fields.recordSizeBytes,
      blocking: fields.blocking,
      pull: blackbox,
      clients: null,
    });
  }
  return actions;
}

/** The scenario with its population's actions appended to `workload.actions` (itself when it has none). */
export function withPopulation(scenario: Scenario, stream: (name: string) => Rng): Scenario {
  const population = scenario.workload.population;
  if (population === null) return scenario;
  const generated = generatePopulation(population, stream, scenario.invokers.userMemoryMb);
  return { ...scenario, workload: { ...scenario.workload, actions: [...scenario.workload.actions, ...generated] } };
}

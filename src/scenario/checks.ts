/**
 * Semantic checks that need more than one field: things the schema alone cannot see. They run on the
 * file-shaped, already-parsed scenario, so every problem's path is a path the user wrote.
 *   - warmup must be shorter than duration;
 *   - (duration + drain) / sampleInterval ≤ 5 million samples;
 *   - an action's memory must fit an invoker's user memory (memory pool mode), as must each prewarm entry;
 *   - action names are unique;
 *   - the total mean arrival rate over the run is ≤ 10 million per second;
 *   - a burst or piecewise step starts before `duration` (workloadTimeChecks.ts);
 *   - with a store: `wait-enqueue` and `kafka-overflow` need a bounded batcher queue, and the invoker's base
 *     heap must be below its limit.
 */
import type { ArrivalSpec } from './types.js';
import { scenarioLimits } from './defaults.js';
import type { PathSegment } from './problems.js';
import type { ScenarioFile } from './schema.js';
import { formatDuration } from './units.js';
import { checkFaults } from './faultSchema.js';
import { checkWindows } from './windows.js';
import { checkWorkloadTimes } from './workloadTimeChecks.js';

/** The namespaces a population's generated actions use (`pop-ns<k>/fn<i>`, src/model/workload/Population.ts). */
const POPULATION_NAMESPACE = /^pop-ns\d+$/;

export interface CheckProblem {
  path: PathSegment[];
  message: string;
  expected: string;
  got: string;
}

/**
 * Mean arrival rate per second over [0, durationMs); for the processes whose rate varies over a time that
 * `workload.timeScale` rescales (renewal excepted) it is their peak rate, an upper bound that needs no timeScale.
 */
export function meanRatePerSec(arrivals: ArrivalSpec, durationMs: number): number {
  switch (arrivals.process) {
    case 'poisson':
    case 'constant':
      return arrivals.ratePerSec;
    case 'burst': {
      const start = Math.min(arrivals.atMs, durationMs);
      const end = Math.min(arrivals.atMs + arrivals.forMs, durationMs);
      const burstMs = end - start;
      return (arrivals.ratePerSec * (durationMs - burstMs) + arrivals.burstRatePerSec * burstMs) / durationMs;
    }
    case 'piecewise': {
      let weighted = 0;
      arrivals.steps.forEach((step, i) => {
        const from = Math.min(step.atMs, durationMs);
        const next = arrivals.steps[i + 1];
        const to = next ? Math.min(next.atMs, durationMs) : durationMs;
        weighted += step.ratePerSec * (to - from);
      });
      return weighted / durationMs;
    }
    case 'renewal':
      return arrivals.ratePerSec;
    case 'diurnal':
      return arrivals.meanPerSec * (1 + arrivals.amplitude);
    case 'mmpp':
      return Math.max(arrivals.ratesPerSec[0], arrivals.ratesPerSec[1]);
    case 'stages':
      return arrivals.stages.reduce((m, s) => Math.max(m, s.toPerSec), arrivals.startRatePerSec);
  }
}

const mb = (n: number) => (n % 1024 === 0 ? `${n / 1024}GB` : `${n}MB`);

export function checkScenario(s: ScenarioFile): CheckProblem[] {
  const problems: CheckProblem[] = [];
  if (s.warmup >= s.duration) {
    problems.push({
      path: ['warmup'],
      message: `warmup (${formatDuration(s.warmup)}) is not shorter than duration (${formatDuration(s.duration)}): no activation would be measured`,
      expected: `a warmup shorter than ${formatDuration(s.duration)}`,
      got: formatDuration(s.warmup),
    });
  }
  const samples = (s.duration + s.drain) / s.sampleInterval;
  if (samples > scenarioLimits.samples) {
    problems.push({
      path: ['sampleInterval'],
      message: `${formatDuration(s.sampleInterval)} over duration + drain (${formatDuration(s.duration + s.drain)}) gives ${Math.ceil(samples)} samples, more than owsim's limit of ${scenarioLimits.samples}`,
      expected: `at least ${formatDuration(Math.ceil((s.duration + s.drain) / scenarioLimits.samples))}`,
      got: formatDuration(s.sampleInterval),
    });
  }
  const memoryPool = s.invokers.poolMode === 'memory';
  if (memoryPool) {
    s.invokers.prewarm.forEach((p, i) => {
      if (p.memory > s.invokers.userMemory) {
        problems.push({
          path: ['invokers', 'prewarm', i, 'memory'],
          message: `a ${mb(p.memory)} prewarm container can never fit an invoker (invokers.userMemory is ${mb(s.invokers.userMemory)})`,
          expected: `at most ${mb(s.invokers.userMemory)}`,
          got: mb(p.memory),
        });
      }
    });
  }
  const firstIndexByName = new Map<string, number>();
  let totalRatePerSec = 0;
  s.workload.actions.forEach((action, i) => {
    if (memoryPool && action.memory > s.invokers.userMemory) {
      problems.push({
        path: ['workload', 'actions', i, 'memory'],
        message: `${action.name} needs ${mb(action.memory)} and can never fit an invoker (invokers.userMemory is ${mb(s.invokers.userMemory)})`,
        expected: `at most ${mb(s.invokers.userMemory)}, or a larger invokers.userMemory`,
        got: mb(action.memory),
      });
    }
    const first = firstIndexByName.get(action.name);
    if (first === undefined) firstIndexByName.set(action.name, i);
    else {
      problems.push({
        path: ['workload', 'actions', i, 'name'],
        message: `duplicate action name (also workload.actions[${first}].name)`,
        expected: 'a name used by no other action',
        got: action.name,
      });
    }
    if (POPULATION_NAMESPACE.test(action.name.split('/')[0]!) && s.workload.population !== undefined) {
      problems.push({
        path: ['workload', 'actions', i, 'name'],
        message: 'namespaces named pop-ns<number> belong to workload.population',
        expected: 'another namespace',
        got: action.name,
      });
    }
    if (action.clients === undefined) totalRatePerSec += meanRatePerSec(action.arrivals, s.duration);
  });
  const population = s.workload.population;
  if (population !== undefined) {
    totalRatePerSec += population.rate * (1 + (population.arrivals.cycle?.amplitude ?? 0));
    if (population.actions + s.workload.actions.length > scenarioLimits.actions) {
      problems.push({
        path: ['workload', 'population', 'actions'],
        message: `${population.actions} generated and ${s.workload.actions.length} listed actions are more than owsim's limit of ${scenarioLimits.actions}`,
        expected: `at most ${scenarioLimits.actions - s.workload.actions.length}`,
        got: String(population.actions),
      });
    }
  }
  problems.push(...checkWorkloadTimes(s));
  const store = s.store;
  if (store !== undefined && store.enabled !== false) {
    if (store.backpressure !== 'none' && store.batcher.queueLimit === null) {
      problems.push({
        path: ['store', 'batcher', 'queueLimit'],
        message: `backpressure \`${store.backpressure}\` acts when the batcher queue is full, so it needs a bounded queue`,
        expected: 'a whole number ≥ 1',
        got: 'unbounded',
      });
    }
    if (s.invokers.heap.base >= s.invokers.heap.limit) {
      problems.push({
        path: ['invokers', 'heap', 'base'],
        message: `the invoker's base heap (${mb(s.invokers.heap.base)}) leaves no room below its limit (${mb(s.invokers.heap.limit)})`,
        expected: `less than ${mb(s.invokers.heap.limit)}`,
        got: mb(s.invokers.heap.base),
      });
    }
  }
  problems.push(
    ...checkFaults(s.faults, {
      durationMs: s.duration,
      drainMs: s.drain,
      invokers: s.invokers.count,
      controllers: s.controllers.count,
      store: s.store !== undefined && s.store.enabled !== false,
      distributed: s.controllers.bookkeeping === 'distributed',
    }),
  );
  problems.push(...checkWindows(s));
  if (totalRatePerSec > scenarioLimits.totalRatePerSec) {
    problems.push({
      path: ['workload', 'actions'],
      message: `the actions' total mean arrival rate is ${Math.round(totalRatePerSec)}/s, above owsim's limit of ${scenarioLimits.totalRatePerSec}/s`,
      expected: `a total rate of at most ${scenarioLimits.totalRatePerSec}/s`,
      got: `${Math.round(totalRatePerSec)}/s`,
    });
  }
  return problems;
}

/**
 * Kernel micro-benchmarks: the classic hold model and an M/M/c queue built directly on the kernel. They
 * measure the agenda and the callback dispatch, nothing of OpenWhisk. Wall-clock time is read here (bench
 * results), never inside src/sim or src/model.
 */
import { performance } from 'node:perf_hooks';
import { Simulation } from '../sim/Simulation.js';
import { exponential } from '../sim/distributions.js';
import { erlangCMeanWait } from '../sim/queueingTheory.js';

export interface BenchResult {
  name: string;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  extra?: Record<string, number>;
}

/** Hold model: `pending` events, each rescheduling itself after an exponential delay. */
export function holdModel(pending: number, totalEvents: number, seed = 1): BenchResult {
  const sim = new Simulation({ seed });
  const rng = sim.rng('hold');
  const hold = (): void => {
    sim.schedule(exponential(rng, 1), hold);
  };
  for (let i = 0; i < pending; i++) sim.schedule(exponential(rng, 1), hold);
  const start = performance.now();
  sim.run({ maxEvents: totalEvents });
  const wallMs = performance.now() - start;
  return { name: `hold(${pending})`, events: sim.eventsProcessed, wallMs, eventsPerSec: (sim.eventsProcessed / wallMs) * 1000 };
}

/**
 * M/M/c with FIFO queue in a ring buffer: arrivals at rate λ, `servers` servers at rate μ each. Returns the
 * simulated mean wait beside the Erlang C value.
 */
export function mmcModel(servers: number, rho: number, customers: number, seed = 1): BenchResult {
  const sim = new Simulation({ seed });
  const arrivalRng = sim.rng('mmc/arrivals');
  const serviceRng = sim.rng('mmc/service');
  const serviceMeanMs = 100;
  const arrivalMeanMs = serviceMeanMs / (rho * servers);
  const queue = new Float64Array(1 << 20);
  let head = 0;
  let tail = 0;
  let busy = 0;
  let arrived = 0;
  let served = 0;
  let waitSum = 0;
  const mask = queue.length - 1;

  const depart = (): void => {
    if (head !== tail) {
      waitSum += sim.now - queue[head]!;
      head = (head + 1) & mask;
      served++;
      sim.schedule(exponential(serviceRng, serviceMeanMs), depart);
    } else {
      busy--;
    }
  };
  const arrive = (): void => {
    arrived++;
    if (busy < servers) {
      busy++;
      served++;
      sim.schedule(exponential(serviceRng, serviceMeanMs), depart);
    } else {
      queue[tail] = sim.now;
      tail = (tail + 1) & mask;
    }
    if (arrived < customers) sim.schedule(exponential(arrivalRng, arrivalMeanMs), arrive);
  };
  sim.schedule(exponential(arrivalRng, arrivalMeanMs), arrive);
  const start = performance.now();
  sim.run();
  const wallMs = performance.now() - start;
  const theory = erlangCMeanWait(servers, 1 / arrivalMeanMs, 1 / serviceMeanMs);
  return {
    name: `M/M/${servers} rho=${rho}`,
    events: sim.eventsProcessed,
    wallMs,
    eventsPerSec: (sim.eventsProcessed / wallMs) * 1000,
    extra: { customers: served, meanWaitMs: waitSum / served, erlangCMeanWaitMs: theory },
  };
}

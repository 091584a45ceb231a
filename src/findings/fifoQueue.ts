/**
 * The reference the M/M/16 validation compares the whole pipeline with (scenarios/validation/mmc.yaml): a
 * c-server FIFO queue fed by the workload's own named random streams, so that the model and the queue see the
 * same arrivals and run times. test/validation/mmc.test.ts checks the pipeline's waits against it pathwise;
 * docs/findings.md's `mmc` block quotes its long-run mean.
 */
import { exponential } from '../sim/distributions.js';
import { RngStreams } from '../sim/rng.js';

export interface FifoQueueSetup {
  servers: number;
  arrivalMeanMs: number;
  serviceMeanMs: number;
  /** The workload's stream names (`workload/<namespace>/<action>/arrivals` and `…/duration`). */
  arrivalStream: string;
  serviceStream: string;
}

/** The shipped scenario's queue: 16 slots, Poisson arrivals at 128/s, exponential run times of mean 100 ms. */
export const MMC_SCENARIO_QUEUE: FifoQueueSetup = {
  servers: 16,
  arrivalMeanMs: 1000 / 128,
  serviceMeanMs: 100,
  arrivalStream: 'workload/guest/mmc/arrivals',
  serviceStream: 'workload/guest/mmc/duration',
};

/**
 * Mean wait of customers arriving in [warmupMs, endMs) in a c-server FIFO queue (a Kiefer–Wolfowitz recursion
 * over server free times) fed by the streams of `seed`.
 */
export function fifoQueueMeanWait(setup: FifoQueueSetup, seed: number, warmupMs: number, endMs: number): { meanWaitMs: number; customers: number } {
  const { servers, arrivalMeanMs, serviceMeanMs } = setup;
  const streams = new RngStreams(seed);
  const arrivals = streams.stream(setup.arrivalStream);
  const services = streams.stream(setup.serviceStream);
  const freeAt = new Float64Array(servers); // a binary min-heap of server free times
  let t = 0;
  let sum = 0;
  let n = 0;
  for (;;) {
    t += exponential(arrivals, arrivalMeanMs);
    if (t >= endMs) break;
    const service = exponential(services, serviceMeanMs);
    const start = Math.max(t, freeAt[0]!);
    if (t >= warmupMs) {
      sum += start - t;
      n++;
    }
    // Replace the root (earliest free server) and sift down.
    let i = 0;
    const value = start + service;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= servers) break;
      const r = l + 1;
      const c = r < servers && freeAt[r]! < freeAt[l]! ? r : l;
      if (freeAt[c]! >= value) break;
      freeAt[i] = freeAt[c]!;
      i = c;
    }
    freeAt[i] = value;
  }
  return { meanWaitMs: sum / n, customers: n };
}

/**
 * With every latency zero, one invoker with 16 slots and exponential run times, the OpenWhisk pipeline is an
 * M/M/16 queue. Two checks, one exact and one statistical:
 *
 * 1. Pathwise: driven by the same random numbers (the workload's named streams), the whole model must give
 *    every measured activation the same wait as a 16-server FIFO queue computed directly (a Kiefer–Wolfowitz
 *    recursion over server free times). Any delay or reordering the pipeline added would show here at once.
 * 2. Statistical: that FIFO queue, over several seeds and many customers, matches Erlang C within 2%; and the
 *    model's own mean wait over three seeds is near Erlang C.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import { erlangCMeanWait } from '../../src/sim/queueingTheory.js';
import { MMC_SCENARIO_QUEUE, fifoQueueMeanWait } from '../../src/findings/fifoQueue.js';

const file = new URL('../../scenarios/validation/mmc.yaml', import.meta.url).pathname;
const { servers, arrivalMeanMs, serviceMeanMs } = MMC_SCENARIO_QUEUE;
const theoryMs = erlangCMeanWait(servers, 1 / arrivalMeanMs, 1 / serviceMeanMs);

describe('M/M/c reduction', () => {
  it('Erlang C for the shipped scenario is about 9.53 ms', () => {
    expect(theoryMs).toBeCloseTo(9.528, 2);
  });

  it('the 16-server FIFO queue on these streams matches Erlang C within 2% over 3 seeds', () => {
    const runs = [1, 2, 3].map((seed) => fifoQueueMeanWait(MMC_SCENARIO_QUEUE, seed, 60_000, 60_000 + 40 * 3_600_000));
    const mean = runs.reduce((a, r) => a + r.meanWaitMs, 0) / runs.length;
    expect(runs[0]!.customers).toBeGreaterThan(18_000_000);
    expect(Math.abs(mean - theoryMs) / theoryMs, `FIFO queue ${mean} ms vs Erlang C ${theoryMs} ms`).toBeLessThan(0.02);
  });

  for (const seed of [1, 2, 3]) {
    it(`the whole OpenWhisk pipeline gives exactly the FIFO queue's waits (seed ${seed})`, () => {
      const scenario = loadScenarioFile(file, ['duration=20m']);
      const { summary } = runScenario(scenario, { seed });
      const reference = fifoQueueMeanWait(MMC_SCENARIO_QUEUE, seed, scenario.warmupMs, scenario.durationMs);
      expect(summary.activations.completed).toBe(summary.activations.arrived);
      expect(summary.waitMs.count).toBe(reference.customers);
      expect(summary.waitMs.mean).toBeCloseTo(reference.meanWaitMs, 3);
      // Zero latencies: the time in system is the wait plus the run time.
      expect(summary.latencyMs.mean).toBeCloseTo(summary.waitMs.mean + summary.executionMs.mean, 2);
      // And within sampling error of Erlang C (a 20-minute run has a standard deviation of about 8%).
      expect(Math.abs(summary.waitMs.mean - theoryMs) / theoryMs).toBeLessThan(0.25);
    });
  }
});

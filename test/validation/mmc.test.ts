/**
 * With every latency zero, one invoker with 16 slots and exponential run times, the OpenWhisk pipeline is an
 * M/M/16 queue: the mean wait (arrival → execution start) must match Erlang C within 2% for every seed.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import { erlangCMeanWait } from '../../src/sim/queueingTheory.js';

const file = new URL('../../scenarios/validation/mmc.yaml', import.meta.url).pathname;

describe('M/M/c reduction', () => {
  const theoryMs = erlangCMeanWait(16, 128 / 1000, 1 / 100);

  it('Erlang C for the shipped scenario is about 9.53 ms', () => {
    expect(theoryMs).toBeCloseTo(9.528, 2);
  });

  for (const seed of [1, 2, 3]) {
    it(`mean wait matches Erlang C within 2% (seed ${seed})`, () => {
      const { summary } = runScenario(loadScenarioFile(file, ['duration=75m']), { seed });
      expect(summary.activations.lost).toBe(0);
      expect(summary.activations.rejected).toBe(0);
      expect(summary.activations.timedOut).toBe(0);
      expect(summary.waitMs.count).toBeGreaterThan(500_000);
      const error = Math.abs(summary.waitMs.mean - theoryMs) / theoryMs;
      expect(error, `simulated ${summary.waitMs.mean} ms vs Erlang C ${theoryMs} ms`).toBeLessThan(0.02);
      // Zero latencies: the time in system is the wait plus the run time, exactly.
      expect(summary.latencyMs.mean).toBeCloseTo(summary.waitMs.mean + summary.executionMs.mean, 2);
    });
  }
});

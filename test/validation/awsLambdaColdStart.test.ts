/**
 * The AWS Lambda keep-alive experiment (PACS Lab, exp.csv): one function, Poisson arrivals, a 10-minute idle
 * expiry. owsim's cold-start probability must be within 25% of the measured one at λ = 0.1/s and λ = 1/s.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';

const file = new URL('../../scenarios/validation/aws-lambda-coldstart.yaml', import.meta.url).pathname;

// exp.csv rows experiment_11 (λ = 0.0999/s) and experiment_9 (λ = 1.0005/s), column ColdStartProbability.
const measured = [
  { rate: '0.1/s', duration: '10d', pCold: 0.005949123396194999 },
  { rate: '1/s', duration: '2d', pCold: 0.0013070399809943605 },
];

describe('AWS Lambda cold-start probability', () => {
  for (const m of measured) {
    it(`is within 25% of the measured ${m.pCold.toFixed(4)} at λ = ${m.rate}`, () => {
      const scenario = loadScenarioFile(file, [`workload.actions.0.arrivals.rate=${m.rate}`, `duration=${m.duration}`]);
      const { summary } = runScenario(scenario);
      const error = Math.abs(summary.coldStarts.ratio - m.pCold) / m.pCold;
      expect(error, `simulated ${summary.coldStarts.ratio} vs measured ${m.pCold}`).toBeLessThan(0.25);
    });
  }
});

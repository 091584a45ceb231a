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

// Every invokers.containerSelection (issue 15); the non-default ones over half the time (still hundreds of
// cold starts at λ = 0.1/s) to keep the suite short.
const selections = [
  { selection: 'scala-map', half: false },
  { selection: 'mru', half: true },
];

function coldStartRatio(rate: string, duration: string, selection: string): number {
  const scenario = loadScenarioFile(file, [`workload.actions.0.arrivals.rate=${rate}`, `duration=${duration}`, `invokers.containerSelection=${selection}`]);
  return runScenario(scenario).summary.coldStarts.ratio;
}

describe('AWS Lambda cold-start probability', () => {
  for (const { selection, half } of selections) {
    for (const m of measured) {
      it(`is within 25% of the measured ${m.pCold.toFixed(4)} at λ = ${m.rate} (containerSelection ${selection})`, () => {
        const ratio = coldStartRatio(m.rate, half ? `${parseInt(m.duration, 10) / 2}d` : m.duration, selection);
        const error = Math.abs(ratio - m.pCold) / m.pCold;
        expect(error, `simulated ${ratio} vs measured ${m.pCold}`).toBeLessThan(0.25);
      });
    }
  }

  // LRU hands every activation to the container idle longest, so no container stays idle for the 10-minute
  // expiry while the load lasts: every container of the peak stays warm and cold starts all but vanish.
  // Lambda does not behave so; the departure is the finding (docs/findings.md), checked here as such.
  it('with containerSelection lru stays far below the measured probability: no container ever expires', () => {
    const ratio = coldStartRatio('0.1/s', '5d', 'lru');
    expect(ratio).toBeLessThan(0.1 * measured[0]!.pCold);
  });
});

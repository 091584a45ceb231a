/** Scenario forms of the workloads issue: new arrival processes, workload.defaults, timeScale, population, clients. */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load.js';

const scenario = (workload: string) => `
name: forms
workload:
${workload}`;

describe('arrival process forms', () => {
  it('parses stages, diurnal, mmpp and renewal with their defaults', () => {
    const s = parseScenarioText(
      scenario(`  actions:
    - name: a/stages
      arrivals: { process: stages, stages: [{ for: 2m, to: 500/s }, { for: 5m, to: 500/s }, { for: 1m, to: 0/s }] }
    - name: a/day
      arrivals: { process: diurnal, mean: 300/s, amplitude: 0.6 }
    - name: a/bursty
      arrivals: { process: mmpp, rates: [20/s, 400/s], meanDurations: [50s, 5s] }
    - name: a/cv
      arrivals: { process: renewal, rate: 10/s, cv: 3 }
`),
      'forms.yaml',
    );
    expect(s.workload.actions.map((a) => a.arrivals)).toEqual([
      { process: 'stages', startRatePerSec: 0, stages: [{ forMs: 120_000, toPerSec: 500 }, { forMs: 300_000, toPerSec: 500 }, { forMs: 60_000, toPerSec: 0 }], cv: 1 },
      { process: 'diurnal', meanPerSec: 300, amplitude: 0.6, periodMs: 86_400_000, peakAtMs: 50_400_000, cv: 1 },
      { process: 'mmpp', ratesPerSec: [20, 400], meanDurationsMs: [50_000, 5_000] },
      { process: 'renewal', ratePerSec: 10, cv: 3 },
    ]);
  });

  it('reports bad fields with their paths', () => {
    const bad = scenario(`  actions:
    - name: a/x
      arrivals: { process: mmpp, rates: [20/s], meanDurations: [50s, 0s] }
    - name: a/y
      arrivals: { process: diurnal, mean: 300/s, amplitude: 1.5, cv: -1 }
    - name: a/z
      arrivals: { process: stages, stages: [{ for: 2m, too: 5/s }] }
`);
    let message = '';
    try {
      parseScenarioText(bad, 'bad.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('workload.actions[0].arrivals.rates: mmpp needs exactly two values');
    expect(message).toContain('workload.actions[0].arrivals.meanDurations[1]');
    expect(message).toContain('workload.actions[1].arrivals.amplitude');
    expect(message).toContain('workload.actions[1].arrivals.cv');
    expect(message).toContain('workload.actions[2].arrivals.stages[0].too: unknown key `too` in a stage; did you mean `to`?');
  });
});

describe('workload.defaults', () => {
  it('fills fields of every listed action; an action\'s own value wins; clients replace inherited arrivals', () => {
    const s = parseScenarioText(
      scenario(`  defaults: { memory: 512MB, duration: 20ms, arrivals: 5/s }
  actions:
    - name: a/one
    - name: a/two
      memory: 128MB
    - name: a/three
      clients: { count: 3 }
`),
      'defaults.yaml',
    );
    const [one, two, three] = s.workload.actions;
    expect(one!.memoryMb).toBe(512);
    expect(one!.durationMs).toEqual({ dist: 'constant', value: 20 });
    expect(one!.arrivals).toEqual({ process: 'poisson', ratePerSec: 5 });
    expect(two!.memoryMb).toBe(128);
    expect(three!.clients).toEqual({ count: 3, thinkTimeMs: { dist: 'constant', value: 1000 } });
  });

  it('a bad default is reported once, at workload.defaults', () => {
    let message = '';
    try {
      parseScenarioText(scenario(`  defaults: { memory: 512 }\n  actions:\n    - name: a/one\n    - name: a/two\n`), 'bad.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('workload.defaults.memory: a bare number has no unit');
    expect(message).not.toContain('workload.actions');
  });
});

describe('workload.population and timeScale', () => {
  it('a population alone is a workload; every field has a default', () => {
    const s = parseScenarioText(scenario(`  timeScale: 144\n  population: { actions: 5000 }\n`), 'pop.yaml');
    expect(s.workload.timeScale).toBe(144);
    expect(s.workload.population).toEqual({
      actions: 5000,
      namespaces: 100,
      seedStream: 'population',
      popularity: { dist: 'azure2019' },
      ratePerSec: 100,
      durationMs: 'azure2019',
      durationSpread: 4,
      memoryBytes: 'azure2019',
      arrivals: { cv: 1, cycle: null },
      blackboxFraction: 0,
      kind: 'nodejs:6',
      timeoutMs: 60_000,
      actionFields: { concurrency: 1, errorProbability: 0, recordSizeBytes: { dist: 'constant', value: 16 * 1024 }, blocking: true },
    });
  });

  it('refuses too many actions and listed actions in the population\'s namespaces', () => {
    let message = '';
    try {
      parseScenarioText(scenario(`  population: { actions: 10001, popularity: { dist: zipf, s: 0 } }\n  actions:\n    - name: pop-ns1/x\n`), 'bad.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('workload.population.actions');
    expect(message).toContain('workload.population.popularity');
  });
});

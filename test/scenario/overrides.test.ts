import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { applyOverrides, parseScenarioText, ScenarioProblemsError } from '../../src/scenario/load.js';

const base = `
name: base
workload:
  actions:
    - name: guest/hello
      duration: { dist: lognormal, median: 50ms, p99: 400ms }
      arrivals: { process: poisson, rate: 10/s }
`;

const load = (...overrides: string[]) => parseScenarioText(base, 'base.yaml', overrides);

function overrideError(...overrides: string[]): ScenarioError {
  try {
    load(...overrides);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('no error');
}

describe('--set overrides', () => {
  it('set numbers, units and creates missing sections', () => {
    const s = load('invokers.count=20', 'workload.actions.0.memory=512MB', 'duration=3m');
    expect(s.invokers.count).toBe(20);
    expect(s.workload.actions[0]!.memoryMb).toBe(512);
    expect(s.durationMs).toBe(180_000);
  });

  it('parse flow lists and mappings', () => {
    const s = load('controllers.fixes=[max-offset-on-empty-poll]', 'kafka.latency={ dist: exponential, mean: 5ms }');
    expect(s.controllers.fixes).toEqual(['max-offset-on-empty-poll']);
    expect(s.kafka.latencyMs).toEqual({ dist: 'exponential', mean: 5 });
  });

  it('reach inside distributions and arrivals, and accept bracket indices', () => {
    const s = load('workload.actions[0].arrivals.rate=1/s', 'workload.actions.0.duration.p99=1s');
    expect(s.workload.actions[0]!.arrivals).toEqual({ process: 'poisson', ratePerSec: 1 });
    expect(s.workload.actions[0]!.durationMs).toMatchObject({ dist: 'lognormal', mu: Math.log(50) });
  });

  it('take the rest of a thresholds path as one key, and keep `>` expressions as text', () => {
    const s = load('thresholds.latencyMs.p99=< 1500', 'thresholds.activations.completed=> 5');
    expect(s.thresholds).toEqual({ 'latencyMs.p99': '< 1500', 'activations.completed': '> 5' });
  });

  it('apply in order, the last one winning', () => {
    expect(load('seed=2', 'seed=3').seed).toBe(3);
  });

  it('applyOverrides works on a raw document', () => {
    expect(applyOverrides({ name: 'x' }, ['invokers.count=3', 'controllers.limits.systemConcurrent=10'], 'x.yaml')).toEqual({
      name: 'x',
      invokers: { count: 3 },
      controllers: { limits: { systemConcurrent: 10 } },
    });
  });
});

describe('bad --set overrides', () => {
  it('an unknown key names --set and the path, with did-you-mean', () => {
    const e = overrideError('invokers.cont=3');
    expect(e.message).toContain('--set invokers.cont=3');
    expect(e.message).toContain('invokers.cont: unknown key `cont` in invokers; did you mean `count`?');
    expect(e.details.path).toBe('invokers.cont');
  });

  it('an unknown top-level key', () => {
    expect(overrideError('invoker.count=3').message).toContain('did you mean `invokers`?');
  });

  it('an index out of range', () => {
    const e = overrideError('workload.actions.3.memory=512MB');
    expect(e.message).toContain('index 3 is out of range: workload.actions has 1 item');
    expect(e.details.path).toBe('workload.actions[3]');
    expect(overrideError('invokers.prewarm.0.count=1').message).toContain('has no items');
  });

  it('a key below a single value', () => {
    expect(overrideError('seed.x=1').message).toContain('seed is a single value');
    expect(overrideError('workload.actions.0.memory.x=1').message).toContain('workload.actions[0].memory is a single value');
  });

  it('a path into a scalar distribution written in the file', () => {
    const e = (() => {
      try {
        parseScenarioText(`${base}invokers: { coldStart: 500ms }\n`, 'b.yaml', ['invokers.coldStart.mean=1s']);
      } catch (err) {
        return err as ScenarioError;
      }
      throw new Error('no error');
    })();
    expect(e.message).toContain('invokers.coldStart is "500ms" in the file, not a mapping');
  });

  it('a malformed override', () => {
    expect(overrideError('invokers.count').message).toContain('an override is path=value');
    expect(overrideError('invokers..count=1').message).toContain('empty segment');
  });

  it('a value that fails validation says it came from --set', () => {
    const e = overrideError('invokers.count=-1') as ScenarioProblemsError;
    expect(e).toBeInstanceOf(ScenarioProblemsError);
    expect(e.problems[0]!.path).toBe('invokers.count');
    expect(e.problems[0]!.line).toBeUndefined();
    expect(e.message).toContain('(value from --set invokers.count=-1)');
  });
});

/** YAML merge keys (`<<: *defaults`) and `x-` anchor holders in scenario files; one way of reading units. */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { validateThresholds, parseCondition } from '../../src/report/thresholds.js';
import { parseRule } from '../../src/report/compare.js';

const MERGED = `
name: merged
duration: 30s
x-action: &action
  kind: nodejs:6
  memory: 256MB
  timeout: 1 min
  duration: { dist: constant, value: 50ms }
  arrivals: { process: poisson, rate: 5/s }
workload:
  actions:
    - <<: *action
      name: guest/a
    - { <<: *action, name: guest/b, memory: 512mb }
`;

describe('YAML merge keys', () => {
  it('merges an anchored block into each action; a key beside the merge wins; x- keys are not fields', () => {
    const s = parseScenarioText(MERGED, 'merged.yaml');
    expect(s.workload.actions.map((a) => [a.name, a.memoryMb, a.timeoutMs])).toEqual([
      ['guest/a', 256, 60_000],
      ['guest/b', 512, 60_000],
    ]);
    expect(Object.keys(s)).not.toContain('x-action');
  });

  it('names the action field of an error that came from a merged block', () => {
    const bad = MERGED.replace('memory: 256MB', 'memory: 256m');
    let err: unknown;
    try {
      parseScenarioText(bad, 'merged.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const text = (err as Error).message + JSON.stringify((err as ScenarioError).details);
    expect(text).toMatch(/workload\.actions\[0\]\.memory/);
    expect(text).toMatch(/did you mean 256MB/);
  });
});

describe('duration units in thresholds and compare rules', () => {
  it('take any duration unit, any case', () => {
    expect(parseCondition('latencyMs.p99', '< 2 min').value).toBe(120_000);
    expect(parseCondition('latencyMs.p99', '< 1.5S').value).toBe(1500);
    expect(() => validateThresholds({ 'latencyMs.p99': '< 3 fortnights' })).toThrow(/unknown unit/);
    expect(parseRule('latencyMs.p99>+1min').bound).toBe(60_000);
  });
});

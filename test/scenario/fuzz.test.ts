/** Whatever text a user feeds the loader, the only thing it may throw is an OwsimError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OwsimError } from '../../src/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';

function onlyOwsimErrors(text: string, overrides: string[] = []): void {
  try {
    parseScenarioText(text, 'fuzz.yaml', overrides);
  } catch (e) {
    if (!(e instanceof OwsimError)) throw e;
    expect(e.message).toContain('fuzz.yaml');
  }
}

const token = fc.constantFrom(
  'name', 'workload', 'actions', 'invokers', 'count', 'memory', 'duration', 'dist', 'lognormal', 'median', 'p99',
  'arrivals', 'process', 'rate', 'quantiles', 'p0', 'p100', 'mixture', 'of', 'weight', 'guest/hello', '256MB',
  '-5/s', '10ms', '2GB', '0', '1e999', 'null', '~', 'true', '[', ']', '{', '}', ':', ': ', '- ', ',', '\n', '  ',
  '"', "'", '#', '&a', '*a', '!!str', '<<', '?', '|', '>', 'x',
);

describe('loader robustness', () => {
  it('random YAML-ish text never throws anything but OwsimError', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), (tokens) => onlyOwsimErrors(tokens.join(''))),
      { numRuns: 400, seed: 7 },
    );
  });

  it('random structured documents never throw anything but OwsimError', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.constantFrom('guest/a', '1s', '256MB', '5/s', 'lognormal', 'mixture', 'blackbox', -1, 0, 1.5, 1e12, null, true), fc.string({ maxLength: 6 })),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('name', 'dist', 'of', 'weight', 'median', 'p99', 'rate', 'process', 'memory', 'count', 'x', 'p0', 'p100', 'quantiles'), tie('node'), { maxKeys: 4 })),
    })).node;
    const doc = fc.record({
      name: fc.oneof(fc.constant('ok'), value),
      workload: fc.oneof(fc.record({ actions: fc.array(fc.dictionary(fc.constantFrom('name', 'memory', 'duration', 'arrivals', 'recordSize', 'kind'), value, { maxKeys: 5 }), { maxLength: 3 }) }), value),
      invokers: fc.oneof(fc.dictionary(fc.constantFrom('count', 'coldStart', 'userMemory', 'prewarm'), value, { maxKeys: 3 }), value),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(doc, fc.array(fc.constantFrom('invokers.count=3', 'workload.actions.0.memory=1GB', 'x=1', 'seed=', 'thresholds.a.b=< 1', 'kafka.latency.mean=1ms'), { maxLength: 2 }), (d, overrides) =>
        onlyOwsimErrors(JSON.stringify(d), overrides),
      ),
      { numRuns: 400, seed: 11 },
    );
  });
});

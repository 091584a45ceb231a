/** The scenario fields of issue 15: parsed into base units, and bad values refused with a clear message. */
import { describe, expect, it } from 'vitest';
import { parseScenarioText, ScenarioProblemsError } from '../../src/scenario/load.js';

const base = (extra: string, invokers = '{ count: 2 }') => `name: fields
invokers: ${invokers}
workload:
  actions:
    - { name: guest/hello }
${extra}`;

function problems(extra: string, invokers?: string): string {
  try {
    parseScenarioText(base(extra, invokers), 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioProblemsError);
    return (e as Error).message;
  }
  throw new Error('loaded');
}

describe('issue 15 fields', () => {
  it('parses drop, enqueueRetries, maxTries, errors, throttle, kafka.producer and containerSelection', () => {
    const s = parseScenarioText(
      base(`store:
  backpressure: drop
  batcher: { queueLimit: 100 }
  enqueueRetries: forever
  maxTries: 0
  errors: { probability: 0.2, latency: 3s }
  throttle: { requestUnitsPerSecond: 400/s, retryAfter: 1s }
kafka: { producer: { maxRequestSize: 2MB, bufferMemory: 64MB, maxBlock: 5s } }
`),
      'ok.yaml',
      ['invokers.containerSelection=lru'],
    );
    expect(s.store).toMatchObject({
      backpressure: 'drop',
      enqueueRetries: null,
      maxTries: 0,
      errors: { probability: 0.2, latencyMs: { dist: 'constant', value: 3000 } },
      throttle: { requestUnitsPerSecond: 400, requestUnitsPerRecord: 10, retryAfterMs: 1000, maxRetries: 9, maxRetryWaitMs: 30_000 },
    });
    expect(s.kafka.producer).toEqual({ maxRequestSizeBytes: 2 * 1024 * 1024, bufferMemoryBytes: 64 * 1024 * 1024, maxBlockMs: 5000 });
    expect(s.invokers.containerSelection).toBe('lru');
  });

  it('defaults: 3 enqueue retries, HEAD\'s 3 tries, no errors, no throttle', () => {
    const s = parseScenarioText(base('store: {}\n'), 'ok.yaml');
    expect(s.store).toMatchObject({ enqueueRetries: 3, maxTries: 3, errors: null, throttle: null });
  });

  it('refuses drop without a bounded queue, a bad containerSelection and a bad enqueueRetries', () => {
    expect(problems('store: { backpressure: drop }\n')).toContain('backpressure `drop` acts when the batcher queue is full, so it needs a bounded queue');
    expect(problems('', '{ containerSelection: scala }')).toMatch(/containerSelection: unknown value `scala`.*did you mean `scala-map`/s);
    expect(problems('store: { enqueueRetries: sometimes }\n')).toContain('forever or a whole number ≥ 0');
    expect(problems('store: { throttle: { retryAfter: 1s } }\n')).toContain('store.throttle.requestUnitsPerSecond');
  });
});

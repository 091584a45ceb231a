/**
 * Every activation record ends in exactly one way (issue 15): written, dropped (a full queue under `drop`),
 * given up (option A), refused by the Kafka producer, lost to store errors after every retry, lost in a crash
 * or a failed Kafka send, or still pending at the end. A property over strategies, store failure modes,
 * producer limits and faults: the counts of summary.store sum to `produced`, and the invariant checker's
 * records-conserved check holds at every sample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/runScenario.js';
import { parseScenarioText } from '../../../src/scenario/load.js';

const strategies = ['none', 'drop', 'wait-enqueue', 'kafka-overflow'] as const;
const faultKinds = ['invoker-crash', 'store-errors', 'store-throttle', 'kafka-outage', 'store-slow', 'none'] as const;

function faultLine(kind: (typeof faultKinds)[number]): string {
  switch (kind) {
    case 'invoker-crash':
      return '  - { at: 6s, kind: invoker-crash, target: invoker0, for: 3s }';
    case 'store-errors':
      return '  - { at: 4s, kind: store-errors, probability: 0.7, latency: 300ms, for: 5s }';
    case 'store-throttle':
      return '  - { at: 4s, kind: store-throttle, requestUnitsPerSecond: 300/s, retryAfter: 200ms, for: 5s }';
    case 'kafka-outage':
      return '  - { at: 5s, kind: kafka-outage, for: 2s }';
    case 'store-slow':
      return '  - { at: 3s, kind: store-slow, throughput: 10/s, for: 5s }';
    case 'none':
      return '';
  }
}

describe('record accounting', () => {
  it('written + every unwritten ending + pending = produced, under every strategy and fault', () => {
    // Which endings the drawn runs reached: the property must not hold vacuously.
    const seen = { droppedRecords: 0, givenUpRecords: 0, refusedRecords: 0, recordsLostToErrors: 0, lostRecords: 0, pending: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...strategies),
        fc.uniqueArray(fc.constantFrom(...faultKinds), { maxLength: 3 }),
        fc.record({
          queueLimit: fc.integer({ min: 5, max: 300 }),
          enqueueRetries: fc.constantFrom('forever', 0, 1, 3),
          errors: fc.constantFrom(0, 0.2),
          throttle: fc.boolean(),
          maxTries: fc.integer({ min: 0, max: 3 }),
          bufferMemory: fc.constantFrom('64KB', '1MB', '32MB'),
          maxBlock: fc.constantFrom('0ms', '100ms', '60s'),
          heapLimit: fc.constantFrom('400MB', '2GB'),
          drain: fc.constantFrom('2s', '1m'),
        }),
        (backpressure, faults, p) => {
          const lines = faults.map(faultLine).filter((l) => l !== '');
          const text = `
name: accounting
seed: 5
duration: 12s
drain: ${p.drain}
controllers: { busyThreshold: 32 }
invokers: { count: 2, userMemory: 4GB, heap: { limit: ${p.heapLimit}, base: 300MB }, restartDelay: 2s }
kafka: { latency: 20ms, producer: { bufferMemory: ${p.bufferMemory}, maxBlock: ${p.maxBlock}, maxRequestSize: 512KB } }
store:
  throughput: 150/s
  bulkLatency: 20ms
  batcher: { batchSize: 50, concurrency: 4, queueLimit: ${p.queueLimit} }
  backpressure: ${backpressure}
  enqueueRetries: ${p.enqueueRetries}
  maxTries: ${p.maxTries}
  recorders: 1
  partitions: 2
${p.errors > 0 ? `  errors: { probability: ${p.errors}, latency: 100ms }\n` : ''}${p.throttle ? '  throttle: { requestUnitsPerSecond: 1000/s, retryAfter: 100ms, maxRetries: 2 }\n' : ''}workload:
  actions:
    - { name: guest/a, duration: 50ms, memory: 128MB, arrivals: 300/s, recordSize: { dist: lognormal, median: 100KB, p99: 700KB } }
${lines.length > 0 ? `faults:\n${lines.join('\n')}\n` : ''}`;
          const s = runScenario(parseScenarioText(text, 'accounting.yaml'), { checks: true }).summary;
          const st = s.store!;
          expect(st.produced).toBeGreaterThan(0);
          const sum = st.written + st.droppedRecords + st.givenUpRecords + st.refusedRecords + st.recordsLostToErrors + st.lostRecords + st.pending;
          expect(sum).toBe(st.produced);
          for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k] += st[k];
          if (backpressure !== 'drop') expect(st.droppedRecords).toBe(0);
          if (backpressure !== 'wait-enqueue') expect(st.givenUpRecords).toBe(0);
          if (backpressure !== 'kafka-overflow') expect(st.refusedRecords + st.blockedSends).toBe(0);
        },
      ),
      { numRuns: 20, seed: 15 },
    );
    for (const [k, n] of Object.entries(seen)) expect(n, k).toBeGreaterThan(0);
  }, 120_000);
});

/**
 * Option B's Kafka producer limits (issue 15): max.request.size refuses large records, a full buffer.memory
 * blocks the proxy's send (holding its container and record), and a send blocked past max.block.ms fails.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/runScenario.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import type { Summary } from '../../../src/report/types.js';
import { renderSummaryMarkdown } from '../../../src/report/MarkdownReporter.js';

/** 400 completions/s of large records against a store writing 100/s, overflowing to a slow broker. */
const SCENARIO = `
name: producer-limits
duration: 40s
drain: 2m
controllers: { busyThreshold: 64 }
invokers: { count: 2, userMemory: 8GB, heap: { limit: 4GB, base: 300MB } }
kafka: { latency: 300ms, producer: { bufferMemory: 8MB, maxBlock: 200ms } }
store:
  throughput: 100/s
  bulkLatency: 20ms
  batcher: { batchSize: 100, concurrency: 8, queueLimit: 200 }
  backpressure: kafka-overflow
workload:
  actions:
    - { name: guest/big, duration: 50ms, memory: 128MB, arrivals: 400/s, recordSize: { dist: lognormal, median: 200KB, p99: 1500KB } }
`;

function run(overrides: string[] = []): Summary {
  return runScenario(parseScenarioText(SCENARIO, 'producer.yaml', overrides), { checks: true }).summary;
}

function accounted(s: Summary): number {
  const st = s.store!;
  return st.written + st.lostRecords + st.droppedRecords + st.givenUpRecords + st.refusedRecords + st.recordsLostToErrors + st.pending;
}

describe('kafka.producer limits under kafka-overflow', () => {
  const limited = run();
  const roomy = run(['kafka.producer.bufferMemory=1GB', 'kafka.producer.maxRequestSize=1GB']);

  it('refuses records over max.request.size and sends that blocked past max.block.ms; all records accounted for', () => {
    const st = limited.store!;
    expect(st.refusedRecords).toBeGreaterThan(0);
    expect(st.blockedSends).toBeGreaterThan(0);
    expect(accounted(limited)).toBe(st.produced);
    expect(renderSummaryMarkdown(limited)).toContain('refused by the Kafka producer');
    expect(renderSummaryMarkdown(limited)).toContain('sends blocked on a full producer buffer');
  });

  it('without the limits nothing is refused or blocked', () => {
    const st = roomy.store!;
    expect(st.refusedRecords).toBe(0);
    expect(st.blockedSends).toBe(0);
    expect(accounted(roomy)).toBe(st.produced);
  });

  it('a blocked send holds its container: activations wait longer than with a roomy buffer', () => {
    expect(limited.latencyMs.p99).toBeGreaterThan(roomy.latencyMs.p99);
  });

  it('only size refusals with a long max.block.ms: blocked sends wait and then go through', () => {
    const s = run(['kafka.producer.maxBlock=1h']);
    const st = s.store!;
    expect(st.blockedSends).toBeGreaterThan(0);
    // Every refusal is a record over 1 MB: at a p99 of 1.5 MB, about 2 % of the overflowed records.
    expect(st.refusedRecords).toBeGreaterThan(0);
    expect(st.refusedRecords).toBeLessThan(0.1 * (st.overflowed + st.refusedRecords));
    expect(accounted(s)).toBe(st.produced);
  });
});

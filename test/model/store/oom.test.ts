/**
 * The slow activation store end to end (GitHub issue 5): invoker heap accounting, the out-of-memory crash and
 * restart, and the three backpressure strategies under the same overload of the store. Every run asserts
 * record conservation at its end (Cluster.finish); the tests also check it from summary.json.
 */
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/model/Cluster.js';
import { runScenario } from '../../../src/runScenario.js';
import { parseScenarioText } from '../../../src/scenario/load.js';
import type { RunOutput, Summary } from '../../../src/report/types.js';
import { renderSummaryMarkdown } from '../../../src/report/MarkdownReporter.js';

/** 500 completions/s against a store writing 300 documents/s: 200 records/s of 64 KB pile up. */
const OVERLOAD = `
name: oom-test
duration: 90s
drain: 2m
controllers: { busyThreshold: 64 }
invokers: { count: 2, userMemory: 8GB, heap: { limit: 512MB, base: 300MB }, restartDelay: 20s }
store:
  throughput: 300/s
  bulkLatency: 20ms
  batcher: { batchSize: 100, concurrency: 8, queueLimit: 1000 }
workload:
  actions:
    - { name: guest/thumb, duration: 100ms, memory: 128MB, arrivals: 500/s, recordSize: 64KB }
`;

const MB = 1024 * 1024;

function run(overrides: string[] = []): RunOutput {
  return runScenario(parseScenarioText(OVERLOAD, 'oom-test.yaml', overrides));
}

function column(out: RunOutput, name: string): number[] {
  const i = out.timeseries.columns.indexOf(name);
  expect(i, name).toBeGreaterThan(0);
  return out.timeseries.rows.map((r) => r[i]!);
}

function expectConserved(s: Summary): void {
  const st = s.store!;
  expect(st.written + st.lostRecords + st.droppedRecords + st.givenUpRecords + st.refusedRecords + st.recordsLostToErrors + st.pending).toBe(st.produced);
}

describe('backpressure strategies under a store slower than the completion rate (issue 5, done when)', () => {
  const none = run();
  const waitEnqueue = run(['store.backpressure=wait-enqueue', 'store.enqueueRetries=forever']);
  const waitEnqueueGivingUp = run(['store.backpressure=wait-enqueue']);
  const drop = run(['store.backpressure=drop']);
  const kafkaOverflow = run(['store.backpressure=kafka-overflow']);

  it('none (OpenWhisk as shipped): the batcher grows until invokers run out of memory and records are lost', () => {
    const s = none.summary;
    expect(s.oom!.crashes).toBeGreaterThan(0);
    expect(s.oom!.firstCrashMs).toBeGreaterThan(0);
    expect(s.oom!.peakHeapFraction).toBeGreaterThan(1);
    expect(s.oom!.timeAboveNinetyPercentMs).toBeGreaterThan(0);
    expect(s.store!.lostRecords).toBeGreaterThan(0);
    expect(s.store!.overflowed).toBe(0);
    expectConserved(s);
  });

  it('a crash loses in-flight activations and the controllers mark the invoker Offline; it restarts later', () => {
    const s = none.summary;
    expect(s.oom!.activationsLost).toBeGreaterThan(0);
    expect(s.activations.lost).toBeGreaterThanOrEqual(s.oom!.activationsLost);
    expect(Object.keys(s.health.byKind).some((k) => k.endsWith('->Offline'))).toBe(true);
    const crashed = column(none, 'crashed.invoker0');
    const heap = column(none, 'heapMb.invoker0');
    const down = crashed.indexOf(1);
    expect(down).toBeGreaterThan(0);
    expect(heap[down]).toBe(0);
    // Down for restartDelay (20 s at 1 s samples), then up again with an empty heap.
    const up = crashed.indexOf(0, down);
    expect(up - down).toBeGreaterThanOrEqual(19);
    expect(up - down).toBeLessThanOrEqual(21);
    expect(heap[up]).toBeGreaterThanOrEqual(300);
    expect(heap[up]).toBeLessThan(320);
  });

  it('wait-enqueue (option A): no crash, no record lost; the cost is activation latency', () => {
    const s = waitEnqueue.summary;
    expect(s.oom!.crashes).toBe(0);
    expect(s.store!.lostRecords).toBe(0);
    expect(s.oom!.peakHeapFraction).toBeLessThan(0.9);
    expect(s.store!.maxQueue).toBeLessThanOrEqual(1000);
    expect(s.latencyMs.p50).toBeGreaterThan(10 * kafkaOverflow.summary.latencyMs.p50);
    expect(s.activations.lost).toBe(0);
    expectConserved(s);
  });

  it('wait-enqueue with its default 3 retries: the proxy gives records up and frees its container, no crash', () => {
    const s = waitEnqueueGivingUp.summary;
    expect(s.oom!.crashes).toBe(0);
    expect(s.store!.givenUpRecords).toBeGreaterThan(0);
    expect(s.store!.lostRecords).toBe(0);
    // Giving up frees containers sooner than waiting forever.
    expect(s.latencyMs.p50).toBeLessThan(waitEnqueue.summary.latencyMs.p50);
    expect(renderSummaryMarkdown(s)).toContain('given up (enqueue retries spent)');
    expectConserved(s);
  });

  it('drop: a bounded queue refuses new records when full: no crash, records dropped, and the verdict says both', () => {
    const s = drop.summary;
    expect(s.oom!.crashes).toBe(0);
    expect(s.store!.droppedRecords).toBeGreaterThan(0);
    expect(s.store!.lostRecords).toBe(0);
    expect(s.store!.maxQueue).toBeLessThanOrEqual(1000);
    const md = renderSummaryMarkdown(s);
    expect(md).toMatch(/\*\*(Safe|At risk)\.\*\*[^\n]* But \d+(\.\d+)?\s?% of the records were not written: [\d,]+ dropped \(queue full\)/);
    expectConserved(s);
  });

  it('kafka-overflow (option B): no crash, no record lost; the cost is a backlog on the activations topic', () => {
    const s = kafkaOverflow.summary;
    expect(s.oom!.crashes).toBe(0);
    expect(s.store!.lostRecords).toBe(0);
    expect(s.store!.overflowed).toBeGreaterThan(0);
    expect(s.store!.maxKafkaBacklog).toBeGreaterThan(1000);
    expect(s.topics['activations']!.maxDepth).toBe(s.store!.maxKafkaBacklog);
    expect(s.latencyMs.p99).toBeLessThan(1000);
    expect(s.store!.writeLatencyMs.p99).toBeGreaterThan(10_000);
    expectConserved(s);
  });

  it('summary.md opens its OOM risk section with the verdict', () => {
    const md = renderSummaryMarkdown(none.summary);
    expect(md).toContain('## OOM risk');
    expect(md).toMatch(/\*\*Crashed\.\*\* \d+ out-of-memory crash(es)? , ?|\*\*Crashed\.\*\* \d+ out-of-memory crash/);
    expect(md).toContain('activation records and');
    expect(renderSummaryMarkdown(waitEnqueue.summary)).toMatch(/\*\*(Safe|At risk)\.\*\*/);
    expect(renderSummaryMarkdown(kafkaOverflow.summary)).toContain('sent to `activations`');
  });

  it('every variant writes the per-invoker heap, batcher queue and crash columns', () => {
    for (const out of [none, waitEnqueue, kafkaOverflow]) {
      for (const name of ['heapMb.invoker1', 'batcherQueue.invoker0', 'crashed.invoker1', 'store.backlog']) {
        expect(out.timeseries.columns).toContain(name);
      }
    }
  });
});

describe('invoker heap', () => {
  it('is base + the batcher (waiting and in calls) + records of in-flight activations, checked at every instant', () => {
    const cluster = new Cluster(parseScenarioText(OVERLOAD, 'oom-test.yaml', ['duration=20s', 'store.backpressure=wait-enqueue']));
    const sim = cluster.parts.sim;
    let checks = 0;
    const check = () => {
      for (const inv of cluster.parts.invokers) {
        if (!inv.isAlive) continue;
        const batcher = inv.activationBatcher!;
        const inFlightBytes = inv.heapBytes - 300 * MB - batcher.bytes;
        // Constant 64 KB records: whatever is not in the batcher is whole in-flight records.
        expect(inFlightBytes % (64 * 1024)).toBe(0);
        expect(inFlightBytes / (64 * 1024)).toBeLessThanOrEqual(inv.inFlight);
        expect(batcher.bytes).toBe((batcher.queued + batcher.inBulk) * 64 * 1024);
      }
      checks++;
      if (sim.now < 20_000) sim.schedule(97, check);
    };
    sim.schedule(0, check);
    cluster.run();
    expect(checks).toBeGreaterThan(100);
    cluster.parts.assertRecordsConserved();
  });

  it('the store is off without a store section: no heap, no records, no extra columns', () => {
    const text = OVERLOAD.replace(/store:[\s\S]*?workload:/, 'workload:');
    const out = runScenario(parseScenarioText(text, 'no-store.yaml', ['duration=5s']));
    expect(out.summary.oom).toBeUndefined();
    expect(out.summary.store).toBeUndefined();
    expect(out.timeseries.columns.some((c) => c.startsWith('heapMb.'))).toBe(false);
  });

  it('a crash while a proxy holds a record (wait-enqueue) loses the record but not the activation', () => {
    const cluster = new Cluster(parseScenarioText(OVERLOAD, 'oom-test.yaml', ['duration=30s', 'store.backpressure=wait-enqueue']));
    const sim = cluster.parts.sim;
    const store = cluster.parts.store!;
    let checked = false;
    // In the middle of the overload, at the first instant a proxy of invoker0 holds a record.
    const probe = () => {
      const inv = cluster.parts.invokers[0]!;
      if (store.held === 0 || !inv.isAlive) {
        sim.schedule(10, probe);
        return;
      }
      const held = store.held;
      const lostBefore = cluster.parts.metrics.lost;
      const queued = inv.batcherQueue;
      const inFlightRuns = inv.inFlight;
      inv.crash();
      expect(store.held).toBe(0);
      expect(inv.lostRecords).toBe(held + queued);
      // Only activations whose ack had not gone out are lost.
      expect(cluster.parts.metrics.lost - lostBefore).toBe(inFlightRuns - held);
      cluster.parts.assertRecordsConserved();
      inv.restart();
      checked = true;
    };
    sim.scheduleAt(10_000, probe);
    cluster.run();
    expect(checked).toBe(true);
    cluster.parts.assertRecordsConserved();
  });
});

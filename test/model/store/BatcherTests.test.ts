/**
 * OpenWhisk's BatcherTests (tests/src/test/scala/whisk/core/database/test/BatcherTests.scala @ MB 31c5f21e4)
 * replayed against the Batcher in front of the simulated activation store, plus the simulator's own rules
 * (queue limit, abandon). Records are conserved in every test: written + lost + queued + in calls = produced.
 */
import { describe, expect, it } from 'vitest';
import { ActivationRecord } from '../../../src/model/ActivationRecord.js';
import { ActivationStore } from '../../../src/model/store/ActivationStore.js';
import { Batcher, type BatcherHost } from '../../../src/model/store/Batcher.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { openSuite, SOURCES } from '../../conformance/expectations.js';

class Host implements BatcherHost {
  readonly sizes: number[] = [];
  written = 0;
  bulkStarted(documents: number): void {
    this.sizes.push(documents);
  }
  bulkWritten(documents: number): void {
    this.written += documents;
  }
  failed = 0;
  bulkFailed(documents: number): void {
    this.failed += documents;
  }
}

function world(latencyMs = 10) {
  const sim = new Simulation({ seed: 1 });
  // Effectively infinite throughput: a call takes its latency only, like the tests' promises.
  const store = new ActivationStore(sim, { throughputPerSec: 1e12, bulkLatencyMs: { dist: 'constant', value: latencyMs } }, sim.rng('store'));
  return { sim, store };
}

let nextId = 0;
function record(sizeBytes = 1000): ActivationRecord {
  return new ActivationRecord(nextId++, 0, 0, true, 100, false, sizeBytes);
}

function put(store: ActivationStore, batcher: Batcher, n: number, sizeBytes = 1000): number {
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    store.recordProduced();
    if (batcher.put(record(sizeBytes))) accepted++;
    else store.recordLost();
  }
  return accepted;
}

function expectConserved(store: ActivationStore, batchers: Batcher[]): void {
  const queued = batchers.reduce((n, b) => n + b.queued, 0);
  expect(store.written + store.notWritten + queued + store.documentsInFlight).toBe(store.produced);
}

/** A store whose calls fail: always (probability 1), after `latencyMs`. */
function failingWorld(latencyMs = 10, probability = 1) {
  const sim = new Simulation({ seed: 1 });
  const store = new ActivationStore(
    sim,
    {
      throughputPerSec: 1e12,
      bulkLatencyMs: { dist: 'constant', value: latencyMs },
      errors: { probability, latencyMs: { dist: 'constant', value: latencyMs } },
      errorsRng: sim.rng('store/errors'),
    },
    sim.rng('store'),
  );
  return { sim, store };
}

describe('BatcherTests (MB 31c5f21e4)', () => {
  const suite = openSuite(SOURCES.batcherMB);

  it('batch based on batch size: calls carry 1, 2, 2 records for size 2, concurrency 1 and 5 puts', () => {
    const { sim, store } = world();
    const host = new Host();
    const batcher = new Batcher(2, 1, null, store, host);
    put(store, batcher, 5);
    // The first record goes out alone at once; the rest wait behind the single call.
    expect(host.sizes).toEqual([1]);
    expect(batcher.queued).toBe(4);
    expectConserved(store, [batcher]);
    sim.run();
    expect(host.sizes).toEqual(suite.expected('batch based on batch size (size 2, concurrency 1, 5 puts): batch sizes'));
    expect(store.written).toBe(5);
    expect(host.written).toBe(5);
    expect(sim.now).toBeCloseTo(30, 6);
    expectConserved(store, [batcher]);
  });

  it('runs batches through the operation in parallel, up to the concurrency', () => {
    const { sim, store } = world();
    const host = new Host();
    const batcher = new Batcher(1, 2, null, store, host);
    put(store, batcher, 3);
    expect(batcher.callsInFlight).toBe(suite.expected('batches run in parallel up to concurrency (2 of 3 start at once)'));
    expect(host.sizes).toEqual([1, 1]);
    expect(batcher.queued).toBe(1);
    sim.run();
    expect(host.sizes).toEqual([1, 1, 1]);
    expect(store.written).toBe(3);
    expectConserved(store, [batcher]);
  });

  it('replays every transcribed BatcherTests expectation', () => {
    suite.assertAllReplayed();
  });
});

describe('BatcherTests, the failure cases (MB 31c5f21e4 and HEAD 1fae641a2)', () => {
  it('completes batched values with the thrown exception, and the batcher stays intact (MB, no retries)', () => {
    const { sim, store } = failingWorld();
    const host = new Host();
    const batcher = new Batcher(2, 1, null, store, host, 0);
    put(store, batcher, 2);
    sim.run();
    // r1 and r2 fail: their single call failed.
    expect(store.recordsLostToErrors).toBe(2);
    expect(host.failed).toBe(2);
    expect(store.written).toBe(0);
    // The batcher is still intact: r3 and r4 go out and fail the same way.
    put(store, batcher, 2);
    sim.run();
    expect(store.recordsLostToErrors).toBe(4);
    // A put into an idle batcher starts a call at once: r1 alone, then r2; r3 alone, then r4.
    expect(store.failedCalls).toBe(4);
    expect(store.bulkRetries).toBe(0);
    expect(batcher.callsInFlight).toBe(0);
    expectConserved(store, [batcher]);
  });

  it('completes batched values with max retry limit: three failures, then the fourth try is written (HEAD)', () => {
    const sim = new Simulation({ seed: 1 });
    const store = new ActivationStore(sim, { throughputPerSec: 1e12, bulkLatencyMs: { dist: 'constant', value: 10 }, errorsRng: sim.rng('store/errors') }, sim.rng('store'));
    const host = new Host();
    const batcher = new Batcher(1, 1, null, store, host, 3);
    store.failureModes!.setErrors({ probability: 1, latencyMs: { dist: 'constant', value: 10 } });
    put(store, batcher, 1);
    // The operation fails while retries remain, then succeeds (the test's doStore): heal before the last try.
    sim.scheduleAt(25, () => store.failureModes!.setErrors(null));
    sim.run();
    expect(store.bulkRetries).toBe(3);
    expect(store.written).toBe(1);
    expect(host.written).toBe(1);
    expect(store.recordsLostToErrors).toBe(0);
    expectConserved(store, [batcher]);
  });

  it('completes batched values with the thrown exception with max retry limit: 3 retries, then the record fails (HEAD)', () => {
    const { sim, store } = failingWorld();
    const host = new Host();
    const batcher = new Batcher(1, 1, null, store, host, 3);
    put(store, batcher, 1);
    sim.run();
    expect(store.bulkRetries).toBe(3);
    expect(store.failedCalls).toBe(4);
    expect(store.recordsLostToErrors).toBe(1);
    expect(host.failed).toBe(1);
    // The four tries follow each other at once, each failing after its latency.
    expect(sim.now).toBe(40);
    expectConserved(store, [batcher]);
  });

  it('a call holds its concurrency slot through its retries, so later records wait behind it', () => {
    const { sim, store } = failingWorld();
    const host = new Host();
    const batcher = new Batcher(10, 1, null, store, host, 3);
    put(store, batcher, 3);
    sim.run({ until: 35 });
    expect(batcher.callsInFlight).toBe(1);
    expect(batcher.queued).toBe(2);
    expectConserved(store, [batcher]);
    sim.run();
    expect(store.recordsLostToErrors).toBe(3);
    expectConserved(store, [batcher]);
  });

  it('a throttled call waits the retry-after and is re-sent by the client, then written once the budget refills', () => {
    const sim = new Simulation({ seed: 1 });
    const throttle = { requestUnitsPerSecond: 100, requestUnitsPerRecord: 10, retryAfterMs: 500, maxRetries: 9, maxRetryWaitMs: 30_000 };
    const store = new ActivationStore(sim, { throughputPerSec: 1e12, bulkLatencyMs: { dist: 'constant', value: 10 }, throttle, errorsRng: sim.rng('store/errors') }, sim.rng('store'));
    const host = new Host();
    const batcher = new Batcher(100, 1, null, store, host, 3);
    // 30 records: the first call (1 record) passes, the next (29 records) passes on the bank's rest and
    // takes it to 100 − 10 − 290 = −200 RU; the third call is throttled until the bank is positive (2 s).
    put(store, batcher, 1);
    sim.run();
    put(store, batcher, 29);
    sim.run();
    put(store, batcher, 1);
    sim.run();
    expect(store.written).toBe(31);
    // Throttled at 0.5, 1.0, 1.5 and 2.0 s (the bank is −200 RU + 100 RU/s), written at the fifth send.
    expect(store.throttledCalls).toBe(4);
    expect(store.failedCalls).toBe(0);
    expectConserved(store, [batcher]);
  });

  it('a call throttled past the client\'s retries is a failed try, retried by HEAD and finally failed', () => {
    const sim = new Simulation({ seed: 1 });
    const throttle = { requestUnitsPerSecond: 1, requestUnitsPerRecord: 1_000_000, retryAfterMs: 100, maxRetries: 2, maxRetryWaitMs: 30_000 };
    const store = new ActivationStore(sim, { throughputPerSec: 1e12, bulkLatencyMs: { dist: 'constant', value: 10 }, throttle, errorsRng: sim.rng('store/errors') }, sim.rng('store'));
    const host = new Host();
    const batcher = new Batcher(10, 1, null, store, host, 1);
    put(store, batcher, 1); // drains the bank far below zero
    sim.run();
    put(store, batcher, 1);
    sim.run();
    // One try = 1 + 2 throttled answers; two tries (1 retry) = 6 answers 429, then the record fails.
    expect(store.throttledCalls).toBe(6);
    expect(store.failedCalls).toBe(2);
    expect(store.bulkRetries).toBe(1);
    expect(store.recordsLostToErrors).toBe(1);
    expectConserved(store, [batcher]);
  });
});

describe('Batcher (simulator rules)', () => {
  it('never delays a single record: without back-pressure every call carries one record', () => {
    const { sim, store } = world(5);
    const host = new Host();
    const batcher = new Batcher(500, 64, null, store, host);
    for (let i = 0; i < 10; i++) {
      sim.scheduleAt(i * 100, () => put(store, batcher, 1));
    }
    sim.run();
    expect(host.sizes).toEqual(Array(10).fill(1));
    expect(store.writeLatency.summary().max).toBeLessThanOrEqual(5.01);
    expectConserved(store, [batcher]);
  });

  it('batches form under back-pressure and never exceed batchSize', () => {
    const { sim, store } = world(10);
    const host = new Host();
    const batcher = new Batcher(500, 2, null, store, host);
    put(store, batcher, 2000);
    sim.run();
    expect(host.sizes).toEqual([1, 1, 500, 500, 500, 498]);
    expectConserved(store, [batcher]);
  });

  it('refuses a record when the records it holds (waiting and in calls) reach the queue limit', () => {
    const { sim, store } = world(10);
    const host = new Host();
    const batcher = new Batcher(2, 1, 3, store, host);
    expect(put(store, batcher, 5)).toBe(3);
    expect(batcher.isFull).toBe(true);
    expect(batcher.queued + batcher.inBulk).toBe(3);
    expect(store.lostRecords).toBe(2);
    expectConserved(store, [batcher]);
    sim.run();
    expect(batcher.isFull).toBe(false);
    expect(store.written).toBe(3);
    expectConserved(store, [batcher]);
  });

  it('counts the bytes of waiting records and of records in unanswered calls', () => {
    const { sim, store } = world(10);
    const batcher = new Batcher(2, 1, null, store, new Host());
    put(store, batcher, 3, 1000);
    expect(batcher.bytes).toBe(3000);
    sim.run({ until: 15 });
    expect(batcher.bytes).toBe(2000);
    sim.run();
    expect(batcher.bytes).toBe(0);
  });

  it('abandon loses the waiting records; calls already sent are still written', () => {
    const { sim, store } = world(10);
    const host = new Host();
    const batcher = new Batcher(2, 1, null, store, host);
    put(store, batcher, 5);
    expect(batcher.abandon()).toBe(4);
    expect(store.lostRecords).toBe(4);
    sim.run();
    expect(store.written).toBe(1);
    expect(host.written).toBe(0);
    expectConserved(store, [batcher]);
  });
});

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
  expect(store.written + store.lostRecords + queued + store.documentsInFlight).toBe(store.produced);
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

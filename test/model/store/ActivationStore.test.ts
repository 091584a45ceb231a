/** The activation store: one FIFO server of `throughput` documents per second plus a latency per bulk call. */
import { describe, expect, it } from 'vitest';
import { ActivationStore } from '../../../src/model/store/ActivationStore.js';
import { Simulation } from '../../../src/sim/Simulation.js';

function world(throughputPerSec: number, latencyMs: number) {
  const sim = new Simulation({ seed: 1 });
  const store = new ActivationStore(sim, { throughputPerSec, bulkLatencyMs: { dist: 'constant', value: latencyMs } }, sim.rng('store'));
  const answeredAt: number[] = [];
  const answered = (call: { outcome: number; documents: number }) => {
    answeredAt.push(sim.now);
    store.bulkAnswered(call.documents);
  };
  return { sim, store, answeredAt, answered };
}

describe('ActivationStore', () => {
  it('serves bulk calls in order at its throughput, each paying its latency after its documents are written', () => {
    const { sim, store, answeredAt, answered } = world(2000, 20);
    store.bulkDocs(500, answered, { outcome: 0, documents: 500 });
    sim.scheduleAt(10, () => {
      store.bulkDocs(500, answered, { outcome: 0, documents: 500 });
      expect(store.backlogDocuments(sim.now)).toBe(980);
      expect(store.documentsInFlight).toBe(1000);
    });
    sim.run();
    expect(answeredAt).toEqual([270, 520]);
    expect(store.documentsInFlight).toBe(0);
    expect(store.backlogDocuments(sim.now)).toBe(0);
    expect(store.maxBacklogDocuments).toBe(980);
  });

  it('an idle database answers a call after its write time and latency only', () => {
    const { sim, store, answeredAt, answered } = world(1000, 5);
    sim.scheduleAt(1000, () => store.bulkDocs(1, answered, { outcome: 0, documents: 1 }));
    sim.run();
    expect(answeredAt).toEqual([1006]);
  });

  it('never writes faster than its throughput, however many calls are in flight', () => {
    const { sim, store, answeredAt, answered } = world(500, 10);
    for (let i = 0; i < 64; i++) store.bulkDocs(100, answered, { outcome: 0, documents: 100 });
    sim.run();
    // 6400 documents at 500/s take 12.8 s, plus the last call's latency.
    expect(answeredAt[answeredAt.length - 1]).toBeCloseTo(12_810, 6);
    expect(answeredAt).toHaveLength(64);
    for (let i = 1; i < answeredAt.length; i++) expect(answeredAt[i]! - answeredAt[i - 1]!).toBeCloseTo(200, 6);
  });
});

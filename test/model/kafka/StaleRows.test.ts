/**
 * Stale activation messages kept as rows (StaleRows.ts, Partition.ts): a record written as a row and read back
 * is equal field for field; a partition spills only resolved messages nobody has read, rebuilds each once and
 * hands the same object to every later read; trimming gives the rows back.
 */
import { describe, expect, it } from 'vitest';
import { ActivationRecord, Outcome } from '../../../src/model/ActivationRecord.js';
import { ActivationRoute, type ActionMeta, type ActivationMessage, type Message } from '../../../src/model/messages.js';
import { KafkaBroker } from '../../../src/model/kafka/KafkaBroker.js';
import { StaleRows } from '../../../src/model/kafka/StaleRows.js';
import { Simulation } from '../../../src/sim/Simulation.js';

/** The record as its controller sends it: routed, its own message (ActivationRecord.ts). */
function routed(route: ActivationRoute, record: ActivationRecord): ActivationRecord {
  record.route = route;
  return record;
}

const action: ActionMeta = { index: 2, fqn: 'ns/a', namespace: 'ns', kind: 'nodejs:20', pull: false, memoryMb: 256, timeoutMs: 60_000, concurrency: 1 };
const route = new ActivationRoute(action, { namespace: 'ns', uuid: 'u' }, false, 1);

function timedOut(id: number, arrivalMs = 1_234.5678): ActivationRecord {
  const r = new ActivationRecord(id, 2, arrivalMs, true, 37.25, true, 1_500);
  r.controller = 1;
  r.truthInvoker = 7;
  r.resolve(Outcome.timedOut, arrivalMs + 90_000.125);
  return r;
}

describe('ActivationRecord rows', () => {
  it('rebuilds an equal record, field for field, times exact', () => {
    const ints = new Int32Array(ActivationRecord.rowInts * 2);
    const floats = new Float64Array(ActivationRecord.rowFloats * 2);
    const records = [timedOut(2 ** 31 - 1, 0.1 + 0.2), timedOut(5)];
    records[1]!.controller = -1;
    records[1]!.overflowed = true;
    for (const [slot, r] of records.entries()) {
      expect(r.storableAsRow).toBe(true);
      r.writeRow(ints, slot * ActivationRecord.rowInts, floats, slot * ActivationRecord.rowFloats);
    }
    for (const [slot, r] of records.entries()) {
      const back = ActivationRecord.fromRow(ints, slot * ActivationRecord.rowInts, floats, slot * ActivationRecord.rowFloats);
      expect(back).toEqual(r);
      expect(back.arrivalMs).toBe(r.arrivalMs);
      expect(back.durationMs).toBe(37.25);
      expect(back.resolvedMs).toBe(r.resolvedMs);
      expect(back.execStartMs).toBe(-1);
      expect(back.truthInvoker).toBe(7);
      expect(back.overflowed).toBe(slot === 1);
    }
  });

  it('is storable only when resolved, unlinked and without side-table entries', () => {
    expect(new ActivationRecord(1, 0, 0, true, 1, false, 0).storableAsRow).toBe(false); // in flight
    const linked = timedOut(1);
    linked.openKey = 3;
    expect(linked.storableAsRow).toBe(false);
    const listened = new ActivationRecord(2, 0, 0, true, 1, false, 0);
    listened.onResolved = () => {};
    listened.resolve(Outcome.timedOut, 5);
    expect(listened.storableAsRow).toBe(false);
    const big = new ActivationRecord(2 ** 31, 0, 0, true, 1, false, 0);
    big.resolve(Outcome.timedOut, 5);
    expect(big.storableAsRow).toBe(false);
    const started = timedOut(3);
    started.execStartMs = 10;
    expect(started.storableAsRow).toBe(false); // not a stale message: it ran
    const fractionalSize = new ActivationRecord(4, 0, 0, true, 1, false, 0.5);
    fractionalSize.resolve(Outcome.timedOut, 5);
    expect(fractionalSize.storableAsRow).toBe(false);
  });
});

describe('StaleRows', () => {
  it('keeps rows by offset across chunks and gives them back on trim', () => {
    const rows = new StaleRows();
    const originals = new Map<number, ActivationRecord>();
    // Sparse offsets over several chunks (4,096 offsets each).
    for (let offset = 10; offset < 20_000; offset += 3) {
      const r = timedOut(offset, offset * 1.5);
      originals.set(offset, r);
      rows.put(offset, routed(offset % 2 === 0 ? route : route.to(0), r));
    }
    expect(rows.size).toBe(originals.size);
    for (const offset of [10, 13, 2_500, 19_999 - ((19_999 - 10) % 3)]) {
      const msg = rows.take(offset) as ActivationRecord;
      expect(msg.record).toEqual(originals.get(offset));
      expect(msg.route).toBe(offset % 2 === 0 ? route : route.to(0));
    }
    expect(rows.size).toBe(originals.size - 4);
    // Trimming the first chunks leaves the later rows readable.
    const below = [...originals.keys()].filter((o) => o < 9_000 && o !== 10 && o !== 13 && o !== 2_500).length;
    rows.trimTo(9_000, below);
    expect(rows.size).toBe(originals.size - 4 - below);
    for (const offset of [9_001, 12_289, 16_387]) expect(rows.take(offset).record).toEqual(originals.get(offset));
    // A row lands in a later chunk after the trim (the freed chunk reused).
    const late = timedOut(30_000);
    rows.put(30_000, routed(route, late));
    expect(rows.take(30_000).record).toEqual(late);
  });
});

describe('StaleRows of health test actions', () => {
  it('rebuilds a plain message without a record equal, from a template per action, identity and controller', () => {
    const rows = new StaleRows();
    const health = (id: number, controller: number): ActivationMessage => ({ type: 'activation', activationId: id, action, user: { namespace: 'whisk.system', uuid: 'h' }, rootControllerIndex: controller, blocking: false, record: null });
    const user = { namespace: 'whisk.system', uuid: 'h' };
    const sent = [health(-1, 0), health(-2, 1), health(-3, 0)].map((m) => ({ ...m, user }));
    sent.forEach((m, i) => {
      expect(StaleRows.storablePlain(m)).toBe(true);
      rows.put(i, m);
    });
    sent.forEach((m, i) => {
      const back = rows.take(i);
      expect(back).toEqual(m);
      expect(back).not.toBe(m);
      expect(back.user).toBe(user);
      expect(Object.keys(back)).toEqual(Object.keys(m));
    });
  });
});

describe('Partition spilling', () => {
  it('spills resolved unread messages past the threshold and rebuilds each once, the same object for every reader', () => {
    const sim = new Simulation({ seed: 1 });
    const broker = new KafkaBroker(sim, { latencyMs: { dist: 'constant', value: 0 } });
    broker.setStaleSpillThreshold(2);
    const producer = broker.getProducer();
    const records: ActivationRecord[] = [];
    for (let i = 0; i < 6; i++) {
      const r = new ActivationRecord(i, 2, i, true, 10, false, 100);
      records.push(r);
      producer.send('invoker0', routed(route, r));
    }
    sim.run({ until: 1 });
    // Resolve the first four; the fifth stays in flight and stops the cursor; the sixth is resolved behind it.
    for (const i of [0, 1, 2, 3, 5]) records[i]!.resolve(Outcome.timedOut, 2);
    producer.send('invoker0', { type: 'ping', invoker: 0, enabled: true });
    sim.run({ until: 2 });
    const partition = broker.topicFor('invoker0').partitions[0]!;
    expect(partition.staleRowCount).toBe(4);
    const first = partition.read(0);
    expect(first).not.toBe(records[0]);
    expect((first as ActivationRecord).record).toEqual(records[0]);
    expect(partition.read(0)).toBe(first); // a second reader (a rewind, another group) gets the same object
    expect(partition.staleRowCount).toBe(3);
    const inFlight: Message = partition.read(4);
    expect((inFlight as ActivationRecord).record).toBe(records[4]); // never spilled
  });

  it('spills nothing while the threshold is null (the default)', () => {
    const sim = new Simulation({ seed: 1 });
    const broker = new KafkaBroker(sim, { latencyMs: { dist: 'constant', value: 0 } });
    const producer = broker.getProducer();
    for (let i = 0; i < 10; i++) {
      const r = timedOut(i);
      producer.send('invoker0', routed(route, r));
    }
    sim.run({ until: 1 });
    expect(broker.topicFor('invoker0').partitions[0]!.staleRowCount).toBe(0);
  });
});

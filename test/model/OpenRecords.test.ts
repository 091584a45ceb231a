import { describe, expect, it } from 'vitest';
import { ActivationRecord } from '../../src/model/ActivationRecord.js';
import { OpenRecords } from '../../src/model/OpenRecords.js';

describe('OpenRecords', () => {
  it('behaves as one Set per owner under random adds, deletes and clears, also when owners share records', () => {
    const records = Array.from({ length: 40 }, (_, i) => new ActivationRecord(i, 0, 0, true, 1, false, 0));
    const sets = [new OpenRecords(1), new OpenRecords(2), new OpenRecords(3)];
    const models = sets.map(() => new Set<ActivationRecord>());
    let x = 7;
    const next = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let step = 0; step < 20000; step++) {
      // Owner 0 and 1 mostly see disjoint records; owner 2 sometimes takes records the others hold.
      const k = next(3);
      const r = records[k === 2 ? next(40) : k * 20 + next(20)]!;
      const op = next(100);
      if (op < 50) {
        sets[k]!.add(r);
        models[k]!.add(r);
      } else if (op < 99) {
        expect(sets[k]!.delete(r)).toBe(models[k]!.delete(r));
      } else {
        sets[k]!.clear();
        models[k]!.clear();
      }
      expect(sets[k]!.size).toBe(models[k]!.size);
      expect(sets[k]!.toArray()).toEqual([...models[k]!]);
    }
  });
});

describe('OpenRecords keys', () => {
  it('lets a set cleared for good leave its key to a new one (a controller restarted), which then owns its records alone', () => {
    const records = Array.from({ length: 4 }, (_, i) => new ActivationRecord(i, 0, 0, true, 1, false, 0));
    const dead = new OpenRecords(1);
    dead.add(records[0]!);
    dead.add(records[1]!);
    dead.clear();
    const next = new OpenRecords(1);
    next.add(records[1]!);
    next.add(records[2]!);
    expect(next.toArray()).toEqual([records[1], records[2]]);
    expect(next.delete(records[0]!)).toBe(false);
    expect(next.delete(records[1]!)).toBe(true);
    expect(next.toArray()).toEqual([records[2]]);
  });

  it('refuses a key that a record cannot carry', () => {
    expect(() => new OpenRecords(0)).toThrow(/key 0/);
    expect(() => new OpenRecords(65536)).toThrow(/key 65536/);
  });
});

import { describe, expect, it } from 'vitest';
import { ActivationRecord } from '../../src/model/ActivationRecord.js';
import { OpenRecords } from '../../src/model/OpenRecords.js';

describe('OpenRecords', () => {
  it('behaves as one Set per owner under random adds, deletes and clears, also when owners share records', () => {
    const records = Array.from({ length: 40 }, (_, i) => new ActivationRecord(i, 0, 0, true, 1, false, 0));
    const sets = [new OpenRecords(), new OpenRecords(), new OpenRecords()];
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

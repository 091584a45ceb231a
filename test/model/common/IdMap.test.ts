import { describe, expect, it } from 'vitest';
import { IdMap } from '../../../src/model/common/IdMap.js';

/** A small deterministic generator (xorshift32), so the test needs no RNG stream. */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('IdMap', () => {
  it('stores, replaces, finds and deletes integer keys', () => {
    const m = new IdMap<{ v: number }>();
    const a = { v: 1 };
    const b = { v: 2 };
    expect(m.get(7)).toBeUndefined();
    expect(m.delete(7)).toBe(false);
    m.set(7, a);
    m.set(-3, b);
    m.set(2 ** 40 + 7, b);
    expect(m.size).toBe(3);
    expect(m.get(7)).toBe(a);
    expect(m.get(-3)).toBe(b);
    expect(m.get(2 ** 40 + 7)).toBe(b);
    expect(m.has(2 ** 41 + 7)).toBe(false);
    m.set(7, b);
    expect(m.size).toBe(3);
    expect(m.get(7)).toBe(b);
    expect(m.delete(7)).toBe(true);
    expect(m.delete(7)).toBe(false);
    expect(m.get(7)).toBeUndefined();
    expect(m.size).toBe(2);
  });

  it('getOrAdd stores under the right slot when make itself changes the map', () => {
    const m = new IdMap<{ v: number }>();
    // Enough members that make's inserts and removals grow the table and shift probe runs.
    for (let id = 0; id < 40; id++) m.set(id, { v: id });
    const made = { v: -1 };
    const got = m.getOrAdd(1000, () => {
      for (let id = 40; id < 200; id++) m.set(id, { v: id });
      for (let id = 0; id < 30; id++) m.delete(id);
      return made;
    }, undefined);
    expect(got).toBe(made);
    expect(m.get(1000)).toBe(made);
    expect(m.size).toBe(200 - 30 + 1);
    for (let id = 30; id < 200; id++) expect(m.get(id)?.v).toBe(id);
    // make inserting the very id: the made value replaces it, as get-then-set would.
    const inner = { v: 1 };
    const outer = { v: 2 };
    expect(m.getOrAdd(2000, () => (m.set(2000, inner), outer), undefined)).toBe(outer);
    expect(m.get(2000)).toBe(outer);
    expect(m.size).toBe(200 - 30 + 2);
  });

  it('agrees with a Map when dense runs of consecutive ids churn beside a sparse long-lived backlog', () => {
    // The overload pattern: every id is put in order; most leave a few hundred puts later, one in 20 stays
    // for tens of thousands (whole groups of consecutive ids share a slot group, so probe runs pile up).
    const next = xorshift(7);
    const m = new IdMap<{ id: number }>();
    const ref = new Map<number, { id: number }>();
    const check = (id: number) => expect(m.get(id)).toBe(ref.get(id));
    for (let id = 0; id < 120_000; id++) {
      const v = { id };
      expect(m.getOrAdd(id, (x) => x, v)).toBe(v);
      ref.set(id, v);
      const shortLived = id - 200 - (next() % 200);
      if (shortLived >= 0 && shortLived % 20 !== 3) {
        const want = ref.get(shortLived);
        ref.delete(shortLived);
        expect(m.take(shortLived)).toBe(want);
      }
      const old = id - 40_000;
      if (old >= 0 && old % 20 === 3) {
        ref.delete(old);
        expect(m.delete(old)).toBe(true);
      }
      if (id % 997 === 0) {
        check(id - (next() % 50_000));
        expect(m.size).toBe(ref.size);
      }
    }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) expect(m.get(k)).toBe(v);
  });

  it('rejects a non-integer key', () => {
    expect(() => new IdMap<object>().set(1.5, {})).toThrow(/not an integer/);
  });

  it('agrees with a Map under random churn, growth and colliding probe runs', () => {
    const next = xorshift(42);
    const m = new IdMap<{ id: number }>();
    const ref = new Map<number, { id: number }>();
    let nextId = 0;
    for (let step = 0; step < 60_000; step++) {
      const r = next() % 100;
      if (r < 45 || ref.size === 0) {
        // Mostly sequential ids, like activations, with some far-off and repeated ones.
        const id = r < 40 ? nextId++ : r < 43 ? (next() % 5000) - 2500 : nextId - 1;
        const v = { id };
        if (r < 20) {
          // getOrAdd: the stored value when present (make not called), else the made one, stored.
          const want = ref.get(id) ?? v;
          let made = 0;
          expect(m.getOrAdd(id, (x) => (made++, x), v)).toBe(want);
          expect(made).toBe(want === v ? 1 : 0);
          ref.set(id, want);
        } else {
          m.set(id, v);
          ref.set(id, v);
        }
      } else if (r < 90) {
        const id = nextId - 1 - (next() % 400);
        if (r < 68) {
          expect(m.delete(id)).toBe(ref.delete(id));
        } else {
          // take: the value `get` would have given, and the key gone afterwards.
          const want = ref.get(id);
          ref.delete(id);
          expect(m.take(id)).toBe(want);
        }
      } else {
        const id = nextId - (next() % 1000);
        expect(m.get(id)).toBe(ref.get(id));
      }
      if (step % 4999 === 0) {
        expect(m.size).toBe(ref.size);
        for (const [k, v] of ref) expect(m.get(k)).toBe(v);
      }
    }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) expect(m.get(k)).toBe(v);
  });
});

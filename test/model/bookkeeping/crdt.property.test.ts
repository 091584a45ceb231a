/**
 * Property tests of the CRDTs: merge is commutative, associative and idempotent on states reached by valid
 * histories (each replica updates only its own components); replicas converge whatever the merge schedule;
 * a PNCounter's value is increments − decrements; ORMap keys are add-wins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GCounter } from '../../../src/model/bookkeeping/GCounter.js';
import { ORMap } from '../../../src/model/bookkeeping/ORMap.js';
import { PNCounter } from '../../../src/model/bookkeeping/PNCounter.js';
import { PNCounterMap } from '../../../src/model/bookkeeping/PNCounterMap.js';
import type { ReplicatedData } from '../../../src/model/bookkeeping/ReplicatedData.js';

const REPLICAS = ['controller0', 'controller1', 'controller2'];
const KEYS = ['a', 'b', 'c', 'd'];

type Op =
  | { kind: 'update'; r: number; key: number; delta: number }
  | { kind: 'remove'; r: number; key: number }
  | { kind: 'merge'; from: number; to: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('update' as const), r: fc.nat(2), key: fc.nat(3), delta: fc.integer({ min: -3, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), r: fc.nat(2), key: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('merge' as const), from: fc.nat(2), to: fc.nat(2) }) },
);
const historyArb = fc.array(opArb, { maxLength: 60 });

function newMap(): ORMap<string, PNCounter> {
  return new ORMap<string, PNCounter>(() => new PNCounter());
}

/** Runs a history over three ORMap replicas. */
function runMaps(ops: Op[], withRemoves = true): ORMap<string, PNCounter>[] {
  const maps = REPLICAS.map(newMap);
  for (const op of ops) {
    if (op.kind === 'update') maps[op.r]!.touch(REPLICAS[op.r]!, KEYS[op.key]!).increment(REPLICAS[op.r]!, op.delta);
    else if (op.kind === 'remove') {
      if (withRemoves) maps[op.r]!.remove(REPLICAS[op.r]!, KEYS[op.key]!);
    } else if (op.from !== op.to) maps[op.to]!.merge(maps[op.from]!);
  }
  return maps;
}

/** Runs a history over three PNCounter replicas (updates only; key ignored). */
function runCounters(ops: Op[]): { counters: PNCounter[]; incs: number; decs: number } {
  const counters = REPLICAS.map(() => new PNCounter());
  let incs = 0;
  let decs = 0;
  for (const op of ops) {
    if (op.kind === 'update') {
      counters[op.r]!.increment(REPLICAS[op.r]!, op.delta);
      if (op.delta >= 0) incs += op.delta;
      else decs -= op.delta;
    } else if (op.kind === 'merge' && op.from !== op.to) counters[op.to]!.merge(counters[op.from]!);
  }
  return { counters, incs, decs };
}

function join<T extends ReplicatedData<T>>(a: T, b: T): T {
  const c = a.copy();
  c.merge(b);
  return c;
}

function checkLaws<T extends ReplicatedData<T>>(a: T, b: T, c: T): void {
  expect(join(a, b).equals(join(b, a))).toBe(true);
  expect(join(join(a, b), c).equals(join(a, join(b, c)))).toBe(true);
  expect(join(a, a).equals(a)).toBe(true);
  const once = join(a, b);
  expect(join(once, b).equals(once)).toBe(true);
}

/** Merges all into all until stable (two full rounds suffice for three replicas). */
function converge<T extends ReplicatedData<T>>(rs: T[]): void {
  for (let round = 0; round < 2; round++) for (const to of rs) for (const from of rs) if (from !== to) to.merge(from);
}

describe('GCounter', () => {
  it('merge is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(9)), { maxLength: 30 }), fc.array(fc.tuple(fc.nat(2), fc.nat(2)), { maxLength: 20 }), (incs, merges) => {
        const gs = REPLICAS.map(() => new GCounter());
        incs.forEach(([r, n], i) => {
          gs[r]!.increment(REPLICAS[r]!, n);
          const m = merges[i];
          if (m !== undefined && m[0] !== m[1]) gs[m[1]]!.merge(gs[m[0]]!);
        });
        checkLaws(gs[0]!, gs[1]!, gs[2]!);
        converge(gs);
        const total = incs.reduce((s, [, n]) => s + n, 0);
        for (const g of gs) expect(g.value).toBe(total);
      }),
    );
  });
});

describe('PNCounter', () => {
  it('merge laws hold and every replica converges to increments − decrements', () => {
    fc.assert(
      fc.property(historyArb, (ops) => {
        const { counters, incs, decs } = runCounters(ops);
        checkLaws(counters[0]!, counters[1]!, counters[2]!);
        converge(counters);
        for (const c of counters) {
          expect(c.value).toBe(incs - decs);
          expect(c.increments).toBe(incs);
          expect(c.decrements).toBe(decs);
        }
      }),
    );
  });

  it('a negative increment is a decrement', () => {
    const c = new PNCounter();
    c.increment('controller0', 5);
    c.increment('controller0', -2);
    c.decrement('controller1', 1);
    expect([c.value, c.increments, c.decrements, c.valueOf('controller0'), c.valueOf('controller1')]).toEqual([2, 5, 3, 3, -1]);
  });
});

describe('ORMap<string, PNCounter>', () => {
  it('merge is commutative, associative and idempotent on reachable states without removes', () => {
    fc.assert(
      fc.property(historyArb, (ops) => {
        const [a, b, c] = runMaps(ops, false);
        checkLaws(a!, b!, c!);
      }),
      { numRuns: 300 },
    );
  });

  it('with removes, merge stays commutative and idempotent, and the key set is associative', () => {
    fc.assert(
      fc.property(historyArb, (ops) => {
        const [a, b, c] = runMaps(ops);
        expect(join(a!, b!).equals(join(b!, a!))).toBe(true);
        expect(join(a!, a!).equals(a!)).toBe(true);
        expect([...join(join(a!, b!), c!).keys()].sort()).toEqual([...join(a!, join(b!, c!)).keys()].sort());
      }),
      { numRuns: 300 },
    );
  });

  it("Akka's caveat: a key re-added concurrently with its remove keeps old history, so value merges can differ by grouping", () => {
    // c2 and c0 add k; c1 sees c0's add; c0 removes k. (a ⊔ b) ⊔ c forgets c0's count; a ⊔ (b ⊔ c) keeps it.
    const [a, b, c] = [newMap(), newMap(), newMap()];
    c.touch('controller2', 'k').increment('controller2', 1);
    a.touch('controller0', 'k').increment('controller0', 1);
    b.merge(a);
    a.remove('controller0', 'k');
    expect([join(join(a, b), c).get('k')!.value, join(a, join(b, c)).get('k')!.value]).toEqual([1, 2]);
  });

  it('replicas converge whatever the order of updates and merges', () => {
    fc.assert(
      fc.property(historyArb, historyArb, (ops, moreMerges) => {
        const maps = runMaps(ops);
        // An arbitrary extra merge schedule, then anti-entropy.
        for (const op of moreMerges) if (op.kind === 'merge' && op.from !== op.to) maps[op.to]!.merge(maps[op.from]!);
        converge(maps);
        expect(maps[0]!.equals(maps[1]!)).toBe(true);
        expect(maps[1]!.equals(maps[2]!)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('without removes, each key converges to the sum of its updates', () => {
    fc.assert(
      fc.property(historyArb, (ops) => {
        const maps = runMaps(ops, false);
        converge(maps);
        const expected = new Map<string, number>();
        for (const op of ops) if (op.kind === 'update') expected.set(KEYS[op.key]!, (expected.get(KEYS[op.key]!) ?? 0) + op.delta);
        for (const m of maps) {
          const got = new Map<string, number>();
          m.forEach((k, v) => got.set(k, v.value));
          expect(got).toEqual(expected);
        }
      }),
    );
  });

  it('an update concurrent with a remove wins (add-wins), keeping the remover-seen history', () => {
    const [a, b] = [newMap(), newMap()];
    a.touch('controller0', 'k').increment('controller0', 2);
    b.merge(a);
    a.remove('controller0', 'k');
    b.touch('controller1', 'k').increment('controller1', 1);
    a.merge(b);
    b.merge(a);
    expect(a.get('k')?.value).toBe(3);
    expect(a.equals(b)).toBe(true);
  });

  it('a remove after observing every update removes the key everywhere', () => {
    const [a, b] = [newMap(), newMap()];
    a.touch('controller0', 'k').increment('controller0', 2);
    b.merge(a);
    b.remove('controller1', 'k');
    a.merge(b);
    expect([a.has('k'), b.has('k')]).toEqual([false, false]);
  });

  it('merge appends new keys in the order the incoming state lists them', () => {
    const [a, b] = [newMap(), newMap()];
    a.touch('controller0', 'x').increment('controller0', 1);
    for (const k of ['c', 'a', 'b']) b.touch('controller1', k).increment('controller1', 1);
    a.merge(b);
    expect([...a.keys()]).toEqual(['x', 'c', 'a', 'b']);
  });
});

describe('PNCounterMap', () => {
  it('a key reads its counter value; total sums the keys; zero keeps the key', () => {
    const m = new PNCounterMap<string>();
    m.increment('controller0', 'Donald', 1);
    m.increment('controller0', 'Donald', 2);
    m.decrement('controller0', 'Donald', 3);
    m.increment('controller1', 'Hilary', 4);
    expect(m.entries()).toEqual(new Map([['Donald', 0], ['Hilary', 4]]));
    expect(m.total).toBe(4);
    const other = new PNCounterMap<string>();
    other.increment('controller2', 'Hilary', 1);
    m.merge(other);
    expect([m.get('Hilary'), m.total, m.get('nobody')]).toEqual([5, 5, undefined]);
  });

  it('pruning with collapse keeps values; cleanup drops the removed replica', () => {
    const m = new PNCounterMap<string>();
    m.increment('controller0', 'k', 2);
    m.increment('controller1', 'k', 3);
    const collapsed = m.copy();
    collapsed.prune('controller1', 'controller0');
    expect([collapsed.get('k'), collapsed.needPruningFrom('controller1')]).toEqual([5, false]);
    const cleaned = m.copy();
    cleaned.pruningCleanup('controller1');
    expect([cleaned.get('k'), cleaned.needPruningFrom('controller1')]).toEqual([2, false]);
  });
});

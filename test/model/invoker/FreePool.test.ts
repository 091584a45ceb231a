/**
 * The free pool's pick order (`invokers.containerSelection`, src/model/invoker/FreePool.ts).
 *
 * scala-map is checked against a table of Scala 2.11/2.12 immutable Map iteration orders,
 * test/fixtures/scala-map/orders.json, derived by test/fixtures/scala-map/derive_orders.py: an independent
 * model of the collection built from its definition (EmptyMap / Map1..Map4 field order, a HashMap of
 * HashMap1 leaves and HashTrieMap nodes built and shrunk level by level, iterated depth first in bitmap
 * order), not from owsim's closed-form rank. Each case replays the same `+` / `-` sequence on a FreePool
 * whose containers get the table's uids as their actor refs' hash codes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ContainerProxy } from '../../../src/model/invoker/ContainerProxy.js';
import { drawActorUid, improve, makeFreePool } from '../../../src/model/invoker/FreePool.js';
import type { Rng } from '../../../src/sim/rng.js';
import { action } from './harness.js';

interface OrdersTable {
  uids: Record<string, number>;
  improved: Record<string, number>;
  cases: { name: string; ops: string[]; order: string[] }[];
}
const table = JSON.parse(readFileSync(new URL('../../fixtures/scala-map/orders.json', import.meta.url), 'utf8')) as OrdersTable;

/** An Rng whose nextInt hands out the given uids (as unsigned 32-bit draws), in order. */
function uidRng(uids: number[]): Rng {
  let i = 0;
  return {
    nextFloat: () => 0,
    nextInt: () => uids[i++]! >>> 0,
    nextGaussian: () => 0,
  } as unknown as Rng;
}

const hello = action(0, 'guest/hello');

function container(id: number): ContainerProxy {
  const c = new ContainerProxy(id, 'nodejs:6', 256, 'new', 0);
  c.action = hello;
  c.invocationNamespace = 'guest';
  c.state = 'ready';
  return c;
}

describe('scala-map: the iteration order of a Scala 2.12 immutable Map', () => {
  it('improve matches the table (Scala 2.12 HashMap.improve)', () => {
    for (const [name, uid] of Object.entries(table.uids)) expect(improve(uid), name).toBe(table.improved[name]);
  });

  for (const c of table.cases) {
    it(c.name, () => {
      const names = Object.keys(table.uids);
      const pool = makeFreePool('scala-map', uidRng(names.map((n) => table.uids[n]!)));
      const byName = new Map<string, ContainerProxy>();
      names.forEach((n, i) => {
        const proxy = container(i);
        pool.created(proxy);
        byName.set(n, proxy);
      });
      for (const op of c.ops) {
        const proxy = byName.get(op.slice(1))!;
        // A key already in the map is updated in place: the container simply stays free.
        if (op[0] === '+' && proxy.freeIndex < 0) pool.add(proxy);
        if (op[0] === '-') pool.remove(proxy);
      }
      const order = pool.ordered(hello).map((p) => names[p.id]);
      expect(order).toEqual(c.order);
      // schedule's pick is the first of that order.
      expect(pool.find(hello, 'guest', false)?.id ?? null).toBe(c.order.length > 0 ? names.indexOf(c.order[0]!) : null);
    });
  }

  it('an actor uid is never 0 (Akka draws again)', () => {
    expect(drawActorUid(uidRng([0, 0, 7]))).toBe(7);
  });
});

describe('lru and mru', () => {
  function fill(selection: 'lru' | 'mru') {
    const pool = makeFreePool(selection, uidRng([]));
    const cs = [0, 1, 2, 3, 4, 5].map(container);
    for (const c of cs) pool.add(c);
    pool.remove(cs[2]!);
    pool.add(cs[2]!);
    return { pool, cs };
  }
  it('lru picks the container that became free longest ago', () => {
    const { pool } = fill('lru');
    expect(pool.ordered(hello).map((c) => c.id)).toEqual([0, 1, 3, 4, 5, 2]);
    expect(pool.find(hello, 'guest', false)!.id).toBe(0);
  });
  it('mru picks the container that became free most recently', () => {
    const { pool } = fill('mru');
    expect(pool.ordered(hello).map((c) => c.id)).toEqual([2, 5, 4, 3, 1, 0]);
    expect(pool.find(hello, 'guest', false)!.id).toBe(2);
  });
});

describe('the pick skips other namespaces and prefers initialized containers', () => {
  it('falls back to the best match below the top of the heap', () => {
    const pool = makeFreePool('lru', uidRng([]));
    const cs = [0, 1, 2, 3].map(container);
    cs[0]!.invocationNamespace = 'other';
    cs[1]!.state = 'initializing';
    for (const c of cs) pool.add(c);
    expect(pool.find(hello, 'guest', true)!.id).toBe(2);
    pool.remove(cs[2]!);
    pool.remove(cs[3]!);
    expect(pool.find(hello, 'guest', false)).toBeNull();
    expect(pool.find(hello, 'guest', true)!.id).toBe(1);
    expect(pool.size).toBe(2);
  });
});

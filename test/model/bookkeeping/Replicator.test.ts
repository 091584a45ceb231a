/**
 * The replicator's change notifications and updates, and the ORMap's last-touched entry cache: the hot-path
 * shortcuts (a per-key "already pending" flag, a cached entry) must notify and store exactly what the plain
 * Set / Map lookups did.
 */
import { describe, expect, it } from 'vitest';
import { ORMap } from '../../../src/model/bookkeeping/ORMap.js';
import { PNCounter } from '../../../src/model/bookkeeping/PNCounter.js';
import { makeCluster } from './harness.js';

function bump(c: PNCounter, replica: string): void {
  c.increment(replica, 1);
}
function emptyCounter(): PNCounter {
  return new PNCounter();
}

describe('Replicator change notifications', () => {
  it('notifies each changed key once per tick, in first-change order, and re-notifies a key a subscriber updates', () => {
    const { sim, replicators } = makeCluster({ instances: [0] });
    const r = replicators[0]!;
    const seen: string[] = [];
    let reupdates = 1;
    r.subscribe('b', (key) => {
      seen.push(key);
      // A subscriber updating a key (its own, then one notified later in the same tick) puts it in the next tick.
      if (reupdates-- > 0) {
        r.update('b', emptyCounter, bump, r.self);
        r.update('a', emptyCounter, bump, r.self);
      }
    });
    r.subscribe('a', (key) => seen.push(key));
    for (const key of ['b', 'a', 'b', 'b', 'a']) r.update(key, emptyCounter, bump, r.self);
    sim.run({ until: r.notifyIntervalMs });
    expect(seen).toEqual(['b', 'a']);
    sim.run({ until: 2 * r.notifyIntervalMs });
    expect(seen).toEqual(['b', 'a', 'b', 'a']);
    sim.run({ until: 4 * r.notifyIntervalMs });
    expect(seen).toEqual(['b', 'a', 'b', 'a']);
    expect(r.get<PNCounter>('b')!.value).toBe(4);
    expect(r.get<PNCounter>('a')!.value).toBe(3);
  });
});

describe('Replicator updates', () => {
  it('update creates the key on its first update only, notifies once per tick, and does nothing once crashed', () => {
    const { sim, replicators } = makeCluster({ instances: [0] });
    const r = replicators[0]!;
    const seen: number[] = [];
    r.subscribe('k', (_key, data: PNCounter) => seen.push(data.value));
    expect(r.keys()).toEqual([]);
    for (let i = 0; i < 3; i++) r.update('k', emptyCounter, bump, r.self);
    expect(r.keys()).toEqual(['k']);
    sim.run({ until: r.notifyIntervalMs });
    expect(seen).toEqual([3]);
    r.crash();
    r.update('k', emptyCounter, bump, r.self);
    expect(r.get<PNCounter>('k')!.value).toBe(3);
  });

  it('many keys, built strings among them: each update lands on its own key, first keys and later ones alike', () => {
    const { replicators } = makeCluster({ instances: [0] });
    const r = replicators[0]!;
    const names = ['s0', 's1', 's2', 's3', 's4', 's5', 's6'];
    for (let round = 1; round <= 3; round++) {
      for (let k = 0; k < names.length; k++) {
        // A key equal to a first key but built at run time (another string object) finds the same key.
        const key = ['s', String(k)].join('');
        for (let i = 0; i <= k; i++) r.update(key, emptyCounter, bump, r.self);
      }
      for (let k = 0; k < names.length; k++) expect(r.get<PNCounter>(names[k]!)!.value).toBe(round * (k + 1));
    }
    expect(r.keys()).toEqual(names);
  });

  it('an update of a key gossip created first modifies the merged data', () => {
    const { sim, replicators } = makeCluster({ instances: [0, 1] });
    const [r0, r1] = replicators as [typeof replicators[0], typeof replicators[0]];
    r0.update('k', emptyCounter, bump, r0.self);
    sim.run({ until: 3 * r0.gossipIntervalMs });
    r1.update('k', emptyCounter, bump, r1.self);
    expect(r1.get<PNCounter>('k')!.value).toBe(2);
  });
});

describe('ORMap touch cache', () => {
  it('a key dropped by remove, merge or cleanup and touched again is a fresh entry, not the dropped one', () => {
    const a = new ORMap<string, PNCounter>(emptyCounter);
    a.touch('controller0', 'k').increment('controller0', 2);
    a.remove('controller0', 'k');
    a.touch('controller0', 'k').increment('controller0', 1);
    expect(a.get('k')!.value).toBe(1);

    // b observes k, removes it; merging b into a drops a's k (a made no unseen add since).
    const b = a.copy();
    b.remove('controller1', 'k');
    a.touch('controller0', 'k').increment('controller0', 1);
    b.merge(a);
    b.remove('controller1', 'k');
    a.merge(b);
    expect(a.has('k')).toBe(false);
    a.touch('controller0', 'k').increment('controller0', 5);
    expect(a.get('k')!.value).toBe(5);

    const c = new ORMap<string, PNCounter>(emptyCounter);
    c.touch('controller1', 'k').increment('controller1', 3);
    c.pruningCleanup('controller1');
    expect(c.has('k')).toBe(false);
    c.touch('controller0', 'k').increment('controller0', 1);
    expect(c.get('k')!.value).toBe(1);
  });
});

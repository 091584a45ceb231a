import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/Simulation.js';
import { AssertionError } from '../../src/sim/assert.js';

describe('Simulation agenda order', () => {
  it('runs events in time order regardless of scheduling order', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const log = (tag: string) => seen.push(`${tag}@${sim.now}`);
    sim.schedule(30, log, 'c');
    sim.schedule(10, log, 'a');
    sim.schedule(20, log, 'b');
    sim.run();
    expect(seen).toEqual(['a@10', 'b@20', 'c@30']);
  });

  it('breaks time ties by insertion order (FIFO), never by anything else', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: number[] = [];
    for (let i = 0; i < 1000; i++) sim.schedule(5, (x: number) => seen.push(x), i);
    sim.run();
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('orders ties by priority before insertion order', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    sim.schedule(1, (x: string) => seen.push(x), 'late-prio', 5);
    sim.schedule(1, (x: string) => seen.push(x), 'first', 0);
    sim.schedule(1, (x: string) => seen.push(x), 'early-prio', -1);
    sim.schedule(1, (x: string) => seen.push(x), 'second', 0);
    sim.run();
    expect(seen).toEqual(['early-prio', 'first', 'second', 'late-prio']);
  });

  it('keeps FIFO for events scheduled at the same time from inside a callback', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    sim.schedule(0, () => {
      sim.schedule(0, (x: string) => seen.push(x), 'inner1');
      seen.push('outer');
      sim.schedule(0, (x: string) => seen.push(x), 'inner2');
    });
    sim.schedule(0, (x: string) => seen.push(x), 'sibling');
    sim.run();
    expect(seen).toEqual(['outer', 'sibling', 'inner1', 'inner2']);
  });

  it('matches a reference sort on a large random workload with many ties', () => {
    const sim = new Simulation({ seed: 7 });
    const rng = sim.rng('test');
    const expected: [number, number][] = [];
    const seen: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const t = rng.nextInt(500);
      expected.push([t, i]);
      sim.schedule(t, (x: number) => seen.push(x), i);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    sim.run();
    expect(seen).toEqual(expected.map((e) => e[1]));
  });
});

describe('Simulation.postAt', () => {
  it('takes its place among ties in insertion order like scheduleAt, and returns no handle', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const log = (tag: string) => seen.push(`${tag}@${sim.now}`);
    sim.scheduleAt(7.5, log, 'a');
    expect(sim.postAt(7.5, log, 'b')).toBeUndefined();
    sim.schedule(7.5, log, 'c');
    sim.postAt(2.25, log, 'd');
    sim.run();
    expect(seen).toEqual(['d@2.25', 'a@7.5', 'b@7.5', 'c@7.5']);
    expect(() => sim.postAt(1, log, 'e')).toThrow(AssertionError);
  });
});

describe('Simulation reserved places', () => {
  it('an event scheduled later with a reserved seq runs where it would have run if scheduled at the reservation', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const log = (x: string) => seen.push(`${x}@${sim.now}`);
    const reserved = sim.reserveSeq();
    sim.schedule(10, log, 'scheduled after the reservation');
    sim.schedule(5, () => {
      sim.schedule(5, log, 'scheduled at 5');
      sim.scheduleAtSeq(10, reserved, log, 'reserved first');
    });
    sim.schedule(10, log, 'early priority', -1);
    sim.run();
    expect(seen).toEqual(['early priority@10', 'reserved first@10', 'scheduled after the reservation@10', 'scheduled at 5@10']);
    expect(() => sim.scheduleAtSeq(sim.now - 1, sim.reserveSeq(), log, 'late')).toThrow(AssertionError);
  });
});

describe('Simulation cancellation', () => {
  it('a cancelled event never runs and cancel reports whether it did anything', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const a = sim.schedule(10, (x: string) => seen.push(x), 'a');
    sim.schedule(20, (x: string) => seen.push(x), 'b');
    expect(sim.pending).toBe(2);
    expect(sim.cancel(a)).toBe(true);
    expect(sim.cancel(a)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(seen).toEqual(['b']);
    expect(sim.eventsProcessed).toBe(1);
  });

  it('a stale handle cannot cancel a later event that reuses the slot', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const first = sim.schedule(1, (x: string) => seen.push(x), 'first');
    sim.run();
    sim.schedule(1, (x: string) => seen.push(x), 'second');
    expect(sim.cancel(first)).toBe(false);
    sim.run();
    expect(seen).toEqual(['first', 'second']);
  });

  it('cancelling an event from inside another event at the same time works', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    let victim = -1;
    sim.schedule(5, () => {
      seen.push('killer');
      sim.cancel(victim);
    });
    victim = sim.schedule(5, (x: string) => seen.push(x), 'victim');
    sim.run();
    expect(seen).toEqual(['killer']);
  });
});

describe('Agenda compaction', () => {
  it('keeps the heap near the live size when most events are cancelled, without changing the order', () => {
    const sim = new Simulation({ seed: 3 });
    const rng = sim.rng('test');
    const agenda = (sim as unknown as { agenda: { heapLength: number } }).agenda;
    const seen: number[] = [];
    const expected: [number, number][] = [];
    let maxHeap = 0;
    for (let i = 0; i < 100_000; i++) {
      const t = rng.nextInt(1_000_000);
      const handle = sim.schedule(t, (x: number) => seen.push(x), i);
      // Like forced timeouts: almost every event is cancelled soon after it is armed.
      if (i % 50 === 0) expected.push([t, i]);
      else sim.cancel(handle);
      maxHeap = Math.max(maxHeap, agenda.heapLength);
    }
    expect(sim.pending).toBe(2000);
    expect(maxHeap).toBeLessThan(2 * 2000 + 1024 + 2);
    sim.run();
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(seen).toEqual(expected.map((e) => e[1]));
  });

  it('a handle cancelled before a compaction stays dead after it', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    const early = sim.schedule(1, (x: string) => seen.push(x), 'early');
    sim.cancel(early);
    for (let i = 0; i < 10_000; i++) sim.cancel(sim.schedule(5, () => seen.push('never')));
    sim.schedule(2, (x: string) => seen.push(x), 'kept');
    expect(sim.cancel(early)).toBe(false);
    sim.run();
    expect(seen).toEqual(['kept']);
  });
});

describe('Simulation run limits', () => {
  it('stops at until and advances the clock to it', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: number[] = [];
    for (const t of [5, 10, 15]) sim.schedule(t, (x: number) => seen.push(x), t);
    const result = sim.run({ until: 10 });
    expect(seen).toEqual([5, 10]);
    expect(result.reason).toBe('until');
    expect(sim.now).toBe(10);
    sim.run();
    expect(seen).toEqual([5, 10, 15]);
  });

  it('stops after maxEvents', () => {
    const sim = new Simulation({ seed: 1 });
    let n = 0;
    const tick = () => {
      n++;
      sim.schedule(1, tick);
    };
    sim.schedule(0, tick);
    const result = sim.run({ maxEvents: 100 });
    expect(result).toEqual({ events: 100, reason: 'maxEvents' });
    expect(n).toBe(100);
    expect(sim.now).toBe(99);
  });

  it('step processes exactly one event', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: number[] = [];
    sim.schedule(1, (x: number) => seen.push(x), 1);
    sim.schedule(2, (x: number) => seen.push(x), 2);
    expect(sim.step()).toBe(true);
    expect(seen).toEqual([1]);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
  });

  it('refuses negative delays and scheduling in the past (the clock never goes back)', () => {
    const sim = new Simulation({ seed: 1 });
    sim.schedule(10, () => undefined);
    sim.run();
    expect(() => sim.schedule(-1, () => undefined)).toThrow(AssertionError);
    expect(() => sim.scheduleAt(5, () => undefined)).toThrow(AssertionError);
    expect(() => sim.run({ until: 3 })).toThrow(AssertionError);
  });

  it('does not swallow an exception thrown by an event', () => {
    const sim = new Simulation({ seed: 1 });
    sim.schedule(1, () => {
      throw new Error('boom');
    });
    expect(() => sim.run()).toThrow('boom');
  });
});

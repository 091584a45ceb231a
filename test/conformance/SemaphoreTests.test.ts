/**
 * Replays OpenWhisk's ForcibleSemaphoreTests, NestedSemaphoreTests and ResizableSemaphoreTests (HEAD
 * 1fae641a). The Scala "under concurrent load" cases have no counterpart in a single-threaded simulator; their
 * sequential meaning (never more than maxAllowed successes) is checked instead.
 */
import { describe, expect, it } from 'vitest';
import { ForcibleSemaphore } from '../../src/model/common/ForcibleSemaphore.js';
import { JvmException } from '../../src/model/common/JvmException.js';
import { NestedSemaphore } from '../../src/model/common/NestedSemaphore.js';
import { ResizableSemaphore } from '../../src/model/common/ResizableSemaphore.js';
import { openSuite, SOURCES } from './expectations.js';

/** The simple JVM class name a call throws, or null when it does not throw. */
function thrownClass(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof JvmException) return e.simpleName;
    throw e;
  }
}

describe('ForcibleSemaphoreTests (HEAD 1fae641a)', () => {
  const suite = openSuite(SOURCES.forcibleSemaphore);

  it('non-positive amounts rejected', () => {
    const s = new ForcibleSemaphore(2);
    const thrown = [
      thrownClass(() => s.tryAcquire(0)),
      thrownClass(() => s.tryAcquire(-1)),
      thrownClass(() => s.forceAcquire(0)),
      thrownClass(() => s.forceAcquire(-1)),
      thrownClass(() => s.release(0)),
      thrownClass(() => s.release(-1)),
    ];
    expect(thrown).toEqual(suite.expected('non-positive amounts rejected'));
    expect(s.availablePermits).toBe(2);
  });

  it('acquire only defined amount', () => {
    const s = new ForcibleSemaphore(2);
    expect([s.tryAcquire(), s.tryAcquire(), s.tryAcquire()]).toEqual(suite.expected('acquire only defined amount'));
  });

  it('acquire n permits', () => {
    const s2 = new ForcibleSemaphore(4);
    expect([s2.tryAcquire(5), s2.tryAcquire(3), s2.tryAcquire(2), s2.tryAcquire()]).toEqual(suite.expected('acquire n permits'));
  });

  it('release', () => {
    const s = new ForcibleSemaphore(2);
    const results = [s.tryAcquire(), s.tryAcquire(), s.tryAcquire()];
    s.release();
    results.push(s.tryAcquire());
    s.release(2);
    results.push(s.tryAcquire(2));
    expect(results).toEqual(suite.expected('release'));
  });

  it('forced permits delay usual ones', () => {
    const s = new ForcibleSemaphore(2);
    const results = [s.tryAcquire(2)];
    s.forceAcquire(5);
    expect(s.availablePermits).toBe(-5);
    results.push(s.tryAcquire());
    s.release(4);
    results.push(s.tryAcquire());
    s.release();
    results.push(s.tryAcquire());
    s.release();
    results.push(s.tryAcquire());
    expect(results).toEqual(suite.expected('forced permits delay usual ones'));
  });

  it('never gives away more than maxAllowed permits (the concurrent-load case, sequentially)', () => {
    const s = new ForcibleSemaphore(32);
    const acquires = Array.from({ length: 64 }, () => s.tryAcquire());
    expect(acquires.filter(Boolean)).toHaveLength(32);
  });

  it('replays every ForcibleSemaphore expectation', () => suite.assertAllReplayed());
});

describe('NestedSemaphoreTests (HEAD 1fae641a)', () => {
  const suite = openSuite(SOURCES.nestedSemaphore);

  it('concurrency slots before memory', () => {
    const s = new NestedSemaphore<string>(20);
    expect(s.availablePermits).toBe(20);
    const actionId = 'action1';
    const actionConcurrency = 5;
    const actionMemory = 3;
    // All five concurrent activations share one container (3 of memory).
    const first = Array.from({ length: 5 }, () => s.tryAcquireConcurrent(actionId, actionConcurrency, actionMemory));
    const afterFirst = [s.availablePermits, s.concurrentState().get(actionId)!.availablePermits];
    // The remaining 17 permits hold 5 more containers (15), i.e. 25 more slots.
    const second = Array.from({ length: 25 }, () => s.tryAcquireConcurrent(actionId, actionConcurrency, actionMemory));
    const observed = [
      first.every(Boolean),
      afterFirst,
      second.every(Boolean),
      s.availablePermits,
      s.concurrentState().get(actionId)!.availablePermits,
      s.tryAcquireConcurrent('action1', actionConcurrency, actionMemory),
    ];
    expect(observed).toEqual(suite.expected('concurrency slots before memory'));
  });

  it('releases a container’s memory when all its slots are free, and forgets the action when idle', () => {
    const s = new NestedSemaphore<string>(20);
    for (let i = 0; i < 6; i++) expect(s.tryAcquireConcurrent('a', 3, 4)).toBe(true);
    expect(s.availablePermits).toBe(12);
    for (let i = 0; i < 3; i++) s.releaseConcurrent('a', 3, 4);
    expect(s.availablePermits).toBe(16);
    for (let i = 0; i < 3; i++) s.releaseConcurrent('a', 3, 4);
    expect(s.availablePermits).toBe(20);
    expect(s.concurrentState().has('a')).toBe(false);
    // Releasing an action that has no entry fails as the Scala map lookup does.
    expect(thrownClass(() => s.releaseConcurrent('a', 3, 4))).toBe('NoSuchElementException');
  });

  it('forceAcquireConcurrent pushes memory negative for a new container', () => {
    const s = new NestedSemaphore<string>(2);
    s.forceAcquireConcurrent('a', 2, 3);
    expect(s.availablePermits).toBe(-1);
    expect(s.tryAcquireConcurrent('a', 2, 3)).toBe(true); // the container's second slot
    s.forceAcquireConcurrent('b', 1, 1);
    expect(s.availablePermits).toBe(-2);
  });

  it('replays every NestedSemaphore expectation', () => suite.assertAllReplayed());
});

describe('ResizableSemaphoreTests (HEAD 1fae641a)', () => {
  const suite = openSuite(SOURCES.resizableSemaphore);

  it('rejects non-positive amounts', () => {
    const s = new ResizableSemaphore(2, 5);
    expect([
      thrownClass(() => s.tryAcquire(0)),
      thrownClass(() => s.tryAcquire(-1)),
      thrownClass(() => s.release(0, true)),
      thrownClass(() => s.release(-1, true)),
    ]).toEqual(Array(4).fill('IllegalArgumentException'));
  });

  it('resize on release when multiple of reductionSize', () => {
    const s = new ResizableSemaphore(2, 5);
    const steps: unknown[] = [];
    const acquire = (n = 1) => steps.push([s.tryAcquire(n), s.counter]);
    const release = (n: number, opComplete: boolean) => steps.push([[...s.release(n, opComplete)], s.counter]);
    acquire();
    acquire();
    acquire();
    release(4, false);
    acquire(4);
    acquire();
    release(5, false);
    acquire();
    release(6, false);
    for (let i = 0; i < 6; i++) acquire();
    acquire();
    release(10, false);
    steps.push([s.tryAcquire(), s.counter, s.availablePermits]);
    for (let i = 0; i < 14; i++) steps.push([[...s.release(1, true)], s.counter, s.availablePermits]);
    expect(steps).toEqual(suite.expected('resize on release when multiple of reductionSize'));
  });

  it('never gives away more than maxAllowed permits, and releases all operations (sequentially)', () => {
    const s = new ResizableSemaphore(32, 35);
    const acquires = Array.from({ length: 64 }, () => s.tryAcquire());
    expect(acquires.filter(Boolean)).toHaveLength(32);
    for (let i = 0; i < 32; i++) s.release(1, true);
    expect(s.counter).toBe(0);
  });

  it('replays every ResizableSemaphore expectation', () => suite.assertAllReplayed());
});

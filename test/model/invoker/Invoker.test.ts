import { describe, expect, it } from 'vitest';
import type { CompletionMessage, PingMessage } from '../../../src/model/messages.js';
import { invokerFeedCapacity } from '../../../src/model/invoker/Invoker.js';
import { TEST_ACTION_DURATION_MS } from '../../../src/model/invoker/ContainerPool.js';
import { COLD_MS, Harness, action, invokersConfig } from './harness.js';

const A = action(0, 'a');

describe('Invoker active acks', () => {
  it('sends the completion to completed<rootControllerIndex> the moment the run ends', () => {
    const h = new Harness(invokersConfig());
    const acks2 = h.listen('completed2');
    const acks0 = h.listen('completed0');
    const id = h.send(A, { durationMs: 300, controller: 2 });
    h.runUntil(5000);
    expect(acks0).toHaveLength(0);
    expect(acks2).toHaveLength(1);
    expect(acks2[0]!.atMs).toBe(COLD_MS + 300);
    const ack = acks2[0]!.msg as CompletionMessage;
    expect(ack).toMatchObject({ type: 'completion', activationId: id, response: 'success', invoker: 0 });
    expect(ack.record).toBe(h.records.get(id));
  });

  it('reports an application error in the response', () => {
    const h = new Harness(invokersConfig());
    const acks = h.listen('completed0');
    h.send(A, { durationMs: 10, applicationError: true });
    h.runUntil(5000);
    expect((acks[0]!.msg as CompletionMessage).response).toBe('applicationError');
  });

  it('runs a health test action for 1 ms, acks it, and does not report it to the observer', () => {
    const h = new Harness(invokersConfig());
    const acks = h.listen('completed1');
    const health = action(-1, 'invokerHealthTestAction0', { namespace: 'whisk.system', memoryMb: 128 });
    const id = h.send(health, { test: true, controller: 1 });
    h.runUntil(5000);
    expect(h.events).toHaveLength(0);
    expect(acks).toHaveLength(1);
    expect(acks[0]!.atMs).toBe(COLD_MS + TEST_ACTION_DURATION_MS);
    expect(acks[0]!.msg).toMatchObject({ activationId: id, response: 'success', record: null });
    // A second one reuses the test action's warm container.
    h.send(health, { test: true, controller: 1 });
    h.runUntil(6000);
    expect(acks[1]!.atMs).toBe(5000 + TEST_ACTION_DURATION_MS);
    expect(h.invoker.coldStarts).toBe(1);
    expect(h.invoker.activations).toBe(2);
  });
});

describe('Invoker health pings', () => {
  it('pings the health topic every ping interval, starting at t = 0', () => {
    const h = new Harness(invokersConfig({ pingIntervalMs: 1000 }));
    const pings = h.listen('health');
    h.runUntil(5500);
    expect(pings.map((p) => p.atMs)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(pings[0]!.msg as PingMessage).toEqual({ type: 'ping', invoker: 0, enabled: true });
  });
});

describe('Invoker activation feed', () => {
  it('derives its capacity from user memory (HEAD) or slots (MB), unless configured', () => {
    expect(invokerFeedCapacity(invokersConfig({ userMemoryMb: 1024 }))).toBe(8);
    expect(invokerFeedCapacity(invokersConfig({ userMemoryMb: 2000 }))).toBe(15);
    expect(invokerFeedCapacity(invokersConfig({ poolMode: 'count', slots: 4 }))).toBe(4);
    expect(invokerFeedCapacity(invokersConfig({ feedCapacity: 3 }))).toBe(3);
  });

  it('runs at most feed-capacity activations; the rest wait in Kafka, not in the pool', () => {
    const h = new Harness(invokersConfig({ userMemoryMb: 1024 }));
    const small = (i: number) => action(i, `s${i}`, { memoryMb: 128 });
    const ids = Array.from({ length: 10 }, (_, i) => h.send(small(i), { durationMs: 1000 }));
    h.runUntil(100);
    expect(h.invoker.inFlight).toBe(8);
    expect(h.invoker.bufferedCount).toBe(0);
    h.runUntil(20_000);
    expect(h.invoker.maxInFlight).toBe(8);
    // The ninth and tenth start when the first runs end (at 1500), each after evicting an idle container.
    expect(h.startOf(ids[8]!)?.atMs).toBe(1500 + COLD_MS);
    expect(h.startOf(ids[9]!)?.atMs).toBe(1500 + COLD_MS);
    expect(h.invoker.activations).toBe(10);
    expect(h.events.filter((e) => e.event === 'finished')).toHaveLength(10);
  });

  it('holds feed capacity while the run buffer is not empty, and releases it when it drains', () => {
    // 512 MB, capacity 4: two 256 MB runs fill memory; a third waits in the run buffer.
    const h = new Harness(invokersConfig({ userMemoryMb: 512, feedCapacity: 4 }));
    const ids = [0, 1, 2, 3, 4, 5].map((i) => h.send(action(i, `a${i}`), { durationMs: 1000 }));
    h.runUntil(100);
    expect(h.invoker.inFlight).toBe(2);
    expect(h.invoker.bufferedCount).toBe(2);
    h.runUntil(30_000);
    expect(h.events.filter((e) => e.event === 'finished')).toHaveLength(6);
    expect(h.invoker.maxInFlight).toBe(2);
    // FIFO: starts are in send order.
    const starts = ids.map((id) => h.startOf(id)!.atMs);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });
});

describe('Invoker crash and restart', () => {
  it('loses running and buffered activations, destroys containers and stops pinging', () => {
    const h = new Harness(invokersConfig({ userMemoryMb: 256, feedCapacity: 2 }));
    const pings = h.listen('health');
    const acks = h.listen('completed0');
    const running = h.send(A, { durationMs: 5000 });
    const buffered = h.send(action(1, 'b'), { durationMs: 5000 });
    h.runUntil(1000);
    expect(h.invoker.inFlight).toBe(1);
    expect(h.invoker.bufferedCount).toBe(1);
    h.invoker.crash();
    expect(h.invoker.isAlive).toBe(false);
    expect(h.invoker.containers).toBe(0);
    expect(h.invoker.memoryUsedMb).toBe(0);
    expect(h.invoker.inFlight).toBe(0);
    expect(h.invoker.bufferedCount).toBe(0);
    const lost = h.events.filter((e) => e.event === 'lost');
    expect(lost.map((e) => e.id).sort()).toEqual([running, buffered].sort());
    expect(lost.every((e) => e.atMs === 1000)).toBe(true);
    const pingsAtCrash = pings.length;
    h.runUntil(20_000);
    expect(pings.length).toBe(pingsAtCrash);
    expect(acks).toHaveLength(0);
    expect(h.events.filter((e) => e.event === 'finished')).toHaveLength(0);
  });

  it('restarts with an empty pool, resumes the feed from the committed offset, and pings again', () => {
    const h = new Harness(invokersConfig({ prewarm: [{ kind: 'nodejs:6', memoryMb: 256, count: 1 }] }));
    const pings = h.listen('health');
    const acks = h.listen('completed0');
    h.send(A, { durationMs: 100 });
    h.runUntil(1000);
    h.invoker.crash();
    h.runUntil(2000);
    // Sent while the invoker is down: stays in Kafka.
    const whileDown = h.send(A, { durationMs: 100 });
    h.runUntil(3000);
    expect(h.startOf(whileDown)).toBeUndefined();
    const pingsBefore = pings.length;
    h.invoker.restart();
    expect(h.invoker.isAlive).toBe(true);
    // The stem cell boots after a restart.
    expect(h.invoker.containers).toBe(1);
    h.runUntil(3000);
    expect(pings.length).toBe(pingsBefore + 1);
    expect(pings[pings.length - 1]!.atMs).toBe(3000);
    h.runUntil(10_000);
    // The stem cell was still booting at 3000, so the run cold-starts in the new pool.
    expect(h.startOf(whileDown)).toEqual({ event: 'started', id: whileDown, atMs: 3000 + COLD_MS, cold: true });
    expect(acks.map((a) => (a.msg as CompletionMessage).activationId)).toEqual([1, whileDown]);
    expect(h.invoker.coldStarts).toBe(1);
    expect(pings.length).toBe(pingsBefore + 8);
  });

  it('is deterministic: the same seed gives the same event log', () => {
    const runOnce = () => {
      const h = new Harness(
        invokersConfig({ coldStartMs: { dist: 'uniform', min: 100, max: 900 }, userMemoryMb: 512 }),
        42,
      );
      for (let i = 0; i < 30; i++) {
        h.send(action(i % 5, `a${i % 5}`), { durationMs: 50 + 10 * i });
        h.runUntil(200 * (i + 1));
      }
      h.runUntil(60_000);
      return h.events;
    };
    expect(runOnce()).toEqual(runOnce());
  });
});

import { describe, expect, it } from 'vitest';
import { COLD_MS, Harness, PREWARM_INIT_MS, UNPAUSE_MS, action, invokersConfig } from './harness.js';
import { Simulation } from '../../../src/sim/Simulation.js';
import { ContainerPool, type ContainerPoolHost } from '../../../src/model/invoker/ContainerPool.js';
import type { ContainerProxy, Run } from '../../../src/model/invoker/ContainerProxy.js';
import type { ActivationMessage } from '../../../src/model/messages.js';

const A = action(0, 'a');
const B = action(1, 'b');
const C = action(2, 'c');

describe('ContainerPool (memory mode, HEAD)', () => {
  it('cold-creates a container for the first activation and starts it after the cold start', () => {
    const h = new Harness(invokersConfig());
    const id = h.send(A, { durationMs: 200 });
    h.runUntil(10_000);
    expect(h.startOf(id)).toEqual({ event: 'started', id, atMs: COLD_MS, cold: true });
    expect(h.endOf(id)?.atMs).toBe(COLD_MS + 200);
    expect(h.invoker.coldStarts).toBe(1);
    expect(h.invoker.containers).toBe(1);
    expect(h.invoker.memoryUsedMb).toBe(256);
    const record = h.records.get(id)!;
    expect(record.invoker).toBe(0);
    expect(record.execStartMs).toBe(COLD_MS);
    expect(record.execEndMs).toBe(COLD_MS + 200);
    expect(record.cold).toBe(true);
  });

  it('reuses a warm container of the same action at once', () => {
    const h = new Harness(invokersConfig());
    h.send(A, { durationMs: 200 });
    h.runUntil(1000);
    const second = h.send(A, { durationMs: 200 });
    h.runUntil(5000);
    expect(h.startOf(second)).toEqual({ event: 'started', id: second, atMs: 1000, cold: false });
    expect(h.invoker.coldStarts).toBe(1);
    expect(h.invoker.containers).toBe(1);
  });

  it('pays the unpause time when the warm container has been idle past the pause grace', () => {
    const h = new Harness(invokersConfig({ pauseGraceMs: 10_000 }));
    h.send(A, { durationMs: 200 }); // idle from 700
    h.runUntil(10_700);
    const second = h.send(A, { durationMs: 200 });
    h.runUntil(20_000);
    expect(h.startOf(second)).toEqual({ event: 'started', id: second, atMs: 10_700 + UNPAUSE_MS, cold: false });
    expect(h.invoker.coldStarts).toBe(1);
  });

  it('does not unpause a container reused within the pause grace', () => {
    const h = new Harness(invokersConfig({ pauseGraceMs: 10_000 }));
    h.send(A, { durationMs: 200 });
    h.runUntil(10_699);
    const second = h.send(A, { durationMs: 200 });
    h.runUntil(20_000);
    expect(h.startOf(second)?.atMs).toBe(10_699);
  });

  it('uses a stem cell of the same kind and memory and boots a replacement', () => {
    const h = new Harness(invokersConfig({ prewarm: [{ kind: 'nodejs:6', memoryMb: 256, count: 1 }] }));
    expect(h.invoker.containers).toBe(1);
    expect(h.invoker.memoryUsedMb).toBe(256);
    const first = h.send(A, { durationMs: 5000 });
    h.runUntil(1);
    // The stem cell became A's container and a replacement is booting: two containers, 512 MB.
    expect(h.invoker.containers).toBe(2);
    expect(h.invoker.memoryUsedMb).toBe(512);
    h.runUntil(1000);
    expect(h.startOf(first)).toEqual({ event: 'started', id: first, atMs: PREWARM_INIT_MS, cold: false });
    expect(h.invoker.coldStarts).toBe(0);
    // The replacement booted (a cold-start draw) and serves the next action of that kind and memory.
    const second = h.send(B, { durationMs: 100 });
    h.runUntil(3000);
    expect(h.startOf(second)).toEqual({ event: 'started', id: second, atMs: 1000 + PREWARM_INIT_MS, cold: false });
    expect(h.invoker.coldStarts).toBe(0);
    expect(h.invoker.containers).toBe(3);
  });

  it('does not use a stem cell of another kind or memory', () => {
    const h = new Harness(invokersConfig({ prewarm: [{ kind: 'nodejs:6', memoryMb: 256, count: 1 }] }));
    const python = h.send(action(0, 'py', { kind: 'python:3' }), { durationMs: 100 });
    const big = h.send(action(1, 'big', { memoryMb: 512 }), { durationMs: 100 });
    h.runUntil(5000);
    expect(h.startOf(python)).toEqual({ event: 'started', id: python, atMs: COLD_MS, cold: true });
    expect(h.startOf(big)).toEqual({ event: 'started', id: big, atMs: COLD_MS, cold: true });
    expect(h.invoker.coldStarts).toBe(2);
    // The stem cell is still there, unused.
    expect(h.invoker.memoryUsedMb).toBe(256 + 256 + 512);
  });

  it('never reuses a container across invocation namespaces or actions', () => {
    const h = new Harness(invokersConfig());
    h.send(A, { durationMs: 100 });
    h.runUntil(1000);
    const otherNamespace = h.send(A, { durationMs: 100, namespace: 'alice' });
    const otherAction = h.send(B, { durationMs: 100 });
    h.runUntil(3000);
    expect(h.startOf(otherNamespace)?.cold).toBe(true);
    expect(h.startOf(otherAction)?.cold).toBe(true);
    expect(h.invoker.coldStarts).toBe(3);
    // Each of them now has its own warm container.
    const again = h.send(A, { durationMs: 100, namespace: 'alice' });
    h.runUntil(4000);
    expect(h.startOf(again)).toEqual({ event: 'started', id: again, atMs: 3000, cold: false });
  });

  it("evicts the least recently used idle container of another action when memory is needed", () => {
    const h = new Harness(invokersConfig({ userMemoryMb: 512 }));
    h.send(A, { durationMs: 100 }); // idle from 600
    h.runUntil(1000);
    h.send(B, { durationMs: 100 }); // idle from 1600
    h.runUntil(2000);
    expect(h.invoker.memoryUsedMb).toBe(512);
    const c = h.send(C, { durationMs: 100 });
    h.runUntil(3000);
    expect(h.startOf(c)).toEqual({ event: 'started', id: c, atMs: 2000 + COLD_MS, cold: true });
    expect(h.invoker.containers).toBe(2);
    expect(h.invoker.memoryUsedMb).toBe(512);
    // A was the LRU and is gone; B survived.
    const b = h.send(B, { durationMs: 100 });
    h.runUntil(4000);
    expect(h.startOf(b)).toEqual({ event: 'started', id: b, atMs: 3000, cold: false });
    const a = h.send(A, { durationMs: 100 });
    h.runUntil(5000);
    expect(h.startOf(a)?.cold).toBe(true);
  });

  it('buffers runs in FIFO order when nothing fits, and the head blocks smaller runs behind it', () => {
    const h = new Harness(invokersConfig({ userMemoryMb: 512, feedCapacity: 4 }));
    const x = h.send(A, { durationMs: 2000 }); // 256 MB, runs 500..2500
    const y = h.send(action(1, 'huge', { memoryMb: 512 }), { durationMs: 100 });
    const z = h.send(action(2, 'small', { memoryMb: 128 }), { durationMs: 100 });
    h.runUntil(1000);
    expect(h.startOf(x)?.atMs).toBe(COLD_MS);
    // z alone would fit (256 + 128 ≤ 512) but waits behind y.
    expect(h.invoker.bufferedCount).toBe(2);
    expect(h.startOf(y)).toBeUndefined();
    expect(h.startOf(z)).toBeUndefined();
    h.runUntil(10_000);
    // At 2500 x ends; y evicts x's idle container and cold-starts. z still waits: y holds all 512 MB until it
    // ends at 3100, then z evicts y's idle container.
    expect(h.startOf(y)?.atMs).toBe(2500 + COLD_MS);
    expect(h.startOf(z)?.atMs).toBe(3100 + COLD_MS);
    expect(h.invoker.bufferedCount).toBe(0);
  });

  it('removes an idle container after pause grace plus idle timeout', () => {
    const h = new Harness(invokersConfig({ pauseGraceMs: 10_000, idleTimeoutMs: 600_000 }));
    h.send(A, { durationMs: 100 }); // idle from 600
    h.runUntil(600 + 610_000 - 1);
    expect(h.invoker.containers).toBe(1);
    h.runUntil(600 + 610_000);
    expect(h.invoker.containers).toBe(0);
    expect(h.invoker.memoryUsedMb).toBe(0);
  });

  it('keeps a container that is reused, and removes it an idle timeout after its last use', () => {
    const h = new Harness(invokersConfig({ pauseGraceMs: 10_000, idleTimeoutMs: 600_000 }));
    h.send(A, { durationMs: 100 }); // idle from 600
    h.runUntil(300_000);
    h.send(A, { durationMs: 100 }); // paused by then: unpauses, runs 300_050..300_150
    h.runUntil(300_150 + 610_000 - 1);
    expect(h.invoker.containers).toBe(1);
    expect(h.invoker.coldStarts).toBe(1);
    h.runUntil(300_150 + 610_000);
    expect(h.invoker.containers).toBe(0);
  });

  it('keeps the agenda small: one idle check per container, not one per activation', () => {
    const h = new Harness(invokersConfig());
    h.send(A, { durationMs: 10 });
    h.runUntil(1000);
    const pendingBefore = h.sim.pending;
    for (let i = 0; i < 200; i++) {
      h.send(A, { durationMs: 10 });
      h.runUntil(1000 + (i + 1) * 100);
    }
    expect(h.sim.pending).toBe(pendingBefore);
    expect(h.invoker.coldStarts).toBe(1);
  });

  it('shares one container among concurrent activations up to the action concurrency', () => {
    const h = new Harness(invokersConfig());
    const concurrent = action(0, 'conc', { concurrency: 3 });
    const ids = [h.send(concurrent, { durationMs: 1000 }), h.send(concurrent, { durationMs: 1000 }), h.send(concurrent, { durationMs: 1000 })];
    const fourth = h.send(concurrent, { durationMs: 1000 });
    h.runUntil(600);
    for (const id of ids) expect(h.startOf(id)).toEqual({ event: 'started', id, atMs: COLD_MS, cold: true });
    expect(h.invoker.coldStarts).toBe(2);
    expect(h.invoker.containers).toBe(2);
    expect(h.startOf(fourth)?.atMs).toBe(COLD_MS);
    expect(h.invoker.inFlight).toBe(4);
    // A fifth joins the running container with spare concurrency (the fourth's) and starts at once.
    const fifth = h.send(concurrent, { durationMs: 1000 });
    h.runUntil(700);
    expect(h.startOf(fifth)).toEqual({ event: 'started', id: fifth, atMs: 600, cold: false });
    expect(h.invoker.coldStarts).toBe(2);
  });

  it('reproduces HEAD overcommitting memory after evicting less than the action needs', () => {
    const h = new Harness(invokersConfig({ userMemoryMb: 1024 }));
    for (let i = 0; i < 7; i++) h.send(action(10 + i, `busy${i}`, { memoryMb: 128 }), { durationMs: 100_000 });
    h.send(action(20, 'brief', { memoryMb: 128 }), { durationMs: 10 });
    h.runUntil(1000);
    expect(h.invoker.memoryUsedMb).toBe(1024);
    const big = h.send(action(21, 'big', { memoryMb: 256 }), { durationMs: 10 });
    h.runUntil(2000);
    expect(h.startOf(big)?.cold).toBe(true);
    expect(h.invoker.memoryUsedMb).toBe(7 * 128 + 256);
  });
});

describe('ContainerPool (count mode, MB)', () => {
  it('never runs more than `slots` activations; the feed holds the rest in Kafka', () => {
    const h = new Harness(invokersConfig({ poolMode: 'count', slots: 2 }));
    expect(h.invoker.feedCapacity).toBe(2);
    const ids = [0, 1, 2, 3].map((i) => h.send(action(i, `a${i}`), { durationMs: 1000 }));
    h.runUntil(100);
    expect(h.invoker.inFlight).toBe(2);
    expect(h.invoker.bufferedCount).toBe(0);
    h.runUntil(10_000);
    expect(h.invoker.maxInFlight).toBe(2);
    expect(h.startOf(ids[2]!)?.atMs).toBe(1500 + COLD_MS);
    expect(h.startOf(ids[3]!)?.atMs).toBe(1500 + COLD_MS);
  });

  it('buffers runs beyond the slots when the feed capacity is larger', () => {
    const h = new Harness(invokersConfig({ poolMode: 'count', slots: 2, feedCapacity: 4 }));
    [0, 1, 2, 3].map((i) => h.send(action(i, `a${i}`), { durationMs: 1000 }));
    h.runUntil(100);
    expect(h.invoker.inFlight).toBe(2);
    expect(h.invoker.bufferedCount).toBe(2);
    h.runUntil(10_000);
    expect(h.invoker.maxInFlight).toBe(2);
    expect(h.invoker.bufferedCount).toBe(0);
    expect(h.events.filter((e) => e.event === 'finished')).toHaveLength(4);
  });

  it('ignores memory and evicts the LRU idle container of another action once all slots hold containers', () => {
    const h = new Harness(invokersConfig({ poolMode: 'count', slots: 2, userMemoryMb: 128 }));
    h.send(A, { durationMs: 100 });
    h.send(B, { durationMs: 200 });
    h.runUntil(1000);
    expect(h.invoker.containers).toBe(2);
    const c = h.send(C, { durationMs: 100 });
    h.runUntil(2000);
    expect(h.startOf(c)).toEqual({ event: 'started', id: c, atMs: 1000 + COLD_MS, cold: true });
    expect(h.invoker.containers).toBe(2);
    const b = h.send(B, { durationMs: 100 });
    h.runUntil(3000);
    expect(h.startOf(b)?.cold).toBe(false);
  });
});

describe('ContainerPool object reuse', () => {
  function testAction(id: number, a = A): ActivationMessage {
    return { type: 'activation', activationId: id, action: a, user: { namespace: 'ns', uuid: 'u' }, rootControllerIndex: 0, blocking: false, record: null };
  }

  /** A pool whose host keeps, per started run, the run and its container, and retains the runs of `retain`. */
  function world(retain: number[] = []) {
    const sim = new Simulation({ seed: 1 });
    const started: { run: Run; container: ContainerProxy; id: number }[] = [];
    const host: ContainerPoolHost = {
      runStarted: (run) => started.push({ run, container: run.container!, id: run.msg.activationId }),
      runCompleted: (run) => {
        if (retain.includes(run.msg.activationId)) run.retained = true;
        return true;
      },
      processed: () => {},
    };
    const pool = new ContainerPool(sim, 'invoker0', invokersConfig(), host);
    return { sim, pool, started };
  }

  it('reuses a released run for the next activation, fresh as a new one, unless the run is retained', () => {
    const { sim, pool, started } = world([2]);
    for (const id of [1, 2, 3]) {
      pool.run(testAction(id));
      sim.run();
    }
    expect(started[1]!.run).toBe(started[0]!.run);
    expect(started[2]!.run).not.toBe(started[1]!.run);
    // The retained run still describes its own activation; the reused one was set up as new for its second.
    expect(started[1]!.run.msg.activationId).toBe(2);
    expect(started[1]!.run.acked).toBe(true);
    expect(started[2]!.run.enqueueRetries).toBe(0);
  });

  it('reuses an evicted container as a new container with a new id', () => {
    const { sim, pool, started } = world();
    pool.run(testAction(1));
    sim.run({ until: 5000 });
    const first = started[0]!.container;
    // 1 GB: A's idle 256 MB container and six 128 MB ones fill it; the seventh evicts A's and takes its object.
    for (let i = 0; i < 7; i++) pool.run(testAction(10 + i, action(i + 1, `b${i}`, { memoryMb: 128 })));
    sim.run({ until: 10_000 });
    expect(pool.evictions).toBe(1);
    const reused = started.find((s) => s.id === 16)!;
    expect(reused.container).toBe(first);
    expect(reused.container.id).toBe(7);
    expect(reused.container.action!.fqn).toBe('guest/b6');
    expect(reused.container.state).toBe('ready');
  });
});

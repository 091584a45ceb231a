/**
 * The conformance suite for the messaging seam (`MessagingProvider`, `MessageProducer`, `MessageConsumer`),
 * run against every implementation (a seam is tested on each side): the simulated Kafka and the in-memory provider. Each
 * implementation's `*.test.ts` calls `runConformance({ create, skip })`; a skipped case must say why.
 *
 * The cases only assume what the port relies on: long polls that answer early when a record becomes visible
 * and empty at their timeout, at most maxPeek records per poll in send order, records the caller may keep,
 * one completion per send that runs the callback attached to it once, asynchronous callbacks,
 * committed offsets per group (earliest reset), one partition owner per single-partition topic, and a close
 * that answers a pending poll. Timing assertions allow the implementation's produce latency bound.
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../src/sim/Simulation.js';
import type { Message, PingMessage } from '../../../src/model/messages.js';
import type { MessageConsumer, MessagingProvider } from '../../../src/model/messaging.js';

export interface ConformanceHarness {
  provider: MessagingProvider;
  sim: Simulation;
  /** Upper bound on produce → visible latency (0 when sends are visible at once). */
  maxLatencyMs: number;
  /** Records produced to `topic` and not yet committed by its slowest group. */
  depth(topic: string): number;
}

export interface ConformanceOptions {
  create: () => ConformanceHarness;
  skip?: { test: string; reason: string }[];
}

const ping = (n: number): PingMessage => ({ type: 'ping', invoker: n, enabled: true });
const ids = (records: readonly Message[]) => records.map((m) => (m as PingMessage).invoker);

/** Records a consumer's poll answers with their times. */
function poller(h: ConformanceHarness, consumer: MessageConsumer) {
  const answers: { atMs: number; ids: number[] }[] = [];
  const callback = (records: readonly Message[]) => answers.push({ atMs: h.sim.now, ids: ids(records) });
  return {
    answers,
    peek: (durationMs: number) => consumer.peek(durationMs, callback),
    get last() {
      return answers[answers.length - 1];
    },
  };
}

const advance = (h: ConformanceHarness, ms: number) => h.sim.run({ until: h.sim.now + ms });

export function runConformance(options: ConformanceOptions): void {
  const skipped = new Map((options.skip ?? []).map((s) => [s.test, s.reason]));
  for (const reason of skipped.values()) expect(reason.length).toBeGreaterThan(0);
  const test = (name: string, body: (h: ConformanceHarness) => void) => {
    if (skipped.has(name)) it.skip(`${name} (skipped: ${skipped.get(name)})`, () => {});
    else it(name, () => body(options.create()));
  };

  describe('MessageConsumer conformance', () => {
    test('answers a long poll empty at its timeout when nothing is produced', (h) => {
      const p = poller(h, h.provider.getConsumer('t', 'g', 4));
      p.peek(250);
      advance(h, 249);
      expect(p.answers).toHaveLength(0);
      advance(h, 1);
      expect(p.answers).toEqual([{ atMs: 250, ids: [] }]);
    });

    test('answers a long poll early when a record becomes visible', (h) => {
      const p = poller(h, h.provider.getConsumer('t', 'g', 4));
      const producer = h.provider.getProducer();
      p.peek(1000);
      advance(h, 10);
      producer.send('t', ping(1));
      advance(h, h.maxLatencyMs + 1);
      expect(p.answers).toHaveLength(1);
      expect(p.last!.ids).toEqual([1]);
      expect(p.last!.atMs).toBeLessThanOrEqual(10 + h.maxLatencyMs);
    });

    test('never answers a poll or a send synchronously', (h) => {
      const producer = h.provider.getProducer();
      const acks: boolean[] = [];
      producer.send('t', ping(1)).andThen((ok) => acks.push(ok), null);
      expect(acks).toEqual([]);
      advance(h, h.maxLatencyMs + 1);
      expect(acks).toEqual([true]);
      const p = poller(h, h.provider.getConsumer('t', 'g', 4));
      p.peek(100);
      expect(p.answers).toHaveLength(0);
      advance(h, 0);
      expect(p.answers).toEqual([{ atMs: h.sim.now, ids: [1] }]);
    });

    test('completes each send once, handing back the context attached to it', (h) => {
      const producer = h.provider.getProducer();
      const seen: unknown[] = [];
      const callback = (ok: boolean, context: string) => seen.push([ok, context]);
      const first = producer.send('t', ping(1));
      const second = producer.send('t', ping(2));
      // Attached after both sends: each completion is its own send's.
      first.andThen(callback, 'a');
      second.andThen(callback, 'b');
      advance(h, h.maxLatencyMs + 1);
      expect(seen).toEqual([
        [true, 'a'],
        [true, 'b'],
      ]);
      advance(h, 1000);
      expect(seen).toHaveLength(2);
    });

    test('rejects a second callback on one send', (h) => {
      const sent = h.provider.getProducer().send('t', ping(1));
      sent.andThen(() => {}, null);
      expect(() => sent.andThen(() => {}, null)).toThrow();
    });

    test('answers each poll with records of its own, which the caller may keep', (h) => {
      const producer = h.provider.getProducer();
      const consumer = h.provider.getConsumer('t', 'g', 2);
      const answers: (readonly Message[])[] = [];
      const keep = (records: readonly Message[]) => answers.push(records);
      for (let i = 1; i <= 5; i++) producer.send('t', ping(i));
      advance(h, h.maxLatencyMs + 1);
      for (let k = 0; k < 4; k++) {
        consumer.peek(10, keep);
        advance(h, 10);
        consumer.commit();
      }
      expect(answers.map(ids)).toEqual([[1, 2], [3, 4], [5], []]);
    });

    test('returns at most maxPeek records per poll, in send order, continuing where it left off', (h) => {
      const producer = h.provider.getProducer();
      for (let i = 1; i <= 7; i++) producer.send('t', ping(i));
      advance(h, h.maxLatencyMs + 1);
      const p = poller(h, h.provider.getConsumer('t', 'g', 3));
      for (let k = 0; k < 3; k++) {
        p.peek(100);
        advance(h, 1);
      }
      expect(p.answers.map((a) => a.ids)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    });

    test('keeps FIFO order over many sends', (h) => {
      const producer = h.provider.getProducer();
      const consumer = h.provider.getConsumer('t', 'g', 16);
      const received: number[] = [];
      const callback = (records: readonly Message[]) => {
        received.push(...ids(records));
        consumer.commit();
        consumer.peek(50, callback);
      };
      consumer.peek(50, callback);
      for (let i = 1; i <= 200; i++) {
        producer.send('t', ping(i));
        if (i % 7 === 0) advance(h, 1);
      }
      advance(h, h.maxLatencyMs + 100);
      expect(received).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });

    test('starts a new group at the earliest record (auto.offset.reset=earliest)', (h) => {
      const producer = h.provider.getProducer();
      producer.send('t', ping(1));
      producer.send('t', ping(2));
      advance(h, h.maxLatencyMs + 1);
      const p = poller(h, h.provider.getConsumer('t', 'late', 4));
      p.peek(100);
      advance(h, 1);
      expect(p.last!.ids).toEqual([1, 2]);
    });

    test('delivers every record to each group independently', (h) => {
      const producer = h.provider.getProducer();
      const a = poller(h, h.provider.getConsumer('t', 'a', 4));
      const b = poller(h, h.provider.getConsumer('t', 'b', 4));
      producer.send('t', ping(1));
      a.peek(100);
      b.peek(100);
      advance(h, h.maxLatencyMs + 1);
      expect(a.last!.ids).toEqual([1]);
      expect(b.last!.ids).toEqual([1]);
    });

    test('resumes a group from its committed offset and redelivers what was not committed', (h) => {
      const producer = h.provider.getProducer();
      for (let i = 1; i <= 4; i++) producer.send('t', ping(i));
      advance(h, h.maxLatencyMs + 1);
      const first = h.provider.getConsumer('t', 'g', 2);
      const p1 = poller(h, first);
      p1.peek(100);
      advance(h, 1);
      first.commit(); // 1, 2 committed
      p1.peek(100);
      advance(h, 1); // 3, 4 peeked, not committed
      expect(p1.answers.map((a) => a.ids)).toEqual([
        [1, 2],
        [3, 4],
      ]);
      first.close();
      const p2 = poller(h, h.provider.getConsumer('t', 'g', 4));
      p2.peek(100);
      advance(h, 1);
      expect(p2.last!.ids).toEqual([3, 4]);
    });

    test('gives a single-partition topic to one member of a group; the next takes over on close', (h) => {
      const producer = h.provider.getProducer();
      const owner = h.provider.getConsumer('t', 'g', 4);
      const spare = poller(h, h.provider.getConsumer('t', 'g', 4));
      const o = poller(h, owner);
      producer.send('t', ping(1));
      o.peek(100);
      spare.peek(100);
      advance(h, h.maxLatencyMs + 1);
      expect(o.last!.ids).toEqual([1]);
      owner.commit();
      advance(h, 100);
      expect(spare.answers).toEqual([{ atMs: 100, ids: [] }]);
      producer.send('t', ping(2));
      spare.peek(500);
      owner.close();
      advance(h, h.maxLatencyMs + 1);
      expect(spare.last!.ids).toEqual([2]);
    });

    test('answers a pending poll empty when its consumer closes', (h) => {
      const consumer = h.provider.getConsumer('t', 'g', 4);
      const p = poller(h, consumer);
      p.peek(1000);
      advance(h, 10);
      consumer.close();
      advance(h, 1);
      expect(p.answers).toEqual([{ atMs: 10, ids: [] }]);
      advance(h, 2000);
      expect(p.answers).toHaveLength(1);
    });

    test('rejects a second poll while one is outstanding', (h) => {
      const consumer = h.provider.getConsumer('t', 'g', 4);
      consumer.peek(100, () => {});
      expect(() => consumer.peek(100, () => {})).toThrow();
    });

    test('counts depth as produced minus committed by the slowest group', (h) => {
      const producer = h.provider.getProducer();
      const fast = h.provider.getConsumer('t', 'fast', 10);
      const slow = h.provider.getConsumer('t', 'slow', 2);
      for (let i = 1; i <= 5; i++) producer.send('t', ping(i));
      advance(h, h.maxLatencyMs + 1);
      expect(h.depth('t')).toBe(5);
      fast.peek(10, () => fast.commit());
      slow.peek(10, () => slow.commit());
      advance(h, 1);
      expect(h.depth('t')).toBe(3);
      slow.close();
      // A group without members keeps its committed offsets.
      expect(h.depth('t')).toBe(3);
    });
  });
}

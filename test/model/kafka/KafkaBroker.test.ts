/**
 * The simulated Kafka beyond the shared conformance suite: FIFO under random latency, partitions and
 * round-robin / keyed placement, group assignment and rebalance, depth accounting and its gauge, trimming,
 * the fault hooks, and a MessageFeed running over the broker.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import type { DistributionSpec } from '../../../src/sim/distributions.js';
import type { Message, PingMessage } from '../../../src/model/messages.js';
import { KafkaBroker } from '../../../src/model/kafka/KafkaBroker.js';
import { KafkaConsumer } from '../../../src/model/kafka/KafkaConsumer.js';
import { partitionForKey } from '../../../src/model/kafka/KafkaProducer.js';
import { MessageFeed } from '../../../src/model/kafka/MessageFeed.js';
import { RingBuffer } from '../../../src/model/common/RingBuffer.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';

const ping = (n: number): PingMessage => ({ type: 'ping', invoker: n, enabled: true });
const ids = (records: readonly Message[]) => records.map((m) => (m as PingMessage).invoker);

function world(latencyMs: DistributionSpec = { dist: 'constant', value: 0 }, seed = 1) {
  const sim = new Simulation({ seed });
  const broker = new KafkaBroker(sim, { latencyMs });
  const advance = (ms: number) => sim.run({ until: sim.now + ms });
  return { sim, broker, advance };
}

/** Polls forever, committing after each answer; collects ids and answer times. */
function drain(consumer: KafkaConsumer, pollMs = 100) {
  const received: number[] = [];
  const callback = (records: readonly Message[]) => {
    received.push(...ids(records));
    consumer.commit();
    if (!consumer.isClosed) consumer.peek(pollMs, callback);
  };
  consumer.peek(pollMs, callback);
  return received;
}

describe('KafkaBroker produce path', () => {
  it('keeps per-partition FIFO under heavy-tailed random latency', () => {
    const { sim, broker, advance } = world({ dist: 'exponential', mean: 50 });
    const producer = broker.getProducer();
    const received = drain(broker.getConsumer('t', 'g', 8));
    for (let i = 1; i <= 500; i++) {
      producer.send('t', ping(i));
      if (i % 3 === 0) advance(1);
    }
    advance(10_000);
    expect(received).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(sim.now).toBeGreaterThan(0);
  });

  it('makes a record visible after its drawn latency, not earlier', () => {
    const { broker, advance } = world({ dist: 'constant', value: 30 });
    const producer = broker.getProducer();
    const acks: number[] = [];
    const consumer = broker.getConsumer('t', 'g', 4);
    const answers: [number, number[]][] = [];
    consumer.peek(1000, (records) => answers.push([broker.sim.now, ids(records)]));
    advance(5);
    producer.send('t', ping(1)).andThen(() => acks.push(broker.sim.now), null);
    advance(29);
    expect(answers).toEqual([]);
    expect(broker.produced('t')).toBe(0);
    advance(1);
    expect(answers).toEqual([[35, [1]]]);
    expect(acks).toEqual([35]);
    expect(broker.produced('t')).toBe(1);
  });

  it('draws the same latencies for the same seed', () => {
    const times = (seed: number) => {
      const { broker, advance } = world({ dist: 'exponential', mean: 10 }, seed);
      const producer = broker.getProducer();
      const acks: number[] = [];
      for (let i = 0; i < 20; i++) producer.send('t', ping(i)).andThen(() => acks.push(broker.sim.now), null);
      advance(1000);
      return acks;
    };
    expect(times(3)).toEqual(times(3));
    expect(times(3)).not.toEqual(times(4));
  });

  it('spreads keyless sends round-robin over partitions and keeps keyed sends on one partition', () => {
    const { broker, advance } = world();
    broker.ensureTopic('p', 3);
    const producer = broker.getProducer();
    for (let i = 0; i < 6; i++) producer.send('p', ping(i));
    for (let i = 0; i < 4; i++) producer.sendWithKey('p', 'ns/action', ping(100 + i));
    advance(1);
    const consumers = [0, 1, 2].map(() => broker.getConsumer('p', 'g', 100));
    expect(consumers.map((c) => c.assignment())).toEqual([[0], [1], [2]]);
    const got = consumers.map((c) => drain(c));
    advance(1);
    const keyed = partitionForKey('ns/action', 3);
    for (let p = 0; p < 3; p++) {
      const expected = [p, p + 3, ...(p === keyed ? [100, 101, 102, 103] : [])];
      expect(got[p]).toEqual(expected);
    }
  });

  it('maps keys to non-negative partitions, including Int.MinValue', () => {
    expect(partitionForKey(-2147483648, 7)).toBe(0);
    expect(partitionForKey(-1, 4)).toBe(3);
    expect(partitionForKey(10, 4)).toBe(2);
  });

  it('auto-creates a topic with one partition and rejects a conflicting ensureTopic', () => {
    const { broker } = world();
    broker.getProducer().send('auto', ping(1));
    expect(broker.topicNames()).toEqual(['auto']);
    broker.ensureTopic('auto');
    expect(() => broker.ensureTopic('auto', 2)).toThrow(/exists with 1 partitions/);
    broker.ensureTopic('second', 2);
    expect(broker.topicNames()).toEqual(['auto', 'second']);
  });
});

describe('KafkaBroker consumer groups', () => {
  it('assigns partitions round-robin over members in join order and rebalances on join and close', () => {
    const { broker } = world();
    broker.ensureTopic('t', 5);
    const a = broker.getConsumer('t', 'g', 4);
    expect(a.assignment()).toEqual([0, 1, 2, 3, 4]);
    const b = broker.getConsumer('t', 'g', 4);
    expect(a.assignment()).toEqual([0, 2, 4]);
    expect(b.assignment()).toEqual([1, 3]);
    const c = broker.getConsumer('t', 'g', 4);
    expect([a, b, c].map((x) => x.assignment())).toEqual([[0, 3], [1, 4], [2]]);
    b.close();
    expect([a, c].map((x) => x.assignment())).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(b.assignment()).toEqual([]);
    expect(broker.members('t', 'g')).toEqual([a, c]);
  });

  it('leaves surplus members without partitions; their polls run to the timeout', () => {
    const { broker, advance } = world();
    const a = broker.getConsumer('t', 'g', 4);
    const b = broker.getConsumer('t', 'g', 4);
    expect(b.assignment()).toEqual([]);
    const answers: [number, number[]][] = [];
    b.peek(300, (records) => answers.push([broker.sim.now, ids(records)]));
    broker.getProducer().send('t', ping(1));
    advance(1000);
    expect(answers).toEqual([[300, []]]);
    expect(a.position(0)).toBe(0);
  });

  it('hands a moved partition over at the committed offset, redelivering uncommitted records', () => {
    const { broker, advance } = world();
    broker.ensureTopic('t', 2);
    const producer = broker.getProducer();
    for (let i = 1; i <= 4; i++) producer.send('t', ping(i)); // p0: 1, 3; p1: 2, 4
    advance(1);
    const a = broker.getConsumer('t', 'g', 10);
    let got: number[] = [];
    a.peek(10, (records) => (got = ids(records)));
    advance(1);
    expect([...got].sort()).toEqual([1, 2, 3, 4]);
    // Nothing committed: a join rebalances and everyone restarts at the committed offsets.
    const b = broker.getConsumer('t', 'g', 10);
    expect(a.position(0)).toBe(0);
    expect(b.position(1)).toBe(0);
    let gotB: number[] = [];
    b.peek(10, (records) => (gotB = ids(records)));
    advance(1);
    expect(gotB).toEqual([2, 4]);
  });

  it('moves a waiting poll to the new assignment on rebalance', () => {
    const { broker, advance } = world();
    broker.ensureTopic('t', 2);
    const a = broker.getConsumer('t', 'g', 10);
    const b = broker.getConsumer('t', 'g', 10);
    const gotA: [number, number[]][] = [];
    a.peek(1000, (records) => gotA.push([broker.sim.now, ids(records)]));
    advance(10);
    b.close(); // a now also owns partition 1
    broker.getProducer().sendWithKey('t', 1, ping(7)); // partition 1
    advance(1);
    expect(gotA).toEqual([[10, [7]]]);
  });
});

describe('KafkaConsumer long-poll timer reuse', () => {
  it('answers an empty poll exactly at its own deadline after earlier polls were answered by records', () => {
    const { broker, advance } = world();
    const consumer = broker.getConsumer('t', 'g', 4);
    const producer = broker.getProducer();
    const answers: [number, number[]][] = [];
    const callback = (records: readonly Message[]) => answers.push([broker.sim.now, ids(records)]);
    consumer.peek(500, callback); // deadline 500, answered at 100
    advance(100);
    producer.send('t', ping(1));
    advance(100); // t = 200
    consumer.peek(500, callback); // deadline 700: the old timer (500) fires first and re-arms
    advance(1000);
    consumer.peek(50, callback); // t = 1200, deadline 1250
    advance(100);
    expect(answers).toEqual([
      [100, [1]],
      [700, []],
      [1250, []],
    ]);
  });

  it('times a shorter poll out at its deadline even while a longer timer is pending', () => {
    const { broker, advance } = world();
    const consumer = broker.getConsumer('t', 'g', 4);
    const answers: [number, number[]][] = [];
    const callback = (records: readonly Message[]) => answers.push([broker.sim.now, ids(records)]);
    consumer.peek(1000, callback);
    advance(10);
    broker.getProducer().send('t', ping(1));
    advance(1); // answered at 10, timer still pending for 1000
    consumer.peek(20, callback);
    advance(2000);
    expect(answers).toEqual([
      [10, [1]],
      [31, []],
    ]);
  });
});

describe('KafkaConsumer.peekInto', () => {
  it('appends the records a peek would answer to the ring, oldest first, and reports their count', () => {
    const { broker, advance } = world();
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('t', 'g', 3);
    const ring = new RingBuffer<Message>(4);
    ring.push(ping(0));
    for (let i = 1; i <= 5; i++) producer.send('t', ping(i));
    advance(1);
    const counts: number[] = [];
    consumer.peekInto(100, ring, (n) => counts.push(n));
    advance(1);
    consumer.commit();
    consumer.peekInto(100, ring, (n) => counts.push(n));
    advance(1);
    consumer.peekInto(100, ring, (n) => counts.push(n));
    advance(50);
    expect(counts).toEqual([3, 2]);
    advance(50);
    // The third poll found nothing: answered at its deadline with a count of 0, the ring untouched.
    expect(counts).toEqual([3, 2, 0]);
    const held: number[] = [];
    while (ring.length > 0) held.push((ring.shift() as PingMessage).invoker);
    expect(held).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('is one poll with peek: a second one while either is outstanding fails', () => {
    const { broker } = world();
    const consumer = broker.getConsumer('t', 'g', 3);
    consumer.peek(100, () => {});
    expect(() => consumer.peekInto(100, new RingBuffer<Message>(), () => {})).toThrow(/second peek/);
  });
});

describe('KafkaBroker depth, gauge and trimming', () => {
  it('counts depth over partitions against the slowest group and tracks it in a time-weighted gauge', () => {
    const { broker, advance } = world();
    broker.ensureTopic('t', 2);
    const producer = broker.getProducer();
    const fast = broker.getConsumer('t', 'fast', 100);
    const slow = broker.getConsumer('t', 'slow', 1);
    for (let i = 0; i < 4; i++) producer.send('t', ping(i));
    advance(10);
    expect(broker.depth('t')).toBe(4);
    expect(broker.produced('t')).toBe(4);
    fast.peek(1, () => fast.commit());
    advance(1);
    expect(broker.depth('t')).toBe(4); // the slow group still lags 4
    slow.peek(1, () => slow.commit());
    advance(9); // t = 20
    expect(broker.depth('t')).toBe(3);
    const gauge = broker.depthGauge('t');
    expect(gauge.max).toBe(4);
    expect(gauge.value).toBe(3);
    // 0 for 0–0, 4 from 0 to 11, 3 from 11 to 20.
    expect(gauge.integral(20)).toBe(4 * 11 + 3 * 9);
    expect(broker.depth('unknown')).toBe(0);
    expect(() => broker.depthGauge('unknown')).toThrow(/no topic/);
  });

  it('counts every produced record as depth while no group ever subscribed', () => {
    const { broker, advance } = world();
    const producer = broker.getProducer();
    for (let i = 0; i < 3; i++) producer.send('t', ping(i));
    advance(1);
    expect(broker.depth('t')).toBe(3);
    expect(broker.retained('t')).toBe(3);
  });

  it('trims records once every group that ever subscribed has committed past them', () => {
    const { broker, advance } = world();
    const producer = broker.getProducer();
    const a = broker.getConsumer('t', 'a', 2);
    const b = broker.getConsumer('t', 'b', 5);
    for (let i = 1; i <= 5; i++) producer.send('t', ping(i));
    advance(1);
    b.peek(1, () => b.commit());
    advance(1);
    expect(broker.retained('t')).toBe(5);
    a.peek(1, () => a.commit());
    advance(1);
    expect(broker.committed('t', 'a')).toBe(2);
    expect(broker.retained('t')).toBe(3);
    // A closed group still holds the log: b's members leave, a catches up, b's offset (5) still bounds.
    b.close();
    drain(a);
    advance(1);
    expect(broker.retained('t')).toBe(0);
    // A new group starts at the oldest held record: nothing is left for it.
    const late = broker.getConsumer('t', 'late', 5);
    let got: number[] | null = null;
    late.peek(10, (records) => (got = ids(records)));
    advance(20);
    expect(got).toEqual([]);
    expect(broker.committed('t', 'late')).toBe(5);
  });

  it('holds the log for a member-less group that has not committed', () => {
    const { broker, advance } = world();
    const producer = broker.getProducer();
    broker.getConsumer('t', 'idle', 2).close();
    const a = broker.getConsumer('t', 'a', 10);
    for (let i = 1; i <= 4; i++) producer.send('t', ping(i));
    advance(1);
    drain(a);
    advance(1);
    expect(broker.committed('t', 'a')).toBe(4);
    expect(broker.retained('t')).toBe(4);
    expect(broker.depth('t')).toBe(4);
  });

  it('serves a topic 100,000 records deep from its head: each poll reads maxPeek records, each commit trims them', () => {
    const { broker, advance } = world();
    const delivered: [number, number][] = [];
    broker.observer = {
      appended: () => {},
      delivered: (_topic, _group, _partition, from, to) => delivered.push([from, to]),
      committing: () => {},
    };
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('deep', 'g', 8);
    for (let i = 0; i < 100_000; i++) producer.send('deep', ping(i));
    advance(1);
    expect(broker.retained('deep')).toBe(100_000);
    const answers: number[][] = [];
    for (let k = 0; k < 3; k++) {
      consumer.peek(10, (records) => answers.push(ids(records)));
      advance(0);
      consumer.commit();
    }
    // Only the records handed out were read, and the log lost exactly those.
    expect(delivered).toEqual([
      [0, 8],
      [8, 16],
      [16, 24],
    ]);
    expect(answers[2]).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(broker.retained('deep')).toBe(100_000 - 24);
    expect(broker.depth('deep')).toBe(100_000 - 24);
  });
});

describe('KafkaBroker faults', () => {
  it('fails sends and answers polls empty at their timeout during an outage', () => {
    const { broker, advance } = world({ dist: 'constant', value: 5 });
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('t', 'g', 4);
    const acks: boolean[] = [];
    const answers: [number, number[]][] = [];
    const callback = (records: readonly Message[]) => answers.push([broker.sim.now, ids(records)]);
    producer.send('t', ping(1)); // visible at 5, before the outage
    advance(10);
    broker.setOutage(true);
    consumer.peek(200, callback);
    producer.send('t', ping(2)).andThen((ok) => acks.push(ok), null);
    advance(300);
    expect(acks).toEqual([false]);
    expect(answers).toEqual([[210, []]]);
    expect(broker.produced('t')).toBe(1);
    broker.setOutage(false);
    consumer.peek(200, callback);
    advance(1);
    expect(answers[1]).toEqual([310, [1]]);
  });

  it('adds extra latency to later sends', () => {
    const { broker, advance } = world({ dist: 'constant', value: 2 });
    const producer = broker.getProducer();
    const acks: number[] = [];
    broker.setExtraLatency(100);
    producer.send('t', ping(1)).andThen(() => acks.push(broker.sim.now), null);
    broker.setExtraLatency(0);
    producer.send('t', ping(2)).andThen(() => acks.push(broker.sim.now), null);
    advance(200);
    // The second send waits behind the first (FIFO), even though its own delay is 2 ms.
    expect(acks).toEqual([100 + 2, 100 + 2]);
  });
});

describe('MessageFeed over KafkaBroker', () => {
  it('delivers at most C records to the handler at once and keeps the rest in Kafka or the buffer', () => {
    const { sim, broker, advance } = world({ dist: 'uniform', min: 1, max: 3 });
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('invoker0', 'invokers', 4);
    for (let i = 1; i <= 20; i++) producer.send('invoker0', ping(i));
    advance(10);
    const inHandler: Message[] = [];
    const feed = new MessageFeed('activations', consumer, 4, 500, (m) => inHandler.push(m), simScheduler(sim));
    advance(100);
    expect(inHandler).toHaveLength(4);
    expect(feed.state).toBe('DrainingPipeline');
    // Polled 4 + 4 + 4 (12 committed), handed out 4, 8 outstanding > threshold 4.
    expect(feed.outstanding).toBe(8);
    expect(broker.depth('invoker0')).toBe(8);
    for (let i = 0; i < 16; i++) {
      feed.processed();
      advance(10);
    }
    expect(ids(inHandler)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(broker.depth('invoker0')).toBe(0);
    expect(feed.state).toBe('FillingPipeline');
  });

  it('trickles single records through when they arrive one by one, draining at 2C − P + 1 outstanding', () => {
    const { sim, broker, advance } = world({ dist: 'uniform', min: 1, max: 3 });
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('invoker0', 'invokers', 4);
    const inHandler: Message[] = [];
    const feed = new MessageFeed('activations', consumer, 4, 500, (m) => inHandler.push(m), simScheduler(sim));
    for (let i = 1; i <= 20; i++) producer.send('invoker0', ping(i));
    advance(100);
    // Each poll answers on the first visible record: 4 go to the handler, then the buffer grows 1 by 1 to 5.
    expect(inHandler).toHaveLength(4);
    expect(feed.outstanding).toBe(5);
    expect(feed.state).toBe('DrainingPipeline');
    expect(broker.depth('invoker0')).toBe(20 - 9);
  });

  it('leaves records uncommitted when the feed stops, so a restarted consumer gets them', () => {
    const { sim, broker, advance } = world();
    const producer = broker.getProducer();
    const consumer = broker.getConsumer('invoker0', 'invokers', 4);
    const feed = new MessageFeed('activations', consumer, 4, 500, () => {}, simScheduler(sim));
    advance(10);
    feed.stop();
    producer.send('invoker0', ping(1));
    advance(10);
    // The poll's answer was appended to the stopped feed's buffer by the consumer and taken off again.
    expect(feed.outstanding).toBe(0);
    consumer.close();
    const got: number[] = [];
    const restarted = broker.getConsumer('invoker0', 'invokers', 4);
    new MessageFeed('activations', restarted, 4, 500, (m) => got.push(...ids([m])), simScheduler(sim));
    advance(10);
    expect(got).toEqual([1]);
  });
});

/**
 * MessageFeed FSM, replaying OpenWhisk's MessageFeedTests (docs/openwhisk.md §17) on the in-memory provider with a
 * consumer of maxPeek 4 and handler capacity 4 (depth 8, fill threshold 4), plus the MaxOffset rule of
 * PR #2932 in both settings. Time is virtual: each step is `sim.run({ until })`, never a sleep.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import type { Message, PingMessage } from '../../../src/model/messages.js';
import type { MessageConsumer } from '../../../src/model/messaging.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { MessageFeed, type MessageFeedOptions } from '../../../src/model/kafka/MessageFeed.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';

const ping = (invoker: number): PingMessage => ({ type: 'ping', invoker, enabled: true });

/** A consumer wrapper that counts peeks, like the Scala test's `peekCount`. */
class CountingConsumer implements MessageConsumer {
  peeks = 0;
  commits = 0;
  constructor(private readonly inner: MessageConsumer) {}
  get maxPeek(): number {
    return this.inner.maxPeek;
  }
  peek(durationMs: number, callback: (records: readonly Message[]) => void): void {
    this.peeks++;
    this.inner.peek(durationMs, callback);
  }
  commit(): void {
    this.commits++;
    this.inner.commit();
  }
  close(): void {
    this.inner.close();
  }
}

function connector(options: MessageFeedOptions & { maxPeek?: number; capacity?: number } = {}) {
  const sim = new Simulation({ seed: 1 });
  const scheduler = simScheduler(sim);
  const provider = new InMemoryMessagingProvider(scheduler);
  const maxPeek = options.maxPeek ?? 4;
  const consumer = new CountingConsumer(provider.getConsumer('feedtest', 'feedtest', maxPeek));
  const producer = provider.getProducer();
  const received: Message[] = [];
  const transitions: string[] = [];
  let sent = 0;
  const feed = new MessageFeed(
    'test',
    consumer,
    options.capacity ?? maxPeek,
    200,
    (msg) => received.push(msg),
    scheduler,
    options,
  );
  let last = feed.state;
  const advance = (ms: number) => {
    // Step event by event so every state change is observed, as FSM transition subscribers would.
    const until = sim.now + ms;
    while (sim.run({ until, maxEvents: 1 }).reason === 'maxEvents') {
      if (feed.state !== last) {
        transitions.push(`${last}->${feed.state}`);
        last = feed.state;
      }
    }
  };
  const observe = () => {
    if (feed.state !== last) {
      transitions.push(`${last}->${feed.state}`);
      last = feed.state;
    }
  };
  const fill = (n: number) => {
    for (let i = 0; i < n; i++) producer.send('feedtest', ping(++sent));
  };
  return { sim, feed, consumer, received, transitions, advance, observe, fill, provider };
}

describe('MessageFeed', () => {
  it('waits for Ready before polling (autoStart false), ignoring Processed while Idle', () => {
    const c = connector({ autoStart: false });
    expect(c.feed.state).toBe('Idle');
    c.feed.processed();
    c.advance(500);
    expect(c.consumer.peeks).toBe(0);
    expect(c.feed.state).toBe('Idle');
    expect(c.feed.handlerCapacity).toBe(4);
    c.feed.start();
    c.observe();
    expect(c.transitions).toEqual(['Idle->FillingPipeline']);
    expect(c.consumer.peeks).toBe(1);
  });

  it('auto starts and polls from a scheduler event, not inside the constructor', () => {
    const c = connector();
    expect(c.consumer.peeks).toBe(0);
    expect(c.feed.state).toBe('Idle');
    c.advance(0);
    expect(c.consumer.peeks).toBe(1);
    expect(c.feed.state).toBe('FillingPipeline');
  });

  it('derives depth 2C and fill threshold 2C − P and rejects P > 2C', () => {
    const c = connector({ maxPeek: 4, capacity: 3 });
    expect(c.feed.maxPipelineDepth).toBe(6);
    expect(c.feed.pipelineFillThreshold).toBe(2);
    expect(() => connector({ maxPeek: 9, capacity: 4 })).toThrow(/exceeds the pipeline depth/);
  });

  it('keeps polling on empty long polls, one poll per long-poll duration', () => {
    const c = connector();
    c.advance(1000);
    // Polls at 0, 200, 400, 600, 800, 1000.
    expect(c.consumer.peeks).toBe(6);
    expect(c.feed.state).toBe('FillingPipeline');
    expect(c.received).toHaveLength(0);
  });

  it('stops polling for messages when the pipeline is full (Filling → Draining)', () => {
    const c = connector({ autoStart: false });
    c.feed.start();
    c.observe();
    c.fill(4 * 2 + 1);
    c.advance(100);
    expect(c.received).toHaveLength(4);
    expect(c.transitions).toEqual(['Idle->FillingPipeline', 'FillingPipeline->DrainingPipeline']);
    expect(c.feed.outstanding).toBe(5);
    expect(c.feed.handlerCapacity).toBe(0);
    const peeks = c.consumer.peeks;
    expect(peeks).toBe(3);
    c.advance(500);
    expect(c.consumer.peeks).toBe(peeks);
    expect(c.feed.state).toBe('DrainingPipeline');
  });

  it('transitions from drain to fill mode after enough Processed', () => {
    const c = connector({ autoStart: false });
    c.feed.start();
    c.observe();
    c.fill(4 * 2 + 2);
    c.advance(100);
    expect(c.received).toHaveLength(4);
    expect(c.feed.state).toBe('DrainingPipeline');
    expect(c.feed.outstanding).toBe(6);
    const peeks = c.consumer.peeks;
    c.advance(500);
    expect(c.consumer.peeks).toBe(peeks);

    // One Processed hands out one record; 5 outstanding is still above the threshold 4.
    c.feed.processed();
    c.observe();
    expect(c.received).toHaveLength(5);
    expect(c.feed.state).toBe('DrainingPipeline');
    c.advance(500);
    expect(c.consumer.peeks).toBe(peeks);

    // The second brings outstanding to 4: poll again.
    c.feed.processed();
    c.observe();
    expect(c.feed.state).toBe('FillingPipeline');
    expect(c.consumer.peeks).toBe(peeks + 1);

    // One more record puts it back above the threshold.
    c.fill(1);
    c.advance(100);
    expect(c.transitions.slice(-2)).toEqual(['DrainingPipeline->FillingPipeline', 'FillingPipeline->DrainingPipeline']);
    expect(c.feed.outstanding).toBe(5);
  });

  it('hands records out in order and never more than the handler capacity', () => {
    const c = connector({ maxPeek: 2, capacity: 3 });
    c.fill(10);
    c.advance(50);
    expect(c.received.map((m) => (m as PingMessage).invoker)).toEqual([1, 2, 3]);
    for (let i = 0; i < 7; i++) {
      c.feed.processed();
      c.advance(50);
    }
    expect(c.received.map((m) => (m as PingMessage).invoker)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c.feed.handlerCapacity).toBe(0);
  });

  it('caps capacity at the maximum on surplus Processed', () => {
    const c = connector();
    c.advance(10);
    c.feed.processed();
    c.feed.processed();
    expect(c.feed.handlerCapacity).toBe(4);
  });

  it('commits after every poll, before handing records out', () => {
    const commitsAtHandout: number[] = [];
    const sim = new Simulation({ seed: 1 });
    const provider = new InMemoryMessagingProvider(simScheduler(sim));
    const consumer = new CountingConsumer(provider.getConsumer('t', 'g', 2));
    new MessageFeed('t', consumer, 2, 100, () => commitsAtHandout.push(consumer.commits), simScheduler(sim));
    provider.getProducer().send('t', ping(1));
    sim.run({ until: 50 });
    expect(commitsAtHandout).toEqual([1]);
    expect(provider.depth('t')).toBe(0);
  });

  it('defers a Processed sent from inside the handler until the current step ends', () => {
    const sim = new Simulation({ seed: 1 });
    const provider = new InMemoryMessagingProvider(simScheduler(sim));
    const consumer = new CountingConsumer(provider.getConsumer('t', 'g', 4));
    const received: number[] = [];
    // The handler finishes each record at once, as the controller's ack handler does.
    const feed: MessageFeed = new MessageFeed(
      't',
      consumer,
      4,
      100,
      (msg) => {
        received.push((msg as PingMessage).invoker);
        feed.processed();
      },
      simScheduler(sim),
    );
    const producer = provider.getProducer();
    for (let i = 1; i <= 20; i++) producer.send('t', ping(i));
    sim.run({ until: 10 });
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(feed.handlerCapacity).toBe(4);
    expect(feed.state).toBe('FillingPipeline');
    // Exactly one poll is outstanding: a re-entrant fill would have tripped the feed's assertion.
    expect(feed.outstanding).toBe(0);
  });

  it('stop() ends polling, hand-outs and commits, and is idempotent', () => {
    const c = connector();
    c.advance(10);
    const peeks = c.consumer.peeks;
    const commits = c.consumer.commits;
    c.feed.stop();
    c.feed.stop();
    c.fill(3);
    c.advance(1000);
    expect(c.received).toHaveLength(0);
    expect(c.consumer.commits).toBe(commits);
    expect(c.consumer.peeks).toBe(peeks);
    // Nothing was committed, so the records stay in the topic for a restarted consumer.
    expect(c.provider.depth('feedtest')).toBe(3);
  });

  describe('MaxOffset (PR #2932 offset monitor)', () => {
    const run = (rule: 'pr' | 'fixed' | undefined) => {
      const signals: number[] = [];
      const c = connector({
        maxPeek: 4,
        capacity: 4,
        maxOffsetRule: rule,
        offsetMonitor: () => signals.push(c.sim.now),
      });
      c.advance(10); // one empty poll pending
      c.fill(4); // full poll: 4 records
      c.advance(10);
      c.fill(2); // partial poll
      c.advance(10);
      return { signals, c };
    };

    it("'pr' (default) signals after every poll, full or not, since a poll never reaches 2C records", () => {
      const { signals } = run(undefined);
      expect(signals).toEqual([10, 20]);
      expect(run('pr').signals).toEqual([10, 20]);
    });

    it("'fixed' signals only after a poll returned fewer than maxPeek records", () => {
      const { signals } = run('fixed');
      expect(signals).toEqual([20]);
    });

    it("'pr' signals on empty polls at the long-poll timeout", () => {
      const signals: number[] = [];
      const c = connector({ offsetMonitor: () => signals.push(c.sim.now) });
      c.advance(450);
      expect(signals).toEqual([200, 400]);
    });
  });
});

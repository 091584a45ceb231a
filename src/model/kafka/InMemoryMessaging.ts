/**
 * A trivial in-memory `MessagingProvider`, the analogue of OpenWhisk's TestMessagingProvider: for unit tests of
 * the port (controller, invoker) that need a bus but not Kafka's timing.
 *
 * Model: every topic has one partition and no latency. A send appends at once; its acknowledgement and the
 * answer to any waiting long poll arrive through the injected `Scheduler` with delay 0 (never synchronously).
 * Consumer groups hold a committed offset; within a group only the first member (join order) owns the
 * partition, the others' polls run to their timeout empty, as with Kafka when a group has more members than
 * partitions. Any join or close resets the owner's position to the committed offset (an eager rebalance), so
 * records peeked but not committed are delivered again. The log is trimmed below the smallest committed offset
 * of all groups that ever subscribed.
 *
 * Caveat: allocates a completion per send and an array per answered poll; it is not meant for the whole-model
 * hot path (use KafkaBroker there).
 */
import { assert } from '../../sim/assert.js';
import type { Message } from '../messages.js';
import type { Cancellable, MessageConsumer, MessageProducer, MessagingProvider, Scheduler, SendCompletion } from '../messaging.js';
import { RingBuffer } from '../common/RingBuffer.js';

const NO_HANDLE = -1;

class MemTopic {
  readonly log = new RingBuffer<Message>(16);
  /** Offset of `log.get(0)`. */
  baseOffset = 0;
  /** Offset the next record gets. */
  endOffset = 0;
  readonly groups = new Map<string, MemGroup>();
  /** Owners with a pending poll and nothing to read yet. */
  readonly waiters: MemConsumer[] = [];

  constructor(readonly name: string) {}

  read(offset: number): Message {
    return this.log.get(offset - this.baseOffset);
  }

  trim(): void {
    let min = this.endOffset;
    for (const group of this.groups.values()) if (group.committed < min) min = group.committed;
    while (this.baseOffset < min) {
      this.log.shift();
      this.baseOffset++;
    }
  }
}

class MemGroup {
  committed: number;
  readonly members: MemConsumer[] = [];

  constructor(startOffset: number) {
    this.committed = startOffset;
  }
}

function deliverEvent(consumer: MemConsumer): void {
  consumer.deliver();
}

function timeoutEvent(consumer: MemConsumer): void {
  consumer.timeout();
}

class MemConsumer implements MessageConsumer {
  position: number;
  private callback: ((records: readonly Message[]) => void) | null = null;
  private deliveryHandle: Cancellable = NO_HANDLE;
  private timeoutHandle: Cancellable = NO_HANDLE;
  private closed = false;

  constructor(
    private readonly topic: MemTopic,
    private readonly group: MemGroup,
    readonly maxPeek: number,
    private readonly scheduler: Scheduler,
  ) {
    this.position = group.committed;
  }

  private get owner(): boolean {
    return this.group.members[0] === this;
  }

  peek(durationMs: number, callback: (records: readonly Message[]) => void): void {
    assert(!this.closed, `peek on a closed consumer of ${this.topic.name}`);
    assert(this.callback === null, `a second peek while one is outstanding on ${this.topic.name}`);
    assert(durationMs >= 0, 'peek: negative duration');
    this.callback = callback;
    this.timeoutHandle = this.scheduler.scheduleOnce(durationMs, timeoutEvent, this);
    this.arm();
  }

  /** With a poll pending: schedule its answer if records are readable, else wait for a send. */
  arm(): void {
    if (this.callback === null || this.deliveryHandle !== NO_HANDLE) return;
    if (!this.owner) return;
    if (this.position < this.topic.endOffset) this.scheduleDelivery();
    else if (!this.topic.waiters.includes(this)) this.topic.waiters.push(this);
  }

  scheduleDelivery(): void {
    if (this.deliveryHandle !== NO_HANDLE) return;
    this.deliveryHandle = this.scheduler.scheduleOnce(0, deliverEvent, this);
  }

  deliver(): void {
    this.deliveryHandle = NO_HANDLE;
    const callback = this.callback;
    if (callback === null) return;
    const records: Message[] = [];
    if (!this.closed && this.owner) {
      const topic = this.topic;
      while (records.length < this.maxPeek && this.position < topic.endOffset) {
        records.push(topic.read(this.position));
        this.position++;
      }
    }
    this.finishPoll();
    callback(records);
  }

  timeout(): void {
    this.timeoutHandle = NO_HANDLE;
    const callback = this.callback;
    if (callback === null) return;
    this.finishPoll();
    callback([]);
  }

  private finishPoll(): void {
    this.callback = null;
    if (this.timeoutHandle !== NO_HANDLE) this.scheduler.cancel(this.timeoutHandle);
    this.timeoutHandle = NO_HANDLE;
    if (this.deliveryHandle !== NO_HANDLE) this.scheduler.cancel(this.deliveryHandle);
    this.deliveryHandle = NO_HANDLE;
    const waiters = this.topic.waiters;
    const index = waiters.indexOf(this);
    if (index >= 0) waiters.splice(index, 1);
  }

  commit(): void {
    if (this.closed || !this.owner) return;
    assert(this.position >= this.group.committed, 'commit would move the committed offset backwards');
    this.group.committed = this.position;
    this.topic.trim();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    const members = this.group.members;
    const wasOwner = this.owner;
    members.splice(members.indexOf(this), 1);
    if (this.callback !== null) this.scheduleDelivery();
    if (wasOwner && members.length > 0) {
      const next = members[0]!;
      next.position = this.group.committed;
      next.arm();
    }
  }
}

/** A send's completion: the record is already appended, so an attached callback is acknowledged next. */
class MemSend implements SendCompletion {
  private callback: ((ok: boolean, context: any) => void) | null = null;
  private context: unknown = undefined;

  constructor(private readonly scheduler: Scheduler) {}

  andThen<C>(callback: (ok: boolean, context: C) => void, context: C): void {
    assert(this.callback === null, 'andThen attached twice to one send');
    this.callback = callback;
    this.context = context;
    this.scheduler.scheduleOnce(0, ackEvent, this);
  }

  acknowledge(): void {
    this.callback!(true, this.context);
  }
}

function ackEvent(send: MemSend): void {
  send.acknowledge();
}

class MemProducer implements MessageProducer {
  constructor(private readonly provider: InMemoryMessagingProvider) {}

  send(topic: string, msg: Message): SendCompletion {
    this.provider.append(topic, msg);
    return new MemSend(this.provider.scheduler);
  }
}

export class InMemoryMessagingProvider implements MessagingProvider {
  private readonly topics = new Map<string, MemTopic>();

  constructor(readonly scheduler: Scheduler) {}

  ensureTopic(topic: string, partitions = 1): void {
    assert(partitions === 1, `InMemoryMessagingProvider supports one partition per topic, not ${partitions}`);
    this.topic(topic);
  }

  getProducer(): MessageProducer {
    return new MemProducer(this);
  }

  getConsumer(topic: string, groupId: string, maxPeek: number): MessageConsumer {
    assert(Number.isInteger(maxPeek), 'maxPeek must be an integer');
    assert(maxPeek > 0, 'maxPeek must be positive');
    const t = this.topic(topic);
    let group = t.groups.get(groupId);
    if (group === undefined) {
      // auto.offset.reset=earliest: a new group starts at the oldest record still held.
      group = new MemGroup(t.baseOffset);
      t.groups.set(groupId, group);
    }
    const consumer = new MemConsumer(t, group, maxPeek, this.scheduler);
    group.members.push(consumer);
    // Eager rebalance: the owner restarts from the committed offset.
    const owner = group.members[0]!;
    owner.position = group.committed;
    owner.arm();
    return consumer;
  }

  /** Records produced to `topic` and not yet committed by the slowest group (all records if none). */
  depth(topic: string): number {
    const t = this.topics.get(topic);
    if (t === undefined) return 0;
    let min = t.groups.size === 0 ? 0 : t.endOffset;
    for (const group of t.groups.values()) if (group.committed < min) min = group.committed;
    return t.endOffset - min;
  }

  /** Records ever produced to `topic`. */
  produced(topic: string): number {
    return this.topics.get(topic)?.endOffset ?? 0;
  }

  /** @internal Appends a record and wakes the waiting owners. */
  append(topic: string, msg: Message): void {
    const t = this.topic(topic);
    t.log.push(msg);
    t.endOffset++;
    const waiters = t.waiters;
    while (waiters.length > 0) waiters.pop()!.scheduleDelivery();
  }

  private topic(name: string): MemTopic {
    let t = this.topics.get(name);
    if (t === undefined) {
      t = new MemTopic(name);
      this.topics.set(name, t);
    }
    return t;
  }
}

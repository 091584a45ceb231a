/**
 * A member of a consumer group on the simulated broker (`MessageConsumer`).
 *
 * It holds a position per assigned partition, starting at the group's committed offset. `peek(duration, cb)`
 * is a long poll:
 * 1. If any assigned partition has visible records past the position, the answer is scheduled at once (delay 0,
 *    never synchronously) and gathers up to maxPeek records when it runs.
 * 2. Otherwise the consumer registers as a waiter on its partitions and arms the timeout. The first record made
 *    visible on any of them answers the poll from within that arrival event; the timeout answers it empty.
 * Records are gathered across partitions starting from a rotating partition, so one busy partition cannot
 * starve the others. `commit()` commits every position reached (commitSync after the poll).
 *
 * During a broker outage polls neither return records nor wait for them; they answer empty at their timeout.
 * `close()` answers a pending poll empty and leaves the group (which rebalances).
 *
 * Allocation: an answered `peek` allocates the array of its records, sized to them, which the caller keeps
 * (an empty answer shares one frozen array); `peekInto` (the MessageFeed's poll) appends the records to the
 * caller's ring buffer instead and allocates nothing. Timeouts and deliveries pass `this` to static callbacks.
 *
 * Timer reuse: polls that are answered by a record would otherwise each schedule and cancel a timeout (a
 * cancelled agenda entry still costs a heap insert and pop). Instead a consumer keeps at most one timer event
 * and the current poll's deadline: an answered poll leaves the timer pending, a later poll reuses it when it
 * fires no later than the new deadline, and a timer that fires before the current deadline re-arms itself for
 * it. A busy consumer thus costs about one timer event per poll duration rather than one per poll; an empty
 * poll is still answered exactly at its deadline.
 */
import { assert } from '../../sim/assert.js';
import type { Message } from '../messages.js';
import type { MessageConsumer } from '../messaging.js';
import type { RingBuffer } from '../common/RingBuffer.js';
import type { ConsumerGroup } from './ConsumerGroup.js';
import type { KafkaBroker } from './KafkaBroker.js';
import type { Partition } from './Partition.js';

const NO_HANDLE = -1;
/** The answer of every empty poll: frozen, so sharing it hands nobody anything to change. */
const NO_RECORDS: readonly Message[] = Object.freeze([]);

function deliveryEvent(consumer: KafkaConsumer): void {
  consumer.onDeliveryEvent();
}

function timeoutEvent(consumer: KafkaConsumer): void {
  consumer.onTimeoutEvent();
}

export class KafkaConsumer implements MessageConsumer {
  private readonly assigned: Partition[] = [];
  /** Next offset to read, parallel to `assigned`. */
  private readonly positions: number[] = [];
  private callback: ((records: readonly Message[]) => void) | null = null;
  /** The pending `peekInto`'s buffer and callback (`callback` is then null). */
  private into: RingBuffer<Message> | null = null;
  private countCallback: ((count: number) => void) | null = null;
  private timerHandle = NO_HANDLE;
  /** Time the pending timer event fires (meaningful while timerHandle is set). */
  private timerAtMs = 0;
  /** Deadline of the pending poll while it waits; -1 when no poll waits on the timer. */
  private deadlineMs = -1;
  private deliveryHandle = NO_HANDLE;
  /** Registered in the `waiters` of every assigned partition. */
  private waiting = false;
  private closed = false;
  private nextPartition = 0;

  constructor(
    private readonly broker: KafkaBroker,
    readonly group: ConsumerGroup,
    readonly maxPeek: number,
  ) {
    assert(Number.isInteger(maxPeek), 'maxPeek must be an integer');
    assert(maxPeek > 0, 'maxPeek must be positive');
  }

  /** Indices of the partitions assigned to this consumer (for tests and diagnostics; allocates). */
  assignment(): number[] {
    return this.assigned.map((p) => p.index);
  }

  /** This consumer's position on partition `index`, or -1 if not assigned. */
  position(index: number): number {
    for (let i = 0; i < this.assigned.length; i++) if (this.assigned[i]!.index === index) return this.positions[i]!;
    return -1;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  peek(durationMs: number, callback: (records: readonly Message[]) => void): void {
    this.checkPeek(durationMs);
    this.callback = callback;
    this.startPoll(durationMs);
  }

  /**
   * `peek` that appends the records of the poll to `into` (oldest first) instead of handing over an array, then
   * runs `callback(count)` with how many it appended; otherwise the same long poll (MessageFeed.ts).
   */
  peekInto(durationMs: number, into: RingBuffer<Message>, callback: (count: number) => void): void {
    this.checkPeek(durationMs);
    this.into = into;
    this.countCallback = callback;
    this.startPoll(durationMs);
  }

  private checkPeek(durationMs: number): void {
    // Hot (once per poll): the inverted form builds the message only when the check fails.
    if (this.closed) assert(false, `peek on a closed consumer of ${this.group.topic.name}`);
    if (this.isPolling) assert(false, `a second peek while one is outstanding on ${this.group.topic.name}`);
    if (!(durationMs >= 0)) assert(false, `peek: negative duration ${durationMs}`);
  }

  private get isPolling(): boolean {
    return this.callback !== null || this.countCallback !== null;
  }

  private startPoll(durationMs: number): void {
    const outage = this.broker.outage;
    if (!outage && this.hasRecords()) {
      this.scheduleDelivery();
      return;
    }
    if (!outage) this.register();
    this.armDeadline(this.broker.sim.now + durationMs);
  }

  commit(): void {
    if (this.closed) return;
    const group = this.group;
    const nowMs = this.broker.sim.now;
    for (let i = 0; i < this.assigned.length; i++) {
      const partition = this.assigned[i]!;
      const observer = this.broker.observer;
      if (observer !== null) observer.committing(partition.topic.name, group.groupId, partition.index, group.committed[partition.index]!, this.positions[i]!, nowMs);
      if (group.commit(partition.index, this.positions[i]!)) partition.topic.onCommit(nowMs, partition);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // The pending poll (if any) is answered empty from a later event.
    if (this.isPolling) this.scheduleDelivery();
    this.group.leave(this);
  }

  // ---- called by the partition, the group and the events ----

  /** A record became visible on a partition this consumer waits on. */
  wake(): void {
    // A rebalance run by an earlier wake in the same arrival may have moved this consumer's partitions.
    if (!this.isPolling || !this.hasRecords()) return;
    this.deliver();
  }

  onDeliveryEvent(): void {
    this.deliveryHandle = NO_HANDLE;
    this.deliver();
  }

  onTimeoutEvent(): void {
    this.timerHandle = NO_HANDLE;
    const deadlineMs = this.deadlineMs;
    if (!this.isPolling || deadlineMs < 0) return;
    if (deadlineMs > this.broker.sim.now) {
      this.scheduleTimer(deadlineMs);
      return;
    }
    this.deliver();
  }

  /** Rebalance, step 1: drop every partition. */
  revoke(): void {
    if (this.waiting) this.unregister();
    this.assigned.length = 0;
    this.positions.length = 0;
    this.nextPartition = 0;
  }

  /** Rebalance, step 2: take `partition`, starting at the group's committed `offset`. */
  assign(partition: Partition, offset: number): void {
    this.assigned.push(partition);
    this.positions.push(offset);
  }

  /** Rebalance, step 3: a pending poll follows the new assignment. */
  resume(): void {
    if (!this.isPolling || this.deliveryHandle !== NO_HANDLE || this.closed) return;
    if (this.broker.outage) return;
    if (this.hasRecords()) this.scheduleDelivery();
    else this.register();
  }

  /** Records the next answer holds: what is visible past the positions, at most maxPeek. */
  private readable(): number {
    let readable = 0;
    for (let i = 0; i < this.assigned.length; i++) readable += this.assigned[i]!.endOffset - this.positions[i]!;
    return readable < this.maxPeek ? readable : this.maxPeek;
  }

  /**
   * Reads `total` records, starting from the rotating partition so one busy partition cannot starve the
   * others, and advances the positions. They go into `into`, or else into a new array sized once (an array
   * grown by push starts at 17 slots), which is returned.
   */
  private read(total: number, into: RingBuffer<Message> | null): Message[] | null {
    const records = into === null ? new Array<Message>(total) : null;
    const count = this.assigned.length;
    const start = this.nextPartition < count ? this.nextPartition : 0;
    let filled = 0;
    for (let k = 0; k < count && filled < total; k++) {
      const i = (start + k) % count;
      const partition = this.assigned[i]!;
      const from = this.positions[i]!;
      let position = from;
      const end = partition.endOffset;
      if (records !== null) {
        while (position < end && filled < total) records[filled++] = partition.read(position++);
      } else {
        while (position < end && filled < total) {
          into!.push(partition.read(position++));
          filled++;
        }
      }
      const observer = this.broker.observer;
      if (observer !== null && position > from) observer.delivered(partition.topic.name, this.group.groupId, partition.index, from, position, this.broker.sim.now);
      this.positions[i] = position;
    }
    return records;
  }

  private hasRecords(): boolean {
    for (let i = 0; i < this.assigned.length; i++) {
      if (this.positions[i]! < this.assigned[i]!.endOffset) return true;
    }
    return false;
  }

  private scheduleDelivery(): void {
    if (this.deliveryHandle !== NO_HANDLE) return;
    this.deliveryHandle = this.broker.sim.schedule(0, deliveryEvent, this);
  }

  private armDeadline(deadlineMs: number): void {
    this.deadlineMs = deadlineMs;
    if (this.timerHandle !== NO_HANDLE) {
      if (this.timerAtMs <= deadlineMs) return;
      this.broker.sim.cancel(this.timerHandle);
    }
    this.scheduleTimer(deadlineMs);
  }

  private scheduleTimer(atMs: number): void {
    this.timerAtMs = atMs;
    this.timerHandle = this.broker.sim.scheduleAt(atMs, timeoutEvent, this);
  }

  private register(): void {
    for (let i = 0; i < this.assigned.length; i++) this.assigned[i]!.addWaiter(this);
    this.waiting = this.assigned.length > 0;
  }

  private unregister(): void {
    for (let i = 0; i < this.assigned.length; i++) this.assigned[i]!.removeWaiter(this);
    this.waiting = false;
  }

  /** Answers the pending poll with what is readable now (nothing when closed or during an outage). */
  private deliver(): void {
    const callback = this.callback;
    const into = this.into;
    const countCallback = this.countCallback;
    if (callback === null && countCallback === null) return;
    const count = this.assigned.length;
    let records: readonly Message[] = NO_RECORDS;
    let readable = 0;
    if (!this.closed && !this.broker.outage && count > 0) {
      readable = this.readable();
      if (readable > 0) records = this.read(readable, into) ?? NO_RECORDS;
      this.nextPartition = ((this.nextPartition < count ? this.nextPartition : 0) + 1) % count;
    }
    this.callback = null;
    this.into = null;
    this.countCallback = null;
    if (this.waiting) this.unregister();
    const sim = this.broker.sim;
    // The timer stays pending for reuse by the next poll (see the header).
    this.deadlineMs = -1;
    if (this.deliveryHandle !== NO_HANDLE) {
      sim.cancel(this.deliveryHandle);
      this.deliveryHandle = NO_HANDLE;
    }
    if (callback !== null) callback(records);
    else countCallback!(readable);
  }
}

/**
 * One partition of a simulated Kafka topic: an append-only log of records addressed by offset, held in a ring
 * buffer whose head is `baseOffset` (records below it are trimmed once every consumer group has committed past
 * them), plus the queue of records produced but not yet visible.
 *
 * Produce path: a send draws a produce→visible delay and takes the later of `now + delay` and the visibility
 * time of the record produced before it to this partition (`lastVisibleMs`). Visibility times are therefore
 * non-decreasing in send order, and the agenda breaks equal times by insertion order, so the arrival event of
 * the k-th send always finds the k-th entry at the head of `inflight`: per-partition FIFO holds under any
 * latency distribution, and an arrival event needs no per-record argument (its argument is the partition).
 *
 * A record in flight is a `PendingSend` (message, callback, context), which is also the completion its sender
 * attaches to. Each is recycled through this partition's free list once it has reached the broker, so no object
 * is allocated per send; `produced` and `reachBroker` are the only way in and out, so the pooling stays in here.
 *
 * A record that became visible is one reference in the `log` ring: nothing else is kept per waiting record.
 */
import type { Message } from '../messages.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import { RingBuffer } from '../common/RingBuffer.js';
import { PendingSend, type SendCallback } from './PendingSend.js';
import type { Topic } from './Topic.js';

export class Partition {
  readonly log = new RingBuffer<Message>(16);
  /** Offset of the oldest record still held. */
  baseOffset = 0;
  /** Offset the next visible record gets (the log end offset). */
  endOffset = 0;
  /** Records produced and not yet visible, oldest first. */
  private readonly inflight = new RingBuffer<PendingSend>(16);
  /** Sends that have reached the broker, ready for reuse. */
  private readonly freeSends: PendingSend[] = [];
  /** Visibility time of the last record sent here; the next send is never visible earlier. */
  private lastVisibleMs = 0;
  /** Consumers with this partition assigned and a long poll waiting for a record. */
  private waiters: KafkaConsumer[] = [];
  /** Spare array swapped with `waiters` while waking them, so a re-registering consumer is not woken twice. */
  private spareWaiters: KafkaConsumer[] = [];

  constructor(
    readonly topic: Topic,
    readonly index: number,
  ) {}

  /**
   * Queues a record produced now that would become visible at `visibleMs` and returns its completion; the
   * record becomes visible at `visibleAtMs`: never before the record sent before it (per-partition FIFO).
   */
  produced(msg: Message, visibleMs: number): PendingSend {
    if (visibleMs > this.lastVisibleMs) this.lastVisibleMs = visibleMs;
    const send = this.freeSends.pop() ?? new PendingSend();
    send.msg = msg;
    this.inflight.push(send);
    return send;
  }

  /** When the record produced last becomes visible. */
  get visibleAtMs(): number {
    return this.lastVisibleMs;
  }

  /** The oldest record in flight reaches the broker: it is taken off the queue and handed to `reach`. */
  reachBroker(reach: (partition: Partition, msg: Message, callback: SendCallback | null, context: unknown) => void): void {
    const send = this.inflight.shift();
    const msg = send.msg!;
    const callback = send.callback;
    const context = send.context;
    send.msg = null;
    send.callback = null;
    send.context = undefined;
    this.freeSends.push(send);
    reach(this, msg, callback, context);
  }

  /** The record at `offset`; it must be held (baseOffset ≤ offset < endOffset). */
  read(offset: number): Message {
    return this.log.get(offset - this.baseOffset);
  }

  append(msg: Message): void {
    this.log.push(msg);
    this.endOffset++;
  }

  /** Drops records below `offset` (every group has committed past them). */
  trimTo(offset: number): void {
    const log = this.log;
    while (this.baseOffset < offset) {
      log.shift();
      this.baseOffset++;
    }
  }

  /** `consumer` has a long poll waiting for a record of this partition. */
  addWaiter(consumer: KafkaConsumer): void {
    this.waiters.push(consumer);
  }

  /** A record became visible: every waiting consumer is woken once. */
  wakeWaiters(): void {
    const waiters = this.waiters;
    if (waiters.length === 0) return;
    // Swap in the spare list first: a consumer answered here may poll again and wait on this partition.
    this.waiters = this.spareWaiters;
    for (let i = 0; i < waiters.length; i++) waiters[i]!.wake();
    // pop, not `length = 0`: V8 drops an array's backing store on length 0, and the next push allocates anew.
    while (waiters.length > 0) waiters.pop();
    this.spareWaiters = waiters;
  }

  removeWaiter(consumer: KafkaConsumer): void {
    const waiters = this.waiters;
    const index = waiters.indexOf(consumer);
    if (index < 0) return;
    // Swap-remove: wake order among several waiting groups does not matter, each reads its own position.
    waiters[index] = waiters[waiters.length - 1]!;
    waiters.pop(); // keeps the backing store (`length = 0` would drop it)
  }
}

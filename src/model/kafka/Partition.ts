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
 * `inflight` stores three slots per record (message, callback, context) in one ring so no object is allocated
 * per send.
 */
import type { Message } from '../messages.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import { RingBuffer } from '../common/RingBuffer.js';
import type { Topic } from './Topic.js';

export class Partition {
  readonly log = new RingBuffer<Message>(16);
  /** Offset of the oldest record still held. */
  baseOffset = 0;
  /** Offset the next visible record gets (the log end offset). */
  endOffset = 0;
  /** Records produced and not yet visible: (msg, callback | null, context) triples. */
  readonly inflight = new RingBuffer<unknown>(16);
  /** Visibility time of the last record sent here; the next send is never visible earlier. */
  lastVisibleMs = 0;
  /** Consumers with this partition assigned and a long poll waiting for a record. */
  waiters: KafkaConsumer[] = [];
  /** Spare array swapped with `waiters` while waking them, so a re-registering consumer is not woken twice. */
  spareWaiters: KafkaConsumer[] = [];

  constructor(
    readonly topic: Topic,
    readonly index: number,
  ) {}

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

  removeWaiter(consumer: KafkaConsumer): void {
    const waiters = this.waiters;
    const index = waiters.indexOf(consumer);
    if (index < 0) return;
    // Swap-remove: wake order among several waiting groups does not matter, each reads its own position.
    waiters[index] = waiters[waiters.length - 1]!;
    waiters.pop(); // keeps the backing store (`length = 0` would drop it)
  }
}

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
 * The records in flight are three slots each (message, callback, context) in one ring, so no object is
 * allocated per send; `produced` and `reachBroker` are the only way in and out, so the layout stays in here.
 */
import type { Message } from '../messages.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import { RingBuffer } from '../common/RingBuffer.js';
import type { Topic } from './Topic.js';

/** A producer's acknowledgement callback with its context (see KafkaProducer). */
export type SendCallback = (ok: boolean, context: any) => void;

export class Partition {
  readonly log = new RingBuffer<Message>(16);
  /** Offset of the oldest record still held. */
  baseOffset = 0;
  /** Offset the next visible record gets (the log end offset). */
  endOffset = 0;
  /** Records produced and not yet visible: (msg, callback | null, context) triples. */
  private readonly inflight = new RingBuffer<unknown>(16);
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
   * Queues a record produced now that would become visible at `visibleMs`; returns when it does become visible:
   * never before the record sent before it (per-partition FIFO).
   */
  produced(msg: Message, callback: SendCallback | null, context: unknown, visibleMs: number): number {
    const at = visibleMs < this.lastVisibleMs ? this.lastVisibleMs : visibleMs;
    this.lastVisibleMs = at;
    const inflight = this.inflight;
    inflight.push(msg);
    inflight.push(callback);
    inflight.push(context);
    return at;
  }

  /** The oldest record in flight reaches the broker: it is taken off the queue and handed to `reach`. */
  reachBroker(reach: (partition: Partition, msg: Message, callback: SendCallback | null, context: unknown) => void): void {
    const inflight = this.inflight;
    const msg = inflight.shift() as Message;
    const callback = inflight.shift() as SendCallback | null;
    reach(this, msg, callback, inflight.shift());
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

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
 *
 * Stale records: an activation message whose record is already resolved (its controller's forced timeout fired)
 * still waits here until its invoker reads it, as in OpenWhisk. Once the unread backlog is deeper than the
 * topic's `spillThreshold`, such messages that no consumer has read yet, and the health test actions among
 * them, leave the heap as rows (StaleRows.ts;
 * the log slot holds null) and are rebuilt, equal, when first read; the rebuilt message takes the slot, so
 * every later read (another group, a rewind) gets the same object, as without spilling. A cursor walks forward
 * from the oldest unread record while the records there are resolved (forced timeouts fire in about arrival
 * order), so each record is looked at once: amortized O(1) per append, no scan of the backlog.
 */
import { ActivationRecord, Outcome } from '../ActivationRecord.js';
import type { Message } from '../messages.js';
import type { KafkaConsumer } from './KafkaConsumer.js';
import { RingBuffer } from '../common/RingBuffer.js';
import { PendingSend, type SendCallback } from './PendingSend.js';
import { StaleRows } from './StaleRows.js';
import type { Topic } from './Topic.js';

export class Partition {
  /** The held records from `baseOffset` on; null: the record is a row of `staleRows`. */
  private readonly log = new RingBuffer<Message | null>(16);
  /** Offset of the oldest record still held. */
  baseOffset = 0;
  /** Offset the next visible record gets (the log end offset). */
  endOffset = 0;
  /** One past the highest offset any consumer has read: records from here on were never handed out. */
  private readFront = 0;
  /** Records below this offset have been looked at for spilling (see the header). */
  private spillCursor = 0;
  /** Stale messages kept as rows (made when first needed). */
  private staleRows: StaleRows | null = null;
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
    if (offset >= this.readFront) this.readFront = offset + 1;
    const index = offset - this.baseOffset;
    const msg = this.log.get(index);
    if (msg !== null) return msg;
    const rebuilt = this.staleRows!.take(offset);
    this.log.set(index, rebuilt);
    return rebuilt;
  }

  append(msg: Message): void {
    // Before the push: the new record's send completion (which may still hold it) has not run yet.
    if (this.endOffset - this.readFront > this.topic.spillThreshold) this.spillStale();
    this.log.push(msg);
    this.endOffset++;
  }

  /** Stale activation messages held as rows, for tests and diagnostics. */
  get staleRowCount(): number {
    return this.staleRows === null ? 0 : this.staleRows.size;
  }

  /** Drops records below `offset` (every group has committed past them). */
  trimTo(offset: number): void {
    const log = this.log;
    let droppedRows = 0;
    while (this.baseOffset < offset) {
      if (log.shift() === null) droppedRows++;
      this.baseOffset++;
    }
    if (this.staleRows !== null) this.staleRows.trimTo(offset, droppedRows);
  }

  /**
   * Moves the unread resolved activation messages (and health test actions) from the cursor on into rows, up to
   * the first unresolved.
   */
  private spillStale(): void {
    const log = this.log;
    const base = this.baseOffset;
    const end = this.endOffset;
    let offset = this.spillCursor;
    if (offset < this.readFront) offset = this.readFront;
    if (offset < base) offset = base;
    for (; offset < end; offset++) {
      const msg = log.get(offset - base);
      if (!(msg instanceof ActivationRecord)) {
        // A health test action waits like the activations around it; other messages are short-lived: kept.
        if (msg !== null && msg.type === 'activation' && StaleRows.storablePlain(msg)) {
          (this.staleRows ??= new StaleRows()).put(offset, msg);
          log.set(offset - base, null);
        }
        continue;
      }
      if (msg.outcome === Outcome.inFlight) break;
      if (!msg.storableAsRow) continue;
      (this.staleRows ??= new StaleRows()).put(offset, msg);
      log.set(offset - base, null);
    }
    this.spillCursor = offset;
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

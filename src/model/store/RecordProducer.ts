/**
 * An invoker's Kafka producer for activation records under `kafka-overflow` (option B), with the producer's
 * own limits (issue 15), as a Kafka client applies them to `send`:
 *   - `max.request.size`: a record larger than it (or than the whole buffer) is refused at once
 *     (RecordTooLargeException); the proxy logs the failure and carries on, the record is counted refused;
 *   - `buffer.memory`: records sent and not yet acknowledged by the broker occupy the producer's buffer, which
 *     lives in the invoker's heap. A send that does not fit blocks the calling proxy, which keeps its container
 *     and its record, in a FIFO of blocked senders (Kafka's buffer pool serves waiters in order);
 *   - `max.block.ms`: a send still blocked after that long fails (a TimeoutException): the record is counted
 *     refused and the proxy frees its container.
 * An acknowledgement frees the record's bytes and lets the blocked senders at the head of the FIFO through.
 *
 * A crash (`abandon`) loses the blocked records with their runs (the invoker reports them as lost); records
 * already sent still reach the broker, and their acknowledgements no longer touch the dead producer's state.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import type { RecordMessage } from '../messages.js';
import { topics } from '../messages.js';
import type { MessageProducer } from '../messaging.js';
import type { KafkaProducerLimits } from '../../scenario/types.js';
import type { Simulation } from '../../sim/Simulation.js';
import { assert } from '../../sim/assert.js';
import { RingBuffer } from '../common/RingBuffer.js';
import type { Run } from '../invoker/ContainerProxy.js';
import type { ActivationStore } from './ActivationStore.js';

/** What the invoker learns from its record producer. */
export interface RecordProducerHost {
  /** A blocked send went through: the proxy's record left its hands; release the run. */
  sendUnblocked(run: Run): void;
  /** A blocked send failed after max.block.ms: the record is refused; release the run. */
  sendTimedOut(run: Run): void;
  /** The producer's buffer changed size (the heap). */
  producerBufferChanged(): void;
}

export const SEND_SENT = 0;
export const SEND_REFUSED = 1;
export const SEND_BLOCKED = 2;
export type SendResult = typeof SEND_SENT | typeof SEND_REFUSED | typeof SEND_BLOCKED;

export class RecordProducer {
  /** Bytes sent and not yet acknowledged. */
  bufferedBytes = 0;
  private readonly waiting = new RingBuffer<Run>(16);
  private dead = false;
  private readonly onAckBound = (ok: boolean, record: ActivationRecord) => this.onAck(ok, record);
  private readonly onTimeoutBound = (run: Run) => this.onTimeout(run);

  constructor(
    private readonly sim: Simulation,
    private readonly producer: MessageProducer,
    private readonly limits: KafkaProducerLimits,
    private readonly store: ActivationStore,
    private readonly host: RecordProducerHost,
    private readonly invoker: number,
  ) {}

  /** Sends the run's record: sent, refused (too large), or blocked (the run is held until further notice). */
  send(run: Run): SendResult {
    const record = run.msg.record!;
    const size = record.recordSizeBytes;
    const l = this.limits;
    if (size > l.maxRequestSizeBytes || size > l.bufferMemoryBytes) {
      this.store.refusedRecords++;
      return SEND_REFUSED;
    }
    if (this.waiting.length === 0 && this.bufferedBytes + size <= l.bufferMemoryBytes) {
      this.transmit(record);
      return SEND_SENT;
    }
    if (l.maxBlockMs === 0) {
      this.store.refusedRecords++;
      return SEND_REFUSED;
    }
    run.blockedSend = true;
    // It stays in `waiting` until it reaches the head, even once released (a timed-out send).
    run.retained = true;
    this.store.blockedSends++;
    this.store.blockedInProducer++;
    this.waiting.push(run);
    run.endHandle = this.sim.schedule(l.maxBlockMs, this.onTimeoutBound, run);
    return SEND_BLOCKED;
  }

  /** The invoker died: blocked runs are lost with it (the pool reports them); later acks are ignored. */
  abandon(): void {
    assert(!this.dead, 'RecordProducer abandoned twice');
    this.dead = true;
    this.waiting.clear();
    this.bufferedBytes = 0;
  }

  /** A held run the crash destroyed was blocked here: its record is lost. */
  static runLost(run: Run, store: ActivationStore): boolean {
    if (!run.blockedSend) return false;
    run.blockedSend = false;
    store.blockedInProducer--;
    store.recordLost();
    return true;
  }

  private transmit(record: ActivationRecord): void {
    const msg: RecordMessage = { type: 'record', record, invoker: this.invoker };
    this.store.overflowed++;
    this.bufferedBytes += record.recordSizeBytes;
    this.producer.send(topics.activations, msg).andThen(this.onAckBound, record);
    this.host.producerBufferChanged();
  }

  private onAck(ok: boolean, record: ActivationRecord): void {
    if (!ok) {
      this.store.overflowFailed++;
      this.store.recordLost();
    }
    if (this.dead) return;
    this.bufferedBytes -= record.recordSizeBytes;
    this.serveWaiters();
    this.host.producerBufferChanged();
  }

  private serveWaiters(): void {
    const waiting = this.waiting;
    while (waiting.length > 0) {
      const run = waiting.peekHead();
      // A sender that timed out (or was lost) stays in the FIFO until it reaches the head.
      if (!run.blockedSend) {
        waiting.shift();
        continue;
      }
      const record = run.msg.record!;
      if (this.bufferedBytes + record.recordSizeBytes > this.limits.bufferMemoryBytes) return;
      waiting.shift();
      run.blockedSend = false;
      this.store.blockedInProducer--;
      this.sim.cancel(run.endHandle);
      run.endHandle = -1;
      this.transmit(record);
      this.host.sendUnblocked(run);
    }
  }

  private onTimeout(run: Run): void {
    run.endHandle = -1;
    run.blockedSend = false;
    this.store.blockedInProducer--;
    this.store.refusedRecords++;
    this.host.sendTimedOut(run);
  }
}

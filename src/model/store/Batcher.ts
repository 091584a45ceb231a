/**
 * OpenWhisk's Batcher for activation records: common/scala/src/main/scala/whisk/core/database/Batcher.scala
 * @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 (docs/openwhisk.md §14), as CouchDbRestStore uses it for the
 * activations database: `Batcher(500, 64)(bulk write)`. One per invoker, and one per recorder service.
 *
 * Algorithm (Akka Streams `Source.actorRef(Int.MaxValue, dropNew)` → `batch(batchSize)` →
 * `mapAsyncUnordered(concurrency)(operation)`, reduced to what it does to time):
 *   1. `put` appends the record to the queue;
 *   2. whenever fewer than `concurrency` bulk calls are in flight and the queue is not empty, a bulk call
 *      starts at once with everything queued so far, up to `batchSize` records;
 *   3. when a call is answered, its records are written, and step 2 runs again.
 * So a single record is never delayed by batching, and batches only form under back-pressure: with
 * batchSize 2, concurrency 1 and five puts at once, the calls carry 1, 2 and 2 records (BatcherTests).
 *
 * `queueLimit` bounds the records the batcher holds: waiting for a call and in calls not yet answered (their
 * promises keep them in memory until the database answers), so it bounds the batcher's memory. `put` refuses
 * a record when that many are held, which is where a backpressure strategy steps in (null: unbounded,
 * OpenWhisk's Int.MaxValue). A limit below batchSize × concurrency therefore also caps what is in calls.
 *
 * Substitutions: `// port: Source.actorRef + batch → RingBuffer queue`, `// port: mapAsyncUnordered →
 * counter of calls in flight`, `// port: Future[Seq[R]] per element → one answer event per call, records
 * reported to the store's ledger`. Bulk call objects are pooled (at most `concurrency` exist).
 *
 * Failures (issue 15): HEAD's operation (CouchDbRestStore's bulk put with `max-tries`) re-sends a call that
 * failed with an exception at once, up to `maxTries` times, and fails every record of the call after the
 * last try (the third BatcherTests case and HEAD's two retry cases). HEAD does not retry a call CouchDB
 * answered with an HTTP error status (an ArtifactStoreException); `store.errors` models the exception kind
 * (timeouts, refused connections), the kind HEAD retries. A call answered 429 (`store.throttle`)
 * is re-sent by the database client after the retry-after, up to the throttle's `maxRetries` and
 * `maxRetryWaitMs` in total; past those the client gives up, which is a failed try like an error. A call
 * holds its concurrency slot through all its retries (the operation's future is still running).
 * `abandon()` (the invoker died) loses the queue; calls already sent are still answered and written, and a
 * call of a dead batcher that fails is not retried: its records are lost with the process.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import { assert } from '../../sim/assert.js';
import { RingBuffer } from '../common/RingBuffer.js';
import type { ActivationStore } from './ActivationStore.js';
import { CALL_FAILED, CALL_THROTTLED, CALL_WRITTEN, type CallOutcome } from './StoreFailures.js';

/** What a batcher tells its owner (the invoker's heap, a recorder's feed). */
export interface BatcherHost {
  /** A bulk call of `documents` records started. */
  bulkStarted(documents: number): void;
  /** A bulk call of `documents` records was answered and its records written. */
  bulkWritten(documents: number): void;
  /** A bulk call of `documents` records failed after its last try: its records are gone. */
  bulkFailed(documents: number): void;
}

/** One `_bulk_docs` call in flight; reused. */
class Bulk {
  readonly records: (ActivationRecord | undefined)[] = [];
  count = 0;
  bytes = 0;
  outcome: CallOutcome = CALL_WRITTEN;
  /** HEAD's retries left for this call. */
  triesLeft = 0;
  /** Throttled retries made in the current try, and the retry-after waited for them. */
  throttleRetries = 0;
  throttleWaitMs = 0;
}

export class Batcher {
  // port: Source.actorRef + batch → RingBuffer queue
  private readonly queue = new RingBuffer<ActivationRecord>(64);
  private readonly freeBulks: Bulk[] = [];
  private readonly onAnsweredBound = (bulk: Bulk) => this.onAnswered(bulk);
  private readonly resendBound = (bulk: Bulk) => this.resend(bulk);
  private inFlightCalls = 0;
  private queuedBytesTotal = 0;
  private inBulkBytesTotal = 0;
  private inBulkRecords = 0;
  private abandoned = false;

  /** Largest number of records ever waiting in the queue. */
  maxQueued = 0;

  constructor(
    readonly batchSize: number,
    readonly concurrency: number,
    /** Records waiting for a call, at most; null is unbounded. */
    readonly queueLimit: number | null,
    private readonly store: ActivationStore,
    private readonly host: BatcherHost,
    /** Re-sends of a call that failed (HEAD's max-tries; 0 at MB, which had none). */
    readonly maxTries = 0,
  ) {
    assert(Number.isInteger(maxTries) && maxTries >= 0, 'Batcher: maxTries must be a whole number ≥ 0');
    assert(Number.isInteger(batchSize), 'Batcher: batchSize must be an integer');
    assert(batchSize >= 1, 'Batcher: batchSize must be at least 1');
    assert(Number.isInteger(concurrency), 'Batcher: concurrency must be an integer');
    assert(concurrency >= 1, 'Batcher: concurrency must be at least 1');
    assert(queueLimit === null || queueLimit >= 1, 'Batcher: queueLimit must be at least 1');
  }

  /** Records waiting for a bulk call. */
  get queued(): number {
    return this.queue.length;
  }
  /** Records in bulk calls not yet answered. */
  get inBulk(): number {
    return this.inBulkRecords;
  }
  /** Bulk calls in flight. */
  get callsInFlight(): number {
    return this.inFlightCalls;
  }
  /** Bytes of every record the batcher holds: waiting, and in calls not yet answered (their promises). */
  get bytes(): number {
    return this.queuedBytesTotal + this.inBulkBytesTotal;
  }
  /** Held records (waiting plus in calls) reached the queue limit. */
  get isFull(): boolean {
    return this.queueLimit !== null && this.queue.length + this.inBulkRecords >= this.queueLimit;
  }

  /** Adds a record; false (and nothing changes) when the batcher is full. */
  put(record: ActivationRecord): boolean {
    assert(!this.abandoned, 'Batcher.put after abandon');
    if (this.isFull) return false;
    this.queue.push(record);
    this.queuedBytesTotal += record.recordSizeBytes;
    if (this.queue.length > this.maxQueued) this.maxQueued = this.queue.length;
    this.startBulks();
    return true;
  }

  /** The owner died: every waiting record is lost. Calls in flight are still answered, without the host. */
  abandon(): number {
    assert(!this.abandoned, 'Batcher abandoned twice');
    this.abandoned = true;
    const lost = this.queue.length;
    for (let i = 0; i < lost; i++) this.store.recordLost();
    this.queue.clear();
    this.queuedBytesTotal = 0;
    return lost;
  }

  // port: mapAsyncUnordered → counter of calls in flight
  private startBulks(): void {
    while (this.inFlightCalls < this.concurrency && this.queue.length > 0) {
      const bulk = this.freeBulks.pop() ?? new Bulk();
      const n = this.queue.length < this.batchSize ? this.queue.length : this.batchSize;
      const records = bulk.records;
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        const r = this.queue.shift();
        records[i] = r;
        bytes += r.recordSizeBytes;
      }
      bulk.count = n;
      bulk.bytes = bytes;
      this.queuedBytesTotal -= bytes;
      this.inBulkBytesTotal += bytes;
      this.inBulkRecords += n;
      this.inFlightCalls++;
      bulk.triesLeft = this.maxTries;
      bulk.throttleRetries = 0;
      bulk.throttleWaitMs = 0;
      this.store.bulkDocs(n, this.onAnsweredBound, bulk);
      this.host.bulkStarted(n);
    }
  }

  private onAnswered(bulk: Bulk): void {
    if (bulk.outcome !== CALL_WRITTEN) {
      this.onNotWritten(bulk);
      return;
    }
    const nowMs = this.store.nowMs;
    const records = bulk.records;
    const n = bulk.count;
    for (let i = 0; i < n; i++) {
      this.store.recordWritten(records[i]!, nowMs);
      records[i] = undefined;
    }
    this.finish(bulk);
    if (this.abandoned) return;
    this.host.bulkWritten(n);
    this.startBulks();
  }

  /** A try failed or was throttled: retry as the client and HEAD's operation do, or fail the records. */
  private onNotWritten(bulk: Bulk): void {
    const store = this.store;
    if (!this.abandoned) {
      const throttle = store.throttle;
      if (bulk.outcome === CALL_THROTTLED && throttle !== null && bulk.throttleRetries < throttle.maxRetries && bulk.throttleWaitMs + throttle.retryAfterMs <= throttle.maxRetryWaitMs) {
        bulk.throttleRetries++;
        bulk.throttleWaitMs += throttle.retryAfterMs;
        store.scheduleRetry(throttle.retryAfterMs, this.resendBound, bulk);
        return;
      }
      store.failedCalls++;
      if (bulk.triesLeft > 0) {
        bulk.triesLeft--;
        bulk.throttleRetries = 0;
        bulk.throttleWaitMs = 0;
        store.bulkRetries++;
        this.resend(bulk);
        return;
      }
    } else if (bulk.outcome === CALL_FAILED) {
      store.failedCalls++;
    }
    const records = bulk.records;
    const n = bulk.count;
    for (let i = 0; i < n; i++) {
      if (this.abandoned) store.recordLost();
      else store.recordFailed();
      records[i] = undefined;
    }
    this.finish(bulk);
    if (this.abandoned) return;
    this.host.bulkFailed(n);
    this.startBulks();
  }

  private resend(bulk: Bulk): void {
    this.store.bulkDocs(bulk.count, this.onAnsweredBound, bulk, true);
  }

  /** The call is over (written or failed): its slot and memory are free. */
  private finish(bulk: Bulk): void {
    const n = bulk.count;
    this.store.bulkAnswered(n);
    this.inFlightCalls--;
    this.inBulkRecords -= n;
    this.inBulkBytesTotal -= bulk.bytes;
    bulk.count = 0;
    bulk.bytes = 0;
    this.freeBulks.push(bulk);
  }
}

/**
 * The activation store: one database (CouchDB's `activations` database) shared by every invoker and recorder,
 * plus the ledger of activation records that conserves them across the whole run.
 *
 * Model (a single FIFO server plus a pure delay):
 *   - the database writes `throughputPerSec` documents per second in total. A bulk call of n documents needs
 *     n / throughput seconds of that capacity; calls are served one after another in the order they arrive,
 *     so calls beyond capacity queue at the database;
 *   - each call also pays a `bulkLatencyMs` draw (request, commit, response) once its documents are written.
 *     The latency does not occupy the server: many calls can be in their latency phase at once.
 *   So a call sent at t with the server busy until F is answered at max(t, F) + n / throughput + latency,
 *   and the server is then busy until max(t, F) + n / throughput. No event is needed for the queue itself:
 *   one scheduled event per bulk call (its answer), O(1) work per call.
 *
 * Example: throughput 2000/s, latency 20 ms, an idle database. A call of 500 documents at t = 0 is answered at
 * 250 + 20 = 270 ms; a second call of 500 sent at t = 10 ms starts being written at 250 ms and is answered at
 * 500 + 20 = 520 ms. The database backlog at t = 10 ms is (500 − 10) ms × 2 docs/ms = 980 documents.
 *
 * Ledger: every record an activation produces (at its active ack, docs/openwhisk.md §12) is counted `produced`
 * once, and ends in one of the ways listed below or is still held somewhere at the end: in a batcher's queue,
 * in a bulk call (`documentsInFlight`, retries included), held by a container proxy (wait-enqueue, or a Kafka
 * send blocked on a full producer buffer), or in Kafka / a recorder's feed (kafka-overflow). Cluster asserts
 * the sum at the end of every run.
 *
 * Failures (issue 15, StoreFailures.ts): a call may fail (`store.errors`) or be throttled (`store.throttle`);
 * the Batcher then retries it as HEAD does. A failed or throttled call takes none of the write capacity.
 * Every produced record ends in exactly one of: `written`, `droppedRecords` (a full queue under `drop`),
 * `givenUpRecords` (option A's proxy gave up), `refusedRecords` (option B's producer refused it),
 * `recordsLostToErrors` (its call failed after every retry), `lostRecords` (a crash, a failed Kafka send), or
 * is still pending at the end (see `Cluster.recordsHeld`).
 *
 * Caveats: per-document conflicts are not modelled; a call sent by an invoker that then crashes is still
 * written (the database does not know its client died).
 */
import type { StoreFaultTarget } from '../faults/FaultTargets.js';
import type { ActivationRecord } from '../ActivationRecord.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import { assert } from '../../sim/assert.js';
import { makeDistribution, type Distribution, type DistributionSpec } from '../../sim/distributions.js';
import { LatencyHistogram } from '../../sim/LatencyHistogram.js';
import type { StoreErrorsConfig, StoreThrottleConfig } from '../../scenario/types.js';
import { CALL_FAILED, CALL_THROTTLED, CALL_WRITTEN, type CallOutcome, StoreFailures } from './StoreFailures.js';

/** A bulk call as the store sees it: the store writes how the call was answered into it. */
export interface BulkCallOutcome {
  outcome: CallOutcome;
}

export interface ActivationStoreOptions {
  /** Documents per second the database writes, over all bulk calls. */
  throughputPerSec: number;
  /** Latency of each bulk call on top of its share of the throughput. */
  bulkLatencyMs: DistributionSpec;
  /** Failing calls and a request-unit budget (issue 15); absent: every call is written. */
  errors?: StoreErrorsConfig | null;
  throttle?: StoreThrottleConfig | null;
  /** The `store/errors` stream; required with errors (and for the store-errors fault). */
  errorsRng?: Rng;
}

export class ActivationStore implements StoreFaultTarget {
  /** Run end (the ack) → written, of measured records: the record's time at risk. */
  readonly writeLatency = new LatencyHistogram();

  // ---- ledger ----
  /** Records produced by finished activations. */
  produced = 0;
  /** Records the database has written. */
  written = 0;
  /** Records destroyed before being written. */
  lostRecords = 0;
  /** Records sent to the `activations` topic (kafka-overflow). */
  overflowed = 0;
  /** Of those, sends the broker refused (an outage): the records are lost. */
  overflowFailed = 0;
  /** Records taken off the `activations` topic by a recorder. */
  recorded = 0;
  /** Records held by container proxies waiting to enqueue (wait-enqueue). */
  held = 0;
  /** Documents in bulk calls not yet answered (waiting at the database, being written, or in latency). */
  documentsInFlight = 0;

  /** Records refused by a full batcher queue under `backpressure: drop`. */
  droppedRecords = 0;
  /** Records a wait-enqueue proxy gave up after its last retry. */
  givenUpRecords = 0;
  /** Records the Kafka producer refused (over max.request.size, or blocked past max.block.ms). */
  refusedRecords = 0;
  /** Records whose bulk call failed after every retry. */
  recordsLostToErrors = 0;
  /** Records waiting in a blocked Kafka producer send (kafka-overflow), held in the invoker's heap. */
  blockedInProducer = 0;
  /** Kafka producer sends that blocked on a full buffer.memory (kafka-overflow). */
  blockedSends = 0;

  /** Bulk calls sent (retries included). */
  bulkCalls = 0;
  /** Calls that failed (an error, or throttled until the client gave up). */
  failedCalls = 0;
  /** Calls answered 429. */
  throttledCalls = 0;
  /** Calls re-sent after a failure (HEAD's retries). */
  bulkRetries = 0;
  /** Largest backlog of documents waiting for the database's capacity (sampled at each bulk call). */
  maxBacklogDocuments = 0;

  private msPerDocument: number;
  private readonly latency: Distribution;
  private serverFreeAtMs = 0;
  private readonly failures: StoreFailures | null;

  constructor(
    private readonly sim: Simulation,
    options: ActivationStoreOptions,
    private readonly latencyRng: Rng,
  ) {
    assert(options.throughputPerSec > 0, 'ActivationStore: throughput must be positive');
    assert(Number.isFinite(options.throughputPerSec), 'ActivationStore: throughput must be finite');
    this.msPerDocument = 1000 / options.throughputPerSec;
    this.latency = makeDistribution(options.bulkLatencyMs);
    this.failures = options.errorsRng === undefined ? null : new StoreFailures(options.errorsRng, options.errors ?? null, options.throttle ?? null);
    assert(this.failures !== null || (!options.errors && !options.throttle), 'ActivationStore: errors and throttle need the errors stream');
  }

  /** The failure modes, for the faults that change them; null when the store was built without them. */
  get failureModes(): StoreFailures | null {
    return this.failures;
  }

  /** The throttle the client honours (retry-after, retries), or null. */
  get throttle(): StoreThrottleConfig | null {
    return this.failures === null ? null : this.failures.throttleConfig;
  }

  /**
   * A `_bulk_docs` call of `documents` records. `answered(arg)` runs when the database answers (always from
   * a later event); the caller then reports each record with `recordWritten` and calls `bulkAnswered`.
   */
  bulkDocs<C extends BulkCallOutcome>(documents: number, answered: (call: C) => void, call: C, retry = false): void {
    assert(Number.isInteger(documents), 'ActivationStore.bulkDocs: documents must be an integer');
    assert(documents > 0, 'ActivationStore.bulkDocs: empty bulk call');
    const nowMs = this.sim.now;
    // A retry re-sends documents already counted in flight.
    if (!retry) this.documentsInFlight += documents;
    this.bulkCalls++;
    const outcome = this.failures === null ? CALL_WRITTEN : this.failures.decide(nowMs, documents);
    call.outcome = outcome;
    if (outcome === CALL_FAILED) {
      this.sim.scheduleAt(nowMs + this.failures!.failureLatencyMs, answered, call);
      return;
    }
    let latencyMs = this.latency.sample(this.latencyRng);
    if (!(latencyMs > 0)) latencyMs = 0;
    if (outcome === CALL_THROTTLED) {
      this.throttledCalls++;
      this.sim.scheduleAt(nowMs + latencyMs, answered, call);
      return;
    }
    // 1. Wait for the database's capacity (FIFO over all callers), 2. write, 3. pay the call's latency.
    const startMs = this.serverFreeAtMs > nowMs ? this.serverFreeAtMs : nowMs;
    this.serverFreeAtMs = startMs + documents * this.msPerDocument;
    const backlog = this.backlogDocuments(nowMs);
    if (backlog > this.maxBacklogDocuments) this.maxBacklogDocuments = backlog;
    this.sim.postAt(this.serverFreeAtMs + latencyMs, answered, call);
  }

  /** The database's current write rate in documents per second. */
  get throughputPerSec(): number {
    return 1000 / this.msPerDocument;
  }

  /**
   * Changes the write rate (a store-slow fault, src/model/faults). Calls already accepted keep the answer
   * times they were given; the documents still waiting for capacity are re-timed at the new rate, so later
   * calls queue behind that backlog written at the new rate (and the backlog count stays in documents).
   */
  setThroughputPerSec(perSec: number): void {
    assert(perSec > 0, 'ActivationStore: throughput must be positive');
    assert(Number.isFinite(perSec), 'ActivationStore: throughput must be finite');
    const nowMs = this.sim.now;
    const waitingDocuments = this.serverFreeAtMs > nowMs ? (this.serverFreeAtMs - nowMs) / this.msPerDocument : 0;
    this.msPerDocument = 1000 / perSec;
    if (waitingDocuments > 0) this.serverFreeAtMs = nowMs + waitingDocuments * this.msPerDocument;
  }

  get nowMs(): number {
    return this.sim.now;
  }

  /** The answer of a bulk call of `documents` was handled. */
  bulkAnswered(documents: number): void {
    assert(documents <= this.documentsInFlight, 'ActivationStore: more documents answered than sent');
    this.documentsInFlight -= documents;
  }

  /** Documents accepted by the database and not yet written, at `nowMs`. */
  backlogDocuments(nowMs: number): number {
    const busyMs = this.serverFreeAtMs - nowMs;
    return busyMs > 0 ? Math.round(busyMs / this.msPerDocument) : 0;
  }

  // ---- ledger updates ----

  recordProduced(): void {
    this.produced++;
  }

  recordWritten(record: ActivationRecord, nowMs: number): void {
    this.written++;
    if (record.measured && record.execEndMs >= 0) this.writeLatency.record(nowMs - record.execEndMs);
  }

  recordLost(): void {
    this.lostRecords++;
  }

  /** A record whose bulk call failed after its last try. */
  recordFailed(): void {
    this.recordsLostToErrors++;
  }

  /** A client-side wait before re-sending a call (a throttled call's retry-after). */
  scheduleRetry<C>(delayMs: number, resend: (call: C) => void, call: C): void {
    this.sim.schedule(delayMs, resend, call);
  }

  /** Records that ended without being written, over every way of ending so. */
  get notWritten(): number {
    return this.lostRecords + this.droppedRecords + this.givenUpRecords + this.refusedRecords + this.recordsLostToErrors;
  }

  /** Records produced and not yet ended (written or not). */
  get outstanding(): number {
    return this.produced - this.written - this.notWritten;
  }

  /** Records on the `activations` topic or in a recorder feed's buffer, not yet handed to a recorder. */
  get inKafka(): number {
    return this.overflowed - this.overflowFailed - this.recorded;
  }
}

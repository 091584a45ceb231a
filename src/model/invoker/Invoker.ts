/**
 * One invoker: OpenWhisk's InvokerReactive, the process that takes activations off its Kafka topic, runs them
 * in containers and reports back. Tracks core/invoker/src/main/scala/whisk/core/invoker/InvokerReactive.scala
 * @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 and
 * core/invoker/src/main/scala/org/apache/openwhisk/core/invoker/InvokerReactive.scala
 * @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (docs/openwhisk.md §11, §12, §13).
 *
 * What it models:
 *   - the activation feed: a MessageFeed on topic `invoker<id>` (group `invoker<id>`) whose handler capacity
 *     is the pool's concurrency — `feedCapacity`, else user memory / 128 MB (HEAD) or the slot count (MB) —
 *     with maxPeek = capacity and long poll `feedPollMs`. The pool returns capacity (`Processed`) as runs
 *     finish, so excess work waits in Kafka;
 *   - the ContainerPool (ContainerPool.ts) that places each activation on a container;
 *   - the active ack: a CompletionMessage to `completed<rootControllerIndex>` the moment the run ends, before
 *     any log collection or store write (InvokerReactive's `ack` inside ContainerProxy's run);
 *   - health pings: a PingMessage to `health` every `pingIntervalMs`, the first at construction time;
 *   - crash and restart: `crash()` kills the process (feed, pings, all containers; every running, starting or
 *     buffered activation is reported lost), `restart()` starts a fresh pool and a new consumer in the same
 *     group, which resumes from the committed offset.
 *
 * With a store (`store` option; backpressure and the Batcher in src/model/store):
 *   - at the ack, the activation's record is produced and handed to the invoker's Batcher; a full queue
 *     triggers the strategy: `wait-enqueue` holds the run (and its container) and retries every
 *     `retryIntervalMs`, up to `enqueueRetries` times, then gives the record up and frees the container;
 *     `drop` refuses the record (Akka's dropNew on a bounded queue); `kafka-overflow` sends the record to
 *     the `activations` topic; `none` has an unbounded queue and never refuses;
 *   - heap = base + bytes of the records the Batcher holds (waiting, and in bulk calls not yet answered) +
 *     records of in-flight activations, counted from the start of the run (standing for the payload, result
 *     and log buffers the run accumulates) until the Batcher or Kafka takes them (a held run keeps counting).
 *     Messages waiting in the feed or the pool's runBuffer are not counted (small, bounded by the feed);
 *   - when heap exceeds the limit the invoker dies of OutOfMemoryError: `crash()` (records waiting in the
 *     Batcher are lost, in-flight activations are lost, a held run loses only its record: its ack already
 *     went out) and `restart()` after `restartDelayMs` with an empty heap. The crash runs in its own event
 *     right after the allocation that crossed the limit, never inside a pool callback.
 *
 * Health test actions (ActivationMessage.record === null) run like any action on a container of their own
 * kind and memory, for TEST_ACTION_DURATION_MS, and are never reported to the observer.
 *
 * The invoker writes the ground-truth execution fields of each record (`invoker`, `execStartMs`, `cold`,
 * `execEndMs`); it never resolves a record's outcome (the controller does, or the observer for lost ones).
 *
 * Caveats: records already fetched into the feed's buffer but not yet handed to the pool when the invoker
 * crashes are lost without an `activationLost` call (their offsets were committed, as in OpenWhisk; the
 * controller's forced timeout ends them). The response carries no size, so the `Left(activationId)` ack for
 * oversize results is never sent.
 */
import type { ActivationMessage, CompletionMessage, Message, PingMessage } from '../messages.js';
import { topics } from '../messages.js';
import type { MessageConsumer, MessageProducer, MessagingProvider, Scheduler } from '../messaging.js';
import type { BackpressureStrategy, InvokersConfig, StoreConfig } from '../../scenario/types.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { EventHandle } from '../../sim/Agenda.js';
import { assert } from '../../sim/assert.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import { simScheduler } from '../common/simScheduler.js';
import { ContainerPool, type ContainerPoolHost } from './ContainerPool.js';
import type { Run } from './ContainerProxy.js';
import type { InvokerObserver } from './InvokerObserver.js';
import type { ActivationStore } from '../store/ActivationStore.js';
import type { InvokerHeapResults } from '../store/storeResults.js';
import type { InvokerFaultTarget } from '../faults/FaultTargets.js';
import { Batcher, type BatcherHost } from '../store/Batcher.js';
import { RecordProducer, type RecordProducerHost, SEND_BLOCKED } from '../store/RecordProducer.js';
import type { KafkaProducerLimits } from '../../scenario/types.js';

const MB = 1024 * 1024;

/** What an invoker needs to write activation records and model its heap. */
export interface InvokerStoreOptions {
  store: ActivationStore;
  config: StoreConfig;
  heapLimitBytes: number;
  heapBaseBytes: number;
  /** After an out-of-memory crash, restart after this long. */
  restartDelayMs: number;
  /** kafka-overflow: the record producer's limits (`kafka.producer`). */
  producerLimits: KafkaProducerLimits;
}

/** The heap options of an invoker from the scenario's sections. */
export function invokerStoreOptions(store: ActivationStore, storeConfig: StoreConfig, invokers: InvokersConfig, producerLimits: KafkaProducerLimits): InvokerStoreOptions {
  return {
    store,
    config: storeConfig,
    heapLimitBytes: invokers.heap.limitMb * MB,
    heapBaseBytes: invokers.heap.baseMb * MB,
    restartDelayMs: invokers.restartDelayMs,
    producerLimits,
  };
}

/** HEAD derives the feed capacity from user memory in units of the smallest action memory. */
export const MIN_ACTION_MEMORY_MB = 128;

export interface InvokerOptions {
  /** Invoker instance number. */
  id: number;
  sim: Simulation;
  messaging: MessagingProvider;
  config: InvokersConfig;
  observer: InvokerObserver;
  /** The activation store and heap model; absent: records are not modelled. */
  store?: InvokerStoreOptions;
}

/** Decides, per health ping, whether the network drops it (a ping-loss fault). */
export interface PingLoss {
  dropPing(invoker: number): boolean;
}

/** The activation feed's handler capacity for a configuration (docs/openwhisk.md §11). */
export function invokerFeedCapacity(config: InvokersConfig): number {
  if (config.feedCapacity !== null && config.feedCapacity !== undefined) return config.feedCapacity;
  return config.poolMode === 'memory' ? Math.floor(config.userMemoryMb / MIN_ACTION_MEMORY_MB) : config.slots;
}

export class Invoker implements ContainerPoolHost, BatcherHost, RecordProducerHost, InvokerFaultTarget, InvokerHeapResults {
  readonly id: number;
  readonly name: string;
  readonly topic: string;
  /** The activation feed's handler capacity: the invoker's concurrency limit. */
  readonly feedCapacity: number;

  private readonly sim: Simulation;
  private readonly messaging: MessagingProvider;
  private readonly config: InvokersConfig;
  private readonly observer: InvokerObserver;
  private readonly scheduler: Scheduler;
  private readonly producer: MessageProducer;
  private readonly ping: PingMessage;

  private consumer: MessageConsumer;
  private feed: MessageFeed;
  private pool: ContainerPool;
  private pingHandle: EventHandle = -1;
  private alive = true;
  /** Bumped on every crash so a stopped feed's late hand-out can never reach the new pool. */
  private incarnation = 0;

  private activationCount = 0;
  private coldStartsBefore = 0;
  private evictionsBefore = 0;
  private peakInFlightBefore = 0;

  /** A ping-loss fault on the invoker's network (src/model/faults), or null. */
  private pingLoss: PingLoss | null = null;
  private readonly onPingBound = () => this.sendPing();
  private readonly onLostBound = (r: Run) => this.runLost(r);

  // ---- store and heap (all inert without a store) ----
  private readonly storeOptions: InvokerStoreOptions | null;
  private readonly backpressure: BackpressureStrategy;
  private batcher: Batcher | null = null;
  /** kafka-overflow: this incarnation's record producer (null otherwise). */
  private recordProducer: RecordProducer | null = null;
  /** Records of in-flight activations: running, and held after the ack. */
  private inFlightRecordBytes = 0;
  private crashPending = false;
  private above90 = false;
  private above90SinceMs = 0;
  private readonly onOomBound = () => this.outOfMemory();
  private readonly onRestartBound = (incarnation: number) => this.restartAfterOom(incarnation);
  private readonly onRetryEnqueueBound = (r: Run) => this.retryEnqueue(r);

  /** Peak heap over the run, in bytes. */
  peakHeapBytes = 0;
  /** Time spent with the heap above 90 % of its limit. */
  timeAboveNinetyPercentMs = 0;
  /** Crashes of any cause, and their first time (-1: none). */
  crashes = 0;
  oomCrashes = 0;
  firstCrashMs = -1;
  /** Records lost here: waiting in the batcher or held by a proxy when the invoker died. */
  lostRecords = 0;
  /** Activations reported lost in crashes (running, starting or buffered in the pool). */
  lostActivations = 0;
  /** Largest number of records waiting in the batcher, over all incarnations. */
  maxBatcherQueue = 0;

  constructor(options: InvokerOptions) {
    const { id, sim, messaging, config, observer } = options;
    assert(Number.isInteger(id), `invoker id ${id} is not an integer`);
    assert(id >= 0, `invoker id ${id} is negative`);
    this.id = id;
    this.name = `invoker${id}`;
    this.topic = topics.invoker(id);
    this.sim = sim;
    this.messaging = messaging;
    this.config = config;
    this.observer = observer;
    this.feedCapacity = invokerFeedCapacity(config);
    assert(Number.isInteger(this.feedCapacity), `${this.name}: feed capacity must be an integer`);
    assert(this.feedCapacity >= 1, `${this.name}: feed capacity must be at least 1`);
    this.scheduler = simScheduler(sim);
    this.producer = messaging.getProducer();
    this.ping = { type: 'ping', invoker: id, enabled: true };
    messaging.ensureTopic(this.topic);
    messaging.ensureTopic(topics.health);
    this.pool = new ContainerPool(sim, this.name, config, this, { invokerIndex: id });
    this.consumer = messaging.getConsumer(this.topic, this.topic, this.feedCapacity);
    this.feed = this.createFeed();
    this.pingHandle = sim.schedule(0, this.onPingBound);
    this.storeOptions = options.store ?? null;
    this.backpressure = this.storeOptions?.config.backpressure ?? 'none';
    if (this.storeOptions !== null) {
      assert(this.storeOptions.heapBaseBytes < this.storeOptions.heapLimitBytes, `${this.name}: base heap must be below the limit`);
      this.batcher = this.createBatcher();
      this.recordProducer = this.createRecordProducer();
      this.heapChanged();
    }
  }

  // ---- getters for sampling ----

  get isAlive(): boolean {
    return this.alive;
  }
  /** Activations running or starting (cold start, init, unpause) on this invoker. */
  get inFlight(): number {
    return this.pool.inFlight;
  }
  /** Peak of `inFlight` over all incarnations. */
  get maxInFlight(): number {
    return Math.max(this.peakInFlightBefore, this.pool.maxInFlight);
  }
  /** Activations whose user code started here, health test actions included. */
  get activations(): number {
    return this.activationCount;
  }
  /** Containers created cold (a cold start each), over all incarnations. */
  get coldStarts(): number {
    return this.coldStartsBefore + this.pool.coldStarts;
  }
  /** Idle containers removed to make room for another action's (or namespace's), over all incarnations. */
  get evictions(): number {
    return this.evictionsBefore + this.pool.evictions;
  }
  /** Live containers, stem cells included. */
  get containers(): number {
    return this.pool.containers;
  }
  get memoryUsedMb(): number {
    return this.pool.memoryUsedMb;
  }
  /** Memory of idle (ready or paused) containers. */
  get idleMemoryMb(): number {
    return this.pool.idleMemoryUsedMb;
  }
  /** Activations waiting in the pool's runBuffer. */
  get bufferedCount(): number {
    return this.pool.bufferedCount;
  }
  /** Records fetched from Kafka and not yet handed to the pool. */
  get feedOutstanding(): number {
    return this.alive ? this.feed.outstanding : 0;
  }
  /** Modelled heap in bytes: 0 while the process is down or without a store. */
  get heapBytes(): number {
    const o = this.storeOptions;
    if (o === null || !this.alive) return 0;
    const producer = this.recordProducer === null ? 0 : this.recordProducer.bufferedBytes;
    return o.heapBaseBytes + this.batcher!.bytes + this.inFlightRecordBytes + producer;
  }
  get heapLimitBytes(): number {
    return this.storeOptions?.heapLimitBytes ?? 0;
  }
  /** Records waiting in this incarnation's batcher for a bulk call. */
  get batcherQueue(): number {
    return this.alive && this.batcher !== null ? this.batcher.queued : 0;
  }
  /** This incarnation's batcher (null without a store). */
  get activationBatcher(): Batcher | null {
    return this.batcher;
  }

  // ---- feed ----

  private createFeed(): MessageFeed {
    const incarnation = this.incarnation;
    // One closure per incarnation (not per activation): it drops hand-outs from a feed of an earlier life.
    const handler = (msg: Message) => {
      if (incarnation === this.incarnation) this.handleActivationMessage(msg);
    };
    return new MessageFeed(
      `${this.name} activation feed`,
      this.consumer,
      this.feedCapacity,
      this.config.feedPollMs,
      handler,
      this.scheduler,
      { autoStart: true },
    );
  }

  /** InvokerReactive's `handleActivationMessage`, reduced: the action is already resolved in the message. */
  private handleActivationMessage(msg: Message): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (msg.type !== 'activation') assert(false, `${this.name}: unexpected ${msg.type} message on ${this.topic}`);
    this.pool.run(msg);
  }

  // ---- ContainerPoolHost ----

  runStarted(run: Run): void {
    this.activationCount++;
    const record = run.msg.record;
    if (record === null) return;
    const now = this.sim.now;
    record.invoker = this.id;
    record.execStartMs = now;
    record.cold = run.cold;
    this.observer.activationStarted(this, record, run.cold, now);
    if (this.storeOptions !== null) {
      this.inFlightRecordBytes += record.recordSizeBytes;
      this.heapChanged();
    }
  }

  runCompleted(run: Run): boolean {
    const msg: ActivationMessage = run.msg;
    const record = msg.record;
    const completion: CompletionMessage = {
      type: 'completion',
      activationId: msg.activationId,
      response: record !== null && record.applicationError ? 'applicationError' : 'success',
      invoker: this.id,
      record,
    };
    // The active ack goes out before the record is written anywhere (docs/openwhisk.md §12).
    this.producer.send(topics.completed(msg.rootControllerIndex), completion);
    if (record === null) return true;
    const now = this.sim.now;
    record.execEndMs = now;
    this.observer.activationFinished(this, record, now);
    if (this.storeOptions === null) return true;
    // After the ack, the proxy stores the record (ContainerProxy's storeActivation).
    this.storeOptions.store.recordProduced();
    return this.storeRecord(run);
  }

  // ---- activation records ----

  private createBatcher(): Batcher {
    const c = this.storeOptions!.config;
    // `none` is OpenWhisk as shipped: the queue is unbounded whatever queueLimit says.
    const limit = c.backpressure === 'none' ? null : c.batcher.queueLimit;
    return new Batcher(c.batcher.batchSize, c.batcher.concurrency, limit, this.storeOptions!.store, this, c.maxTries);
  }

  /** Hands the run's record to the batcher, or applies the backpressure strategy; true: release the run. */
  private storeRecord(run: Run): boolean {
    const record = run.msg.record!;
    const o = this.storeOptions!;
    if (this.batcher!.put(record)) {
      this.inFlightRecordBytes -= record.recordSizeBytes;
      this.noteQueue();
      this.heapChanged();
      return true;
    }
    if (this.backpressure === 'drop') {
      // Akka's OverflowStrategy.dropNew: the record is refused and the proxy carries on.
      o.store.droppedRecords++;
      this.inFlightRecordBytes -= record.recordSizeBytes;
      this.heapChanged();
      return true;
    }
    if (this.backpressure === 'kafka-overflow') {
      // The send may block on a full producer buffer: the proxy then keeps its run and record.
      if (this.recordProducer!.send(run) === SEND_BLOCKED) return false;
      this.inFlightRecordBytes -= record.recordSizeBytes;
      this.heapChanged();
      return true;
    }
    assert(this.backpressure === 'wait-enqueue', `${this.name}: a full batcher queue under backpressure ${this.backpressure}`);
    if (o.config.enqueueRetries === 0) {
      this.giveUp(record);
      return true;
    }
    // Option A: the proxy keeps its container and the record, and tries again later.
    o.store.held++;
    run.endHandle = this.sim.schedule(o.config.retryIntervalMs, this.onRetryEnqueueBound, run);
    return false;
  }

  private retryEnqueue(run: Run): void {
    run.endHandle = -1;
    const record = run.msg.record!;
    const o = this.storeOptions!;
    if (!this.batcher!.put(record)) {
      const limit = o.config.enqueueRetries;
      if (limit === null || ++run.enqueueRetries < limit) {
        run.endHandle = this.sim.schedule(o.config.retryIntervalMs, this.onRetryEnqueueBound, run);
        return;
      }
      // The last retry failed: the proxy gives the record up and frees its container.
      o.store.held--;
      this.giveUp(record);
      this.pool.releaseRun(run);
      return;
    }
    o.store.held--;
    this.inFlightRecordBytes -= record.recordSizeBytes;
    this.noteQueue();
    this.heapChanged();
    this.pool.releaseRun(run);
  }

  private giveUp(record: { recordSizeBytes: number }): void {
    this.storeOptions!.store.givenUpRecords++;
    this.inFlightRecordBytes -= record.recordSizeBytes;
    this.heapChanged();
  }

  private createRecordProducer(): RecordProducer | null {
    const o = this.storeOptions!;
    if (this.backpressure !== 'kafka-overflow') return null;
    return new RecordProducer(this.sim, this.producer, o.producerLimits, o.store, this, this.id);
  }

  // ---- RecordProducerHost ----

  sendUnblocked(run: Run): void {
    this.inFlightRecordBytes -= run.msg.record!.recordSizeBytes;
    this.heapChanged();
    this.pool.releaseRun(run);
  }

  sendTimedOut(run: Run): void {
    this.sendUnblocked(run);
  }

  producerBufferChanged(): void {
    this.heapChanged();
  }

  private noteQueue(): void {
    const queued = this.batcher!.queued;
    if (queued > this.maxBatcherQueue) this.maxBatcherQueue = queued;
  }

  // ---- BatcherHost ----

  bulkStarted(): void {}

  bulkWritten(): void {
    this.heapChanged();
  }

  bulkFailed(): void {
    this.heapChanged();
  }

  // ---- heap ----

  /** After any change of the heap: peak, time above 90 %, and the out-of-memory check. */
  private heapChanged(): void {
    const heap = this.heapBytes;
    const limit = this.storeOptions!.heapLimitBytes;
    if (heap > this.peakHeapBytes) this.peakHeapBytes = heap;
    this.setAbove90(heap > 0.9 * limit);
    if (heap > limit && !this.crashPending && this.alive) {
      this.crashPending = true;
      this.sim.schedule(0, this.onOomBound);
    }
  }

  private setAbove90(above: boolean): void {
    if (above === this.above90) return;
    const now = this.sim.now;
    if (above) this.above90SinceMs = now;
    else this.timeAboveNinetyPercentMs += now - this.above90SinceMs;
    this.above90 = above;
  }

  /** Closes an open above-90 % interval at the end of the run. */
  finishHeapStatistics(): void {
    if (this.storeOptions !== null) this.setAbove90(false);
  }

  /** java.lang.OutOfMemoryError: the process dies and is restarted after the restart delay. */
  private outOfMemory(): void {
    this.crashPending = false;
    if (!this.alive) return;
    this.oomCrashes++;
    this.crash();
    this.sim.schedule(this.storeOptions!.restartDelayMs, this.onRestartBound, this.incarnation);
  }

  /** The restart an out-of-memory crash scheduled, unless something else (a fault's heal) restarted it first. */
  private restartAfterOom(incarnation: number): void {
    if (this.alive || this.incarnation !== incarnation) return;
    this.restart();
  }

  processed(): void {
    this.feed.processed();
  }

  // ---- pings ----

  private sendPing(): void {
    // A ping-loss fault drops the ping on the network; the invoker keeps its schedule either way.
    if (this.pingLoss === null || !this.pingLoss.dropPing(this.id)) this.producer.send(topics.health, this.ping);
    this.pingHandle = this.sim.schedule(this.config.pingIntervalMs, this.onPingBound);
  }

  /** Installs (or, with null, removes) a ping-loss fault: the world's network, not the invoker's logic. */
  setPingLoss(loss: PingLoss | null): void {
    this.pingLoss = loss;
  }

  // ---- crash and restart ----

  /**
   * The invoker process dies: 1. the feed stops and the consumer leaves its group, 2. pings stop,
   * 3. every container is destroyed and each running, starting or buffered activation is reported lost.
   */
  crash(): void {
    assert(this.alive, `${this.name}: crash while already down`);
    this.crashes++;
    if (this.firstCrashMs < 0) this.firstCrashMs = this.sim.now;
    if (this.storeOptions !== null) {
      // 4. (with a store) the batcher's waiting records die with the heap; calls already sent still land.
      this.setAbove90(false);
      this.lostRecords += this.batcher!.abandon();
      if (this.recordProducer !== null) this.recordProducer.abandon();
    }
    this.alive = false;
    this.incarnation++;
    this.feed.stop();
    this.consumer.close();
    if (this.pingHandle !== -1) this.sim.cancel(this.pingHandle);
    this.pingHandle = -1;
    this.coldStartsBefore += this.pool.coldStarts;
    this.evictionsBefore += this.pool.evictions;
    this.peakInFlightBefore = Math.max(this.peakInFlightBefore, this.pool.maxInFlight);
    this.pool.destroy(this.onLostBound);
    this.inFlightRecordBytes = 0;
  }

  /**
   * The invoker process starts again: 1. a new, empty pool (its stem cells boot), 2. a new consumer in the
   * same group resumes from the committed offset, 3. pings resume at once.
   */
  restart(): void {
    assert(!this.alive, `${this.name}: restart while running`);
    this.alive = true;
    this.pool = new ContainerPool(this.sim, this.name, this.config, this, { stemCellsBoot: true, invokerIndex: this.id });
    this.consumer = this.messaging.getConsumer(this.topic, this.topic, this.feedCapacity);
    this.feed = this.createFeed();
    this.pingHandle = this.sim.schedule(0, this.onPingBound);
    if (this.storeOptions !== null) {
      // 4. (with a store) an empty heap, a fresh batcher and record producer.
      this.batcher = this.createBatcher();
      this.recordProducer = this.createRecordProducer();
      this.heapChanged();
    }
  }

  private runLost(run: Run): void {
    const record = run.msg.record;
    if (record === null) return;
    if (run.acked) {
      // Held after its ack (wait-enqueue, or a blocked producer send): the activation completed, only its
      // record is lost.
      const store = this.storeOptions!.store;
      if (RecordProducer.runLost(run, store)) {
        this.lostRecords++;
        return;
      }
      store.held--;
      store.recordLost();
      this.lostRecords++;
      return;
    }
    this.lostActivations++;
    this.observer.activationLost(this, record, this.sim.now);
  }
}

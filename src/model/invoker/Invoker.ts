/**
 * One invoker: OpenWhisk's InvokerReactive, the process that takes activations off its Kafka topic, runs them
 * in containers and reports back. Tracks core/invoker/src/main/scala/whisk/core/invoker/InvokerReactive.scala
 * @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 and
 * core/invoker/src/main/scala/org/apache/openwhisk/core/invoker/InvokerReactive.scala
 * @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (semantics.md §11, §12, §13).
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
import type { InvokersConfig } from '../../scenario/types.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { EventHandle } from '../../sim/Agenda.js';
import { assert } from '../../sim/assert.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import { simScheduler } from '../kafka/simScheduler.js';
import { ContainerPool, type ContainerPoolHost } from './ContainerPool.js';
import type { Run } from './ContainerProxy.js';
import type { InvokerObserver } from './InvokerObserver.js';

/** HEAD derives the feed capacity from user memory in units of the smallest action memory. */
export const MIN_ACTION_MEMORY_MB = 128;

export interface InvokerOptions {
  /** Invoker instance number. */
  id: number;
  sim: Simulation;
  messaging: MessagingProvider;
  config: InvokersConfig;
  observer: InvokerObserver;
}

/** Decides, per health ping, whether the network drops it (a ping-loss fault). */
export interface PingLoss {
  dropPing(invoker: number): boolean;
}

/** The activation feed's handler capacity for a configuration (semantics.md §11). */
export function invokerFeedCapacity(config: InvokersConfig): number {
  if (config.feedCapacity !== null && config.feedCapacity !== undefined) return config.feedCapacity;
  return config.poolMode === 'memory' ? Math.floor(config.userMemoryMb / MIN_ACTION_MEMORY_MB) : config.slots;
}

export class Invoker implements ContainerPoolHost {
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
  private peakInFlightBefore = 0;

  /** A ping-loss fault on the invoker's network (src/model/faults), or null. */
  private pingLoss: PingLoss | null = null;
  private readonly onPingBound = () => this.sendPing();
  private readonly onLostBound = (r: Run) => this.runLost(r);

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
    this.pool = new ContainerPool(sim, this.name, config, this);
    this.consumer = messaging.getConsumer(this.topic, this.topic, this.feedCapacity);
    this.feed = this.createFeed();
    this.pingHandle = sim.schedule(0, this.onPingBound);
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
  /** Live containers, stem cells included. */
  get containers(): number {
    return this.pool.containers;
  }
  get memoryUsedMb(): number {
    return this.pool.memoryUsedMb;
  }
  /** Activations waiting in the pool's runBuffer. */
  get bufferedCount(): number {
    return this.pool.bufferedCount;
  }
  /** Records fetched from Kafka and not yet handed to the pool. */
  get feedOutstanding(): number {
    return this.alive ? this.feed.outstanding : 0;
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
    assert(msg.type === 'activation', `${this.name}: unexpected ${msg.type} message on ${this.topic}`);
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
  }

  runCompleted(run: Run): void {
    const msg: ActivationMessage = run.msg;
    const record = msg.record;
    const completion: CompletionMessage = {
      type: 'completion',
      activationId: msg.activationId,
      response: record !== null && record.applicationError ? 'applicationError' : 'success',
      invoker: this.id,
      record,
    };
    // The active ack goes out before the record is written anywhere (semantics.md §12).
    this.producer.send(topics.completed(msg.rootControllerIndex), completion);
    if (record === null) return;
    const now = this.sim.now;
    record.execEndMs = now;
    this.observer.activationFinished(this, record, now);
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
    this.alive = false;
    this.incarnation++;
    this.feed.stop();
    this.consumer.close();
    if (this.pingHandle !== -1) this.sim.cancel(this.pingHandle);
    this.pingHandle = -1;
    this.coldStartsBefore += this.pool.coldStarts;
    this.peakInFlightBefore = Math.max(this.peakInFlightBefore, this.pool.maxInFlight);
    this.pool.destroy(this.onLostBound);
  }

  /**
   * The invoker process starts again: 1. a new, empty pool (its stem cells boot), 2. a new consumer in the
   * same group resumes from the committed offset, 3. pings resume at once.
   */
  restart(): void {
    assert(!this.alive, `${this.name}: restart while running`);
    this.alive = true;
    this.pool = new ContainerPool(this.sim, this.name, this.config, this, { stemCellsBoot: true });
    this.consumer = this.messaging.getConsumer(this.topic, this.topic, this.feedCapacity);
    this.feed = this.createFeed();
    this.pingHandle = this.sim.schedule(0, this.onPingBound);
  }

  private runLost(run: Run): void {
    const record = run.msg.record;
    if (record === null) return;
    this.observer.activationLost(this, record, this.sim.now);
  }
}

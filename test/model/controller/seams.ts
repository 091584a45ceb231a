/**
 * Test doubles for the two seams every balancer talks through, so behaviour tests can assert what a controller
 * does without looking inside it:
 * - `RecordingMessaging` wraps the in-memory bus: it records every message a controller sends (topic and
 *   message) and can make chosen sends fail, as a Kafka outage does (the producer then answers ok = false).
 * - `TimerLedger` wraps the scheduler: it knows which timers are armed and when they are due, and counts
 *   cancels of timers that are not armed (already fired, already cancelled, or never armed).
 * `behaviourCluster` builds a TestCluster whose controllers use both.
 */
import { Controller } from '../../../src/model/controller/Controller.js';
import type { LoadBalancerData } from '../../../src/model/bookkeeping/LoadBalancerData.js';
import type { InvocationFinishedResult } from '../../../src/model/controller/InvokerSupervision.js';
import type { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import type { Message } from '../../../src/model/messages.js';
import type { Cancellable, MessageConsumer, MessageProducer, MessagingProvider, Scheduler } from '../../../src/model/messaging.js';
import type { ControllerFix, ControllersConfig, LoadBalancerKind } from '../../../src/scenario/types.js';
import { HEAD_USER_MEMORY_MB, TestCluster, controllersConfig } from './harness.js';

export interface SentMessage {
  readonly topic: string;
  readonly msg: Message;
  readonly atMs: number;
}

export class RecordingMessaging implements MessagingProvider {
  /** Sends that reached the bus, in order. */
  readonly sent: SentMessage[] = [];
  /** Sends that failed (the producer answered ok = false). */
  readonly failedSends: SentMessage[] = [];
  /** Decides which sends fail; none by default. */
  failWhen: (topic: string, msg: Message) => boolean = () => false;

  constructor(
    private readonly inner: InMemoryMessagingProvider,
    private readonly scheduler: Scheduler,
  ) {}

  getConsumer(topic: string, groupId: string, maxPeek: number): MessageConsumer {
    return this.inner.getConsumer(topic, groupId, maxPeek);
  }

  ensureTopic(topic: string, partitions?: number): void {
    this.inner.ensureTopic(topic, partitions);
  }

  getProducer(): MessageProducer {
    const inner = this.inner.getProducer();
    return {
      send: (topic, msg) => {
        const sent = { topic, msg, atMs: this.scheduler.now() };
        if (this.failWhen(topic, msg)) {
          this.failedSends.push(sent);
          // As the real producer: the answer comes from a later event, never inside send.
          return { andThen: (callback, context) => this.scheduler.scheduleOnce(0, () => callback(false, context)) };
        }
        this.sent.push(sent);
        return inner.send(topic, msg);
      },
    };
  }

  /** Messages sent to `topic`. */
  to(topic: string): Message[] {
    return this.sent.filter((s) => s.topic === topic).map((s) => s.msg);
  }

  /** The topics sent to, in order. */
  topics(): string[] {
    return this.sent.map((s) => s.topic);
  }
}

export class TimerLedger implements Scheduler {
  /** Armed timers: handle → due time. */
  private readonly armed = new Map<Cancellable, number>();
  /** Cancels of a handle that was not armed at that moment. */
  strayCancels = 0;

  constructor(private readonly inner: Scheduler) {}

  now(): number {
    return this.inner.now();
  }

  scheduleOnce(delayMs: number, fn: (arg: any) => void, arg?: unknown): Cancellable {
    const due = this.inner.now() + delayMs;
    const handle = this.inner.scheduleOnce(
      delayMs,
      (a: unknown) => {
        this.armed.delete(handle);
        fn(a);
      },
      arg,
    );
    this.armed.set(handle, due);
    return handle;
  }

  cancel(handle: Cancellable): boolean {
    if (!this.armed.delete(handle)) this.strayCancels++;
    return this.inner.cancel(handle);
  }

  /** How many armed timers are due exactly at `atMs`. */
  armedAt(atMs: number): number {
    let n = 0;
    for (const due of this.armed.values()) if (due === atMs) n++;
    return n;
  }
}

export interface BehaviourClusterOptions {
  loadBalancer?: LoadBalancerKind;
  controllers?: number[];
  invokers?: number;
  fixes?: ControllerFix[];
  config?: Partial<ControllersConfig>;
  /** Bookkeeping per controller (default: a fresh local one). */
  data?: (index: number, c: TestCluster, timers: TimerLedger) => LoadBalancerData | undefined;
}

export interface BehaviourCluster {
  readonly c: TestCluster;
  readonly messaging: RecordingMessaging;
  readonly timers: TimerLedger;
}

/** A TestCluster (fake invokers, recording observer, health reports) whose controllers use the seams above. */
export function behaviourCluster(options: BehaviourClusterOptions = {}): BehaviourCluster {
  const instances = options.controllers ?? [0];
  const invokerCount = options.invokers ?? 4;
  const c = new TestCluster({ controllers: [], invokers: invokerCount });
  const messaging = new RecordingMessaging(c.messaging, c.scheduler);
  const timers = new TimerLedger(c.scheduler);
  const config = controllersConfig({
    loadBalancer: options.loadBalancer ?? 'overflow',
    count: Math.max(...instances) + 1,
    fixes: options.fixes ?? [],
    ...options.config,
  });
  for (const index of instances) {
    const controller = new Controller({
      index,
      config,
      invokerCount,
      messaging,
      scheduler: timers,
      rng: c.sim.rng(`controller${index}`),
      observer: c.observer,
      loadBalancerData: options.data?.(index, c, timers),
      invokerUserMemoryMb: HEAD_USER_MEMORY_MB,
      clusterSize: config.count,
    });
    const reports: string[] = [];
    const pool = controller.invokerPool;
    const original = pool.invocationFinished.bind(pool);
    pool.invocationFinished = (invoker: number, result: InvocationFinishedResult) => {
      reports.push(`${invoker}:${result}`);
      original(invoker, result);
    };
    c.controllers.set(index, controller);
    c.healthReports.set(index, reports);
  }
  return { c, messaging, timers };
}

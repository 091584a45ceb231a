/**
 * A small cluster for controller tests, in the manner of OpenWhisk's OverflowTests with TestMessagingProvider:
 * real controllers on the in-memory bus, and tiny fake invokers that consume `invoker<k>`, remember what they
 * got and ack to `completed<rootControllerIndex>` — at once, after a delay, or only when the test says so.
 */
import { Simulation } from '../../../src/sim/Simulation.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { Controller } from '../../../src/model/controller/Controller.js';
import type { ControllerObserver } from '../../../src/model/controller/ControllerObserver.js';
import { ActivationRecord } from '../../../src/model/ActivationRecord.js';
import type {
  ActionMeta,
  ActivationMessage,
  ActivationResponse,
  CompletionMessage,
  Message,
} from '../../../src/model/messages.js';
import { topics } from '../../../src/model/messages.js';
import type { MessageConsumer, MessageProducer } from '../../../src/model/messaging.js';
import type { ControllerFix, ControllersConfig, LoadBalancerKind } from '../../../src/scenario/types.js';
import type { InvocationFinishedResult } from '../../../src/model/controller/InvokerSupervision.js';
import { testScenario } from '../../../src/scenario/testScenario.js';

/** The scenario defaults, set as OverflowTests sets them: PR #2932's balancer, busy at one, no throttling. */
export function controllersConfig(overrides: Partial<ControllersConfig> = {}): ControllersConfig {
  const limits = { invocationsPerMinute: 1_000_000, concurrentInvocations: 1_000_000, systemConcurrent: 1_000_000 };
  return { ...testScenario({ controllers: { loadBalancer: 'overflow', busyThreshold: 1, limits } }).controllers, ...overrides };
}

/** HEAD's invoker user memory (invoker application.conf, 1024 MB), which the sharding figures of these tests assume. */
export const HEAD_USER_MEMORY_MB = 1024;

/** The action of PR #2932's OverflowTests: `actionSpace/actionName`, invoked by namespace `unhealthyInvokerCheck`. */
export function testAction(overrides: Partial<ActionMeta> = {}): ActionMeta {
  return {
    index: 0,
    fqn: 'actionSpace/actionName',
    namespace: 'unhealthyInvokerCheck',
    kind: 'nodejs:6',
    pull: false,
    memoryMb: 256,
    timeoutMs: 60_000,
    concurrency: 1,
    ...overrides,
  };
}

export interface ObservedEvent {
  controller: number;
  kind: string;
  id: number | null;
  detail: string | boolean | null;
  atMs: number;
}

/** Records every observer call. */
export class RecordingObserver implements ControllerObserver {
  readonly events: ObservedEvent[] = [];

  private push(controller: number, kind: string, record: ActivationRecord | null, detail: string | boolean | null, atMs: number) {
    this.events.push({ controller, kind, id: record === null ? null : record.id, detail, atMs });
  }
  activationAccepted(c: number, r: ActivationRecord, t: number) {
    this.push(c, 'accepted', r, null, t);
  }
  activationRejected(c: number, r: ActivationRecord, reason: string, t: number) {
    this.push(c, 'rejected', r, reason, t);
  }
  activationCompleted(c: number, r: ActivationRecord, response: ActivationResponse, t: number) {
    this.push(c, 'completed', r, response, t);
  }
  activationTimedOut(c: number, r: ActivationRecord, t: number) {
    this.push(c, 'timedOut', r, null, t);
  }
  overflowStateChanged(c: number, on: boolean, t: number) {
    this.push(c, 'overflowState', null, on, t);
  }
  overflowSent(c: number, r: ActivationRecord | null, t: number) {
    this.push(c, 'overflowSent', r, null, t);
  }
  overflowDropped(c: number, r: ActivationRecord | null, lost: boolean, t: number) {
    this.push(c, 'overflowDropped', r, lost, t);
  }
  invokerStateChanged(c: number, invoker: number, from: string, to: string, t: number) {
    this.events.push({ controller: c, kind: 'invokerState', id: invoker, detail: `${from}->${to}`, atMs: t });
  }

  of(kind: string, controller?: number): ObservedEvent[] {
    return this.events.filter((e) => e.kind === kind && (controller === undefined || e.controller === controller));
  }
}

/** A fake invoker: consumes `invoker<k>`, keeps the messages, acks to the message's root controller. */
export class FakeInvoker {
  readonly received: ActivationMessage[] = [];
  /** Messages received and not yet acked. */
  readonly pending: ActivationMessage[] = [];
  /** Ack automatically after this delay; null = only on `ack()`. */
  autoAckMs: number | null = null;
  response: ActivationResponse = 'success';
  private readonly consumer: MessageConsumer;
  private readonly producer: MessageProducer;
  private readonly boundPolled = this.polled.bind(this);
  private pinging = false;

  constructor(
    readonly id: number,
    private readonly cluster: TestCluster,
  ) {
    this.consumer = cluster.messaging.getConsumer(topics.invoker(id), topics.invoker(id), 1000);
    this.producer = cluster.messaging.getProducer();
    this.consumer.peek(500, this.boundPolled);
  }

  /** Sends a ping to `health` every second from now on. */
  startPinging(): void {
    if (this.pinging) return;
    this.pinging = true;
    const tick = () => {
      if (!this.pinging) return;
      this.producer.send(topics.health, { type: 'ping', invoker: this.id, enabled: true });
      this.cluster.sim.schedule(1000, tick);
    };
    tick();
  }

  stopPinging(): void {
    this.pinging = false;
  }

  /** Acks the oldest pending message (or the given one). */
  ack(msg: ActivationMessage = this.pending[0]!, response: ActivationResponse = this.response): void {
    const i = this.pending.indexOf(msg);
    if (i >= 0) this.pending.splice(i, 1);
    const completion: CompletionMessage = {
      type: 'completion',
      activationId: msg.activationId,
      response,
      invoker: this.id,
      record: msg.record,
    };
    this.producer.send(topics.completed(msg.rootControllerIndex), completion);
  }

  ackAll(): void {
    while (this.pending.length > 0) this.ack();
  }

  private polled(records: readonly Message[]): void {
    this.consumer.commit();
    for (const m of records) {
      const msg = m as ActivationMessage;
      this.received.push(msg);
      this.pending.push(msg);
      // Health test actions are always answered at once.
      if (msg.record === null) this.cluster.sim.schedule(0, () => this.ack(msg, 'success'));
      else if (this.autoAckMs !== null) this.cluster.sim.schedule(this.autoAckMs, () => this.ack(msg));
    }
    this.consumer.peek(500, this.boundPolled);
  }
}

export interface ClusterOptions {
  loadBalancer?: LoadBalancerKind;
  /** Controller instance numbers, in creation order (the first joins the shared overflow group first). */
  controllers?: number[];
  invokers?: number;
  fixes?: ControllerFix[];
  config?: Partial<ControllersConfig>;
}

export class TestCluster {
  readonly sim = new Simulation({ seed: 7 });
  readonly scheduler = simScheduler(this.sim);
  readonly messaging = new InMemoryMessagingProvider(this.scheduler);
  readonly observer = new RecordingObserver();
  readonly controllers = new Map<number, Controller>();
  readonly invokers: FakeInvoker[] = [];
  /** InvocationFinishedMessages each controller's pool received, as `invoker:result`. */
  readonly healthReports = new Map<number, string[]>();
  private nextRecordId = 1;

  constructor(options: ClusterOptions = {}) {
    const instances = options.controllers ?? [0];
    const invokerCount = options.invokers ?? 4;
    for (let k = 0; k < invokerCount; k++) this.invokers.push(new FakeInvoker(k, this));
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
        messaging: this.messaging,
        scheduler: this.scheduler,
        rng: this.sim.rng(`controller${index}`),
        observer: this.observer,
        invokerUserMemoryMb: HEAD_USER_MEMORY_MB,
        clusterSize: config.count,
      });
      const reports: string[] = [];
      this.healthReports.set(index, reports);
      const pool = controller.invokerPool;
      const original = pool.invocationFinished.bind(pool);
      pool.invocationFinished = (invoker: number, result: InvocationFinishedResult) => {
        reports.push(`${invoker}:${result}`);
        original(invoker, result);
      };
      this.controllers.set(index, controller);
    }
  }

  controller(index: number): Controller {
    return this.controllers.get(index)!;
  }

  /** A new activation record arriving now. */
  record(): ActivationRecord {
    return new ActivationRecord(this.nextRecordId++, 0, this.sim.now, true, 100, false, 1000);
  }

  /** Sends a fresh record to controller `index`, non-blocking (what these tests have always sent); returns its id. */
  invoke(index: number, action: ActionMeta = testAction()): number {
    const record = this.record();
    this.controller(index).receive(record, action, false);
    return record.id;
  }

  /** How many activation messages invoker k received (OverflowTests' `occupancy("invoker<k>")`, cumulative). */
  receivedBy(k: number): number {
    return this.invokers[k]!.received.filter((m) => m.record !== null).length;
  }

  /** Runs the simulation for `ms` more milliseconds. */
  advance(ms: number): void {
    this.sim.run({ until: this.sim.now + ms });
  }
}

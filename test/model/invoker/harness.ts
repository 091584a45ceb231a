/**
 * Test harness for the invoker: a real Simulation, the zero-latency InMemoryMessagingProvider, an observer
 * that records every call, and helpers to send activations and read acks and pings.
 */
import { Simulation } from '../../../src/sim/Simulation.js';
import { constant } from '../../../src/sim/distributions.js';
import { ActivationRecord } from '../../../src/model/ActivationRecord.js';
import type { ActionMeta, ActivationMessage, Message } from '../../../src/model/messages.js';
import type { MessageProducer } from '../../../src/model/messaging.js';
import type { InvokersConfig } from '../../../src/scenario/types.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { Invoker } from '../../../src/model/invoker/Invoker.js';
import { testScenario } from '../../../src/scenario/testScenario.js';
import type { InvokerObserver } from '../../../src/model/invoker/InvokerObserver.js';

export const COLD_MS = 500;
export const PREWARM_INIT_MS = 100;
export const UNPAUSE_MS = 50;

/** The scenario defaults with one invoker of HEAD's settings (1 GB, 10 s pause grace, 1 s poll) and round times. */
export function invokersConfig(overrides: Partial<InvokersConfig> = {}): InvokersConfig {
  const invokers = testScenario({
    invokers: {
      count: 1,
      userMemoryMb: 1024,
      coldStartMs: constant(COLD_MS),
      prewarmStartMs: constant(PREWARM_INIT_MS),
      pauseGraceMs: 10_000,
      unpauseMs: constant(UNPAUSE_MS),
      feedPollMs: 1000,
    },
  }).invokers;
  return { ...invokers, ...overrides };
}

export function action(index: number, name: string, overrides: Partial<ActionMeta> = {}): ActionMeta {
  return {
    index,
    fqn: `guest/${name}`,
    namespace: 'guest',
    kind: 'nodejs:6',
    pull: false,
    memoryMb: 256,
    timeoutMs: 60_000,
    concurrency: 1,
    ...overrides,
  };
}

export interface ObservedEvent {
  event: 'started' | 'finished' | 'lost';
  id: number;
  atMs: number;
  cold?: boolean;
}

export interface SendOptions {
  durationMs?: number;
  namespace?: string;
  controller?: number;
  applicationError?: boolean;
  /** Send a health test action (record null). */
  test?: boolean;
}

export class Harness {
  readonly sim: Simulation;
  readonly messaging: InMemoryMessagingProvider;
  readonly producer: MessageProducer;
  readonly invoker: Invoker;
  readonly events: ObservedEvent[] = [];
  readonly records = new Map<number, ActivationRecord>();
  private nextId = 1;

  constructor(config: InvokersConfig, seed = 1) {
    this.sim = new Simulation({ seed });
    this.messaging = new InMemoryMessagingProvider(simScheduler(this.sim));
    this.producer = this.messaging.getProducer();
    const events = this.events;
    const observer: InvokerObserver = {
      activationStarted: (_inv, record, cold, nowMs) => events.push({ event: 'started', id: record.id, atMs: nowMs, cold }),
      activationFinished: (_inv, record, nowMs) => events.push({ event: 'finished', id: record.id, atMs: nowMs }),
      activationLost: (_inv, record, nowMs) => events.push({ event: 'lost', id: record.id, atMs: nowMs }),
    };
    this.invoker = new Invoker({ id: 0, sim: this.sim, messaging: this.messaging, config, observer });
  }

  /** Publishes an activation of `meta` to invoker0's topic now; returns its activation id. */
  send(meta: ActionMeta, options: SendOptions = {}): number {
    const id = this.nextId++;
    const record = options.test
      ? null
      : new ActivationRecord(id, meta.index, this.sim.now, true, options.durationMs ?? 1000, options.applicationError ?? false, 100);
    if (record !== null) this.records.set(id, record);
    const msg: ActivationMessage = {
      type: 'activation',
      activationId: id,
      action: meta,
      user: { namespace: options.namespace ?? meta.namespace, uuid: `uuid-${options.namespace ?? meta.namespace}` },
      rootControllerIndex: options.controller ?? 0,
      blocking: true,
      record,
    };
    this.producer.send('invoker0', msg);
    return id;
  }

  runUntil(timeMs: number): void {
    this.sim.run({ until: timeMs });
  }

  startOf(id: number): ObservedEvent | undefined {
    return this.events.find((e) => e.event === 'started' && e.id === id);
  }

  endOf(id: number): ObservedEvent | undefined {
    return this.events.find((e) => e.event === 'finished' && e.id === id);
  }

  /** Subscribes to `topic` and records every message with its delivery time. */
  listen(topic: string): { msg: Message; atMs: number }[] {
    const received: { msg: Message; atMs: number }[] = [];
    const consumer = this.messaging.getConsumer(topic, `test-${topic}`, 128);
    const sim = this.sim;
    const poll = () =>
      consumer.peek(1_000_000, (records) => {
        consumer.commit();
        for (const msg of records) received.push({ msg, atMs: sim.now });
        poll();
      });
    poll();
    return received;
  }
}

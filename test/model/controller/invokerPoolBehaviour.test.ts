/**
 * InvokerPool and InvokerActor observed from outside, beyond the replayed InvokerSupervisionTests: the health
 * test action each controller sends (its action, identity and ids), the status list it hands to the balancer,
 * the lazy 10 s state timeout, and shutting the pool down.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { simScheduler } from '../../../src/model/kafka/simScheduler.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { InvokerPool, type InvocationFinishedResult } from '../../../src/model/controller/InvokerSupervision.js';
import type { InvokerHealth } from '../../../src/model/controller/LoadBalancer.js';
import type { ActivationMessage } from '../../../src/model/messages.js';
import type { HealthRules } from '../../../src/scenario/types.js';
import { TimerLedger } from './seams.js';

function pool(options: { healthRules?: HealthRules; controllerInstance?: number; controllerCount?: number; withConsumer?: boolean } = {}) {
  const sim = new Simulation({ seed: 1 });
  const timers = new TimerLedger(simScheduler(sim));
  const messaging = new InMemoryMessagingProvider(timers);
  const sent: { msg: ActivationMessage; invoker: number; atMs: number }[] = [];
  const transitions: string[] = [];
  const updates: (readonly InvokerHealth[])[] = [];
  const p = new InvokerPool({
    controllerInstance: options.controllerInstance ?? 0,
    controllerCount: options.controllerCount ?? 1,
    healthRules: options.healthRules ?? '2017',
    scheduler: timers,
    sendActivationToInvoker: (msg, invoker) => sent.push({ msg, invoker, atMs: sim.now }),
    pingConsumer: options.withConsumer ? messaging.getConsumer('health', 'health0', 128) : null,
    listener: { invokerStateChanged: (k, from, to, atMs) => transitions.push(`${k}:${from}->${to}@${atMs}`) },
  });
  p.subscribeLoadBalancer({ statusUpdate: (s) => updates.push(s) });
  const ping = (invoker: number) => p.receivePing({ type: 'ping', invoker, enabled: true });
  const finish = (invoker: number, result: InvocationFinishedResult) => p.invocationFinished(invoker, result);
  const producer = messaging.getProducer();
  const publishPing = (invoker: number) => producer.send('health', { type: 'ping', invoker, enabled: true });
  return { sim, timers, pool: p, sent, transitions, updates, ping, finish, publishPing };
}

describe('InvokerPool: the health test action', () => {
  it('2017 rules: nodejs:6 with 256 MB and a 60 s limit, from whisk.system, rooted at this controller', () => {
    const h = pool({ controllerInstance: 2, controllerCount: 3 });
    h.ping(1);
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.invoker).toBe(1);
    expect(h.sent[0]!.msg).toEqual({
      type: 'activation',
      activationId: -3,
      action: {
        index: -1,
        fqn: 'whisk.system/invokerHealthTestAction2',
        namespace: 'whisk.system',
        kind: 'nodejs:6',
        pull: false,
        memoryMb: 256,
        timeoutMs: 60_000,
        concurrency: 1,
      },
      user: { namespace: 'whisk.system', uuid: 'whisk.system/health' },
      rootControllerIndex: 2,
      blocking: false,
      record: null,
    });
  });

  it('HEAD rules: nodejs:default with 128 MB', () => {
    const h = pool({ healthRules: 'head' });
    h.ping(0);
    expect(h.sent[0]!.msg.action).toMatchObject({ kind: 'nodejs:default', memoryMb: 128, fqn: 'whisk.system/invokerHealthTestAction0' });
  });

  it('test action ids are negative and never shared between controllers', () => {
    const ids = (instance: number) => {
      const h = pool({ controllerInstance: instance, controllerCount: 3 });
      h.ping(0);
      h.finish(0, 'Success');
      h.finish(0, 'Success');
      return h.sent.map((s) => s.msg.activationId);
    };
    expect(ids(0)).toEqual([-1, -4, -7]);
    expect(ids(1)).toEqual([-2, -5, -8]);
    expect(ids(2)).toEqual([-3, -6, -9]);
  });

  it('a pool needs at least one controller and a non-negative instance', () => {
    expect(() => pool({ controllerCount: 0 })).toThrow(/controllerCount must be positive/);
    expect(() => pool({ controllerInstance: -1 })).toThrow(/controllerInstance must be non-negative/);
  });
});

describe('InvokerPool: status list, pings and timers', () => {
  it('never mutates a status list it handed out', () => {
    const h = pool();
    h.ping(0);
    const first = h.updates.at(-1)!;
    const copy = first.map((e) => ({ ...e }));
    for (let i = 0; i < 7; i++) h.finish(0, 'Success');
    expect(first).toEqual(copy);
    expect(h.updates.at(-1)![0]).toEqual({ id: 0, status: 'Healthy' });
  });

  it('registerAllHealthy leaves an invoker that already pinged as it is', () => {
    const h = pool();
    h.ping(1);
    h.pool.registerAllHealthy(3);
    expect(h.pool.status.map((s) => s.status)).toEqual(['Healthy', 'UnHealthy', 'Healthy']);
  });

  it('reads pings from the health topic through its feed', () => {
    const h = pool({ withConsumer: true });
    h.publishPing(2);
    h.sim.run({ until: 1 });
    expect(h.pool.status.map((s) => s.status)).toEqual(['Offline', 'Offline', 'UnHealthy']);
    expect(h.transitions).toEqual(['2:Offline->UnHealthy@0']);
  });

  it('the state timeout counts from the last message: a completion keeps a Healthy invoker alive', () => {
    const h = pool();
    h.pool.registerAllHealthy(1);
    h.sim.scheduleAt(6000, () => h.finish(0, 'Success'));
    h.sim.run({ until: 15_999 });
    expect(h.transitions).toEqual([]);
    h.sim.run({ until: 16_000 });
    expect(h.transitions).toEqual(['0:Healthy->Offline@16000']);
  });

  it('an Offline invoker arms no timers; the next ping brings it back with its state timeout', () => {
    const h = pool();
    h.pool.registerAllHealthy(1);
    h.sim.run({ until: 10_000 });
    expect(h.transitions).toEqual(['0:Healthy->Offline@10000']);
    h.sim.run({ until: 100_000 });
    expect(h.transitions).toHaveLength(1);
    h.sim.scheduleAt(100_000, () => h.ping(0));
    h.sim.run({ until: 110_000 });
    expect(h.transitions).toEqual(['0:Healthy->Offline@10000', '0:Offline->UnHealthy@100000', '0:UnHealthy->Offline@110000']);
  });

  it('close() stops the feed and every actor’s timers', () => {
    const h = pool({ withConsumer: true });
    h.ping(0);
    h.pool.close();
    h.publishPing(1);
    h.sim.run({ until: 200_000 });
    expect(h.transitions).toEqual(['0:Offline->UnHealthy@0']);
    expect(h.sent).toHaveLength(1); // no test action every 60 s any more
    expect(h.timers.strayCancels).toBe(0);
  });

  it('HEAD: a ping from a disabled invoker that is already Offline changes nothing', () => {
    const h = pool({ healthRules: 'head' });
    h.pool.registerAllHealthy(1);
    h.sim.run({ until: 10_000 });
    h.pool.receivePing({ type: 'ping', invoker: 0, enabled: false });
    expect(h.transitions).toEqual(['0:Healthy->Offline@10000']);
  });

  it('HEAD: leaving Unhealthy for Healthy stops the test actions', () => {
    const h = pool({ healthRules: 'head' });
    h.ping(0);
    h.finish(0, 'Success');
    expect(h.pool.actor(0)!.stateName).toBe('Healthy');
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(false);
  });

  it('2017: a failure on a fresh invoker keeps it UnHealthy and sends no extra test action', () => {
    const h = pool();
    h.ping(0);
    h.finish(0, 'SystemError');
    expect(h.pool.actor(0)!.stateName).toBe('UnHealthy');
    expect(h.sent).toHaveLength(1);
    expect(h.transitions).toEqual(['0:Offline->UnHealthy@0']);
  });
});

/**
 * InvokerPool and InvokerActor observed from outside, beyond the replayed InvokerSupervisionTests: the health
 * test action each controller sends (its action, identity and ids), the status list it hands to the balancer,
 * the lazy 10 s state timeout, and shutting the pool down.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import { InMemoryMessagingProvider } from '../../../src/model/kafka/InMemoryMessaging.js';
import { InvokerPool, type InvocationFinishedResult } from '../../../src/model/controller/InvokerSupervision.js';
import type { InvokerHealth } from '../../../src/model/controller/LoadBalancer.js';
import type { ActivationMessage } from '../../../src/model/messages.js';
import type { HealthRules } from '../../../src/scenario/types.js';
import { testScenario } from '../../../src/scenario/testScenario.js';
import { TimerLedger } from './seams.js';

/** The scenario's `controllers.pingPoll` (defaults.ts). */
const PING_POLL_MS = testScenario().controllers.pingPollMs;

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
    pingPollMs: PING_POLL_MS,
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

describe('InvokerActor: the rules in the corners the replayed tests leave out', () => {
  it('2017 rules ignore the enabled flag of a ping (only HEAD knows disabled invokers)', () => {
    const h = pool();
    h.pool.registerAllHealthy(1);
    h.pool.receivePing({ type: 'ping', invoker: 0, enabled: false });
    expect(h.pool.actor(0)!.stateName).toBe('Healthy');
  });

  it('HEAD: a disabled ping takes a Healthy invoker Offline once; its pending state check then finds it Offline', () => {
    const h = pool({ healthRules: 'head' });
    h.pool.registerAllHealthy(1);
    h.sim.scheduleAt(1000, () => h.pool.receivePing({ type: 'ping', invoker: 0, enabled: false }));
    h.sim.run({ until: 30_000 });
    expect(h.transitions).toEqual(['0:Healthy->Offline@1000']);
  });

  it('HEAD: a success while Unhealthy sends the next test action at once, then goes Healthy', () => {
    const h = pool({ healthRules: 'head' });
    h.ping(0);
    expect(h.sent).toHaveLength(1);
    h.finish(0, 'Success');
    expect(h.sent).toHaveLength(2);
    expect(h.pool.actor(0)!.stateName).toBe('Healthy');
    h.finish(0, 'Success'); // Healthy: nothing more is sent
    expect(h.sent).toHaveLength(2);
  });

  it('HEAD: a failure while Unhealthy sends nothing extra', () => {
    const h = pool({ healthRules: 'head' });
    h.ping(0);
    h.finish(0, 'SystemError');
    expect(h.sent).toHaveLength(1);
  });

  it('HEAD: an early timeout (short buffer) makes a fresh invoker Unresponsive, a later single error is tolerated', () => {
    const early = pool({ healthRules: 'head' });
    early.ping(0);
    early.finish(0, 'Success'); // Healthy, buffer size 1
    early.finish(0, 'Timeout'); // size 2 ≤ 3
    expect(early.pool.actor(0)!.stateName).toBe('Unresponsive');

    const late = pool({ healthRules: 'head' });
    late.ping(0);
    for (let i = 0; i < 5; i++) late.finish(0, 'Success');
    late.finish(0, 'SystemError'); // size 6 > 3: tolerated
    late.finish(0, 'Timeout');
    expect(late.pool.actor(0)!.stateName).toBe('Healthy');
  });

  it('HEAD: completions do not bring an Offline invoker back', () => {
    const h = pool({ healthRules: 'head' });
    h.pool.registerAllHealthy(1);
    h.sim.run({ until: 10_000 });
    for (const r of ['Success', 'SystemError', 'Timeout', 'Timeout', 'Timeout', 'Timeout'] as const) h.finish(0, r);
    expect(h.pool.actor(0)!.stateName).toBe('Offline');
  });

  it('HEAD: an Unresponsive invoker is sent a test action every 60 s', () => {
    const h = pool({ healthRules: 'head' });
    h.ping(0);
    h.finish(0, 'Success');
    for (let i = 0; i < 4; i++) h.finish(0, 'Timeout');
    expect(h.pool.actor(0)!.stateName).toBe('Unresponsive');
    const before = h.sent.length;
    for (let t = 1000; t <= 125_000; t += 1000) h.sim.scheduleAt(t, () => h.ping(0));
    h.sim.run({ until: 125_000 });
    expect(h.sent.slice(before).map((s) => s.atMs)).toEqual([60_000, 120_000]);
  });

  it('works without a listener', () => {
    const sim = new Simulation({ seed: 1 });
    const p = new InvokerPool({
      controllerInstance: 0,
      controllerCount: 1,
      healthRules: '2017',
      scheduler: simScheduler(sim),
      sendActivationToInvoker: () => {},
      pingConsumer: null,
      pingPollMs: PING_POLL_MS,
    });
    p.receivePing({ type: 'ping', invoker: 0, enabled: true });
    for (let i = 0; i < 7; i++) p.invocationFinished(0, 'Success');
    expect(p.status).toEqual([{ id: 0, status: 'Healthy' }]);
  });

  it('registering a new invoker leaves the list handed out before untouched', () => {
    const h = pool();
    h.ping(0);
    const first = h.pool.status;
    h.ping(2);
    expect(first).toEqual([{ id: 0, status: 'UnHealthy' }]);
    expect(h.pool.status).toHaveLength(3);
  });

  it('close() cancels only timers that are armed (an Offline actor has none)', () => {
    const h = pool();
    h.pool.registerAllHealthy(1);
    h.sim.run({ until: 10_000 });
    expect(h.pool.actor(0)!.stateName).toBe('Offline');
    h.pool.close();
    expect(h.timers.strayCancels).toBe(0);
  });

  it('close() copes with instances it never heard from', () => {
    const h = pool();
    h.ping(2); // instances 0 and 1 have no actor
    expect(() => h.pool.close()).not.toThrow();
    h.sim.run({ until: 100_000 });
    expect(h.transitions).toEqual(['2:Offline->UnHealthy@0']);
  });
});

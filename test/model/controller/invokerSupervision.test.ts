/**
 * InvokerSupervisionTests replayed against the port: the buffer rules of InvokerActor under the 2017 rules
 * (MB 31c5f21e4) and HEAD's (1fae641a2), with the inputs recovered from the Scala tests, plus the pool's
 * registration, padding, state timeout, test-action timer and StatusUpdate behaviour.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/Simulation.js';
import { simScheduler } from '../../../src/model/common/simScheduler.js';
import {
  InvokerPool,
  bufferErrorTolerance,
  bufferSize,
  type InvocationFinishedResult,
} from '../../../src/model/controller/InvokerSupervision.js';
import type { ActivationMessage, InvokerState } from '../../../src/model/messages.js';
import type { HealthRules } from '../../../src/scenario/types.js';
import type { InvokerHealth } from '../../../src/model/controller/LoadBalancer.js';
import { testScenario } from '../../../src/scenario/testScenario.js';
import { openSuite, SOURCES } from '../../conformance/expectations.js';

function harness(healthRules: HealthRules = '2017') {
  const sim = new Simulation({ seed: 1 });
  const sent: { msg: ActivationMessage; invoker: number; atMs: number }[] = [];
  const transitions: string[] = [];
  const updates: (readonly InvokerHealth[])[] = [];
  const pool = new InvokerPool({
    controllerInstance: 0,
    controllerCount: 1,
    healthRules,
    scheduler: simScheduler(sim),
    sendActivationToInvoker: (msg, invoker) => sent.push({ msg, invoker, atMs: sim.now }),
    pingConsumer: null,
    pingPollMs: testScenario().controllers.pingPollMs,
    listener: { invokerStateChanged: (k, from, to) => transitions.push(`${k}:${from}->${to}`) },
  });
  pool.subscribeLoadBalancer({ statusUpdate: (s) => updates.push(s) });
  const ping = (invoker: number) => pool.receivePing({ type: 'ping', invoker, enabled: true });
  const finish = (invoker: number, result: InvocationFinishedResult) => pool.invocationFinished(invoker, result);
  const state = (invoker: number): InvokerState => pool.actor(invoker)!.stateName;
  return { sim, pool, sent, transitions, updates, ping, finish, state };
}

/** HEAD spells the state Unhealthy; the model keeps the 2017 spelling for both rule sets. */
const headName = (s: InvokerState) => (s === 'UnHealthy' ? 'Unhealthy' : s);

describe('InvokerSupervisionTests (MB 31c5f21e4, 2017 rules)', () => {
  const suite = openSuite(SOURCES.invokerSupervisionMB);

  it('InvokerActor should start unhealthy and send a test action at once, with the 60 s timer running', () => {
    const h = harness();
    h.ping(0);
    expect(h.state(0)).toBe('UnHealthy');
    expect(h.sent).toHaveLength(1);
    expect(h.sent[0]!.invoker).toBe(0);
    expect(h.sent[0]!.msg.action.fqn).toBe('whisk.system/invokerHealthTestAction0');
    expect(h.sent[0]!.msg.record).toBeNull();
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(true);
  });

  it('fresh invoker: 7 successes -> Healthy', () => {
    const h = harness();
    h.ping(0);
    const states: InvokerState[] = [];
    for (let i = 0; i < bufferSize - bufferErrorTolerance; i++) {
      h.finish(0, 'Success');
      states.push(h.state(0));
    }
    expect(states.slice(0, 6).every((s) => s === 'UnHealthy')).toBe(true);
    expect(states[6]).toBe(suite.expected('fresh invoker: 7 successes -> Healthy'));
    // The timer stops once the invoker is Healthy.
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(false);
  });

  it('10 failures then 7 successes -> Healthy only on the 7th', () => {
    const h = harness();
    h.ping(0);
    for (let i = 0; i < bufferSize; i++) h.finish(0, 'Success');
    expect(h.state(0)).toBe('Healthy');
    for (let i = 0; i < bufferSize; i++) h.finish(0, 'SystemError');
    expect(h.state(0)).toBe('UnHealthy');
    const states: InvokerState[] = [];
    for (let i = 0; i < bufferSize - bufferErrorTolerance; i++) {
      h.finish(0, 'Success');
      states.push(h.state(0));
    }
    expect(states).toEqual(suite.expected('10 failures then 7 successes -> Healthy only on the 7th'));
  });

  it('a Healthy invoker turns UnHealthy on the failure that leaves fewer than 7 successes in the buffer', () => {
    const h = harness();
    h.ping(0);
    for (let i = 0; i < bufferSize; i++) h.finish(0, 'Success');
    const states: InvokerState[] = [];
    for (let i = 0; i < 4; i++) {
      h.finish(0, 'Timeout'); // forced timeouts count as failures under the 2017 rules
      states.push(h.state(0));
    }
    expect(states).toEqual(['Healthy', 'Healthy', 'Healthy', 'UnHealthy']);
  });

  it('each successful result while UnHealthy sends the next test action at once', () => {
    const h = harness();
    h.ping(0);
    h.finish(0, 'Success');
    h.finish(0, 'Success');
    expect(h.sent).toHaveLength(3);
    h.finish(0, 'SystemError');
    expect(h.sent).toHaveLength(3);
    // Test actions have distinct negative ids.
    expect(new Set(h.sent.map((s) => s.msg.activationId)).size).toBe(3);
    expect(h.sent.every((s) => s.msg.activationId < 0)).toBe(true);
  });

  it('sends a test action every 60 s while UnHealthy (pings keep it from going Offline)', () => {
    const h = harness();
    h.ping(0);
    for (let t = 1000; t <= 130_000; t += 1000) h.sim.scheduleAt(t, () => h.ping(0));
    h.sim.run({ until: 130_500 });
    expect(h.state(0)).toBe('UnHealthy');
    expect(h.sent.map((s) => s.atMs)).toEqual([0, 60_000, 120_000]);
  });

  it('goes Offline 10 s after the last message and UnHealthy again on the next ping', () => {
    const h = harness();
    h.ping(0);
    h.sim.scheduleAt(4000, () => h.ping(0));
    h.sim.run({ until: 13_999 });
    expect(h.state(0)).toBe('UnHealthy');
    h.sim.run({ until: 14_000 });
    expect(h.state(0)).toBe('Offline');
    h.sim.scheduleAt(20_000, () => h.ping(0));
    h.sim.run({ until: 20_000 });
    expect(h.state(0)).toBe('UnHealthy');
    expect(h.transitions).toEqual(['0:Offline->UnHealthy', '0:UnHealthy->Offline', '0:Offline->UnHealthy']);
  });

  it('a Healthy invoker that stops pinging goes Offline and stays there on completions', () => {
    const h = harness();
    h.pool.registerAllHealthy(1);
    h.sim.run({ until: 10_000 });
    expect(h.state(0)).toBe('Offline');
    h.finish(0, 'Success');
    expect(h.state(0)).toBe('Offline');
  });

  it('InvokerPool should register invokers on ping, padding unknown instances with Offline', () => {
    const h = harness();
    h.ping(2);
    expect(h.pool.status).toEqual([
      { id: 0, status: 'Offline' },
      { id: 1, status: 'Offline' },
      { id: 2, status: 'UnHealthy' },
    ]);
    expect(h.updates.at(-1)).toBe(h.pool.status);
    for (let i = 0; i < 7; i++) h.finish(2, 'Success');
    expect(h.updates.at(-1)![2]).toEqual({ id: 2, status: 'Healthy' });
    // Results for unregistered invokers are ignored.
    h.finish(1, 'Success');
    expect(h.pool.actor(1)).toBeUndefined();
  });

  it('startHealthy registers every invoker Healthy at t = 0 without test actions', () => {
    const h = harness();
    h.pool.registerAllHealthy(3);
    expect(h.pool.status.map((s) => s.status)).toEqual(['Healthy', 'Healthy', 'Healthy']);
    expect(h.sent).toHaveLength(0);
    expect(h.updates.at(-1)).toBe(h.pool.status);
  });

  it('replayed every MB expectation', () => {
    suite.assertAllReplayed();
  });
});

describe('InvokerSupervisionTests (HEAD 1fae641a2, head rules)', () => {
  const suite = openSuite(SOURCES.invokerSupervisionHEAD);

  it('start and stay unhealthy while min threshold is not met', () => {
    const h = harness('head');
    h.ping(0);
    const states: string[] = [];
    for (let i = 0; i < bufferErrorTolerance + 1; i++) {
      h.finish(0, 'SystemError');
      states.push(headName(h.state(0)));
    }
    for (let i = 0; i < bufferSize - bufferErrorTolerance - 1; i++) {
      h.finish(0, 'Success');
      states.push(headName(h.state(0)));
    }
    h.finish(0, 'Success');
    states.push(headName(h.state(0)));
    expect(states).toEqual(suite.expected('start and stay unhealthy while min threshold is not met'));
  });

  it('revert to unhealthy during startup on a failed test activation', () => {
    const h = harness('head');
    h.ping(0);
    const states: string[] = [];
    for (const r of ['SystemError', 'Success', 'SystemError'] as const) {
      h.finish(0, r);
      states.push(headName(h.state(0)));
    }
    expect(states).toEqual(suite.expected('revert to unhealthy during startup on a failed test activation'));
  });

  for (const [error, name] of [
    ['SystemError', 'healthy -> Unhealthy -> healthy transitions (SystemError)'],
    ['Timeout', 'healthy -> Unresponsive -> healthy transitions (Timeout)'],
  ] as const) {
    it(name, () => {
      const h = harness('head');
      h.ping(0);
      h.transitions.length = 0;
      for (let i = 0; i < bufferSize; i++) h.finish(0, 'Success');
      for (let i = 0; i < bufferSize; i++) h.finish(0, error);
      for (let i = 0; i < bufferSize - bufferErrorTolerance; i++) h.finish(0, 'Success');
      const seen = h.transitions.map((t) => t.slice(2).split('->').map((s) => headName(s as InvokerState)).join('->'));
      expect(seen).toEqual(suite.expected(name));
    });
  }

  it('start timer test: 7 successes -> Healthy', () => {
    const h = harness('head');
    h.ping(0);
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(true);
    for (let i = 0; i < bufferSize - bufferErrorTolerance; i++) h.finish(0, 'Success');
    expect(h.state(0)).toBe(suite.expected('start timer test: 7 successes -> Healthy'));
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(false);
  });

  it('HEAD goes Healthy on the first successful test action (eager)', () => {
    const h = harness('head');
    h.ping(0);
    h.finish(0, 'Success');
    expect(h.state(0)).toBe('Healthy');
  });

  it('a disabled invoker ping forces Offline under HEAD rules', () => {
    const h = harness('head');
    h.pool.registerAllHealthy(1);
    h.pool.receivePing({ type: 'ping', invoker: 0, enabled: false });
    expect(h.state(0)).toBe('Offline');
  });

  it('Unresponsive sends test actions on its own timer; leaving it for Unhealthy cancels that timer (HEAD quirk)', () => {
    const h = harness('head');
    h.ping(0);
    h.finish(0, 'Success'); // Healthy
    for (let i = 0; i < 4; i++) h.finish(0, 'Timeout');
    expect(h.state(0)).toBe('Unresponsive');
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(true);
    for (let i = 0; i < 4; i++) h.finish(0, 'SystemError');
    expect(h.state(0)).toBe('UnHealthy');
    expect(h.pool.actor(0)!.isTestTimerActive).toBe(false);
  });

  it('replayed every HEAD expectation', () => {
    suite.assertAllReplayed();
  });
});

/**
 * The world-side Controller and the two small pieces every balancer builds on (the caller's promise and the
 * activation entry), observed through their public methods: what a controller sends, what its observer hears,
 * how it wires the balancer, and the completed-at-most-once contract of the Scala promise.
 */
import { describe, expect, it } from 'vitest';
import { OwsimError } from '../../../src/errors.js';
import { AssertionError } from '../../../src/sim/assert.js';
import { createActivationEntry, newActivationEntry, type ActivationEntry } from '../../../src/model/controller/ActivationEntry.js';
import type { ActivationPromise } from '../../../src/model/controller/ActivationPromise.js';
import { Controller } from '../../../src/model/controller/Controller.js';
import type { ActivationCallbacks, LoadBalancer, LoadBalancerContext } from '../../../src/model/controller/LoadBalancer.js';
import { nullControllerObserver } from '../../../src/model/controller/ControllerObserver.js';
import type { ShardingContainerPoolBalancer } from '../../../src/model/controller/ShardingContainerPoolBalancer.js';
import type { ActivationMessage, ActivationResponse } from '../../../src/model/messages.js';
import { HEAD_USER_MEMORY_MB, TestCluster, controllersConfig, testAction } from './harness.js';
import { behaviourCluster } from './seams.js';

function controllerOn(c: TestCluster, overrides: Partial<ConstructorParameters<typeof Controller>[0]> = {}): Controller {
  const config = overrides.config ?? controllersConfig();
  return new Controller({
    index: 0,
    config,
    invokerCount: 4,
    messaging: c.messaging,
    scheduler: c.scheduler,
    rng: c.sim.rng('controller0'),
    observer: c.observer,
    invokerUserMemoryMb: HEAD_USER_MEMORY_MB,
    clusterSize: config.count,
    ...overrides,
  });
}

describe('Controller', () => {
  it('builds an ActivationMessage rooted at itself, with one shared identity per namespace', () => {
    const { c, messaging } = behaviourCluster({ loadBalancer: 'legacy', controllers: [2] });
    const a = c.invoke(2);
    const b = c.invoke(2);
    const [m1, m2] = messaging.sent.map((s) => s.msg as ActivationMessage);
    expect(m1).toMatchObject({ type: 'activation', activationId: a, rootControllerIndex: 2, blocking: false });
    expect(m1!.user).toEqual({ namespace: 'unhealthyInvokerCheck', uuid: 'unhealthyInvokerCheck' });
    expect(m2!.activationId).toBe(b);
    expect(m2!.user).toBe(m1!.user);
    expect(c.observer.of('accepted').map((e) => [e.controller, e.id])).toEqual([
      [2, a],
      [2, b],
    ]);
  });

  it('passes on blocking and an explicit identity', () => {
    const { c, messaging } = behaviourCluster({ loadBalancer: 'legacy' });
    const user = { namespace: 'unhealthyInvokerCheck', uuid: 'tenant-7' };
    c.controller(0).receive(c.record(), testAction(), true, user);
    const msg = messaging.sent[0]!.msg as ActivationMessage;
    expect(msg.blocking).toBe(true);
    expect(msg.user).toBe(user);
    expect(c.controller(0).loadBalancer.activeActivationsFor('tenant-7')).toBe(1);
  });

  it('ignores arrivals once closed', () => {
    const { c, messaging } = behaviourCluster({ loadBalancer: 'legacy' });
    c.controller(0).close();
    c.invoke(0);
    expect(c.observer.events).toEqual([]);
    expect(messaging.sent).toEqual([]);
  });

  it('close() also stops the invoker pool: invokers that stop pinging are not declared Offline any more', () => {
    const { c } = behaviourCluster({ loadBalancer: 'legacy' });
    c.controller(0).close();
    c.advance(30_000);
    expect(c.observer.of('invokerState')).toEqual([]);
  });

  it('reports the balancer’s outcomes and overflow facts to the observer with its index and the time', () => {
    const { c } = behaviourCluster({ controllers: [3], config: { timeoutGraceMs: 1000 } });
    for (let i = 0; i < 3; i++) c.invoke(3);
    c.advance(5);
    const overflowed = c.invoke(3, testAction({ timeoutMs: 1000 }));
    c.advance(3000);
    expect(c.observer.of('overflowSent').map((e) => [e.controller, e.id, e.atMs])).toEqual([[3, overflowed, 5]]);
    expect(c.observer.of('overflowState').map((e) => [e.controller, e.detail, e.atMs])).toEqual([
      [3, true, 5],
      [3, false, 5],
    ]);
    expect(c.observer.of('timedOut').map((e) => [e.controller, e.id, e.atMs])).toEqual([[3, overflowed, 2005]]);
  });

  it('reports invoker state changes with its index', () => {
    const { c } = behaviourCluster({ loadBalancer: 'legacy', controllers: [1], config: { startHealthy: false } });
    c.invokers[2]!.startPinging();
    c.advance(1);
    expect(c.observer.of('invokerState').map((e) => [e.controller, e.id, e.detail, e.atMs])[0]).toEqual([1, 2, 'Offline->UnHealthy', 0]);
  });

  it('every controller reads every ping (its own consumer group on the health topic)', () => {
    const { c } = behaviourCluster({ loadBalancer: 'legacy', controllers: [0, 1], config: { startHealthy: false } });
    c.invokers[2]!.startPinging();
    c.advance(1);
    for (const index of [0, 1]) expect(c.controller(index).loadBalancer.invokerHealth()[2]!.status).not.toBe('Offline');
  });

  it('reports the drop of an overflow message with its index', () => {
    const { c } = behaviourCluster({ controllers: [4], config: { startHealthy: false } });
    const id = c.invoke(4);
    c.advance(1000);
    expect(c.observer.of('overflowDropped').map((e) => [e.controller, e.id, e.detail])).toEqual([[4, id, true]]);
  });

  it('a completion for a record-less message (a health test action) is a bug', () => {
    const { c } = behaviourCluster({ loadBalancer: 'legacy' });
    const msg = { type: 'activation', activationId: -1, action: testAction(), user: { namespace: 'n', uuid: 'n' }, rootControllerIndex: 0, blocking: false, record: null } as const;
    expect(() => c.controller(0).completed(msg, 'success')).toThrow(AssertionError);
    expect(() => c.controller(0).timedOut(msg)).toThrow(/has no record/);
  });

  it('rejects a non-integer or negative index', () => {
    const c = new TestCluster({ controllers: [] });
    expect(() => controllerOn(c, { index: 1.5 })).toThrow(/not an integer/);
    expect(() => controllerOn(c, { index: -1 })).toThrow(/controller index -1 is negative/);
    expect(() => controllerOn(c, { index: 0 })).not.toThrow();
  });

  it('without given bookkeeping, distributed bookkeeping is a bug in the wiring (an assert, not a scenario error)', () => {
    const c = new TestCluster({ controllers: [] });
    let error: unknown;
    try {
      controllerOn(c, { config: controllersConfig({ bookkeeping: 'distributed' }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssertionError);
    expect(error).not.toBeInstanceOf(OwsimError);
    expect((error as Error).message).toMatch(/distributed bookkeeping needs the shared books handed in/);
  });

  it('without startHealthy no invoker is registered until it pings', () => {
    const c = new TestCluster({ controllers: [] });
    const controller = controllerOn(c, { config: controllersConfig({ startHealthy: false }) });
    expect(controller.loadBalancer.invokerHealth()).toEqual([]);
    const healthy = controllerOn(c, { index: 1 });
    expect(healthy.loadBalancer.invokerHealth()).toHaveLength(4);
  });

  it('builds the balancer from a factory when one is given', () => {
    const c = new TestCluster({ controllers: [] });
    let seen: LoadBalancerContext | null = null;
    const custom: LoadBalancer = {
      publish: () => {},
      activeActivationsFor: () => 0,
      totalActiveActivations: () => 0,
      invokerHealth: () => [],
      believedLoad: () => 0,
      overflowState: false,
      close: () => {},
    };
    const controller = controllerOn(c, {
      index: 1,
      loadBalancerFactory: (context) => {
        seen = context;
        return custom;
      },
      invokerUserMemoryMb: 2048,
      clusterSize: 3,
    });
    expect(controller.loadBalancer).toBe(custom);
    expect(seen).toMatchObject({ instance: 1, invokerCount: 4, invokerUserMemoryMb: 2048, clusterSize: 3, callbacks: controller, listener: controller });
    expect(seen!.invokerPool).toBe(controller.invokerPool);
    expect(seen!.loadBalancerData).toBe(controller.loadBalancerData);
  });

  it('hands the sharding balancer the cluster size and user memory, and forwards cluster-size changes', () => {
    const c = new TestCluster({ controllers: [] });
    const config = controllersConfig({ loadBalancer: 'sharding', count: 4 });
    const sized = controllerOn(c, { index: 1, config, clusterSize: 2, invokerUserMemoryMb: 2048 });
    const state = (sized.loadBalancer as ShardingContainerPoolBalancer).schedulingState;
    expect(state.clusterSize).toBe(2);
    expect(state.invokerSlots[0]!.availablePermits).toBe(1024);
    sized.updateCluster(4);
    expect(state.clusterSize).toBe(4);
    expect(state.invokerSlots[0]!.availablePermits).toBe(512);
  });

  it('a cluster-size change is ignored by balancers without shares', () => {
    const { c } = behaviourCluster({ loadBalancer: 'legacy' });
    expect(() => c.controller(0).updateCluster(3)).not.toThrow();
  });
});

describe('nullControllerObserver', () => {
  it('accepts every hook and does nothing', () => {
    const c = new TestCluster({ controllers: [] });
    const controller = controllerOn(c, { observer: nullControllerObserver, config: controllersConfig({ startHealthy: false }) });
    const producer = c.messaging.getProducer();
    for (let k = 0; k < 4; k++) producer.send('health', { type: 'ping', invoker: k, enabled: true });
    c.advance(100);
    const r = c.record();
    controller.receive(r, testAction(), false);
    c.advance(200_000);
    const o = nullControllerObserver;
    expect([
      o.activationAccepted(0, r, 0),
      o.activationRejected(0, r, 'x', 0),
      o.activationCompleted(0, r, 'success', 0),
      o.activationTimedOut(0, r, 0),
      o.overflowStateChanged(0, true, 0),
      o.overflowSent(0, r, 0),
      o.overflowDropped(0, r, true, 0),
      o.invokerStateChanged(0, 1, 'Offline', 'UnHealthy', 0),
    ]).toEqual(Array(8).fill(undefined));
  });
});

describe('ActivationPromise (the entry itself)', () => {
  const placement = { invoker: 1, originalController: null, isOverflow: false };
  const msg = { activationId: 5, user: { namespace: 'ns', uuid: 'ns-uuid' } } as ActivationMessage;
  const newPromise = (): ActivationPromise => newActivationEntry(msg, placement).promise;
  function recorder() {
    const heard: string[] = [];
    const callbacks: ActivationCallbacks = {
      completed: (m: ActivationMessage, r: ActivationResponse) => heard.push(`completed ${m.activationId} ${r}`),
      failed: (m: ActivationMessage, reason: string) => heard.push(`failed ${m.activationId} ${reason}`),
      timedOut: (m: ActivationMessage) => heard.push(`timedOut ${m.activationId}`),
    };
    return { heard, callbacks };
  }

  it('completes at most once and tells its listener once', () => {
    const { heard, callbacks } = recorder();
    const p = newPromise();
    p.onComplete(callbacks);
    expect(p.isCompleted).toBe(false);
    expect(p.trySuccess('applicationError')).toBe(true);
    expect(p.isCompleted).toBe(true);
    expect(p.trySuccess('success')).toBe(false);
    expect(p.tryFailure()).toBe(false);
    expect(heard).toEqual(['completed 5 applicationError']);
  });

  it('a failure is the forced timeout', () => {
    const { heard, callbacks } = recorder();
    const p = newPromise();
    p.onComplete(callbacks);
    expect(p.tryFailure()).toBe(true);
    expect(p.isCompleted).toBe(true);
    expect(p.tryFailure()).toBe(false);
    expect(p.trySuccess('success')).toBe(false);
    expect(heard).toEqual(['timedOut 5']);
  });

  it('a listener attached after completion hears the result at once (an already-completed future)', () => {
    const { heard, callbacks } = recorder();
    const done = newPromise();
    done.trySuccess('left');
    expect(heard).toEqual([]);
    done.onComplete(callbacks);
    expect(heard).toEqual(['completed 5 left']);
    const failed = newPromise();
    failed.tryFailure();
    failed.onComplete(callbacks);
    expect(heard).toEqual(['completed 5 left', 'timedOut 5']);
  });

  it('an abandoned promise completes silently, and ignores a later listener', () => {
    const { heard, callbacks } = recorder();
    const p = newPromise();
    p.onComplete(callbacks);
    p.abandon();
    expect(p.trySuccess('success')).toBe(true);
    const late = newPromise();
    late.abandon();
    late.onComplete(callbacks);
    late.trySuccess('success');
    expect(heard).toEqual([]);
  });

  it('an entry is its own promise, and completing it keeps its placement', () => {
    const { heard, callbacks } = recorder();
    const entry = newActivationEntry(msg, { invoker: 3, originalController: 7, isOverflow: true });
    expect(entry.promise).toBe(entry);
    entry.promise.onComplete(callbacks);
    expect(entry.promise.trySuccess('developerError')).toBe(true);
    expect(heard).toEqual(['completed 5 developerError']);
    expect([entry.invokerName, entry.originalController, entry.isOverflow, entry.namespaceId]).toEqual([3, 7, true, 'ns-uuid']);
    const plain = newActivationEntry(msg, placement);
    plain.promise.abandon();
    expect(plain.promise.tryFailure()).toBe(true);
    expect([plain.originalController, plain.isOverflow, plain.promise.isCompleted]).toEqual([null, false, true]);
  });

  it('a second listener is a bug', () => {
    const { callbacks } = recorder();
    const p = newPromise();
    p.onComplete(callbacks);
    expect(() => p.onComplete(callbacks)).toThrow(/a second caller attached/);
    const q = newPromise();
    q.trySuccess('success');
    q.onComplete(callbacks);
    // The first listener was told and released, so the promise holds no listener any more.
    expect(() => q.onComplete(callbacks)).not.toThrow();
  });
});

describe('ActivationEntry', () => {
  // The action's three fields are read through the action (getters), so compare the interface's fields by name.
  const fields = (e: ActivationEntry) => ({
    id: e.id,
    namespaceId: e.namespaceId,
    invokerName: e.invokerName,
    originalController: e.originalController,
    isOverflow: e.isOverflow,
    timeoutHandle: e.timeoutHandle,
    fullyQualifiedEntityName: e.fullyQualifiedEntityName,
    memoryLimitMb: e.memoryLimitMb,
    maxConcurrent: e.maxConcurrent,
  });

  it('createActivationEntry fills the optional fields with their defaults', () => {
    expect(fields(createActivationEntry({ id: 3, namespaceId: 'ns', invokerName: null }))).toEqual({
      id: 3,
      namespaceId: 'ns',
      invokerName: null,
      originalController: null,
      isOverflow: false,
      timeoutHandle: -1,
      fullyQualifiedEntityName: '',
      memoryLimitMb: 0,
      maxConcurrent: 1,
    });
  });

  it('createActivationEntry keeps every given field', () => {
    const init = {
      id: 4,
      namespaceId: 'ns',
      invokerName: 2,
      originalController: 1,
      isOverflow: true,
      timeoutHandle: 9,
      fullyQualifiedEntityName: 'ns/a',
      memoryLimitMb: 256,
      maxConcurrent: 3,
    };
    expect(fields(createActivationEntry(init))).toEqual(init);
  });

  it('newActivationEntry reads id, namespace and action from the message and the rest from the placement', () => {
    const msg = {
      type: 'activation',
      activationId: 4,
      action: { index: 0, fqn: 'ns/a', namespace: 'ns', kind: 'nodejs:6', pull: false, memoryMb: 256, timeoutMs: 60_000, concurrency: 3 },
      user: { namespace: 'ns', uuid: 'ns-uuid' },
      rootControllerIndex: 0,
      blocking: true,
      record: null,
    } as const;
    const entry = newActivationEntry(msg, { invoker: 2, originalController: 1, isOverflow: true });
    expect(fields(entry)).toEqual(
      fields(createActivationEntry({ id: 4, namespaceId: 'ns-uuid', invokerName: 2, originalController: 1, isOverflow: true, fullyQualifiedEntityName: 'ns/a', memoryLimitMb: 256, maxConcurrent: 3 })),
    );
  });
});

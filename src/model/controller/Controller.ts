/**
 * The world-side controller: what a request meets after the front door. Loosely follows OpenWhisk's
 * Controller + Actions API path (core/controller/.../Controller.scala, entitlement, PrimitiveActions) at MB
 * 31c5f21e473b98fde4021083d3cef388ad206bf6, reduced to what load balancing needs.
 *
 * What it models, per arriving activation:
 *   1. entitlement (`EntitlementProvider.checkThrottles`): system overload, per-namespace rate, concurrency;
 *   2. an `ActivationMessage` with rootControllerIndex = this controller;
 *   3. `LoadBalancer.publish`; the outcome comes back through the callbacks this class implements and is
 *      reported to the `ControllerObserver` (which resolves the world's records).
 * It also owns the controller's `InvokerPool` (health pings from topic `health`, group `health<N>`) and its
 * bookkeeping, and wires the balancer chosen by `config.loadBalancer`: `legacy` (LegacyLoadBalancerService),
 * `overflow` (LoadBalancerActorService), `sharding` (ShardingContainerPoolBalancer, HEAD memory shares; the
 * world tells it the cluster size through `updateCluster`), or `module` (the user's placement policy or
 * balancer, moduleBalancer.ts).
 *
 * The controller never reads a record to decide anything; it only hands it to the observer.
 */
import { assert } from '../../sim/assert.js';
import type { Rng } from '../../sim/rng.js';
import type { ControllersConfig } from '../../scenario/types.js';
import type { ActivationRecord } from '../ActivationRecord.js';
import type { ActionMeta, ActivationMessage, ActivationResponse, Identity, InvokerState } from '../messages.js';
import { ActivationRoute, topics } from '../messages.js';
import type { MessageProducer, MessagingProvider, Scheduler } from '../messaging.js';
import { LocalLoadBalancerData } from '../bookkeeping/LocalLoadBalancerData.js';
import type { LoadBalancerData } from '../bookkeeping/LoadBalancerData.js';
import type { ControllerObserver } from './ControllerObserver.js';
import { EntitlementProvider } from './Entitlement.js';
import { InvokerPool, type InvokerPoolListener } from './InvokerSupervision.js';
import { LegacyLoadBalancerService } from './LegacyLoadBalancerService.js';
import { LoadBalancerActorService } from './LoadBalancerActorService.js';
import { ShardingContainerPoolBalancer } from './ShardingContainerPoolBalancer.js';
import { createModuleBalancer } from './moduleBalancer.js';
import type { ActivationCallbacks, LoadBalancer, LoadBalancerContext, LoadBalancerListener } from './LoadBalancer.js';

export interface ControllerOptions {
  index: number;
  config: ControllersConfig;
  invokerCount: number;
  messaging: MessagingProvider;
  scheduler: Scheduler;
  rng: Rng;
  observer: ControllerObserver;
  /** Bookkeeping to use instead of a fresh LocalLoadBalancerData (e.g. a distributed one). */
  loadBalancerData?: LoadBalancerData;
  /** Builds a user-supplied balancer (config.loadBalancerModule); overrides config.loadBalancer. */
  loadBalancerFactory?: (context: LoadBalancerContext) => LoadBalancer;
  /** Every invoker's user memory in MB (`invokers.userMemory`), for the sharding balancer. */
  invokerUserMemoryMb: number;
  /** Controllers Up when this one starts, in its own membership view (`config.count` without one), for the sharding balancer. */
  clusterSize: number;
  /** The scenario file, for messages about a user's balancer module. */
  scenarioFile?: string;
}

/** OpenWhisk's ping consumer takes up to 128 records per poll. */
const PING_MAX_PEEK = 128;

export class Controller implements ActivationCallbacks, LoadBalancerListener, InvokerPoolListener {
  readonly index: number;
  readonly invokerPool: InvokerPool;
  readonly loadBalancer: LoadBalancer;
  readonly loadBalancerData: LoadBalancerData;
  readonly entitlementProvider: EntitlementProvider;
  private readonly scheduler: Scheduler;
  private readonly observer: ControllerObserver;
  private readonly producer: MessageProducer;
  /** One Identity per namespace (its uuid is the namespace name), so messages share them. */
  private readonly identities = new Map<string, Identity>();
  /** The route of each action's messages (by action index), so that messages share it. */
  private readonly routes: (ActivationRoute | undefined)[] = [];
  private closed = false;
  private readonly scenarioFile: string | undefined;

  constructor(options: ControllerOptions) {
    const { index, config, messaging, scheduler } = options;
    assert(Number.isInteger(index), `controller index ${index} is not an integer`);
    assert(index >= 0, `controller index ${index} is negative`);
    this.index = index;
    this.scheduler = scheduler;
    this.observer = options.observer;
    this.producer = messaging.getProducer();
    this.scenarioFile = options.scenarioFile;

    const producer = this.producer;
    this.invokerPool = new InvokerPool({
      controllerInstance: index,
      controllerCount: config.count,
      healthRules: config.healthRules,
      scheduler,
      sendActivationToInvoker: (msg, invoker) => producer.send(topics.invoker(invoker), msg),
      pingConsumer: messaging.getConsumer(topics.health, `health${index}`, PING_MAX_PEEK),
      pingPollMs: config.pingPollMs,
      listener: this,
    });
    if (config.startHealthy) this.invokerPool.registerAllHealthy(options.invokerCount);

    if (options.loadBalancerData !== undefined) {
      this.loadBalancerData = options.loadBalancerData;
    } else {
      // Distributed bookkeeping is shared between controllers, so whoever builds them (ControllerGroup) hands it in.
      assert(config.bookkeeping === 'local', `controller ${index}: distributed bookkeeping needs the shared books handed in (options.loadBalancerData)`);
      this.loadBalancerData = new LocalLoadBalancerData();
    }

    const context: LoadBalancerContext = {
      instance: index,
      config,
      invokerCount: options.invokerCount,
      messaging,
      scheduler,
      rng: options.rng,
      callbacks: this,
      listener: this,
      invokerPool: this.invokerPool,
      loadBalancerData: this.loadBalancerData,
      invokerUserMemoryMb: options.invokerUserMemoryMb,
      clusterSize: options.clusterSize,
    };
    this.loadBalancer = this.createLoadBalancer(config, context, options.loadBalancerFactory);
    this.entitlementProvider = new EntitlementProvider(config.limits, this.loadBalancer, scheduler);
  }

  /**
   * An activation from the front door.
   * @param blocking whether the client waits for the result (the action's `blocking`)
   * @param user the invoking identity; defaults to one for the action's namespace
   */
  receive(record: ActivationRecord, action: ActionMeta, blocking: boolean, user?: Identity): void {
    if (this.closed) return;
    const identity = user ?? this.identityFor(action.namespace);
    const nowMs = this.scheduler.now();
    const rejection = this.entitlementProvider.checkThrottles(identity);
    if (rejection !== null) {
      this.observer.activationRejected(this.index, record, rejection, nowMs);
      return;
    }
    // The record travels as its own message (ActivationRecord.ts).
    record.route = this.routeFor(action, identity, blocking);
    this.observer.activationAccepted(this.index, record, nowMs);
    this.loadBalancer.publish(action, record);
  }

  /** Stops consuming (controller crash or end of run). */
  close(): void {
    this.closed = true;
    this.loadBalancer.close();
    this.invokerPool.close();
  }

  // ActivationCallbacks: the caller's side of each publish.

  completed(msg: ActivationMessage, response: ActivationResponse): void {
    this.observer.activationCompleted(this.index, recordOf(msg), response, this.scheduler.now());
  }

  failed(msg: ActivationMessage, reason: string): void {
    this.observer.activationRejected(this.index, recordOf(msg), reason, this.scheduler.now());
  }

  timedOut(msg: ActivationMessage): void {
    this.observer.activationTimedOut(this.index, recordOf(msg), this.scheduler.now());
  }

  // LoadBalancerListener and InvokerPoolListener: forwarded to the observer with this controller's index.

  overflowStateChanged(on: boolean): void {
    this.observer.overflowStateChanged(this.index, on, this.scheduler.now());
  }

  overflowSent(msg: ActivationMessage): void {
    this.observer.overflowSent(this.index, msg.record, this.scheduler.now());
  }

  overflowDropped(msg: ActivationMessage, lost: boolean): void {
    this.observer.overflowDropped(this.index, msg.record, lost, this.scheduler.now());
  }

  invokerStateChanged(invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void {
    this.observer.invokerStateChanged(this.index, invoker, from, to, nowMs);
  }

  private routeFor(action: ActionMeta, user: Identity, blocking: boolean): ActivationRoute {
    const route = this.routes[action.index];
    if (route !== undefined && route.action === action && route.user === user && route.blocking === blocking) return route;
    // A caller that names another identity (or another action at the same index) gets a route of its own.
    const made = new ActivationRoute(action, user, blocking, this.index);
    this.routes[action.index] = made;
    return made;
  }

  private identityFor(namespace: string): Identity {
    let identity = this.identities.get(namespace);
    if (identity === undefined) {
      identity = { namespace, uuid: namespace };
      this.identities.set(namespace, identity);
    }
    return identity;
  }

  private createLoadBalancer(
    config: ControllersConfig,
    context: LoadBalancerContext,
    factory: ((context: LoadBalancerContext) => LoadBalancer) | undefined,
  ): LoadBalancer {
    if (factory !== undefined) return factory(context);
    switch (config.loadBalancer) {
      case 'legacy':
        return new LegacyLoadBalancerService(context);
      case 'overflow':
        return new LoadBalancerActorService(context);
      case 'sharding':
        return new ShardingContainerPoolBalancer(context);
      case 'module':
        assert(config.loadBalancerModule !== null, 'loadBalancer is `module` but no module is named');
        return createModuleBalancer(config.loadBalancerModule, context, this.scenarioFile);
    }
  }

  /**
   * Controller membership changed: `size` controllers are Up. Only balancers that divide by it have
   * `updateCluster` (the sharding balancer's share of every invoker is 1/size, and a change rebuilds its
   * semaphores, §18.12).
   */
  updateCluster(size: number): void {
    this.loadBalancer.updateCluster?.(size);
  }
}

function recordOf(msg: ActivationMessage): ActivationRecord {
  // Hot (once per activation): the inverted form builds the message only when the check fails.
  if (msg.record === null) assert(false, `activation ${msg.activationId} has no record (a health test action)`);
  return msg.record;
}

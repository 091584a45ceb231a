/**
 * Port of core/controller/src/main/scala/whisk/core/loadBalancer/InvokerSupervision.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 and PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (the default,
 *     "2017" rules), and
 *   @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (healthRules 'head': Unresponsive state, eager Healthy).
 * docs/openwhisk.md §10.
 *
 * What it models: each controller's view of invoker health. `InvokerPool` keeps the status list, indexed by
 * invoker instance number and padded with Offline for instances it has not heard from; it creates one
 * `InvokerActor` per invoker on the first ping and pushes every change to the load balancer (PR #2932's
 * `StatusUpdate`). Each `InvokerActor` is a small state machine fed by pings, completions and its own timers:
 *
 *   Offline   --ping--> UnHealthy
 *   UnHealthy / Healthy (/ Unresponsive) --10 s without any message--> Offline
 *   any state --InvocationFinishedMessage--> ring buffer of the last 10 results, then
 *     2017: stay if (Healthy and success) or Offline; else Healthy iff ≥ 7 successes in the buffer,
 *           else UnHealthy.
 *     head: stay if (Healthy and Success) or Offline; else Unhealthy if > 3 SystemErrors, Unresponsive if
 *           > 3 Timeouts, else Healthy on a Success; on an error with ≤ 3 entries in the buffer, Unhealthy /
 *           Unresponsive; otherwise stay.
 *   entering UnHealthy (and Unresponsive under head rules), including the initial state: send one test
 *   action now and every 60 s while there; a successful result while UnHealthy sends another at once.
 *
 * A test action (`whisk.system/invokerHealthTestAction<controller>`) goes straight to topic `invoker<k>`; its
 * ack comes back on this controller's completion topic, finds no entry and is reported here as a result.
 *
 * Akka-to-DES mapping:
 * - The FSM state timeout is re-armed by every message the actor receives. Instead of cancelling and
 *   rescheduling a timer per ping, the actor remembers when it last heard anything and one pending check
 *   event re-schedules itself to that time + 10 s (same observable behaviour, one event per 10 s).
 *   // port: FSM stateTimeout → lazy deadline check
 * - Messages between the pool and its actors are direct calls. // port: actor ! msg → method call
 * - `startHealthy` skips the start-up protocol: every invoker of the scenario is registered and Healthy at
 *   t = 0 with a buffer of successes, as if long healthy (what scenarios use by default; pings then keep
 *   them Healthy).
 */
import { assert } from '../../sim/assert.js';
import type { ActionMeta, ActivationMessage, Identity, InvokerState, PingMessage } from '../messages.js';
import type { Cancellable, MessageConsumer, Scheduler } from '../messaging.js';
import type { HealthRules } from '../../scenario/types.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import type { InvokerHealth } from './LoadBalancer.js';

/** HEAD's `InvocationFinishedResult`; the 2017 rules only look at `=== 'Success'`. */
export type InvocationFinishedResult = 'Success' | 'SystemError' | 'Timeout';

/** Ring buffer size and error tolerance (InvokerActor.bufferSize / bufferErrorTolerance). */
export const bufferSize = 10;
export const bufferErrorTolerance = 3;
/** Healthy / UnHealthy state timeout. */
export const healthyTimeoutMs = 10_000;
/** Period of the test-action timer while UnHealthy. */
export const testActionPeriodMs = 60_000;

/** Receives the status list after every change (PR #2932's `StatusUpdate` to the LoadBalancerActor). */
export interface StatusSubscriber {
  statusUpdate(status: readonly InvokerHealth[]): void;
}

/** sim: observer — health transitions for metrics. */
export interface InvokerPoolListener {
  invokerStateChanged(invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void;
}

export interface InvokerPoolOptions {
  controllerInstance: number;
  /** Controllers in the cluster; spaces test-action ids so no two controllers share one. */
  controllerCount: number;
  healthRules: HealthRules;
  scheduler: Scheduler;
  /** `sendActivationToInvoker(msg, invoker)`: sends to topic `invoker<k>`. */
  sendActivationToInvoker: (msg: ActivationMessage, invoker: number) => void;
  /** Consumer of topic `health`, group `health<N>`; null to feed pings by hand (tests). */
  pingConsumer: MessageConsumer | null;
  /** Long poll of the ping consumer (`controllers.pingPoll`). */
  pingPollMs: number;
  listener?: InvokerPoolListener | null;
}

const HEALTH_NAMESPACE = 'whisk.system';

/** Ring buffer of the last `bufferSize` results (OpenWhisk's RingBuffer over an EvictingQueue). */
class ResultBuffer {
  private readonly items: InvocationFinishedResult[] = [];
  private next = 0;

  add(result: InvocationFinishedResult): void {
    // Stryker disable next-line ConditionalExpression: assigning past the end of a JS array appends, exactly as push does
    if (this.items.length < bufferSize) this.items.push(result);
    else this.items[this.next] = result;
    this.next = (this.next + 1) % bufferSize;
  }

  get size(): number {
    return this.items.length;
  }

  count(result: InvocationFinishedResult): number {
    let n = 0;
    // Stryker disable next-line EqualityOperator: one read past the end is undefined, which matches no result
    for (let i = 0; i < this.items.length; i++) if (this.items[i] === result) n++;
    return n;
  }
}

function stateTimeoutCheck(actor: InvokerActor): void {
  actor.checkStateTimeout();
}

function testActionTick(actor: InvokerActor): void {
  actor.tick();
}

/** One invoker, as one controller sees it. */
export class InvokerActor {
  private state: InvokerState;
  private readonly buffer = new ResultBuffer();
  /** Last time any message reached the actor (the FSM state timeout restarts on each). */
  private lastMessageMs: number;
  private stateTimeoutHandle: Cancellable = -1;
  private testTimerHandle: Cancellable = -1;

  constructor(
    readonly invokerInstance: number,
    private readonly pool: InvokerPool,
    private readonly scheduler: Scheduler,
    private readonly healthRules: HealthRules,
    startState: InvokerState,
  ) {
    this.state = startState;
    this.lastMessageMs = scheduler.now();
  }

  get stateName(): InvokerState {
    return this.state;
  }

  /** True while the 60 s test-action timer runs (InvokerActor.timerName). */
  get isTestTimerActive(): boolean {
    return this.testTimerHandle !== -1;
  }

  /**
   * `startHealthy`: as if the invoker had passed the start-up protocol long ago — its buffer holds only
   * successes, so single failures are tolerated as they would be on a long-healthy invoker.
   */
  fillBufferWithSuccesses(): void {
    // Stryker disable next-line EqualityOperator: an eleventh success only overwrites a success; the buffer holds ten successes either way
    for (let i = 0; i < bufferSize; i++) this.buffer.add('Success');
  }

  /** `initialize()`: fires the transition handlers for the start state (test action + timer when UnHealthy). */
  initialize(): void {
    this.onTransition(this.state, this.state);
    this.armStateTimeout();
  }

  receivePing(p: PingMessage): void {
    this.touch();
    // HEAD: a disabled invoker pings with enabled = false and is treated as Offline.
    if (this.healthRules === 'head' && !p.enabled) {
      this.gotoIfNotThere('Offline');
      return;
    }
    if (this.state === 'Offline') this.goto('UnHealthy');
    // In Healthy / UnHealthy / Unresponsive a ping only keeps the state alive.
  }

  /** `InvocationFinishedMessage(invoker, result)`, handled in every state (whenUnhandled). */
  invocationFinished(result: InvocationFinishedResult): void {
    this.touch();
    if (this.healthRules === 'head') this.handleCompletionMessageHead(result);
    else this.handleCompletionMessage(result === 'Success');
  }

  /** The test-action timer fired. */
  tick(): void {
    this.testTimerHandle = -1;
    this.touch();
    // The timer runs only in the states that test (it is cancelled on leaving them).
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the handle was just cleared, and the timer is cancelled on leaving a testing state, so it only fires in one
    if (this.testTimerHandle === -1 && this.isTestingState(this.state)) {
      this.invokeTestAction();
      this.testTimerHandle = this.scheduler.scheduleOnce(testActionPeriodMs, testActionTick, this);
    }
  }

  /** The lazy state-timeout check: Offline once 10 s passed without any message. */
  checkStateTimeout(): void {
    this.stateTimeoutHandle = -1;
    if (this.state === 'Offline') return;
    const deadlineMs = this.lastMessageMs + healthyTimeoutMs;
    const nowMs = this.scheduler.now();
    if (nowMs < deadlineMs) {
      this.stateTimeoutHandle = this.scheduler.scheduleOnce(deadlineMs - nowMs, stateTimeoutCheck, this);
      return;
    }
    this.goto('Offline');
  }

  /** Stops the actor's timers (controller shutdown). */
  stop(): void {
    if (this.stateTimeoutHandle !== -1) this.scheduler.cancel(this.stateTimeoutHandle);
    if (this.testTimerHandle !== -1) this.scheduler.cancel(this.testTimerHandle);
    // Stryker disable UnaryOperator: a stopped actor never reads its handles again
    this.stateTimeoutHandle = -1;
    this.testTimerHandle = -1;
    // Stryker restore UnaryOperator
  }

  /** 2017 rules (MB / PR): a boolean buffer; ≥ 7 successes of the last 10 → Healthy. */
  private handleCompletionMessage(wasActivationSuccessful: boolean): void {
    // Stryker disable next-line StringLiteral: the 2017 rules count only successes
    this.buffer.add(wasActivationSuccessful ? 'Success' : 'SystemError');
    // A successful result while UnHealthy is most likely a test action: try the next one at once.
    if (wasActivationSuccessful && this.state === 'UnHealthy') this.invokeTestAction();
    // Stryker disable next-line ConditionalExpression,StringLiteral: a success on a Healthy invoker would only confirm Healthy (at least 7 successes are in its buffer)
    if ((this.state === 'Healthy' && wasActivationSuccessful) || this.state === 'Offline') return;
    if (this.buffer.count('Success') >= bufferSize - bufferErrorTolerance) this.gotoIfNotThere('Healthy');
    else this.gotoIfNotThere('UnHealthy');
  }

  /** HEAD rules: separate SystemError / Timeout tallies, Unresponsive, eager Healthy. */
  private handleCompletionMessageHead(result: InvocationFinishedResult): void {
    this.buffer.add(result);
    if (result === 'Success' && this.state === 'UnHealthy') this.invokeTestAction();
    // Stryker disable next-line ConditionalExpression,StringLiteral: an invoker stays Healthy only with at most 3 errors of each kind, so a success would only confirm Healthy
    if ((this.state === 'Healthy' && result === 'Success') || this.state === 'Offline') return;
    if (this.buffer.count('SystemError') > bufferErrorTolerance) this.gotoIfNotThere('UnHealthy');
    else if (this.buffer.count('Timeout') > bufferErrorTolerance) this.gotoIfNotThere('Unresponsive');
    else if (result === 'Success') this.gotoIfNotThere('Healthy');
    // An early error (the buffer is still short) reverts a fresh invoker; later single errors are tolerated.
    else if (this.buffer.size <= bufferErrorTolerance) {
      this.gotoIfNotThere(result === 'SystemError' ? 'UnHealthy' : 'Unresponsive');
    }
  }

  private isTestingState(state: InvokerState): boolean {
    return state === 'UnHealthy' || (this.healthRules === 'head' && state === 'Unresponsive');
  }

  private touch(): void {
    this.lastMessageMs = this.scheduler.now();
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,StringLiteral,UnaryOperator: outside Offline the state timeout is always armed (goto and the check itself re-arm it), and armStateTimeout guards again
    if (this.state !== 'Offline' && this.stateTimeoutHandle === -1) this.armStateTimeout();
  }

  private armStateTimeout(): void {
    // Stryker disable next-line ConditionalExpression,StringLiteral: never called while Offline (initialize starts Healthy or UnHealthy, touch and goto check)
    if (this.state === 'Offline') return;
    // Stryker disable next-line ConditionalExpression: a second pending check would find the same deadline; the only trace is one more scheduler event
    if (this.stateTimeoutHandle !== -1) return;
    this.stateTimeoutHandle = this.scheduler.scheduleOnce(healthyTimeoutMs, stateTimeoutCheck, this);
  }

  private gotoIfNotThere(next: InvokerState): void {
    if (this.state !== next) this.goto(next);
  }

  private goto(next: InvokerState): void {
    const from = this.state;
    this.state = next;
    this.onTransition(from, next);
    // Stryker disable next-line ConditionalExpression,StringLiteral: arming on the way to Offline is refused by armStateTimeout itself
    if (next !== 'Offline') {
      // Entering a state restarts its timeout.
      this.lastMessageMs = this.scheduler.now();
      this.armStateTimeout();
    }
    this.pool.transition(this.invokerInstance, from, next);
  }

  /**
   * The transition handlers, in OpenWhisk's order. 2017: `_ -> UnHealthy` sends a test action and starts the
   * timer, `UnHealthy -> _` cancels it. HEAD registers that pair once for Unhealthy and once for Unresponsive,
   * and both handlers run: Unhealthy → Unresponsive ends with the timer running, but Unresponsive → Unhealthy
   * ends with it cancelled (the Unresponsive handler runs second) — reproduced as is.
   */
  private onTransition(from: InvokerState, to: InvokerState): void {
    // Stryker disable next-line ConditionalExpression: the 2017 rules have no Unresponsive state, so its handler would never match
    if (this.healthRules === 'head') {
      this.healthPingingTransitionHandler('UnHealthy', from, to);
      this.healthPingingTransitionHandler('Unresponsive', from, to);
    } else {
      this.healthPingingTransitionHandler('UnHealthy', from, to);
    }
  }

  private healthPingingTransitionHandler(state: InvokerState, from: InvokerState, to: InvokerState): void {
    // Scala's partial function: the first matching case wins (so the initial UnHealthy -> UnHealthy starts it).
    if (to === state) {
      this.invokeTestAction();
      this.cancelTestTimer();
      this.testTimerHandle = this.scheduler.scheduleOnce(testActionPeriodMs, testActionTick, this);
    } else if (from === state) {
      this.cancelTestTimer();
    }
  }

  private cancelTestTimer(): void {
    if (this.testTimerHandle === -1) return;
    this.scheduler.cancel(this.testTimerHandle);
    this.testTimerHandle = -1;
  }

  private invokeTestAction(): void {
    this.pool.sendTestAction(this.invokerInstance);
  }
}

function processInvokerPingHandler(pool: InvokerPool, msg: unknown): void {
  pool.processInvokerPing(msg as PingMessage);
}

export class InvokerPool {
  /** The status list, indexed by instance number; replaced (never mutated) on every change. */
  private statusList: InvokerHealth[] = [];
  private readonly actors: (InvokerActor | undefined)[] = [];
  private readonly subscribers: StatusSubscriber[] = [];
  private readonly healthAction: ActionMeta;
  private readonly healthActionIdentity: Identity;
  private testActivationSeq = 0;
  private readonly pingFeed: MessageFeed | null;
  private readonly opts: InvokerPoolOptions;

  constructor(options: InvokerPoolOptions) {
    assert(options.controllerCount > 0, 'controllerCount must be positive');
    assert(options.controllerInstance >= 0, 'controllerInstance must be non-negative');
    this.opts = options;
    const head = options.healthRules === 'head';
    // MB: nodejs:6 with the default limits (256 MB); HEAD: nodejs:default at the minimum memory (128 MB).
    this.healthAction = {
      index: -1,
      fqn: `${HEALTH_NAMESPACE}/invokerHealthTestAction${options.controllerInstance}`,
      namespace: HEALTH_NAMESPACE,
      kind: head ? 'nodejs:default' : 'nodejs:6',
      pull: false,
      memoryMb: head ? 128 : 256,
      timeoutMs: 60_000,
      concurrency: 1,
    };
    this.healthActionIdentity = { namespace: HEALTH_NAMESPACE, uuid: `${HEALTH_NAMESPACE}/health` };
    const consumer = options.pingConsumer;
    this.pingFeed =
      consumer === null
        ? null
        : new MessageFeed(
            // Stryker disable next-line StringLiteral: the feed's description only labels its assertion messages
            'ping',
            consumer,
            consumer.maxPeek,
            options.pingPollMs,
            processInvokerPingHandler.bind(null, this),
            options.scheduler,
          );
  }

  /** `GetStatus`: the current list (indexed by instance, padded with Offline). */
  get status(): readonly InvokerHealth[] {
    return this.statusList;
  }

  /** `SubscribeLoadBalancer(lbActor)`: the balancer gets the list now and after every change. */
  subscribeLoadBalancer(subscriber: StatusSubscriber): void {
    this.subscribers.push(subscriber);
    subscriber.statusUpdate(this.statusList);
  }

  /** The actor of an instance, if registered (tests, metrics). */
  actor(invoker: number): InvokerActor | undefined {
    return this.actors[invoker];
  }

  /** Registers invokers 0..count-1 as Healthy at once (scenario option `startHealthy`). */
  registerAllHealthy(count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.actors[k] !== undefined) continue;
      this.registerInvoker(k, 'Healthy').fillBufferWithSuccesses();
    }
    this.publishStatus();
  }

  processInvokerPing(p: PingMessage): void {
    this.receivePing(p);
    // Stryker disable next-line OptionalChaining: only the ping feed calls this, so the feed exists
    this.pingFeed?.processed();
  }

  /** A `PingMessage` from invoker k: register it if new, then forward the ping to its actor. */
  receivePing(p: PingMessage): void {
    let invoker = this.actors[p.invoker];
    if (invoker === undefined) {
      invoker = this.registerInvoker(p.invoker, 'UnHealthy');
      this.opts.listener?.invokerStateChanged(p.invoker, 'Offline', 'UnHealthy', this.opts.scheduler.now()); // sim: observer
      this.publishStatus();
    }
    invoker.receivePing(p);
  }

  /** `InvocationFinishedMessage(invoker, result)`: forwarded to the actor if it exists. */
  invocationFinished(invoker: number, result: InvocationFinishedResult): void {
    this.actors[invoker]?.invocationFinished(result);
  }

  /** Called by an actor on every state change (`Transition`). */
  transition(invoker: number, from: InvokerState, to: InvokerState): void {
    this.statusList = this.statusList.slice();
    this.statusList[invoker] = { id: invoker, status: to };
    this.opts.listener?.invokerStateChanged(invoker, from, to, this.opts.scheduler.now()); // sim: observer
    this.publishStatus();
  }

  /** `ActivationRequest` from an actor: send the health test action straight to `invoker<k>`. */
  sendTestAction(invoker: number): void {
    const o = this.opts;
    // Test actions get negative ids, unique across controllers, so they never meet a user activation's id.
    const activationId = -(1 + this.testActivationSeq++ * o.controllerCount + o.controllerInstance);
    const msg: ActivationMessage = {
      type: 'activation',
      activationId,
      action: this.healthAction,
      user: this.healthActionIdentity,
      rootControllerIndex: o.controllerInstance,
      blocking: false,
      record: null,
    };
    o.sendActivationToInvoker(msg, invoker);
  }

  /** Stops the ping feed and every actor's timers. */
  close(): void {
    this.pingFeed?.stop();
    for (const actor of this.actors) actor?.stop();
  }

  private registerInvoker(instance: number, startState: InvokerState): InvokerActor {
    // Grow the list to hold the new instance; unknown slots are Offline.
    const next = this.statusList.slice();
    // Stryker disable next-line EqualityOperator: the slot for the instance itself is assigned just below
    for (let i = next.length; i <= instance; i++) next.push({ id: i, status: 'Offline' });
    // The new actor reports its start state through the transition callback (CurrentState).
    next[instance] = { id: instance, status: startState };
    this.statusList = next;
    const actor = new InvokerActor(instance, this, this.opts.scheduler, this.opts.healthRules, startState);
    this.actors[instance] = actor;
    actor.initialize();
    return actor;
  }

  private publishStatus(): void {
    for (let i = 0; i < this.subscribers.length; i++) this.subscribers[i]!.statusUpdate(this.statusList);
  }
}

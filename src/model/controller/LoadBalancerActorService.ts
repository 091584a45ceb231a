/**
 * Port of `LoadBalancerActorService` and `LoadBalancerActor` in
 *   core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala
 *   @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (OpenWhisk PR #2932, never merged; scenario `overflow`).
 * semantics.md §6, §7.2, §8, §18.
 *
 * What it models: a controller that, when no invoker of the action's partition is below the busy threshold,
 * parks the activation in a Kafka topic `overflow` shared by all controllers instead of piling it onto a busy
 * invoker.
 *
 *   publish (serialized by the actor):
 *     overflowState off: schedule(overflow = false) → entry (invoker or none) + forced timeout → send to
 *       `invoker<k>`, or, with no invoker below T, set overflowState and send an OverflowMessage;
 *     overflowState on: send the OverflowMessage straight away and set up the entry once the send succeeds.
 *   processOverflow (whichever controller the shared group `overflow` gives the partition to):
 *     remove the local entry if there is one; schedule(overflow = true) — the full T/2T/3T/first-healthy
 *     cascade; own activation: put the entry back with the invoker; another controller's: new entry
 *     (originalController, isOverflow, a fresh full timeout) and rewrite rootControllerIndex so the invoker
 *     acks here; then `Processed` at once.
 *   processCompletion: release the entry, report health, forward the completion to `completed<original>` for
 *     a foreign entry (a forced timeout is forwarded as Left: success to the original), and clear
 *     overflowState when an isOverflow entry brings `localOverflowActivationCount` to exactly 0.
 *   offset monitor: MaxOffset from the overflow feed clears overflowState.
 *
 * OpenWhisk behaviour reproduced by default, each with an opt-in fix (`ControllerFix`):
 *   §18.1 abs(Int.MinValue): the publish fails (`hash-abs-min-value`); in processOverflow the throw escapes
 *         the handler, the message is lost and the feed never gets its `Processed` back.
 *   §18.2 MaxOffset after every overflow poll (`max-offset-on-empty-poll`, via MessageFeed's rule).
 *   §18.3 overflow placement ignores capacity (`overflow-respects-capacity`: place only below T, else requeue).
 *   §18.4 the counter rises on own sends and falls only on foreign completions (`symmetric-overflow-count`).
 *   §18.5 no healthy invoker: the message is dropped (`requeue-overflow-without-invokers`).
 *   §18.6 forwarded forced timeouts look like success and foreign entries re-arm the full timeout
 *         (`forward-timeout-as-failure`).
 *   §18.7 activeActivationsFor / totalActiveActivations stubbed to 0 (`throttling-enabled`).
 * A requeue (fixes 3 and 5) waits one overflow poll period before resending, so an unplaceable message does not
 * spin at zero simulated time, and stops once the original controller's forced timeout has passed (the message
 * is dropped, `lost = false`: that timeout has already resolved the activation). Without that deadline a message
 * outliving its activation circulated for ever, and executing it later kept a full cluster full (fuzz seed 467).
 *
 * Akka-to-DES mapping: the actor's ask is a direct call (publishes are serialized anyway); processOverflow and
 * processCompletion run as their own events, never inside a publish. // port: lbActor ? Publish → method call
 * Promises are `ActivationPromise`s; an entry made for another controller's activation gets no listener, as
 * its Scala promise has none. // port: Promise → ActivationPromise
 */
import type {
  ActionMeta,
  ActivationMessage,
  ActivationResponse,
  CompletionMessage,
  Message,
  OverflowMessage,
} from '../messages.js';
import { topics } from '../messages.js';
import type { MessageProducer, Scheduler } from '../messaging.js';
import type { ControllerFix, ControllersConfig } from '../../scenario/types.js';
import type { LoadBalancerData } from '../bookkeeping/LocalLoadBalancerData.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import { activeAckFeed } from './activeAckFeed.js';
import { newActivationEntry, type ActivationEntry } from './ActivationEntry.js';
import { ActivationPromise } from './ActivationPromise.js';
import {
  JvmException,
  createPairwiseCoprimeNumbersUntil,
  generateHash,
  partitionInvokers,
  schedulePR,
  InvokerUsage,
  type InvokerUsageSource,
  type StepSizes,
} from './LoadBalancerService.js';
import type {
  ActivationCallbacks,
  InvokerHealth,
  LoadBalancer,
  LoadBalancerContext,
  LoadBalancerListener,
} from './LoadBalancer.js';
import type { InvokerPool, StatusSubscriber } from './InvokerSupervision.js';
import { invocationResult, publishFailureReason } from './LegacyLoadBalancerService.js';
import { IdMap } from '../common/IdMap.js';

/** An invoker with its usage read lazily from the bookkeeping (the Scala's `.view` over the counts). */

/** Arguments of one setupActivation, reused so the entry factory is bound once. */
interface SetupArgs {
  id: number;
  namespaceId: string;
  invokerName: number | null;
  msg: ActivationMessage | null;
  timeoutMs: number;
  originalController: number | null;
  isOverflow: boolean;
}

function returnEntry(entry: ActivationEntry): ActivationEntry {
  return entry;
}

/** The actor: all of the balancer's state and logic (`LoadBalancerActor`). */
export class LoadBalancerActor implements StatusSubscriber, InvokerUsageSource {
  readonly activeAckTimeoutGraceMs: number;
  /** The cached invoker list from InvokerPool's StatusUpdate. */
  // Stryker disable next-line ArrayDeclaration: subscribing to the pool (in the facade's constructor) replaces it before any use
  allInvokersLocal: readonly InvokerHealth[] = [];
  localOverflowActivationCount = 0;
  overflowState = false;

  // Stryker disable ArrayDeclaration: the first StatusUpdate (on subscription, before any publish) replaces both
  private managedInvokers: InvokerUsage[] = [];
  private blackboxInvokers: InvokerUsage[] = [];
  // Stryker restore ArrayDeclaration
  private readonly stepSizes: StepSizes = createPairwiseCoprimeNumbersUntil();
  private readonly messageProducer: MessageProducer;
  readonly activationFeed: MessageFeed;
  readonly overflowFeed: MessageFeed;
  private readonly fixes: ReadonlySet<ControllerFix>;
  /** Fixes read per activation, looked up once. */
  private readonly symmetricOverflowCount: boolean;
  private readonly forwardTimeoutAsFailure: boolean;
  private readonly hashOptions: { readonly fixAbsMinValue: boolean };
  /**
   * symmetric-overflow-count: own activations sent to the overflow topic and not yet resolved (id → message).
   * An IdMap, not a Set: a churning Set keeps its dead tables and their members alive (see IdMap.ts).
   */
  private readonly ownOverflowIds = new IdMap<ActivationMessage>();

  // Stryker disable ObjectLiteral,StringLiteral,BooleanLiteral: placeholders; setupActivation sets every field before makeEntry reads it
  private readonly setupArgs: SetupArgs = {
    id: 0,
    namespaceId: '',
    invokerName: null,
    msg: null,
    timeoutMs: 0,
    originalController: null,
    isOverflow: false,
  };
  // Stryker restore ObjectLiteral,StringLiteral,BooleanLiteral
  private readonly boundMakeEntry: (args: SetupArgs) => ActivationEntry;
  private readonly boundForcedTimeout: (entry: ActivationEntry) => void;
  private readonly boundInvokerSent: (ok: boolean, entry: ActivationEntry) => void;
  private readonly boundOverflowSentWithEntry: (ok: boolean, entry: ActivationEntry) => void;
  private readonly boundOverflowSentThenSetup: (ok: boolean, m: OverflowMessage) => void;
  private readonly boundRequeueOverflow: (m: OverflowMessage) => void;

  constructor(
    private readonly config: ControllersConfig,
    readonly instance: number,
    private readonly invokerPool: InvokerPool,
    context: LoadBalancerContext,
    readonly loadBalancerData: LoadBalancerData,
    private readonly scheduler: Scheduler,
    private readonly callbacks: ActivationCallbacks,
    private readonly listener: LoadBalancerListener,
  ) {
    this.activeAckTimeoutGraceMs = config.timeoutGraceMs;
    this.fixes = new Set(config.fixes);
    this.symmetricOverflowCount = this.fixes.has('symmetric-overflow-count');
    this.forwardTimeoutAsFailure = this.fixes.has('forward-timeout-as-failure');
    this.hashOptions = { fixAbsMinValue: this.fixes.has('hash-abs-min-value') };
    this.messageProducer = context.messaging.getProducer();
    this.boundMakeEntry = this.makeEntry.bind(this);
    this.boundForcedTimeout = this.forcedTimeout.bind(this);
    this.boundInvokerSent = this.invokerSent.bind(this);
    this.boundOverflowSentWithEntry = this.overflowSentWithEntry.bind(this);
    this.boundOverflowSentThenSetup = this.overflowSentThenSetup.bind(this);
    this.boundRequeueOverflow = this.requeueOverflow.bind(this);

    this.activationFeed = activeAckFeed(context, this.processActiveAck.bind(this));
    // Overflow: topic `overflow`, group `overflow` shared by every controller, maxPeek = busy threshold, and a
    // handler capacity equal to that maxPeek.
    context.messaging.ensureTopic(topics.overflow);
    // Stryker disable next-line StringLiteral: every controller uses this same literal, so any name is one shared group
    const overflowConsumer = context.messaging.getConsumer(topics.overflow, 'overflow', config.busyThreshold);
    this.overflowFeed = new MessageFeed(
      // Stryker disable next-line StringLiteral: the feed's description only labels its assertion messages
      'overflow',
      overflowConsumer,
      overflowConsumer.maxPeek,
      config.overflowPollMs,
      this.processOverflow.bind(this),
      scheduler,
      {
        offsetMonitor: this.offsetMonitor.bind(this),
        // Stryker disable next-line StringLiteral: MessageFeed treats every rule but 'pr' as the fixed one
        maxOffsetRule: this.fixes.has('max-offset-on-empty-poll') ? 'fixed' : 'pr',
      },
    );
  }

  statusUpdate(status: readonly InvokerHealth[]): void {
    this.allInvokersLocal = status;
    const views = status.map((h) => new InvokerUsage(h.id, h.status, this));
    const { managed, blackbox } = partitionInvokers(views, this.config.blackboxFraction);
    this.managedInvokers = managed;
    this.blackboxInvokers = blackbox;
  }

  /** `Publish(action, msg)`. */
  publish(action: ActionMeta, msg: ActivationMessage): void {
    const hash = generateHash(msg.user.namespace, action.fqn, this.hashOptions);
    if (!this.overflowState) {
      this.sendToInvokerOrOverflow(msg, action, hash, action.pull);
    } else {
      // The entry is set up only after the overflow send succeeds.
      this.sendActivationToOverflow(this.overflowMessage(msg, action, hash, action.pull), this.boundOverflowSentThenSetup);
    }
  }

  close(): void {
    this.activationFeed.stop();
    this.overflowFeed.stop();
  }

  private sendToInvokerOrOverflow(msg: ActivationMessage, action: ActionMeta, hash: number, pull: boolean): void {
    let invMatched: number | null;
    try {
      invMatched = this.chooseInvoker(hash, pull, false);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: chooseInvoker throws nothing but JvmExceptions
      if (!(e instanceof JvmException)) throw e;
      this.callbacks.failed(msg, publishFailureReason(e));
      return;
    }
    const entry = this.setupActivation(action.timeoutMs, msg.activationId, msg.user.uuid, invMatched, msg);
    (entry.promise as ActivationPromise).onComplete(this.callbacks);
    if (invMatched !== null) {
      this.sendActivationToInvoker(this.messageProducer, msg, invMatched, entry);
    } else {
      // Stryker disable next-line ConditionalExpression: publish calls this only while overflowState is off
      if (!this.overflowState) {
        // Entering overflow state: no invoker has capacity.
        this.overflowState = true;
        this.listener.overflowStateChanged(true); // sim: observer
      }
      this.sendActivationToOverflow(this.overflowMessage(msg, action, hash, pull), this.boundOverflowSentWithEntry, entry);
    }
  }

  private overflowMessage(msg: ActivationMessage, action: ActionMeta, hash: number, pull: boolean): OverflowMessage {
    return {
      type: 'overflow',
      msg,
      // Scala: timeout.duration.toSeconds.toInt — whole seconds, truncated.
      actionTimeoutSeconds: Math.trunc(action.timeoutMs / 1000),
      hash,
      pull,
      originalController: this.instance,
      publishedAtMs: this.scheduler.now(),
    };
  }

  private sendActivationToOverflow(
    m: OverflowMessage,
    callback: (ok: boolean, context: any) => void,
    context: unknown = m,
  ): void {
    this.messageProducer.send(topics.overflow, m, callback, context);
  }

  /** Counts a successful own overflow send (the Scala `andThen` on the send future). */
  private overflowSendSucceeded(msg: ActivationMessage): void {
    this.localOverflowActivationCount += 1;
    if (this.symmetricOverflowCount) this.ownOverflowIds.set(msg.activationId, msg);
    this.listener.overflowSent(msg); // sim: observer
  }

  /** Normal path: the entry (without invoker) already exists. */
  private overflowSentWithEntry(ok: boolean, entry: ActivationEntry): void {
    const promise = entry.promise as ActivationPromise;
    if (ok) {
      this.overflowSendSucceeded(promise.msg);
      return;
    }
    promise.abandon();
    this.callbacks.failed(promise.msg, 'sendFailed');
  }

  /** overflowState path: count the send, then set up the entry and hand its promise to the caller. */
  private overflowSentThenSetup(ok: boolean, m: OverflowMessage): void {
    if (!ok) {
      this.callbacks.failed(m.msg, 'sendFailed');
      return;
    }
    this.overflowSendSucceeded(m.msg);
    const entry = this.setupActivation(m.msg.action.timeoutMs, m.msg.activationId, m.msg.user.uuid, null, m.msg);
    // If this controller already consumed its own message (treating it as foreign), the existing entry is
    // returned and the caller listens to its promise — possibly already completed.
    (entry.promise as ActivationPromise).onComplete(this.callbacks);
  }

  private sendActivationToInvoker(producer: MessageProducer, msg: ActivationMessage, invoker: number, entry: ActivationEntry | null): void {
    producer.send(topics.invoker(invoker), msg, this.boundInvokerSent, entry);
  }

  private invokerSent(ok: boolean, entry: ActivationEntry | null): void {
    if (ok || entry === null) return;
    const promise = entry.promise as ActivationPromise;
    promise.abandon();
    this.callbacks.failed(promise.msg, 'sendFailed');
  }

  /** The forced-timeout timer fired for `entry`. */
  private forcedTimeout(entry: ActivationEntry): void {
    entry.timeoutHandle = -1;
    // Stryker disable next-line BooleanLiteral: with forced = true, forwardedTimeout changes nothing
    this.processCompletion('left', entry.id, true, entry.invokerName, false);
  }

  /**
   * Resolves the entry of `activationId`, if any.
   * @param forced true for a forced timeout (or, with the fix, a forwarded one)
   * @param invoker the invoker that sent the ack; null for a forced timeout
   */
  processCompletion(
    response: ActivationResponse,
    activationId: number,
    forced: boolean,
    invoker: number | null,
    forwardedTimeout: boolean,
  ): void {
    // A Left counts as success (in OpenWhisk it means the result exceeded the bus limit).
    const isSuccess = response !== 'whiskError';
    const entry = this.loadBalancerData.removeActivationById(activationId);
    if (entry !== null) {
      if (entry.timeoutHandle !== -1) {
        this.scheduler.cancel(entry.timeoutHandle);
        // Stryker disable next-line UnaryOperator: the entry has just left the bookkeeping and is never read again
        entry.timeoutHandle = -1;
      }
      const promise = entry.promise as ActivationPromise;
      if (entry.invokerName !== null) {
        this.invokerPool.invocationFinished(entry.invokerName, invocationResult(isSuccess, forced));
        // Processing another controller's overflow: pass the completion on to it.
        if (entry.originalController !== null) {
          const forward: CompletionMessage = {
            type: 'completion',
            activationId,
            response,
            invoker: entry.invokerName,
            record: promise.msg.record,
            forcedTimeout: forced && this.forwardTimeoutAsFailure,
          };
          this.messageProducer.send(topics.completed(entry.originalController), forward);
        }
      }
      if (entry.isOverflow && !this.symmetricOverflowCount) {
        this.localOverflowActivationCount -= 1;
        this.maybeLeaveOverflowState();
      }
      if (this.ownOverflowIds.delete(activationId)) {
        this.localOverflowActivationCount -= 1;
        this.maybeLeaveOverflowState();
      }
      if (!forced && !forwardedTimeout) promise.trySuccess(response);
      else promise.tryFailure();
    } else if (!forced && !forwardedTimeout) {
      // A health test action, or an activation that already timed out: report the invoker's answer.
      // Stryker disable next-line ConditionalExpression: an ack always names its invoker; only forced timeouts pass null
      if (invoker !== null) this.invokerPool.invocationFinished(invoker, invocationResult(isSuccess, false));
    }
    // else: a forced timeout after the ack — nothing to do.
  }

  private maybeLeaveOverflowState(): void {
    if (this.overflowState && this.localOverflowActivationCount === 0) {
      this.overflowState = false;
      this.listener.overflowStateChanged(false); // sim: observer
    }
  }

  private processActiveAck(msg: Message): void {
    const m = msg as CompletionMessage;
    const forwardedTimeout = m.forcedTimeout === true && this.forwardTimeoutAsFailure;
    this.processCompletion(m.response, m.activationId, false, m.invoker, forwardedTimeout);
    this.activationFeed.processed();
  }

  /** `MaxOffset` from the overflow feed: the topic looks drained, so leave overflow state. */
  private offsetMonitor(_signal: 'MaxOffset'): void {
    if (this.overflowState) {
      this.overflowState = false;
      this.listener.overflowStateChanged(false); // sim: observer
    }
  }

  /** Handles one message of the shared overflow topic. */
  private processOverflow(msg: Message): void {
    const m = msg as OverflowMessage;
    const aid = m.msg.activationId;
    const respectCapacity = this.fixes.has('overflow-respects-capacity');
    const requeue = respectCapacity || this.fixes.has('requeue-overflow-without-invokers');
    let chosen: number | null;
    try {
      // The Scala removes the local entry first; the choice does not depend on it (an entry parked in the
      // overflow topic has no invoker count), so choosing first lets a requeue leave the entry in place.
      chosen = this.chooseInvoker(m.hash, m.pull, !respectCapacity);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: chooseInvoker throws nothing but JvmExceptions
      if (!(e instanceof JvmException)) throw e;
      // The exception escapes the handler: the entry is already gone, and `Processed` is never sent, so the
      // feed loses one unit of capacity for good.
      const entryOption = this.loadBalancerData.removeActivationById(aid);
      this.dropOverflow(m, entryOption);
      return;
    }
    if (chosen === null && requeue) {
      if (this.pastForcedTimeout(m)) this.listener.overflowDropped(m.msg, false); // sim: observer
      else this.scheduler.scheduleOnce(this.config.overflowPollMs, this.boundRequeueOverflow, m);
      this.overflowFeed.processed();
      return;
    }
    const entryOption = this.loadBalancerData.removeActivationById(aid);
    if (chosen === null) {
      // No healthy invoker: OpenWhisk logs an error and drops the message.
      this.dropOverflow(m, entryOption);
      this.overflowFeed.processed();
      return;
    }
    if (entryOption !== null) {
      // Our own activation: give the entry its invoker and put it back; its timeout keeps running.
      entryOption.invokerName = chosen;
      this.loadBalancerData.putActivation(aid, returnEntry, false, entryOption);
      this.sendActivationToInvoker(this.messageProducer, m.msg, chosen, null);
    } else {
      let actionTimeoutMs = m.actionTimeoutSeconds * 1000;
      // Stryker disable next-line ConditionalExpression: every OverflowMessage this balancer sends carries publishedAtMs
      if (this.fixes.has('forward-timeout-as-failure') && m.publishedAtMs !== undefined) {
        // The original controller's deadline is publish + time limit + grace; aim at the same instant (and use
        // the exact limit, not the whole seconds the message carries).
        const waitedMs = this.scheduler.now() - m.publishedAtMs;
        actionTimeoutMs = Math.max(-this.activeAckTimeoutGraceMs, m.msg.action.timeoutMs - waitedMs);
      }
      const updatedMsg: ActivationMessage = { ...m.msg, rootControllerIndex: this.instance };
      this.setupActivation(actionTimeoutMs, aid, m.msg.user.uuid, chosen, updatedMsg, m.originalController, true);
      this.sendActivationToInvoker(this.messageProducer, updatedMsg, chosen, null);
    }
    this.overflowFeed.processed();
  }

  private dropOverflow(m: OverflowMessage, entryOption: ActivationEntry | null): void {
    if (entryOption !== null) {
      // Stryker disable next-line ConditionalExpression,UnaryOperator: an entry still in the bookkeeping has its timer armed (a fired timer removes the entry)
      if (entryOption.timeoutHandle !== -1) {
        // The Scala timer would fire later and find no entry; cancelling it is unobservable.
        this.scheduler.cancel(entryOption.timeoutHandle);
        // Stryker disable next-line UnaryOperator: the entry has just left the bookkeeping and is never read again
        entryOption.timeoutHandle = -1;
      }
      if (this.ownOverflowIds.delete(m.msg.activationId)) {
        this.localOverflowActivationCount -= 1;
        this.maybeLeaveOverflowState();
      }
    }
    this.listener.overflowDropped(m.msg, entryOption !== null); // sim: observer
  }

  /** Whether the original controller's forced timeout (publish + action time limit + grace) has passed. */
  private pastForcedTimeout(m: OverflowMessage): boolean {
    // Stryker disable next-line ConditionalExpression,BooleanLiteral: every OverflowMessage this balancer sends carries publishedAtMs
    if (m.publishedAtMs === undefined) return false;
    return this.scheduler.now() >= m.publishedAtMs + m.msg.action.timeoutMs + this.activeAckTimeoutGraceMs;
  }

  /** Fixes 3 and 5: put the message back on the topic (not counted as a new own send). */
  private requeueOverflow(m: OverflowMessage): void {
    this.messageProducer.send(topics.overflow, m);
  }

  private setupActivation(
    actionTimeoutMs: number,
    activationId: number,
    namespaceId: string,
    invokerName: number | null,
    msg: ActivationMessage,
    originalController: number | null = null,
    isOverflow = false,
  ): ActivationEntry {
    const args = this.setupArgs;
    args.id = activationId;
    args.namespaceId = namespaceId;
    args.invokerName = invokerName;
    args.msg = msg;
    args.timeoutMs = actionTimeoutMs + this.activeAckTimeoutGraceMs;
    args.originalController = originalController;
    args.isOverflow = isOverflow;
    const entry = this.loadBalancerData.putActivation(activationId, this.boundMakeEntry, isOverflow, args);
    args.msg = null;
    return entry;
  }

  private makeEntry(args: SetupArgs): ActivationEntry {
    const promise = new ActivationPromise(args.msg!);
    const entry = newActivationEntry(args.id, args.namespaceId, args.invokerName, promise, args.originalController, args.isOverflow);
    entry.timeoutHandle = this.scheduler.scheduleOnce(args.timeoutMs, this.boundForcedTimeout, entry);
    return entry;
  }

  /** The usage an InvokerUsage view reads: this controller's bookkeeping. */
  usageOf(invoker: number): number {
    return this.loadBalancerData.activationCountOnInvoker(invoker);
  }

  /** Picks an invoker of the action's partition; null when none qualifies. Throws JvmException on a bad hash. */
  chooseInvoker(hash: number, pull: boolean, overflow: boolean): number | null {
    const invokersToUse = pull ? this.blackboxInvokers : this.managedInvokers;
    return schedulePR(invokersToUse, this.config.busyThreshold, hash, overflow, this.stepSizes);
  }
}

/** The facade the controller holds (`LoadBalancerActorService`): count stubs and the ask to the actor. */
export class LoadBalancerActorService implements LoadBalancer {
  readonly lbActor: LoadBalancerActor;
  private readonly throttlingEnabled: boolean;

  constructor(context: LoadBalancerContext) {
    this.lbActor = new LoadBalancerActor(
      context.config,
      context.instance,
      context.invokerPool,
      context,
      context.loadBalancerData,
      context.scheduler,
      context.callbacks,
      context.listener,
    );
    this.throttlingEnabled = context.config.fixes.includes('throttling-enabled');
    context.invokerPool.subscribeLoadBalancer(this.lbActor);
  }

  /** PR #2932 stubs this to 0 (§18.7) unless `throttling-enabled`. */
  activeActivationsFor(namespaceUuid: string): number {
    return this.throttlingEnabled ? this.lbActor.loadBalancerData.activationCountOn(namespaceUuid) : 0;
  }

  /** PR #2932 stubs this to 0 (§18.7) unless `throttling-enabled`. */
  totalActiveActivations(): number {
    return this.throttlingEnabled ? this.lbActor.loadBalancerData.totalActivationCount() : 0;
  }

  publish(action: ActionMeta, msg: ActivationMessage): void {
    this.lbActor.publish(action, msg);
  }

  invokerHealth(): readonly InvokerHealth[] {
    return this.lbActor.allInvokersLocal;
  }

  believedLoad(invoker: number): number {
    return this.lbActor.loadBalancerData.activationCountOnInvoker(invoker);
  }

  get overflowState(): boolean {
    return this.lbActor.overflowState;
  }

  get localOverflowActivationCount(): number {
    return this.lbActor.localOverflowActivationCount;
  }

  close(): void {
    this.lbActor.close();
  }
}

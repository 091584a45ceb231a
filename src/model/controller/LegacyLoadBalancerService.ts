/**
 * Port of the balancer class in core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 — the balancer PR #2932 replaced (scenario `legacy`).
 * semantics.md §4, §5, §7.1, §8.
 *
 * What it models: one controller's placement of activations with no overflow path.
 *   publish: chooseInvoker (the invoker list from InvokerPool, split into the managed / blackbox partition,
 *   `schedulePrePR` on this controller's own counts: first healthy invoker below T, then below 2T, 3T, then
 *   the first healthy one) → setupActivation (entry + forced timeout of action time limit + grace) → send to
 *   topic `invoker<k>`. No healthy invoker fails the publish (`noInvokers`); a negative hash (Java's
 *   abs(Int.MinValue)) makes the Scala index a sequence at a negative position, which also fails it
 *   (`hashIndexOutOfBounds`, unless the fix `hash-abs-min-value` is on).
 *   processCompletion: the entry found → release it, tell InvokerPool (success unless a whisk error or a
 *   forced timeout), resolve the caller; no entry and not forced (a late ack or a health test action) → still
 *   tell InvokerPool, so an activation that timed out and is acked later counts twice (§18.10); no entry and
 *   forced → nothing.
 *
 * Akka-to-DES mapping:
 * - MB asks InvokerPool for its status on every publish (5 s ask) and reads counts through Futures; with local
 *   bookkeeping those are already-completed, so the model reads the pool's list (pushed on change) and the
 *   counts synchronously. // port: invokerPool ? GetStatus → cached StatusUpdate
 * - MB leaves the forced-timeout timer to fire into an empty map after a completion; cancelling it instead is
 *   unobservable and keeps the agenda small. // port: scheduler.scheduleOnce → sim scheduler (cancelled on ack)
 * - Promises are `ActivationPromise`s resolved through the shared callbacks (no closure per activation).
 * - With distributed bookkeeping (DistributedLoadBalancerDataMB) the counts are a real asynchronous read, as in
 *   MB's chooseInvoker: publish asks for the invoker counts, and only when the answer arrives does it schedule
 *   on them and record the entry. Publishes whose reads overlap decide on the same stale counts (§18.9).
 *   // port: ask(GetMap) Future → readInvokerCounts callback
 */
import type { ActionMeta, ActivationMessage, ActivationResponse, CompletionMessage, Message } from '../messages.js';
import { topics } from '../messages.js';
import type { MessageProducer, Scheduler } from '../messaging.js';
import type { ControllersConfig } from '../../scenario/types.js';
import type { LoadBalancerData } from '../bookkeeping/LocalLoadBalancerData.js';
import { DistributedLoadBalancerDataMB, type InvokerCounts } from '../bookkeeping/DistributedLoadBalancerDataMB.js';
import type { MessageFeed } from '../kafka/MessageFeed.js';
import { activeAckFeed } from './activeAckFeed.js';
import { newActivationEntry, type ActivationEntry } from './ActivationEntry.js';
import { ActivationPromise } from './ActivationPromise.js';
import {
  JvmException,
  createPairwiseCoprimeNumbersUntil,
  generateHash,
  partitionInvokers,
  schedulePrePR,
  InvokerUsage,
  type InvokerUsageSource,
  type StepSizes,
} from './LoadBalancerService.js';
import type { ActivationCallbacks, InvokerHealth, LoadBalancer, LoadBalancerContext } from './LoadBalancer.js';
import type { InvocationFinishedResult, InvokerPool, StatusSubscriber } from './InvokerSupervision.js';


/** Arguments of one setupActivation, reused so the entry factory is bound once. */
interface SetupArgs {
  id: number;
  namespaceId: string;
  invokerName: number | null;
  msg: ActivationMessage | null;
  timeoutMs: number;
}

/** Maps the 2017 boolean (`isSuccess && !forced`) onto InvokerPool's result. */
export function invocationResult(isSuccess: boolean, forced: boolean): InvocationFinishedResult {
  if (forced) return 'Timeout';
  return isSuccess ? 'Success' : 'SystemError';
}

export class LegacyLoadBalancerService implements LoadBalancer, StatusSubscriber, InvokerUsageSource {
  readonly overflowState = false;
  private readonly config: ControllersConfig;
  private readonly scheduler: Scheduler;
  private readonly callbacks: ActivationCallbacks;
  private readonly invokerPool: InvokerPool;
  private readonly loadBalancerData: LoadBalancerData;
  private readonly messageProducer: MessageProducer;
  private readonly activationFeed: MessageFeed;
  private readonly activeAckTimeoutGraceMs: number;
  private readonly fixAbsMinValue: boolean;
  /** The memoized step-size table of the companion object. */
  private readonly stepSizes: StepSizes = createPairwiseCoprimeNumbersUntil();

  // Stryker disable ArrayDeclaration: the first StatusUpdate (on subscription, in the constructor) replaces all three
  private allInvokers: readonly InvokerHealth[] = [];
  private managedInvokers: InvokerUsage[] = [];
  private blackboxInvokers: InvokerUsage[] = [];
  // Stryker restore ArrayDeclaration

  // Stryker disable next-line ObjectLiteral,StringLiteral: placeholders; setupActivation sets every field before makeEntry reads it
  private readonly setupArgs: SetupArgs = { id: 0, namespaceId: '', invokerName: null, msg: null, timeoutMs: 0 };
  private readonly boundMakeEntry: (args: SetupArgs) => ActivationEntry;
  private readonly boundSendCompleted: (ok: boolean, entry: ActivationEntry) => void;
  private readonly boundForcedTimeout: (entry: ActivationEntry) => void;
  /** The asynchronous distributed bookkeeping, when the scenario uses it (null: counts are read at once). */
  private readonly asyncData: DistributedLoadBalancerDataMB | null;
  /** The counts of the read being answered (only set inside `countsRead`). */
  private readCounts: InvokerCounts | null = null;
  private readonly boundCountsRead: (counts: InvokerCounts, msg: ActivationMessage) => void;

  constructor(context: LoadBalancerContext) {
    this.config = context.config;
    this.scheduler = context.scheduler;
    this.callbacks = context.callbacks;
    this.invokerPool = context.invokerPool;
    this.loadBalancerData = context.loadBalancerData;
    this.activeAckTimeoutGraceMs = context.config.timeoutGraceMs;
    this.fixAbsMinValue = context.config.fixes.includes('hash-abs-min-value');
    this.messageProducer = context.messaging.getProducer();
    this.boundMakeEntry = this.makeEntry.bind(this);
    this.boundSendCompleted = this.sendCompleted.bind(this);
    this.boundForcedTimeout = this.forcedTimeout.bind(this);
    this.asyncData = this.loadBalancerData instanceof DistributedLoadBalancerDataMB ? this.loadBalancerData : null;
    this.boundCountsRead = this.countsRead.bind(this);

    this.activationFeed = activeAckFeed(context, this.processActiveAck.bind(this));
    this.invokerPool.subscribeLoadBalancer(this);
  }

  /** Gets the number of in-flight activations for a namespace (MB: real counts). */
  activeActivationsFor(namespaceUuid: string): number {
    return this.loadBalancerData.activationCountOn(namespaceUuid);
  }

  /** Gets the number of in-flight activations in the system. */
  totalActiveActivations(): number {
    return this.loadBalancerData.totalActivationCount();
  }

  invokerHealth(): readonly InvokerHealth[] {
    return this.allInvokers;
  }

  believedLoad(invoker: number): number {
    return this.loadBalancerData.activationCountOnInvoker(invoker);
  }

  /** The pool's status changed: cache it and re-split the partitions. */
  statusUpdate(status: readonly InvokerHealth[]): void {
    this.allInvokers = status;
    const views = status.map((h) => new InvokerUsage(h.id, h.status, this));
    const { managed, blackbox } = partitionInvokers(views, this.config.blackboxFraction);
    this.managedInvokers = managed;
    this.blackboxInvokers = blackbox;
  }

  /**
   * 1. choose an invoker (failing the publish if none or if the hash indexes out of bounds),
   * 2. set up the entry and its forced timeout, 3. send the message to the invoker's topic.
   */
  publish(action: ActionMeta, msg: ActivationMessage): void {
    if (this.asyncData !== null) {
      // MB: `loadBalancerData.activationCountPerInvoker flatMap { counts => ... }`.
      this.asyncData.readInvokerCounts(this.boundCountsRead, msg);
      return;
    }
    this.publishWithCounts(action, msg);
  }

  /** The usage the schedule sees: the answered read's counts, or the bookkeeping's current ones. */
  usageOf(invoker: number): number {
    const counts = this.readCounts;
    return counts !== null ? counts.countOn(invoker) : this.loadBalancerData.activationCountOnInvoker(invoker);
  }

  /** The asynchronous count read answered: schedule on those (possibly stale) counts and record. */
  private countsRead(counts: InvokerCounts, msg: ActivationMessage): void {
    this.readCounts = counts;
    try {
      this.publishWithCounts(msg.action, msg);
    } finally {
      this.readCounts = null;
    }
  }

  private publishWithCounts(action: ActionMeta, msg: ActivationMessage): void {
    let invokerName: number | null;
    try {
      invokerName = this.chooseInvoker(msg, action);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: chooseInvoker throws nothing but JvmExceptions
      if (!(e instanceof JvmException)) throw e;
      this.callbacks.failed(msg, publishFailureReason(e));
      return;
    }
    if (invokerName === null) {
      // LoadBalancerException("no invokers available")
      this.callbacks.failed(msg, 'noInvokers');
      return;
    }
    const entry = this.setupActivation(action, msg, invokerName);
    (entry.promise as ActivationPromise).onComplete(this.callbacks);
    this.sendActivationToInvoker(this.messageProducer, msg, invokerName, entry);
  }

  /** Stops consuming acks (controller crash or end of run). */
  close(): void {
    this.activationFeed.stop();
  }

  /** The forced-timeout timer fired for `entry`. */
  forcedTimeout(entry: ActivationEntry): void {
    entry.timeoutHandle = -1;
    // Stryker disable next-line StringLiteral: a forced completion fails the promise and reports Timeout whatever the response
    this.processCompletion('left', entry.id, true, entry.invokerName);
  }

  /**
   * Resolves the entry of `activationId`, if any, and reports the outcome to InvokerPool.
   * @param forced true when the forced timeout fired (no ack arrived in time)
   * @param invoker the invoker that sent the ack (null for a forced timeout without one)
   */
  processCompletion(response: ActivationResponse, activationId: number, forced: boolean, invoker: number | null): void {
    // A Left (result too large for the bus) counts as success.
    const isSuccess = response !== 'whiskError';
    const entry = this.loadBalancerData.removeActivationById(activationId);
    if (entry !== null) {
      if (entry.timeoutHandle !== -1) {
        this.scheduler.cancel(entry.timeoutHandle);
        // Stryker disable next-line UnaryOperator: the entry has just left the bookkeeping and is never read again
        entry.timeoutHandle = -1;
      }
      // Stryker disable next-line ConditionalExpression: legacy entries always have an invoker (publish sets it)
      if (entry.invokerName !== null) {
        this.invokerPool.invocationFinished(entry.invokerName, invocationResult(isSuccess, forced));
      }
      const promise = entry.promise as ActivationPromise;
      if (!forced) promise.trySuccess(response);
      else promise.tryFailure();
    } else if (!forced) {
      // A health test action, or an activation that already timed out: the invoker answered, so report it
      // (a timed-out activation thereby counts twice, §18.10).
      // Stryker disable next-line ConditionalExpression: an ack always names its invoker; only forced timeouts pass null
      if (invoker !== null) this.invokerPool.invocationFinished(invoker, invocationResult(isSuccess, false));
    }
    // else: forced, and the ack was already processed — nothing to do.
  }

  private processActiveAck(msg: Message): void {
    const m = msg as CompletionMessage;
    this.processCompletion(m.response, m.activationId, false, m.invoker);
    this.activationFeed.processed();
  }

  private setupActivation(action: ActionMeta, msg: ActivationMessage, invokerName: number): ActivationEntry {
    const args = this.setupArgs;
    args.id = msg.activationId;
    args.namespaceId = msg.user.uuid;
    args.invokerName = invokerName;
    args.msg = msg;
    args.timeoutMs = action.timeoutMs + this.activeAckTimeoutGraceMs;
    // Stryker disable next-line BooleanLiteral: the local and MB stores (the ones legacy runs on) ignore the overflow flag
    const entry = this.loadBalancerData.putActivation(msg.activationId, this.boundMakeEntry, false, args);
    args.msg = null;
    return entry;
  }

  private makeEntry(args: SetupArgs): ActivationEntry {
    // Stryker disable next-line BooleanLiteral: the local and MB stores (the ones legacy runs on) never read an entry's overflow flag
    const entry = newActivationEntry(args.id, args.namespaceId, args.invokerName, new ActivationPromise(args.msg!), null, false);
    // Install the forced timeout for an ack that never comes (invoker down, bus disrupted, long queues).
    entry.timeoutHandle = this.scheduler.scheduleOnce(args.timeoutMs, this.boundForcedTimeout, entry);
    return entry;
  }

  private sendActivationToInvoker(producer: MessageProducer, msg: ActivationMessage, invoker: number, entry: ActivationEntry): void {
    producer.send(topics.invoker(invoker), msg, this.boundSendCompleted, entry);
  }

  /** The producer's answer: a failed send fails the publish; the entry stays and times out later. */
  private sendCompleted(ok: boolean, entry: ActivationEntry): void {
    if (ok) return;
    const promise = entry.promise as ActivationPromise;
    promise.abandon();
    this.callbacks.failed(promise.msg, 'sendFailed');
  }

  /** Determines the invoker for the action; null when no invoker is healthy. Throws JvmException on a bad hash. */
  private chooseInvoker(msg: ActivationMessage, action: ActionMeta): number | null {
    const invokers = action.pull ? this.blackboxInvokers : this.managedInvokers;
    const hash = generateHash(msg.user.namespace, action.fqn, { fixAbsMinValue: this.fixAbsMinValue });
    return schedulePrePR(invokers, this.config.busyThreshold, hash, this.stepSizes);
  }
}

/** The reason a JvmException gives a failed publish. */
export function publishFailureReason(e: JvmException): string {
  // Stryker disable next-line ConditionalExpression: every balancer's choice throws only IndexOutOfBoundsException (threshold ≤ 0 cannot build the overflow balancer)
  return e.simpleName === 'IndexOutOfBoundsException' ? 'hashIndexOutOfBounds' : e.simpleName;
}

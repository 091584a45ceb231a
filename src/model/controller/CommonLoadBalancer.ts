/**
 * Port of the plumbing every balancer shares, as OpenWhisk HEAD splits it out:
 *   core/controller/src/main/scala/org/apache/openwhisk/core/loadBalancer/CommonLoadBalancer.scala
 *   @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510.
 * The 2017 balancers (MB's LoadBalancerService and PR #2932's LoadBalancerActor) carried the same code inline;
 * owsim's `legacy`, `overflow` and `sharding` balancers all extend this class and keep only what differs, and
 * a user's balancer module may extend it too (docs/extending.md).
 *
 * What lives here, once:
 * - the entry bookkeeping: `setupActivation` puts an `ActivationEntry` (with its promise) into the controller's
 *   LoadBalancerData and arms the forced ("active ack") timeout (on `forcedTimeouts`: see below);
 *   `activeActivationsFor` and `totalActiveActivations` read the same bookkeeping;
 * - `sendActivationToInvoker`: the send to topic `invoker<k>`; a failed send fails the publish (the entry stays
 *   and its forced timeout frees it);
 * - the completion feed (`activationFeed`: topic `completed<instance>`, group `completions`) and
 *   `processAcknowledgement`;
 * - `processCompletion` for an ack or a forced timeout: remove the entry, `releaseInvoker`, cancel the timer,
 *   resolve the caller, and report the result to InvokerPool (`invocationFinished`: the invoker-health
 *   reporting);
 * - the invoker list InvokerPool pushes (`statusUpdate`, read back by `invokerHealth`).
 *
 * What a subclass decides (the Scala's abstract members and the eras' differences):
 * - `publish` (how an invoker is chosen);
 * - `releaseInvoker` (HEAD's sharding frees its memory share; the 2017 balancers have nothing to free);
 * - `forcedTimeoutMs` (HEAD: max(limit, 1 min) × 2 + addon; 2017: limit + grace);
 * - `reportsAckWithoutEntry` (HEAD reports only a health action's ack when no entry is left; 2017 reports
 *   every ack, so a timed-out activation acked late counts twice);
 * - `entryRemoved` (PR #2932 forwards a foreign overflow entry's completion and keeps its overflow count);
 * - `isForwardedTimeout` (PR #2932's fix `forward-timeout-as-failure`).
 *
 * Subclasses subscribe to InvokerPool themselves at the end of their constructor (the pool answers with the
 * current list at once, which a subclass's `statusUpdate` may need its own fields for).
 *
 * Akka-to-DES mapping: the Scala timer fires into an empty map after an ack; cancelling it instead is
 * unobservable and keeps the agenda small (// port: scheduler.scheduleOnce → sim scheduler, cancelled on ack).
 * The forced timeouts are armed on a TimerLanes over the controller's scheduler: a Scheduler that keeps one
 * kernel event per timeout length instead of one per activation and fires each timer exactly when and in the
 * order an individual timer would (src/model/common/TimerLanes.ts).
 * The promise is the entry itself (`ActivationPromise`), resolved through the controller's callbacks (no
 * closure and no second object per activation).
 */
import type { ActionMeta, ActivationMessage, ActivationResponse, CompletionMessage, Message } from '../messages.js';
import { topics } from '../messages.js';
import type { MessageProducer, Scheduler } from '../messaging.js';
import type { ControllersConfig } from '../../scenario/types.js';
import type { Rng } from '../../sim/rng.js';
import type { LoadBalancerData } from '../bookkeeping/LoadBalancerData.js';
import type { MessageFeed } from '../kafka/MessageFeed.js';
import { JvmException } from '../common/JvmException.js';
import { activeAckFeed } from './activeAckFeed.js';
import { TimerLanes } from '../common/TimerLanes.js';
import { newActivationEntry, type ActivationEntry } from './ActivationEntry.js';
import type {
  ActivationCallbacks,
  InvokerHealth,
  LoadBalancer,
  LoadBalancerContext,
  LoadBalancerListener,
} from './LoadBalancer.js';
import type { InvocationFinishedResult, InvokerPool, StatusSubscriber } from './InvokerSupervision.js';

/** `whisk.loadbalancer.timeout-factor` at HEAD: the forced timeout is this many action time limits … */
export const TIMEOUT_FACTOR = 2;
/** … of at least `TimeLimit.STD_DURATION` (1 min) each, plus the addon (scenario `timeoutGrace`). */
export const TIME_LIMIT_STD_MS = 60_000;

/**
 * HEAD's forced ("active ack") timeout (CommonLoadBalancer.scala:113-115@HEAD):
 * max(action time limit, 1 min) × timeout-factor + timeout-addon. owsim takes the addon from the scenario's
 * `controllers.timeoutGrace`, whose 1 min default equals HEAD's `timeout-addon`; so a 1-min action is forced
 * after 3 min and a 5-min action after 11 min.
 */
export function forcedTimeoutMs(actionTimeoutMs: number, timeoutAddonMs: number): number {
  return Math.max(actionTimeoutMs, TIME_LIMIT_STD_MS) * TIMEOUT_FACTOR + timeoutAddonMs;
}

/** Maps "success and not forced" onto InvokerPool's result (`InvocationFinishedResult`). */
export function invocationResult(isSuccess: boolean, forced: boolean): InvocationFinishedResult {
  if (forced) return 'Timeout';
  return isSuccess ? 'Success' : 'SystemError';
}

/** The reason a JvmException gives a failed publish. */
export function publishFailureReason(e: JvmException): string {
  // Stryker disable next-line ConditionalExpression: every built-in balancer's choice throws only IndexOutOfBoundsException (a threshold ≤ 0 cannot build the overflow balancer)
  return e.simpleName === 'IndexOutOfBoundsException' ? 'hashIndexOutOfBounds' : e.simpleName;
}

/** Arguments of one setupActivation, reused so the entry factory is bound once (no closure per activation). */
interface SetupArgs {
  msg: ActivationMessage | null;
  invoker: number | null;
  timeoutMs: number;
  originalController: number | null;
  isOverflow: boolean;
}

export abstract class CommonLoadBalancer implements LoadBalancer, StatusSubscriber {
  readonly instance: number;
  readonly config: ControllersConfig;
  /** This controller's bookkeeping (Scala `activationSlots` and the counters next to it). */
  readonly loadBalancerData: LoadBalancerData;
  /** The completion feed on `completed<instance>`. */
  readonly activationFeed: MessageFeed;
  protected readonly scheduler: Scheduler;
  /** The forced-timeout timers (Akka's `scheduler.scheduleOnce`): `scheduler` behind a TimerLanes. */
  protected readonly forcedTimeouts: Scheduler;
  protected readonly callbacks: ActivationCallbacks;
  protected readonly listener: LoadBalancerListener;
  protected readonly invokerPool: InvokerPool;
  protected readonly messageProducer: MessageProducer;
  /** This controller's own random stream (the sharding fallback, a placement policy). */
  protected readonly rng: Rng;
  /** The invoker list InvokerPool pushed last (indexed by instance number, padded with Offline). */
  // Stryker disable next-line ArrayDeclaration: every subclass subscribes to InvokerPool at the end of its constructor, and the pool's first StatusUpdate replaces it before any use
  protected allInvokers: readonly InvokerHealth[] = [];

  // Stryker disable next-line ObjectLiteral,BooleanLiteral: placeholders; setupActivation sets every field before makeEntry reads it
  private readonly setupArgs: SetupArgs = { msg: null, invoker: null, timeoutMs: 0, originalController: null, isOverflow: false };
  private readonly boundMakeEntry: (args: SetupArgs) => ActivationEntry;
  private readonly boundSendCompleted: (ok: boolean, entry: ActivationEntry) => void;
  private readonly boundForcedTimeout: (entry: ActivationEntry) => void;

  constructor(context: LoadBalancerContext) {
    this.instance = context.instance;
    this.config = context.config;
    this.scheduler = context.scheduler;
    this.forcedTimeouts = new TimerLanes(context.scheduler);
    this.callbacks = context.callbacks;
    this.listener = context.listener;
    this.invokerPool = context.invokerPool;
    this.loadBalancerData = context.loadBalancerData;
    this.rng = context.rng;
    this.messageProducer = context.messaging.getProducer();
    this.boundMakeEntry = this.makeEntry.bind(this);
    this.boundSendCompleted = this.sendCompleted.bind(this);
    this.boundForcedTimeout = this.forcedTimeout.bind(this);
    this.activationFeed = activeAckFeed(context, this.processAcknowledgement.bind(this));
  }

  /** Places an activation: choose an invoker, `setupActivation`, `sendActivationToInvoker`. */
  abstract publish(action: ActionMeta, msg: ActivationMessage): void;

  /** In-flight activations of a namespace (by uuid), from the bookkeeping. */
  activeActivationsFor(namespaceUuid: string): number {
    return this.loadBalancerData.activationCountOn(namespaceUuid);
  }

  /** In-flight activations of this controller, from the bookkeeping. */
  totalActiveActivations(): number {
    return this.loadBalancerData.totalActivationCount();
  }

  invokerHealth(): readonly InvokerHealth[] {
    return this.allInvokers;
  }

  believedLoad(invoker: number): number {
    return this.loadBalancerData.activationCountOnInvoker(invoker);
  }

  /** InvokerPool's status changed; subclasses extend this to rebuild what they derive from the list. */
  statusUpdate(status: readonly InvokerHealth[]): void {
    this.allInvokers = status;
  }

  /** Stops consuming acks (controller crash or end of run). */
  close(): void {
    this.activationFeed.stop();
  }

  /** The forced timeout of an action with this time limit, in ms (HEAD's rule by default). */
  protected forcedTimeoutMs(action: ActionMeta): number {
    return forcedTimeoutMs(action.timeoutMs, this.config.timeoutGraceMs);
  }

  /** Frees what the activation held on its invoker (HEAD: abstract; nothing by default). */
  protected releaseInvoker(_invoker: number, _entry: ActivationEntry): void {}

  /**
   * Whether an ack that finds no entry is still reported to InvokerPool. HEAD: only a health test action's
   * (negative ids); a user activation's late ack was already reported as a timeout.
   */
  protected reportsAckWithoutEntry(activationId: number): boolean {
    return activationId < 0;
  }

  /** Called with an entry just removed, after its timer is cancelled and before its caller is resolved. */
  protected entryRemoved(_entry: ActivationEntry, _response: ActivationResponse, _forced: boolean): void {}

  /** Whether a completion message carries a timeout another controller forwarded (PR #2932 only). */
  // Stryker disable next-line BlockStatement: an emptied body returns undefined, which the only caller reads as false, as it does the original
  protected isForwardedTimeout(_m: CompletionMessage): boolean {
    return false;
  }

  /**
   * Records the entry of `msg` (`invoker` null while it waits in PR #2932's overflow topic) and arms its forced
   * timeout of `timeoutMs`. If an entry for the id exists, the bookkeeping returns it unchanged.
   */
  protected setupActivation(
    msg: ActivationMessage,
    invoker: number | null,
    timeoutMs: number,
    originalController: number | null = null,
    isOverflow = false,
  ): ActivationEntry {
    const args = this.setupArgs;
    args.msg = msg;
    args.invoker = invoker;
    args.timeoutMs = timeoutMs;
    args.originalController = originalController;
    args.isOverflow = isOverflow;
    const entry = this.loadBalancerData.putActivation(msg.activationId, this.boundMakeEntry, isOverflow, args);
    args.msg = null;
    return entry;
  }

  /**
   * The end of HEAD's publish: with an invoker, set up the entry (forced timeout `timeoutMs`), let the caller
   * listen to it and send the activation; without one, fail the publish (`LoadBalancerException("No invokers
   * available")`).
   */
  protected publishTo(msg: ActivationMessage, invoker: number | null, timeoutMs: number): void {
    if (invoker === null) {
      this.publishFailed(msg, 'noInvokers');
      return;
    }
    const entry = this.setupActivation(msg, invoker, timeoutMs);
    this.awaitResult(entry);
    this.sendActivationToInvoker(this.messageProducer, msg, invoker, entry);
  }

  /** The caller listens to the entry's result (the Scala `Future` handed back by publish). */
  protected awaitResult(entry: ActivationEntry): void {
    entry.promise.onComplete(this.callbacks);
  }

  /** Sends `msg` to `invoker<k>`; with an entry, a failed send fails the publish. */
  protected sendActivationToInvoker(producer: MessageProducer, msg: ActivationMessage, invoker: number, entry: ActivationEntry | null): void {
    const sent = producer.send(topics.invoker(invoker), msg);
    if (entry !== null) sent.andThen(this.boundSendCompleted, entry);
  }

  /** The publish failed before the activation was placed. */
  protected publishFailed(msg: ActivationMessage, reason: string): void {
    this.callbacks.failed(msg, reason);
  }

  /**
   * Choosing an invoker threw: a JvmException (a negative hash indexing out of bounds, a failed requirement)
   * fails the publish as in OpenWhisk; anything else is a bug and propagates.
   */
  protected publishThrew(msg: ActivationMessage, e: unknown): void {
    if (!(e instanceof JvmException)) throw e;
    this.callbacks.failed(msg, publishFailureReason(e));
  }

  /** Cancels the forced-timeout timer of an entry taken out of the bookkeeping. */
  protected cancelForcedTimeout(entry: ActivationEntry): void {
    if (entry.timeoutHandle !== -1) {
      this.forcedTimeouts.cancel(entry.timeoutHandle);
      // Stryker disable next-line UnaryOperator: the entry has just left the bookkeeping and is never read again
      entry.timeoutHandle = -1;
    }
  }

  /** The forced-timeout timer fired for `entry`. */
  protected forcedTimeout(entry: ActivationEntry): void {
    entry.timeoutHandle = -1;
    this.processCompletion(entry.id, 'left', true, entry.invokerName);
  }

  /** One message of the completion feed. */
  protected processAcknowledgement(msg: Message): void {
    const m = msg as CompletionMessage;
    this.processCompletion(m.activationId, m.response, false, m.invoker, this.isForwardedTimeout(m));
    this.activationFeed.processed();
  }

  /**
   * Resolves the entry of `activationId`, if any, and reports the invoker's answer to InvokerPool.
   * @param response the invoker's answer (`left` is OpenWhisk's Left(activationId): a result too large for the
   *   bus, treated as success)
   * @param forced true when the forced timeout fired (no ack arrived in time)
   * @param invoker the acking invoker (the entry's for a forced timeout)
   * @param forwardedTimeout PR #2932 with `forward-timeout-as-failure`: another controller forwarded its timeout
   */
  // Stryker disable next-line BooleanLiteral: only the forced timeout leaves the default, and with forced = true forwardedTimeout changes nothing
  processCompletion(activationId: number, response: ActivationResponse, forced: boolean, invoker: number | null, forwardedTimeout = false): void {
    const isSuccess = response !== 'whiskError';
    const entry = this.loadBalancerData.removeActivationById(activationId);
    if (entry !== null) {
      const entryInvoker = entry.invokerName;
      // Stryker disable next-line ConditionalExpression: an entry without invoker (PR #2932's, parked in the overflow topic) holds nothing, and no built-in releaseInvoker frees anything for a null invoker
      if (entryInvoker !== null) this.releaseInvoker(entryInvoker, entry);
      this.cancelForcedTimeout(entry);
      this.entryRemoved(entry, response, forced);
      const promise = entry.promise;
      if (!forced && !forwardedTimeout) promise.trySuccess(response);
      else promise.tryFailure();
      if (entryInvoker !== null) this.invokerPool.invocationFinished(entryInvoker, invocationResult(isSuccess, forced));
    } else if (!forced && !forwardedTimeout && invoker !== null && this.reportsAckWithoutEntry(activationId)) {
      // A health test action (no entry by design), or, where reported, an ack that arrived after its timeout.
      this.invokerPool.invocationFinished(invoker, invocationResult(isSuccess, false));
    }
    // else: a forced timeout after the ack, or a late ack not reported — nothing to do.
  }

  private makeEntry(args: SetupArgs): ActivationEntry {
    const msg = args.msg!;
    const entry = newActivationEntry(msg, args);
    // The forced timeout, for an ack that never comes (invoker down, bus disrupted, long queues).
    entry.timeoutHandle = this.forcedTimeouts.scheduleOnce(args.timeoutMs, this.boundForcedTimeout, entry);
    return entry;
  }

  /** The producer's answer: a failed send fails the publish; the entry stays and its forced timeout frees it. */
  private sendCompleted(ok: boolean, entry: ActivationEntry): void {
    if (ok) return;
    const promise = entry.promise;
    promise.abandon();
    this.callbacks.failed(promise.msg, 'sendFailed');
  }
}

/**
 * Port of `LoadBalancerActorService` and `LoadBalancerActor` in
 *   core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala
 *   @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (OpenWhisk PR #2932, never merged; scenario `overflow`).
 * docs/openwhisk.md §6, §7.2, §8, §18.
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
 *   §18.1 abs(Int.MinValue) (`hash-abs-min-value`): in publish the throw escapes the actor's receive, so Akka
 *         restarts the actor (empty invoker list, overflow state off) and the ask goes unanswered until its
 *         30 s timeout (`actor-survives-publish-throw`: that publish fails at once instead); in
 *         processOverflow the throw escapes the handler, the message is lost and the feed never gets its
 *         `Processed` back.
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
 * Promises are `ActivationPromise`s (the entry itself); an entry made for another controller's activation gets no
 * listener, as its Scala promise has none. // port: Promise → ActivationPromise
 */
import type { ActionMeta, ActivationMessage, ActivationResponse, CompletionMessage, Message, OverflowMessage } from '../messages.js';
import { DerivedOverflowMessage, reroutedTo, topics } from '../messages.js';
import type { ControllerFix } from '../../scenario/types.js';
import { MessageFeed } from '../kafka/MessageFeed.js';
import type { ActivationEntry } from './ActivationEntry.js';
import {
  JvmException,
  createPairwiseCoprimeNumbersUntil,
  generateHash,
  InvokerPartitions,
  schedulePR,
  type InvokerUsageSource,
  type StepSizes,
} from './LoadBalancerService.js';
import type { ActivationCallbacks, InvokerHealth, LoadBalancer, LoadBalancerContext } from './LoadBalancer.js';
import type { Scheduler } from '../messaging.js';
import { CommonLoadBalancer } from './CommonLoadBalancer.js';
import { IdMap } from '../common/IdMap.js';

/** `implicit val timeout = Timeout(30.seconds)` of LoadBalancerActorService: how long a Publish ask waits. */
export const PUBLISH_ASK_TIMEOUT_MS = 30_000;

function returnEntry(entry: ActivationEntry): ActivationEntry {
  return entry;
}

/**
 * The actor: all of the balancer's state and logic (`LoadBalancerActor`). The entry bookkeeping, forced
 * timeouts, acks and health reporting are CommonLoadBalancer's; this class adds the overflow topic, PR #2932's
 * overflow count and state, the forwarding of foreign completions, and MB's timeout and ack rules.
 */
export class LoadBalancerActor extends CommonLoadBalancer implements InvokerUsageSource {
  readonly activeAckTimeoutGraceMs: number;
  localOverflowActivationCount = 0;
  /** owsim's count (not OpenWhisk's): overflow messages put back on the topic by fixes 3 and 5. */
  overflowRequeues = 0;
  overflowState = false;
  /** owsim's count (not OpenWhisk's): restarts after a throw escaped `receive`. */
  restarts = 0;

  private readonly partitions: InvokerPartitions;
  private readonly stepSizes: StepSizes = createPairwiseCoprimeNumbersUntil();
  readonly overflowFeed: MessageFeed;
  /** Fixes read per activation, looked up once. */
  private readonly symmetricOverflowCount: boolean;
  private readonly forwardTimeoutAsFailure: boolean;
  private readonly survivesPublishThrow: boolean;
  /** `overflow-respects-capacity`: overflow placement only below T, else requeue. */
  private readonly overflowRespectsCapacity: boolean;
  /** Fixes 3 and 5 (`overflow-respects-capacity`, `requeue-overflow-without-invokers`): requeue an unplaceable message. */
  private readonly requeueUnplaceable: boolean;
  private readonly hashOptions: { readonly fixAbsMinValue: boolean };
  /**
   * symmetric-overflow-count: own activations sent to the overflow topic and not yet resolved (id → message).
   * An IdMap, not a Set: a churning Set keeps its dead tables and their members alive (see IdMap.ts).
   */
  private ownOverflowIds = new IdMap<ActivationMessage>();

  private readonly boundOverflowSentWithEntry: (ok: boolean, entry: ActivationEntry) => void;
  private readonly boundOverflowSentThenSetup: (ok: boolean, m: OverflowMessage) => void;
  private readonly boundRequeueOverflow: (m: OverflowMessage) => void;

  constructor(context: LoadBalancerContext) {
    super(context);
    this.partitions = new InvokerPartitions(this, context.config.blackboxFraction);
    const config = context.config;
    this.activeAckTimeoutGraceMs = config.timeoutGraceMs;
    const fixes: ReadonlySet<ControllerFix> = new Set(config.fixes);
    this.symmetricOverflowCount = fixes.has('symmetric-overflow-count');
    this.forwardTimeoutAsFailure = fixes.has('forward-timeout-as-failure');
    this.survivesPublishThrow = fixes.has('actor-survives-publish-throw');
    this.overflowRespectsCapacity = fixes.has('overflow-respects-capacity');
    this.requeueUnplaceable = this.overflowRespectsCapacity || fixes.has('requeue-overflow-without-invokers');
    this.hashOptions = { fixAbsMinValue: fixes.has('hash-abs-min-value') };
    this.boundOverflowSentWithEntry = this.overflowSentWithEntry.bind(this);
    this.boundOverflowSentThenSetup = this.overflowSentThenSetup.bind(this);
    this.boundRequeueOverflow = this.requeueOverflow.bind(this);

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
      context.scheduler,
      {
        offsetMonitor: this.offsetMonitor.bind(this),
        // Stryker disable next-line StringLiteral: MessageFeed treats every rule but 'pr' as the fixed one
        maxOffsetRule: fixes.has('max-offset-on-empty-poll') ? 'fixed' : 'pr',
      },
    );
  }

  override statusUpdate(status: readonly InvokerHealth[]): void {
    super.statusUpdate(status);
    this.partitions.update(status);
  }

  /**
   * `Publish(action, msg)`. A bad hash's JvmException escapes, as it escapes the Scala actor's `receive`
   * (unless `actor-survives-publish-throw`); LoadBalancerActorService then plays Akka's supervisor.
   */
  publish(action: ActionMeta, msg: ActivationMessage): void {
    const hash = generateHash(msg.user.namespace, action.fqn, this.hashOptions);
    if (!this.overflowState) {
      this.sendToInvokerOrOverflow(msg, action, hash, action.pull);
    } else {
      // The entry is set up only after the overflow send succeeds.
      const m = this.overflowMessage(msg, hash);
      this.sendActivationToOverflow(m, this.boundOverflowSentThenSetup, m);
    }
  }

  override close(): void {
    super.close();
    this.overflowFeed.stop();
  }

  /**
   * Akka's default supervision after an exception escaped `receive`: a fresh instance from the same Props.
   * What the Scala constructor makes anew starts over: the cached invoker list (empty until InvokerPool's next
   * StatusUpdate, which it sends only when an invoker registers or changes state), overflowState (off) and
   * localOverflowActivationCount (0). What the Props hands in survives: the bookkeeping with its entries and
   * the consumers; the forced-timeout timers already armed still fire. (The Scala restart also starts a second
   * pair of feeds on the same consumers while the old pair keeps running the old instance's handlers; the model
   * keeps its one pair of feeds, now serving the fresh state: docs/openwhisk.md §6.7.)
   */
  restart(): void {
    this.restarts++;
    this.statusUpdate([]);
    this.localOverflowActivationCount = 0;
    this.ownOverflowIds = new IdMap<ActivationMessage>();
    if (this.overflowState) {
      this.overflowState = false;
      this.listener.overflowStateChanged(false); // sim: observer
    }
  }

  /** The forced timeout of an entry set up here: the action's time limit plus `timeoutGrace` (MB's rule). */
  private timeoutOf(actionTimeoutMs: number): number {
    return actionTimeoutMs + this.activeAckTimeoutGraceMs;
  }

  private sendToInvokerOrOverflow(msg: ActivationMessage, action: ActionMeta, hash: number, pull: boolean): void {
    let invMatched: number | null;
    try {
      invMatched = this.chooseInvoker(hash, pull, false);
    } catch (e) {
      // Thrown before any entry exists. OpenWhisk lets it escape the actor; the fix fails this publish only.
      if (!this.survivesPublishThrow) throw e;
      this.publishThrew(msg, e);
      return;
    }
    const entry = this.setupActivation(msg, invMatched, this.timeoutOf(action.timeoutMs));
    this.awaitResult(entry);
    if (invMatched !== null) {
      this.sendActivationToInvoker(this.messageProducer, msg, invMatched, entry);
    } else {
      // Stryker disable next-line ConditionalExpression: publish calls this only while overflowState is off
      if (!this.overflowState) {
        // Entering overflow state: no invoker has capacity.
        this.overflowState = true;
        this.listener.overflowStateChanged(true); // sim: observer
      }
      this.sendActivationToOverflow(this.overflowMessage(msg, hash), this.boundOverflowSentWithEntry, entry);
    }
  }

  /** The OverflowMessage for `msg`; its time limit and `pull` are read through `msg.action`, the action published. */
  private overflowMessage(msg: ActivationMessage, hash: number): OverflowMessage {
    return new DerivedOverflowMessage(msg, hash, this.instance, this.scheduler.now());
  }

  private sendActivationToOverflow<C>(m: OverflowMessage, callback: (ok: boolean, context: C) => void, context: C): void {
    this.messageProducer.send(topics.overflow, m).andThen(callback, context);
  }

  /** Counts a successful own overflow send (the Scala `andThen` on the send future). */
  private overflowSendSucceeded(msg: ActivationMessage): void {
    this.localOverflowActivationCount += 1;
    if (this.symmetricOverflowCount) this.ownOverflowIds.set(msg.activationId, msg);
    this.listener.overflowSent(msg); // sim: observer
  }

  /** Normal path: the entry (without invoker) already exists. */
  private overflowSentWithEntry(ok: boolean, entry: ActivationEntry): void {
    const promise = entry.promise;
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
    const entry = this.setupActivation(m.msg, null, this.timeoutOf(m.msg.action.timeoutMs));
    // If this controller already consumed its own message (treating it as foreign), the existing entry is
    // returned and the caller listens to its promise — possibly already completed.
    this.awaitResult(entry);
  }

  /** MB's rule: every ack is reported to InvokerPool, even one whose entry already timed out. */
  protected override reportsAckWithoutEntry(_activationId: number): boolean {
    return true;
  }

  /** With `forward-timeout-as-failure`, a completion forwarded for a forced timeout resolves as a timeout. */
  protected override isForwardedTimeout(m: CompletionMessage): boolean {
    return m.forcedTimeout === true && this.forwardTimeoutAsFailure;
  }

  /**
   * PR #2932's part of processCompletion: a foreign entry's completion goes on to its original controller (a
   * forced timeout as Left: success, unless `forward-timeout-as-failure`), and the overflow count falls.
   */
  protected override entryRemoved(entry: ActivationEntry, response: ActivationResponse, forced: boolean): void {
    const activationId = entry.id;
    if (entry.invokerName !== null && entry.originalController !== null) {
      // Processing another controller's overflow: pass the completion on to it.
      const forward: CompletionMessage = {
        type: 'completion',
        activationId,
        response,
        invoker: entry.invokerName,
        record: entry.promise.msg.record,
        forcedTimeout: forced && this.forwardTimeoutAsFailure,
      };
      this.messageProducer.send(topics.completed(entry.originalController), forward);
    }
    if (entry.isOverflow && !this.symmetricOverflowCount) {
      this.localOverflowActivationCount -= 1;
      this.maybeLeaveOverflowState();
    }
    // ownOverflowIds is filled only under symmetric-overflow-count: no probe per completion without it.
    if (this.symmetricOverflowCount && this.ownOverflowIds.delete(activationId)) {
      this.localOverflowActivationCount -= 1;
      this.maybeLeaveOverflowState();
    }
  }

  private maybeLeaveOverflowState(): void {
    if (this.overflowState && this.localOverflowActivationCount === 0) {
      this.overflowState = false;
      this.listener.overflowStateChanged(false); // sim: observer
    }
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
    let chosen: number | null;
    try {
      // The Scala removes the local entry first; the choice does not depend on it (an entry parked in the
      // overflow topic has no invoker count), so choosing first lets a requeue leave the entry in place.
      chosen = this.chooseInvoker(m.hash, m.pull, !this.overflowRespectsCapacity);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: chooseInvoker throws nothing but JvmExceptions
      if (!(e instanceof JvmException)) throw e;
      // The exception escapes the handler: the entry is already gone, and `Processed` is never sent, so the
      // feed loses one unit of capacity for good.
      const entryOption = this.loadBalancerData.removeActivationById(aid);
      this.dropOverflow(m, entryOption);
      return;
    }
    if (chosen === null && this.requeueUnplaceable) {
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
      if (this.forwardTimeoutAsFailure && m.publishedAtMs !== undefined) {
        // The original controller's deadline is publish + time limit + grace; aim at the same instant (and use
        // the exact limit, not the whole seconds the message carries).
        const waitedMs = this.scheduler.now() - m.publishedAtMs;
        actionTimeoutMs = Math.max(-this.activeAckTimeoutGraceMs, m.msg.action.timeoutMs - waitedMs);
      }
      // The Scala copies the message with this controller's index (each controller holds its own deserialized
      // copy). Here the message (the record, its own message) is rewritten in place: only the invoker reads
      // rootControllerIndex, the original controller never sends this message again, and a second copy would keep
      // two messages alive per activation while it waits in its invoker's topic.
      const updatedMsg = reroutedTo(m.msg, this.instance);
      this.setupActivation(updatedMsg, chosen, this.timeoutOf(actionTimeoutMs), m.originalController, true);
      this.sendActivationToInvoker(this.messageProducer, updatedMsg, chosen, null);
    }
    this.overflowFeed.processed();
  }

  private dropOverflow(m: OverflowMessage, entryOption: ActivationEntry | null): void {
    if (entryOption !== null) {
      // The Scala timer would fire later and find no entry; cancelling it is unobservable.
      this.cancelForcedTimeout(entryOption);
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
    this.overflowRequeues++;
    this.messageProducer.send(topics.overflow, m);
  }

  /** The usage an InvokerUsage view reads: this controller's bookkeeping. */
  usageOf(invoker: number): number {
    return this.loadBalancerData.activationCountOnInvoker(invoker);
  }

  /** Picks an invoker of the action's partition; null when none qualifies. Throws JvmException on a bad hash. */
  chooseInvoker(hash: number, pull: boolean, overflow: boolean): number | null {
    const invokersToUse = this.partitions.forAction(pull);
    return schedulePR(invokersToUse, this.config.busyThreshold, hash, overflow, this.stepSizes);
  }
}

/** The facade the controller holds (`LoadBalancerActorService`): count stubs and the ask to the actor. */
export class LoadBalancerActorService implements LoadBalancer {
  readonly lbActor: LoadBalancerActor;
  private readonly throttlingEnabled: boolean;
  private readonly scheduler: Scheduler;
  private readonly callbacks: ActivationCallbacks;
  private readonly boundAskTimedOut: (msg: ActivationMessage) => void;

  constructor(context: LoadBalancerContext) {
    this.lbActor = new LoadBalancerActor(context);
    this.throttlingEnabled = context.config.fixes.includes('throttling-enabled');
    this.scheduler = context.scheduler;
    this.callbacks = context.callbacks;
    this.boundAskTimedOut = this.askTimedOut.bind(this);
    context.invokerPool.subscribeLoadBalancer(this.lbActor);
  }

  /** PR #2932 stubs this to 0 (§18.7) unless `throttling-enabled`. */
  activeActivationsFor(namespaceUuid: string): number {
    return this.throttlingEnabled ? this.lbActor.activeActivationsFor(namespaceUuid) : 0;
  }

  /** PR #2932 stubs this to 0 (§18.7) unless `throttling-enabled`. */
  totalActiveActivations(): number {
    return this.throttlingEnabled ? this.lbActor.totalActiveActivations() : 0;
  }

  /** `lbActor ? Publish(action, msg)` with the 30 s ask timeout. */
  publish(action: ActionMeta, msg: ActivationMessage): void {
    try {
      this.lbActor.publish(action, msg);
    } catch (e) {
      if (!(e instanceof JvmException)) throw e;
      // The throw escaped the actor: it is restarted, and this ask is never answered.
      this.lbActor.restart();
      this.scheduler.scheduleOnce(PUBLISH_ASK_TIMEOUT_MS, this.boundAskTimedOut, msg);
    }
  }

  /** The ask's AskTimeoutException fails the caller's publish. */
  private askTimedOut(msg: ActivationMessage): void {
    this.callbacks.failed(msg, 'askTimeout');
  }

  invokerHealth(): readonly InvokerHealth[] {
    return this.lbActor.invokerHealth();
  }

  believedLoad(invoker: number): number {
    return this.lbActor.believedLoad(invoker);
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

/**
 * Port of the balancer class in core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 — the balancer PR #2932 replaced (scenario `legacy`).
 * docs/openwhisk.md §4, §5, §7.1, §8.
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
 * - The entry bookkeeping, forced timeout, send, ack feed and completion handling are CommonLoadBalancer's
 *   (MB carried the same code inline); this class keeps MB's differences: its forced timeout (limit + grace)
 *   and its reporting of every ack, including one that finds no entry.
 * - With distributed bookkeeping (DistributedLoadBalancerDataMB, the one with `readInvokerCounts`) the counts
 *   are a real asynchronous read, as in MB's chooseInvoker: publish asks for the invoker counts, and only when the answer arrives does it schedule
 *   on them and record the entry. Publishes whose reads overlap decide on the same stale counts (§18.9).
 *   // port: ask(GetMap) Future → readInvokerCounts callback
 */
import type { ActionMeta, ActivationMessage } from '../messages.js';
import type { InvokerCountsRead, LoadBalancerData } from '../bookkeeping/LoadBalancerData.js';
import {
  createPairwiseCoprimeNumbersUntil,
  generateHash,
  InvokerPartitions,
  schedulePrePR,
  type InvokerUsageSource,
  type StepSizes,
} from './LoadBalancerService.js';
import type { InvokerHealth, LoadBalancerContext } from './LoadBalancer.js';
import { CommonLoadBalancer } from './CommonLoadBalancer.js';

// Kept importable from here, where they were first written.
export { invocationResult, publishFailureReason } from './CommonLoadBalancer.js';

export class LegacyLoadBalancerService extends CommonLoadBalancer implements InvokerUsageSource {
  readonly overflowState = false;
  private readonly fixAbsMinValue: boolean;
  /** The memoized step-size table of the companion object. */
  private readonly stepSizes: StepSizes = createPairwiseCoprimeNumbersUntil();

  private readonly partitions: InvokerPartitions;

  /** The asynchronous distributed bookkeeping, when the scenario uses it (null: counts are read at once). */
  private readonly asyncData: Required<Pick<LoadBalancerData, 'readInvokerCounts'>> | null;
  /** The counts of the read being answered (only set inside `countsRead`). */
  private readCounts: InvokerCountsRead | null = null;
  private readonly boundCountsRead: (counts: InvokerCountsRead, msg: ActivationMessage) => void;

  constructor(context: LoadBalancerContext) {
    super(context);
    this.partitions = new InvokerPartitions(this, context.config.blackboxFraction);
    this.fixAbsMinValue = context.config.fixes.includes('hash-abs-min-value');
    const data = this.loadBalancerData;
    this.asyncData = data.readInvokerCounts !== undefined ? (data as Required<Pick<LoadBalancerData, 'readInvokerCounts'>>) : null;
    this.boundCountsRead = this.countsRead.bind(this);
    this.invokerPool.subscribeLoadBalancer(this);
  }

  /** The pool's status changed: cache it and re-split the partitions. */
  override statusUpdate(status: readonly InvokerHealth[]): void {
    super.statusUpdate(status);
    this.partitions.update(status);
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

  /** MB's forced timeout: the action's time limit plus `timeoutGrace`. */
  protected override forcedTimeoutMs(action: ActionMeta): number {
    return action.timeoutMs + this.config.timeoutGraceMs;
  }

  /** MB reports every ack to InvokerPool, so an activation that timed out and is acked later counts twice (§18.10). */
  protected override reportsAckWithoutEntry(_activationId: number): boolean {
    return true;
  }

  /** The asynchronous count read answered: schedule on those (possibly stale) counts and record. */
  private countsRead(counts: InvokerCountsRead, msg: ActivationMessage): void {
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
      this.publishThrew(msg, e);
      return;
    }
    this.publishTo(msg, invokerName, this.forcedTimeoutMs(action));
  }

  /** Determines the invoker for the action; null when no invoker is healthy. Throws JvmException on a bad hash. */
  private chooseInvoker(msg: ActivationMessage, action: ActionMeta): number | null {
    const invokers = this.partitions.forAction(action.pull);
    const hash = generateHash(msg.user.namespace, action.fqn, { fixAbsMinValue: this.fixAbsMinValue });
    return schedulePrePR(invokers, this.config.busyThreshold, hash, this.stepSizes);
  }
}

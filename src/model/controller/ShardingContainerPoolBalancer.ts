/**
 * Port of the companion object and the state class of
 *   core/controller/src/main/scala/org/apache/openwhisk/core/loadBalancer/ShardingContainerPoolBalancer.scala
 *   @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (memory-based, NestedSemaphore)
 * and, for replaying its tests, the slot-count era
 *   core/controller/src/main/scala/whisk/core/loadBalancer/ShardingContainerPoolBalancer.scala
 *   @ SH2 a72ee3e3b0f300dd71fc87fc4ad2be83b2acf8bd (ForcableSemaphore, one slot per activation).
 * The balancer class (`ShardingContainerPoolBalancer`: publish, completion handling, forced timeouts, cluster
 * size) follows HEAD's ShardingContainerPoolBalancer.scala and extends CommonLoadBalancer (CommonLoadBalancer.scala).
 *
 * What it models: each controller owns a fixed share of every invoker's capacity (its memory divided by the
 * number of controllers) and never asks anyone else. To place an activation it walks the partition from the
 * action's home invoker in steps of a coprime step size and takes the first Healthy invoker whose semaphore
 * grants the action's memory. If a full cycle finds nothing, it picks a uniformly random Healthy invoker and
 * *forces* the memory there (the permit count goes negative), reporting the placement as forced.
 *
 * Worked example (the Scala tests): invokers 3, 4, 5 with 3 MB each, actions of 1 MB, home 0, step 2. The walk
 * is 3, 5, 4, so nine activations land 3,3,3,5,5,5,4,4,4; the tenth finds nothing and goes to a random one.
 *
 * Caveats reproduced (docs/openwhisk.md §9, §18.11–12):
 * - The walk probes n + 2 positions before the random fallback (the first two positions twice).
 * - A negative home index (from a negative hash) throws IndexOutOfBoundsException.
 * - `updateCluster` with a new size replaces every semaphore: in-flight work is forgotten.
 * - Only Healthy invokers are usable.
 */
import type { ActionMeta, ActivationMessage, InvokerState } from '../messages.js';
import { assert } from '../../sim/assert.js';
import { ForcibleSemaphore } from '../common/ForcibleSemaphore.js';
import { JvmException, indexOutOfBounds } from '../common/JvmException.js';
import type { ActivationEntry } from './ActivationEntry.js';
import type { InvokerHealth as PoolInvokerHealth, LoadBalancerContext, LoadBalancerStatistics } from './LoadBalancer.js';
import { CommonLoadBalancer } from './CommonLoadBalancer.js';
import { NestedSemaphore } from '../common/NestedSemaphore.js';
import { generateHash, numBlackboxOf, pairwiseCoprimeNumbersUntil } from './LoadBalancerService.js';

export { generateHash, gcd, pairwiseCoprimeNumbersUntil } from './LoadBalancerService.js';
export { forcedTimeoutMs, TIMEOUT_FACTOR, TIME_LIMIT_STD_MS } from './CommonLoadBalancer.js';

/** The randomness the overload fallback needs; `sim.rng(...)` streams satisfy it. */
export interface SchedulingRng {
  /** Uniform integer in [0, bound). */
  nextInt(bound: number): number;
}

/** `InvokerHealth`: an invoker's id, its state, and (HEAD) the user memory it announced in its ping. */
export interface InvokerHealth {
  readonly id: number;
  readonly status: InvokerState;
  /** User memory in MB (HEAD `InvokerInstanceId.userMemory`); unused by the SH2 slot version. */
  readonly userMemoryMb: number;
}

/** The chosen invoker and whether the overload fallback forced it (Scala `(InvokerInstanceId, Boolean)`). */
export interface ScheduleResult {
  readonly invoker: number;
  readonly forced: boolean;
}

/** `MemoryLimit.MIN_MEMORY` at HEAD: no controller's shard of an invoker is smaller than this. */
export const MIN_MEMORY_MB = 128;

// Stryker disable next-line ArithmeticOperator: invokerSlotMb multiplies and divides by it, so its value cancels out
const BYTES_PER_MB = 1024 * 1024;

/** `InvokerState.isUsable` at HEAD: only Healthy invokers take work. */
function isUsable(status: InvokerState): boolean {
  return status === 'Healthy';
}

/**
 * Picks the `k`-th usable invoker in list order; equivalent to `invokers.filter(usable)(k)` without the copy.
 */
function kthUsable(invokers: readonly InvokerHealth[], k: number): InvokerHealth {
  let seen = 0;
  // Stryker disable next-line EqualityOperator: k is below the number of usable invokers, so the loop returns before the end
  for (let i = 0; i < invokers.length; i++) {
    const invoker = invokers[i]!;
    if (!isUsable(invoker.status)) continue;
    if (seen === k) return invoker;
    seen++;
  }
  // Stryker disable next-line BooleanLiteral,StringLiteral: unreachable, callers pass k below countUsable
  assert(false, `no usable invoker number ${k}`);
}

function countUsable(invokers: readonly InvokerHealth[]): number {
  let count = 0;
  for (let i = 0; i < invokers.length; i++) if (isUsable(invokers[i]!.status)) count++;
  return count;
}

function semaphoreOf<S>(dispatched: readonly S[], invokerId: number): S {
  const semaphore = dispatched[invokerId];
  // Stryker disable next-line ConditionalExpression: every listed invoker has a semaphore (updateInvokers appends them)
  if (semaphore === undefined) throw indexOutOfBounds(invokerId, dispatched.length);
  return semaphore;
}

/**
 * `ShardingContainerPoolBalancer.schedule` at HEAD. The Scala is tail-recursive; this is the same loop.
 *
 * @param maxConcurrent the action's concurrency limit (1 = one activation per container)
 * @param fqn the action's fully qualified name (with version at HEAD), the key of its concurrency slots
 * @param invokers the partition to search (managed or blackbox)
 * @param dispatched this controller's semaphore per invoker, indexed by invoker id
 * @param slots memory in MB to acquire
 * @param index position to start at (the home invoker)
 * @param step the walk's step size
 * @param stepsDone probes already made (callers pass 0 or leave it undefined)
 * @param rng the overload fallback's random source — // port: ThreadLocalRandom → rng
 * @returns the invoker and whether it was forced, or null when the list is empty or nothing is usable
 * @throws JvmException IndexOutOfBoundsException for a negative `index`
 */
export function schedule(
  maxConcurrent: number,
  fqn: string,
  invokers: readonly InvokerHealth[],
  dispatched: readonly NestedSemaphore<string>[],
  slots: number,
  index: number,
  step: number,
  stepsDone = 0,
  rng: SchedulingRng,
): ScheduleResult | null {
  const numInvokers = invokers.length;
  if (numInvokers === 0) return null;
  for (;;) {
    const invoker = invokers[index];
    if (invoker === undefined) throw indexOutOfBounds(index, numInvokers);
    if (isUsable(invoker.status) && semaphoreOf(dispatched, invoker.id).tryAcquireConcurrent(fqn, maxConcurrent, slots)) {
      return { invoker: invoker.id, forced: false };
    }
    // Faithful quirk: the cycle is declared done only after n + 2 probes (stepsDone runs 0..n+1).
    if (stepsDone === numInvokers + 1) {
      const usable = countUsable(invokers);
      if (usable === 0) return null;
      const chosen = kthUsable(invokers, rng.nextInt(usable)).id; // port: ThreadLocalRandom → rng
      semaphoreOf(dispatched, chosen).forceAcquireConcurrent(fqn, maxConcurrent, slots);
      return { invoker: chosen, forced: true };
    }
    // Java `%` and JS `%` agree (the sign of the dividend); index and step are non-negative here.
    index = (index + step) % numInvokers;
    stepsDone++;
  }
}

/**
 * `ShardingContainerPoolBalancer.schedule` at SH2 (2018-03, slot counts): one slot per activation on a
 * ForcableSemaphore, the same n + 2 probes and the same random forced fallback, returning only the invoker.
 */
export function scheduleSlotsSH2(
  invokers: readonly InvokerHealth[],
  dispatched: readonly ForcibleSemaphore[],
  index: number,
  step: number,
  stepsDone = 0,
  rng: SchedulingRng,
): number | null {
  const numInvokers = invokers.length;
  if (numInvokers === 0) return null;
  for (;;) {
    const invoker = invokers[index];
    if (invoker === undefined) throw indexOutOfBounds(index, numInvokers);
    if (invoker.status === 'Healthy' && semaphoreOf(dispatched, invoker.id).tryAcquire()) return invoker.id;
    // Stryker disable next-line ArithmeticOperator: probes past the n-th revisit invokers that have just refused
    if (stepsDone === numInvokers + 1) {
      const usable = countUsable(invokers);
      if (usable === 0) return null;
      const chosen = kthUsable(invokers, rng.nextInt(usable)).id; // port: ThreadLocalRandom → rng
      semaphoreOf(dispatched, chosen).forceAcquire();
      return chosen;
    }
    index = (index + step) % numInvokers;
    stepsDone++;
  }
}

/** `ShardingContainerPoolBalancerConfig` at HEAD (the timeout fields live with the balancer). */
export interface ShardingContainerPoolBalancerConfig {
  readonly managedFraction: number;
  readonly blackboxFraction: number;
}

/**
 * `ShardingContainerPoolBalancerState` at HEAD: the invoker list, its managed and blackbox partitions with
 * their step sizes, and this controller's NestedSemaphore per invoker (docs/openwhisk.md §5, §9.2–9.3).
 */
export class ShardingContainerPoolBalancerState {
  private _invokers: readonly InvokerHealth[] = [];
  private _managedInvokers: readonly InvokerHealth[] = [];
  private _blackboxInvokers: readonly InvokerHealth[] = [];
  private _managedStepSizes: readonly number[] = pairwiseCoprimeNumbersUntil(0);
  private _blackboxStepSizes: readonly number[] = pairwiseCoprimeNumbersUntil(0);
  private _invokerSlots: NestedSemaphore<string>[] = [];
  private _clusterSize = 1;

  /** Clamped to [0, 1]. */
  readonly managedFraction: number;
  /** max(1 − managedFraction, min(1, blackboxFraction)): the two partitions always cover every invoker. */
  readonly blackboxFraction: number;

  constructor(lbConfig: ShardingContainerPoolBalancerConfig) {
    assert(!Number.isNaN(lbConfig.managedFraction), 'managedFraction is NaN');
    assert(!Number.isNaN(lbConfig.blackboxFraction), 'blackboxFraction is NaN');
    this.managedFraction = Math.max(0, Math.min(1, lbConfig.managedFraction));
    this.blackboxFraction = Math.max(1 - this.managedFraction, Math.min(1, lbConfig.blackboxFraction));
  }

  get invokers(): readonly InvokerHealth[] {
    return this._invokers;
  }
  get managedInvokers(): readonly InvokerHealth[] {
    return this._managedInvokers;
  }
  get blackboxInvokers(): readonly InvokerHealth[] {
    return this._blackboxInvokers;
  }
  get managedStepSizes(): readonly number[] {
    return this._managedStepSizes;
  }
  get blackboxStepSizes(): readonly number[] {
    return this._blackboxStepSizes;
  }
  get invokerSlots(): readonly NestedSemaphore<string>[] {
    return this._invokerSlots;
  }
  get clusterSize(): number {
    return this._clusterSize;
  }

  /**
   * This controller's share of an invoker with `memoryMb` of user memory: memory / clusterSize (byte
   * division, then floored to whole MB as ByteSize.toMB does), but never below MIN_MEMORY_MB.
   */
  invokerSlotMb(memoryMb: number): number {
    const shardBytes = Math.floor((memoryMb * BYTES_PER_MB) / this._clusterSize);
    // Stryker disable next-line EqualityOperator: at exactly MIN_MEMORY_MB both branches give MIN_MEMORY_MB
    if (shardBytes < MIN_MEMORY_MB * BYTES_PER_MB) return MIN_MEMORY_MB;
    return Math.floor(shardBytes / BYTES_PER_MB);
  }

  /**
   * Takes a new invoker list. The partitions are recomputed every time; the step sizes only when the size
   * changed; semaphores are appended for new invokers only, so existing ones keep their state. The list is
   * not expected to shrink (InvokerPool reports Offline instead).
   */
  updateInvokers(newInvokers: readonly InvokerHealth[]): void {
    const oldSize = this._invokers.length;
    const newSize = newInvokers.length;
    // For small N the partitions may overlap (managed + blackbox = N + 1).
    const managed = Math.max(1, Math.ceil(newSize * this.managedFraction));
    const blackboxes = Math.max(1, Math.floor(newSize * this.blackboxFraction));

    this._invokers = newInvokers;
    this._managedInvokers = newInvokers.slice(0, Math.min(newSize, managed));
    this._blackboxInvokers = newInvokers.slice(Math.max(0, newSize - blackboxes));

    // Stryker disable next-line ConditionalExpression: for an unchanged size the step sizes come out the same and no semaphore is added
    if (oldSize !== newSize) {
      this._managedStepSizes = pairwiseCoprimeNumbersUntil(managed);
      this._blackboxStepSizes = pairwiseCoprimeNumbersUntil(blackboxes);
      // Stryker disable next-line ConditionalExpression,EqualityOperator: for a size that did not grow the loop adds nothing
      if (oldSize < newSize) {
        for (let i = this._invokerSlots.length; i < newSize; i++) {
          this._invokerSlots.push(new NestedSemaphore<string>(this.invokerSlotMb(newInvokers[i]!.userMemoryMb)));
        }
      }
    }
  }

  /**
   * Takes the number of controllers (values < 1 count as 1). On a change, every semaphore is replaced by a
   * fresh one sized for the new share: activations in flight are forgotten (docs/openwhisk.md §18.12).
   */
  updateCluster(newSize: number): void {
    const actualSize = Math.max(newSize, 1);
    if (this._clusterSize === actualSize) return;
    this._clusterSize = actualSize;
    this._invokerSlots = this._invokers.map((invoker) => new NestedSemaphore<string>(this.invokerSlotMb(invoker.userMemoryMb)));
  }
}

/** SH2's `ShardingContainerPoolBalancerConfig(blackboxFraction, invokerBusyThreshold)`. */
export interface ShardingContainerPoolBalancerConfigSH2 {
  readonly blackboxFraction: number;
  /** Slots per invoker in total, shared by all controllers. */
  readonly invokerBusyThreshold: number;
}

/**
 * `ShardingContainerPoolBalancerState` at SH2: the legacy partition split and one ForcableSemaphore of
 * `max(1, threshold / clusterSize)` slots per invoker. Kept to replay SH2's tests; scenarios use HEAD.
 */
export class ShardingContainerPoolBalancerStateSH2 {
  private _invokers: readonly InvokerHealth[] = [];
  private _managedInvokers: readonly InvokerHealth[] = [];
  private _blackboxInvokers: readonly InvokerHealth[] = [];
  private _managedStepSizes: readonly number[] = pairwiseCoprimeNumbersUntil(0);
  private _blackboxStepSizes: readonly number[] = pairwiseCoprimeNumbersUntil(0);
  private _invokerSlots: ForcibleSemaphore[] = [];
  private _clusterSize = 1;
  private readonly totalInvokerThreshold: number;
  private currentInvokerThreshold: number;
  private readonly blackboxFraction: number;

  constructor(lbConfig: ShardingContainerPoolBalancerConfigSH2) {
    this.totalInvokerThreshold = lbConfig.invokerBusyThreshold;
    this.currentInvokerThreshold = this.totalInvokerThreshold;
    this.blackboxFraction = Math.max(0, Math.min(1, lbConfig.blackboxFraction));
  }

  get invokers(): readonly InvokerHealth[] {
    return this._invokers;
  }
  get managedInvokers(): readonly InvokerHealth[] {
    return this._managedInvokers;
  }
  get blackboxInvokers(): readonly InvokerHealth[] {
    return this._blackboxInvokers;
  }
  get managedStepSizes(): readonly number[] {
    return this._managedStepSizes;
  }
  get blackboxStepSizes(): readonly number[] {
    return this._blackboxStepSizes;
  }
  get invokerSlots(): readonly ForcibleSemaphore[] {
    return this._invokerSlots;
  }
  get clusterSize(): number {
    return this._clusterSize;
  }

  updateInvokers(newInvokers: readonly InvokerHealth[]): void {
    const oldSize = this._invokers.length;
    const newSize = newInvokers.length;
    const blackboxes = numBlackboxOf(newSize, this.blackboxFraction);
    const managed = Math.max(1, newSize - blackboxes);

    this._invokers = newInvokers;
    this._blackboxInvokers = newInvokers.slice(Math.max(0, newSize - blackboxes));
    this._managedInvokers = newInvokers.slice(0, Math.min(newSize, managed));

    // Stryker disable next-line ConditionalExpression: for an unchanged size the step sizes come out the same and no semaphore is added
    if (oldSize !== newSize) {
      this._managedStepSizes = pairwiseCoprimeNumbersUntil(managed);
      this._blackboxStepSizes = pairwiseCoprimeNumbersUntil(blackboxes);
      for (let i = oldSize; i < newSize; i++) this._invokerSlots.push(new ForcibleSemaphore(this.currentInvokerThreshold));
    }
  }

  updateCluster(newSize: number): void {
    const actualSize = Math.max(newSize, 1);
    if (this._clusterSize === actualSize) return;
    this._clusterSize = actualSize;
    // Int division, never below one slot.
    this.currentInvokerThreshold = Math.max(Math.trunc(this.totalInvokerThreshold / actualSize), 1);
    this._invokerSlots = this._invokerSlots.map(() => new ForcibleSemaphore(this.currentInvokerThreshold));
  }
}

// ---------------------------------------------------------------------------------------------------------
// The balancer class (HEAD ShardingContainerPoolBalancer; the shared plumbing is CommonLoadBalancer's).
// ---------------------------------------------------------------------------------------------------------

/**
 * `ShardingContainerPoolBalancer` at HEAD (memory-based). docs/openwhisk.md §8, §9, §18.11–18.12.
 *
 * 1. publish: the partition (managed or blackbox, by `exec.pull`) and its step sizes; hash → home invoker and
 *    step; `schedule` above (Healthy invokers only, this controller's memory share, n + 2 probes, random forced
 *    fallback); then setupActivation (entry + forced timeout) and the send to `invoker<k>`. An empty
 *    partition or no usable invoker fails the publish (`noInvokers`); a negative hash that indexes out of
 *    bounds fails it with `hashIndexOutOfBounds` (fix `hash-abs-min-value` avoids it).
 * 2. processCompletion (ack or forced timeout): the entry found → release the invoker's memory/concurrency on
 *    this controller's semaphore, report Success / SystemError / Timeout to InvokerPool, resolve the caller.
 *    No entry: a health test action's ack is still reported (HEAD), a late user ack is not.
 * 3. updateCluster(size): the share changes with the number of controllers and *all* semaphores are rebuilt
 *    (§18.12): activations in flight are forgotten, and their releases later over-credit the new semaphores.
 *
 * Bookkeeping: the in-flight entries and the counts the throttles read live in the controller's
 * LoadBalancerData (local unless the scenario shares it); placement never reads them — the semaphores are the
 * only capacity state, exactly as at HEAD, where controllers share nothing.
 *
 * Akka-to-DES mapping: the actor's invoker list comes from InvokerPool's StatusUpdate (// port: invokerPool ?
 * GetStatus → cached StatusUpdate); the cluster size from `updateCluster`, which the world calls when
 * controller membership changes (// port: Akka cluster ReachableMember/UnreachableMember → updateCluster);
 * the forced-timeout timer is cancelled on ack (// port: scheduler.scheduleOnce → sim scheduler).
 *
 * Deviation, documented: at HEAD a release after a rebuild can throw NoSuchElementException for an action with
 * maxConcurrent > 1 (its slot map entry is gone), which fails the ack's Future and leaks feed capacity. owsim
 * counts these in `releaseFailures` and carries on, so one quirk does not stop a run.
 */
export class ShardingContainerPoolBalancer extends CommonLoadBalancer {
  readonly overflowState = false;
  readonly schedulingState: ShardingContainerPoolBalancerState;
  /** Publishes placed by the random forced fallback (every invoker's share was full). */
  forcedPlacements = 0;
  /** Releases that threw (see the class comment). */
  releaseFailures = 0;

  private readonly fixAbsMinValue: boolean;
  private readonly userMemoryMb: number;

  /**
   * @param context the controller's context; `invokerUserMemoryMb` is every invoker's user memory, which HEAD
   *   learns from the invoker's ping; `clusterSize` the controllers Up at start
   */
  constructor(context: LoadBalancerContext) {
    super(context);
    this.fixAbsMinValue = context.config.fixes.includes('hash-abs-min-value');
    this.userMemoryMb = context.invokerUserMemoryMb;
    assert(this.userMemoryMb > 0, `invoker user memory ${this.userMemoryMb} MB is not positive`);

    this.schedulingState = new ShardingContainerPoolBalancerState({
      managedFraction: context.config.managedFraction,
      blackboxFraction: context.config.blackboxFraction,
    });
    this.schedulingState.updateCluster(context.clusterSize);
    this.invokerPool.subscribeLoadBalancer(this);
  }

  /** InvokerPool's status changed: hand the list (with each invoker's user memory) to the scheduling state. */
  override statusUpdate(status: readonly PoolInvokerHealth[]): void {
    super.statusUpdate(status);
    // Stryker disable next-line ArrayDeclaration: every slot is assigned just below
    const invokers: InvokerHealth[] = new Array(status.length);
    for (let i = 0; i < status.length; i++) {
      invokers[i] = { id: status[i]!.id, status: status[i]!.status, userMemoryMb: this.userMemoryMb };
    }
    this.schedulingState.updateInvokers(invokers);
  }

  /** Controller membership changed (values < 1 count as 1); a new size rebuilds every semaphore (§18.12). */
  updateCluster(size: number): void {
    this.schedulingState.updateCluster(size);
  }

  /** What the summary reports per controller. */
  statistics(): LoadBalancerStatistics {
    return { forcedPlacements: this.forcedPlacements };
  }

  publish(action: ActionMeta, msg: ActivationMessage): void {
    // 1. The partition and its step sizes.
    const isBlackbox = action.pull;
    const invokersToUse = isBlackbox ? this.schedulingState.blackboxInvokers : this.schedulingState.managedInvokers;
    const stepSizes = isBlackbox ? this.schedulingState.blackboxStepSizes : this.schedulingState.managedStepSizes;
    if (invokersToUse.length === 0) {
      this.publishFailed(msg, 'noInvokers');
      return;
    }
    // 2. Home invoker and step from the hash; Java `%` keeps the sign, so a negative hash may index out of range.
    const hash = generateHash(msg.user.namespace, action.fqn, { fixAbsMinValue: this.fixAbsMinValue });
    const homeInvoker = hash % invokersToUse.length;
    const stepIndex = hash % stepSizes.length;
    let chosen: ScheduleResult | null;
    try {
      const stepSize = stepSizes[stepIndex];
      if (stepSize === undefined) throw indexOutOfBounds(stepIndex, stepSizes.length);
      chosen = schedule(
        action.concurrency,
        action.fqn,
        invokersToUse,
        this.schedulingState.invokerSlots,
        action.memoryMb,
        homeInvoker,
        stepSize,
        0,
        this.rng, // port: ThreadLocalRandom → rng
      );
    } catch (e) {
      this.publishThrew(msg, e);
      return;
    }
    if (chosen !== null && chosen.forced) this.forcedPlacements++;
    // 3. Entry and forced timeout, then the send (or `noInvokers`).
    this.publishTo(msg, chosen !== null ? chosen.invoker : null, this.forcedTimeoutMs(action));
  }

  /** Frees the activation's memory (and concurrency slot) on this controller's semaphore of the invoker. */
  protected override releaseInvoker(invoker: number, entry: ActivationEntry): void {
    // Scala `invokerSlots.lift(invoker)`: an invoker without a semaphore releases nothing.
    const slots = this.schedulingState.invokerSlots[invoker];
    // Stryker disable next-line ConditionalExpression: every invoker an entry names has a semaphore (updateInvokers appends them)
    if (slots === undefined) return;
    try {
      slots.releaseConcurrent(entry.fullyQualifiedEntityName, entry.maxConcurrent, entry.memoryLimitMb);
    } catch (e) {
      // Stryker disable next-line ConditionalExpression: releaseConcurrent throws nothing but JvmExceptions
      if (!(e instanceof JvmException)) throw e;
      this.releaseFailures++;
    }
  }
}

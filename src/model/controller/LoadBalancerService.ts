/**
 * Port of the companion object of the 2017 load balancer:
 *   core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 (pre-PR `schedule`, memoized coprimes)
 *   @ PR 7c547a82f1a5a9e816b0e4dc3cc2f019568da710 (PR #2932: `schedule` with the `overflow` flag)
 * plus the legacy managed/blackbox split of the balancer class (`numBlackbox`, `managedInvokers`,
 * `blackboxInvokers`, same file).
 *
 * What it models: how a controller picks an invoker for an action. Every (namespace, action) pair hashes to a
 * "home" position in the partition and a step size coprime to the partition size; walking home, home+step,
 * home+2·step, … (mod n) visits every invoker once, so a given action keeps landing on the same invokers (warm
 * containers) while different actions spread out.
 *
 * Worked example (docs/openwhisk.md §4): 3 healthy invokers with usage (33, 36, 33), threshold T = 16, hash 0. Home
 * is 0 and the step is 1. No invoker is below 16 or 32; the first below 48 in walk order is invoker 0.
 *
 * Numeric semantics reproduced on purpose (docs/openwhisk.md §2, §18.1):
 * - Java `String.hashCode` over UTF-16 code units with 32-bit wrap-around.
 * - `abs(Int.MinValue)` stays negative, so a hash can be negative; `hash % n` then is ≤ 0 and indexing with
 *   it throws IndexOutOfBoundsException, which we raise as a `JvmException` for the caller (a rejected
 *   activation, or PR #2932's actor restart: docs/openwhisk.md §6.7). The fix `hash-abs-min-value` is opt-in via `generateHash(..., { fixAbsMinValue })`.
 * - Threshold multiples use Int arithmetic (`Math.imul`).
 *
 * Allocation and time: the schedule functions walk the progression in place (no Stream, no filtered copy), and
 * the overflow cascade walks it once for all four of its searches (see `cascade`); step-size lists come from a
 * memoized function the caller owns (see `memoize`).
 */
import type { InvokerState } from '../messages.js';
import { assert } from '../../sim/assert.js';
import { indexOutOfBounds, requirementFailed } from '../common/JvmException.js';

// Re-exported so callers can `instanceof`-check a rejection without a second import path.
export { JvmException } from '../common/JvmException.js';

const INT_MIN_VALUE = -2147483648;

/** One entry of the list `schedule` searches: invoker instance number, health, and this controller's count. */
export interface InvokerWithUsage {
  readonly id: number;
  readonly state: InvokerState;
  /** In-flight activations this controller's bookkeeping attributes to the invoker. */
  readonly usage: number;
}

/** A step-size table: `x` → the pairwise coprime numbers up to `x`. */
export type StepSizes = (x: number) => readonly number[];

/** Java's `String.hashCode`: h = 31·h + c over UTF-16 code units, wrapped to a signed 32-bit int. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    // charCodeAt yields UTF-16 code units, so characters outside the BMP count twice, as in Java.
    h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  }
  return h;
}

export interface GenerateHashOptions {
  /**
   * ControllerFix `hash-abs-min-value`: when `a XOR b` is Int.MinValue, return 0 instead of the negative
   * value Java's `abs` leaves. 0 is chosen because it places the action exactly where OpenWhisk does whenever
   * OpenWhisk does not throw (Int.MinValue % n and Int.MinValue % steps are 0 in exactly those cases, giving
   * home 0 and steps[0]), so the fix only changes the throwing cases.
   */
  readonly fixAbsMinValue?: boolean;
}

/**
 * `generateHash(namespace, action)`: abs(hashCode(namespace) XOR hashCode(fqn)).
 *
 * @param namespace the invoking identity's namespace name (`msg.user.namespace`), e.g. `guest`
 * @param fqn the action's fully qualified name without version, `ns/action` or `ns/pkg/action`
 * @returns a value in [0, 2^31), or Int.MinValue when the XOR is 0x80000000 and the fix is off
 */
export function generateHash(namespace: string, fqn: string, options?: GenerateHashOptions): number {
  const x = javaStringHashCode(namespace) ^ javaStringHashCode(fqn);
  if (x === INT_MIN_VALUE) {
    // Faithful quirk: java.lang.Math.abs(Int.MinValue) == Int.MinValue.
    return options?.fixAbsMinValue === true ? 0 : INT_MIN_VALUE;
  }
  // Stryker disable next-line EqualityOperator: -0 indexes and compares exactly as 0
  return x < 0 ? -x : x;
}

/** Euclid's algorithm on non-negative ints. */
export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

/**
 * The pairwise coprime numbers up to `x` (docs/openwhisk.md §3): walk 1..x and keep `cur` when it is coprime to x
 * and to every number kept so far. x ≤ 0 gives []. Not memoized (HEAD's form); the 2017 balancer memoized it,
 * which `memoize(pairwiseCoprimeNumbersUntil)` reproduces per caller. The result is frozen so a memoized list
 * can be shared safely.
 */
export function pairwiseCoprimeNumbersUntil(x: number): readonly number[] {
  const primes: number[] = [];
  for (let cur = 1; cur <= x; cur++) {
    if (gcd(cur, x) !== 1) continue;
    let coprimeToAll = true;
    for (let i = 0; i < primes.length; i++) {
      if (gcd(primes[i]!, cur) !== 1) {
        coprimeToAll = false;
        break;
      }
    }
    if (coprimeToAll) primes.push(cur);
  }
  return Object.freeze(primes);
}

/**
 * `LoadBalancerService.memoize`: wraps `f` so each distinct input is computed once. The cache belongs to the
 * returned function, so each balancer instance that calls `memoize` owns its cache and two simulations never
 * share state (no module-level cache).
 */
export function memoize<I, O>(f: (input: I) => O): (input: I) => O {
  const cache = new Map<I, O>();
  return (input: I): O => {
    // One lookup on a hit (every placement asks): `has` is needed only when the stored output is undefined.
    const cached = cache.get(input);
    if (cached !== undefined || cache.has(input)) return cached as O;
    const output = f(input);
    cache.set(input, output);
    return output;
  };
}

/** A fresh memoized `pairwiseCoprimeNumbersUntil`, as the 2017 companion object held (one per balancer). */
export function createPairwiseCoprimeNumbersUntil(): StepSizes {
  return memoize(pairwiseCoprimeNumbersUntil);
}

/**
 * The step of the walk, `steps[hash % steps.length]`, with Java's `%` semantics. JS `%` already keeps the
 * dividend's sign, exactly like Java/Scala, so a negative hash yields a negative remainder here too — and
 * indexing with it throws, as `IndexedSeq.apply` does. The Scala evaluates this lookup before the home index.
 */
function stepOf(numInvokers: number, hash: number, stepSizes: StepSizes): number {
  const steps = stepSizes(numInvokers);
  // Hot (once per placement): the inverted form builds the message only when the check fails.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BooleanLiteral,StringLiteral: 1 is coprime to every n ≥ 1, so the list is never empty
  if (!(steps.length > 0)) assert(false, `no step sizes for ${numInvokers} invokers`);
  const stepIndex = hash % steps.length;
  if (stepIndex < 0) throw indexOutOfBounds(stepIndex, steps.length);
  return steps[stepIndex]!;
}

/** The home position `hash % n`; negative for a negative hash, which the progression's head then fails on. */
function homeOf(numInvokers: number, hash: number): number {
  const home = hash % numInvokers;
  if (home < 0) throw indexOutOfBounds(home, numInvokers);
  return home;
}

/**
 * The first Healthy invoker in walk order whose usage is below `limit`; -1 if there is none. Walks the
 * progression in place (the Scala builds a filtered Stream): position `(home + i·step) % n` for i = 0 … n−1,
 * kept as a running index (add the step reduced mod n, subtract n on wrap) instead of a `%` per position.
 */
function findInProgression(invokers: readonly InvokerWithUsage[], home: number, step: number, limit: number): number {
  const n = invokers.length;
  const stride = step % n;
  let index = home;
  // Stryker disable next-line EqualityOperator: the n-th step is back at home, already rejected at i = 0
  for (let i = 0; i < n; i++) {
    const invoker = invokers[index]!;
    if (invoker.state === 'Healthy' && invoker.usage < limit) return index;
    index += stride;
    if (index >= n) index -= n;
  }
  return -1;
}

/**
 * The 1×/2×/3× threshold cascade, then the first healthy invoker in walk order (the invoker nearest home).
 * Returns the position in `invokers`, or -1 when no invoker is healthy.
 *
 * The Scala chains four searches of the same progression of Healthy invokers (docs/openwhisk.md §4, §6.2), in
 * outline:
 *   progression.find(usage < T) orElse progression.find(usage < 2T) orElse progression.find(usage < 3T)
 *     orElse progression.headOption
 * This is one walk that remembers the first Healthy invoker of each tier: `below2T`, `below3T` and
 * `firstHealthy` are what the second, third and fourth `find` would return, and a Healthy invoker below T ends
 * the walk where the first `find` would. The orElse chain then picks the lowest tier that found one. The same
 * answer, because a usage read has no side effect (an `InvokerUsageSource` reads a count; a delayed read is
 * answered before the schedule runs), so reading each invoker once instead of up to four times changes nothing.
 * An overloaded cluster, where nearly every invoker is busy, walks the progression once instead of four times.
 */
function cascade(invokers: readonly InvokerWithUsage[], invokerBusyThreshold: number, home: number, step: number): number {
  const n = invokers.length;
  const limitT = Math.imul(invokerBusyThreshold, 1);
  const limit2T = Math.imul(invokerBusyThreshold, 2);
  const limit3T = Math.imul(invokerBusyThreshold, 3);
  let below2T = -1;
  let below3T = -1;
  let firstHealthy = -1;
  const stride = step % n;
  let index = home;
  // Stryker disable next-line EqualityOperator: the n-th step is back at home, already visited at i = 0
  for (let i = 0; i < n; i++) {
    const invoker = invokers[index]!;
    if (invoker.state === 'Healthy') {
      const usage = invoker.usage;
      if (usage < limitT) return index;
      if (below2T < 0 && usage < limit2T) below2T = index;
      if (below3T < 0 && usage < limit3T) below3T = index;
      if (firstHealthy < 0) firstHealthy = index;
    }
    index += stride;
    if (index >= n) index -= n;
  }
  if (below2T >= 0) return below2T;
  if (below3T >= 0) return below3T;
  return firstHealthy;
}

/**
 * Pre-PR `LoadBalancerService.schedule(invokers, invokerBusyThreshold, hash)` (MB).
 *
 * @param invokers one partition (managed or blackbox), indexed as InvokerPool lists them
 * @param invokerBusyThreshold T; an invoker is busy at usage ≥ T (MB accepts T ≤ 0: then only the last
 *   fallback, the first healthy invoker, can match)
 * @param hash from `generateHash`
 * @param stepSizes the memoized coprime table of the caller (defaults to the unmemoized function)
 * @returns the chosen invoker's id, or null (Scala None) when the list is empty or nothing is Healthy
 * @throws JvmException IndexOutOfBoundsException when a negative hash produces a negative index
 */
export function schedulePrePR(
  invokers: readonly InvokerWithUsage[],
  invokerBusyThreshold: number,
  hash: number,
  stepSizes: StepSizes = pairwiseCoprimeNumbersUntil,
): number | null {
  const numInvokers = invokers.length;
  if (numInvokers === 0) return null;
  const step = stepOf(numInvokers, hash, stepSizes);
  const home = homeOf(numInvokers, hash);
  const found = cascade(invokers, invokerBusyThreshold, home, step);
  return found < 0 ? null : invokers[found]!.id;
}

/**
 * PR #2932 `LoadBalancerService.schedule(invokers, invokerBusyThreshold, hash, overflow)` (docs/openwhisk.md §6.2).
 *
 * - overflow = false: the first Healthy invoker below T in walk order, else null (the activation then goes to
 *   the overflow topic).
 * - overflow = true: the full pre-PR cascade; null only when nothing is Healthy.
 *
 * @throws JvmException IllegalArgumentException when invokerBusyThreshold ≤ 0 (checked first, even for an
 *   empty list), IndexOutOfBoundsException for a negative hash
 */
export function schedulePR(
  invokers: readonly InvokerWithUsage[],
  invokerBusyThreshold: number,
  hash: number,
  overflow: boolean,
  stepSizes: StepSizes = pairwiseCoprimeNumbersUntil,
): number | null {
  if (!(invokerBusyThreshold > 0)) throw requirementFailed('invokerBusyThreshold should be > 0');
  const numInvokers = invokers.length;
  if (numInvokers === 0) return null;
  const step = stepOf(numInvokers, hash, stepSizes);
  const home = homeOf(numInvokers, hash);
  const found = overflow
    ? cascade(invokers, invokerBusyThreshold, home, step)
    : findInProgression(invokers, home, step, invokerBusyThreshold);
  return found < 0 ? null : invokers[found]!.id;
}

/**
 * The legacy managed/blackbox split (MB, PR, Sharding SH1–SH2; docs/openwhisk.md §5): f = blackboxFraction clamped
 * to [0, 1]; numBlackbox = max(1, trunc(n·f)) taken from the back; numManaged = max(1, n − numBlackbox) taken
 * from the front. For n = 1 both are [inv0]; for n ≥ 2 they never overlap; n = 0 gives two empty lists.
 */
export function partitionInvokers<T>(
  invokers: readonly T[],
  blackboxFraction: number,
): { managed: T[]; blackbox: T[] } {
  assert(!Number.isNaN(blackboxFraction), 'blackboxFraction is NaN');
  const n = invokers.length;
  const numBlackbox = numBlackboxOf(n, blackboxFraction);
  const numManaged = Math.max(1, n - numBlackbox);
  return {
    managed: invokers.slice(0, Math.min(n, numManaged)),
    blackbox: invokers.slice(Math.max(0, n - numBlackbox)),
  };
}

/** `numBlackbox(totalInvokers)`: at least one invoker is always reserved for blackbox actions. */
export function numBlackboxOf(totalInvokers: number, blackboxFraction: number): number {
  const f = Math.max(0, Math.min(1, blackboxFraction));
  // Scala's Double.toInt truncates toward zero.
  return Math.max(1, Math.trunc(totalInvokers * f));
}

/** Where an invoker's usage comes from when a balancer reads it (its bookkeeping, or a read in progress). */
export interface InvokerUsageSource {
  usageOf(invoker: number): number;
}

/** An invoker with its usage read lazily from the balancer, like the Scala's `.view` over the counts. */
export class InvokerUsage implements InvokerWithUsage {
  constructor(
    readonly id: number,
    readonly state: InvokerState,
    private readonly source: InvokerUsageSource,
  ) {}

  get usage(): number {
    return this.source.usageOf(this.id);
  }
}

/**
 * The 2017 balancers' `managedInvokers` and `blackboxInvokers`: InvokerPool's list split into the two
 * partitions, as lazy usage views reading from `source` (rebuilt on every status update).
 */
export class InvokerPartitions {
  managedInvokers: InvokerUsage[] = [];
  blackboxInvokers: InvokerUsage[] = [];

  constructor(
    private readonly source: InvokerUsageSource,
    private readonly blackboxFraction: number,
  ) {}

  update(status: readonly { readonly id: number; readonly status: InvokerState }[]): void {
    const views = status.map((h) => new InvokerUsage(h.id, h.status, this.source));
    const { managed, blackbox } = partitionInvokers(views, this.blackboxFraction);
    this.managedInvokers = managed;
    this.blackboxInvokers = blackbox;
  }

  /** The partition an action uses (`exec.pull`: blackbox). */
  forAction(pull: boolean): readonly InvokerUsage[] {
    return pull ? this.blackboxInvokers : this.managedInvokers;
  }
}

/**
 * Port of the throttling part of core/controller/src/main/scala/whisk/core/entitlement/
 *   {Entitlement.scala, ActivationThrottler.scala, RateThrottler.scala}
 *   @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 (docs/openwhisk.md §15).
 *
 * What it models: the checks a controller makes before it hands an activation to its load balancer, in
 * OpenWhisk's order (`checkThrottles`):
 *   1. system overload: rejected when the balancer's total in-flight count is greater than `systemConcurrent`;
 *   2. rate: a per-namespace counter of invocations in the current minute; the check counts the request first
 *      and passes while the count is ≤ the per-minute limit (a rejected request still counts);
 *   3. concurrency: passes while the balancer's in-flight count for the namespace is < the limit.
 * The minute is the virtual clock's minute (RateThrottler uses the wall-clock minute; here t = 0 starts minute
 * 0). The counts come from the balancer, so under PR #2932 (stubbed to 0) checks 1 and 3 never reject.
 *
 * Caveat: OpenWhisk keeps one RateInfo per namespace forever; so does this map (one entry per namespace).
 */
import type { Identity } from '../messages.js';
import type { Scheduler } from '../messaging.js';
import type { ControllersConfig } from '../../scenario/types.js';
import type { LoadBalancer } from './LoadBalancer.js';

export type EntitlementRejection = 'throttledConcurrent' | 'throttledRate' | 'systemOverload';

const MINUTE_MS = 60_000;

/** RateThrottler's per-namespace `RateInfo`: the minute it counts and how many invocations it saw. */
class RateInfo {
  lastMin = 0;
  lastMinCount = 0;

  /** Counts one invocation; true while the minute's count is within `maxPerMinute`. */
  check(currentMinute: number, maxPerMinute: number): boolean {
    if (currentMinute !== this.lastMin) {
      this.lastMin = currentMinute;
      this.lastMinCount = 0;
    }
    this.lastMinCount += 1;
    return this.lastMinCount <= maxPerMinute;
  }
}

export class EntitlementProvider {
  private readonly rateByNamespace = new Map<string, RateInfo>();

  constructor(
    private readonly limits: ControllersConfig['limits'],
    private readonly loadBalancer: LoadBalancer,
    private readonly scheduler: Scheduler,
  ) {}

  /** `checkThrottles(user)`: null when the activation may proceed, else the reason it is rejected. */
  checkThrottles(user: Identity): EntitlementRejection | null {
    if (this.checkSystemOverload()) return 'systemOverload';
    if (!this.invokeRateThrottlerCheck(user)) return 'throttledRate';
    if (!this.concurrentInvokeThrottlerCheck(user)) return 'throttledConcurrent';
    return null;
  }

  /** True when the system is overloaded (total in flight > limit). */
  private checkSystemOverload(): boolean {
    return this.loadBalancer.totalActiveActivations() > this.limits.systemConcurrent;
  }

  private invokeRateThrottlerCheck(user: Identity): boolean {
    let rate = this.rateByNamespace.get(user.uuid);
    if (rate === undefined) {
      rate = new RateInfo();
      this.rateByNamespace.set(user.uuid, rate);
    }
    const currentMinute = Math.floor(this.scheduler.now() / MINUTE_MS);
    return rate.check(currentMinute, this.limits.invocationsPerMinute);
  }

  private concurrentInvokeThrottlerCheck(user: Identity): boolean {
    return this.loadBalancer.activeActivationsFor(user.uuid) < this.limits.concurrentInvocations;
  }
}

/**
 * The balancer that runs a user's placement policy (docs/extending.md) inside `CommonLoadBalancer`: the
 * policy's `schedule` picks the invoker, and everything else (entries, HEAD's forced timeouts, acks, health
 * reporting, the bookkeeping the throttles read) is the common plumbing the built-in balancers use.
 *
 * What the policy sees of the controller: `invokers()` (health from this controller's InvokerPool, in-flight
 * counts from its bookkeeping, free memory from the activations it placed itself), `rng()` from the
 * controller's balancer stream (the stream the sharding balancer draws from; a policy replaces the balancer, so
 * no other stream shifts), `now()` in simulated ms, and the controller's index and cluster size.
 *
 * A policy that misbehaves stops the run with a `ModuleError` (exit 2) naming its file, the line and the
 * activation: one that throws, or returns anything but null or the index of a healthy invoker. The run stops
 * rather than dropping or re-placing the activation, so no activation is ever lost silently.
 */
import { invokerName, type ActionMeta, type ActivationMessage } from '../messages.js';
import type { ActivationEntry } from './ActivationEntry.js';
import { CommonLoadBalancer } from './CommonLoadBalancer.js';
import type { InvokerHealth, LoadBalancerContext } from './LoadBalancer.js';
import { enterModule, exitModule } from '../../extend/ambientGuard.js';
import { definitionLine, displayPath, ModuleError, moduleFailure } from '../../extend/moduleLoader.js';
import type { InvokerView, PlacementContext, PlacementPolicy, PlacementPolicyModule, PlacementRequest } from './PlacementPolicy.js';

/** Which module runs and where it was named (for messages). */
export interface PolicySource {
  /** Absolute path of the module file. */
  readonly file: string;
  /** The scenario file that names it. */
  readonly scenarioFile?: string;
}

/** An InvokerView with writable fields: the balancer refreshes its own copies before each call. */
interface MutableInvokerView {
  index: number;
  name: string;
  healthy: boolean;
  userMemoryMB: number;
  inFlight: number;
  freeMemoryMB: number;
}

export class PlacementPolicyBalancer extends CommonLoadBalancer {
  readonly policyName: string;
  private readonly policy: PlacementPolicy;
  private readonly source: PolicySource;
  private readonly invokerCount: number;
  private readonly userMemoryMb: number;
  /** Memory (MB) of this controller's placed activations in flight, per invoker. */
  private readonly usedMemoryMb: number[];
  private readonly healthy: boolean[];
  private clusterSize: number;
  /** False until InvokerPool's first list: that one sets the view without calling the hook. */
  private statusSeen = false;
  /** The activation being placed (for messages), or null outside `schedule`. */
  private placing: number | null = null;

  constructor(context: LoadBalancerContext, module: PlacementPolicyModule, options: unknown, source: PolicySource) {
    super(context);
    this.source = source;
    this.policyName = module.name;
    this.invokerCount = context.invokerCount;
    this.userMemoryMb = context.invokerUserMemoryMb;
    this.usedMemoryMb = new Array<number>(this.invokerCount).fill(0);
    this.healthy = new Array<boolean>(this.invokerCount).fill(false);
    this.clusterSize = Math.max(1, context.clusterSize);
    const rng = context.rng;
    const scheduler = context.scheduler;
    const ctx: PlacementContext = {
      invokers: () => this.invokerViews(),
      rng: () => rng.nextFloat(),
      now: () => scheduler.now(),
      controller: { index: context.instance, clusterSize: () => this.clusterSize },
    };
    let policy: unknown;
    enterModule(source.file, null);
    try {
      policy = module.create(ctx, options);
    } catch (err) {
      throw moduleFailure(source.file, this.site(), 'create threw', err);
    } finally {
      exitModule();
    }
    if (policy === null || typeof policy !== 'object' || typeof (policy as PlacementPolicy).schedule !== 'function') {
      throw new ModuleError(`module ${this.where('create')}: create returned no policy`, {
        ...this.siteDetails(),
        expected: 'create(ctx, options) to return an object with a schedule(req) method',
        got: policy === null ? 'null' : typeof policy,
      });
    }
    this.policy = policy as PlacementPolicy;
    this.invokerPool.subscribeLoadBalancer(this);
  }

  override statusUpdate(status: readonly InvokerHealth[]): void {
    super.statusUpdate(status);
    const hook = this.statusSeen ? this.policy.onInvokerStateChange : undefined;
    this.statusSeen = true;
    for (let i = 0; i < this.invokerCount; i++) {
      const healthy = status[i]?.status === 'Healthy';
      if (healthy === this.healthy[i]) continue;
      this.healthy[i] = healthy;
      if (hook !== undefined) this.callHook('onInvokerStateChange', () => hook.call(this.policy, i, healthy));
    }
  }

  /** Controller membership changed. */
  updateCluster(size: number): void {
    const n = Math.max(1, size);
    if (n === this.clusterSize) return;
    this.clusterSize = n;
    const hook = this.policy.onClusterSizeChange;
    if (hook !== undefined) this.callHook('onClusterSizeChange', () => hook.call(this.policy, n));
  }

  publish(action: ActionMeta, msg: ActivationMessage): void {
    const req: PlacementRequest = {
      activationId: msg.activationId,
      namespace: msg.user.namespace,
      action: action.fqn,
      memoryMB: action.memoryMb,
      blackbox: action.pull,
      concurrency: action.concurrency,
      timeoutMs: action.timeoutMs,
    };
    let chosen: unknown;
    this.placing = msg.activationId;
    enterModule(this.source.file, msg.activationId);
    try {
      chosen = this.policy.schedule(req);
    } catch (err) {
      throw moduleFailure(this.source.file, this.site(), `schedule threw for activation ${msg.activationId}`, err);
    } finally {
      exitModule();
      this.placing = null;
    }
    const invoker = this.checkedChoice(chosen, msg.activationId);
    if (invoker !== null) this.usedMemoryMb[invoker]! += action.memoryMb;
    this.publishTo(msg, invoker, this.forcedTimeoutMs(action));
  }

  protected override releaseInvoker(invoker: number, entry: ActivationEntry): void {
    if (invoker < this.invokerCount) this.usedMemoryMb[invoker]! -= entry.memoryLimitMb;
    const hook = this.policy.onCompleted;
    if (hook !== undefined) this.callHook('onCompleted', () => hook.call(this.policy, entry.id, invoker), entry.id);
  }

  /** null, or the index of an invoker this controller believes healthy; anything else stops the run. */
  private checkedChoice(chosen: unknown, activationId: number): number | null {
    if (chosen === null) return null;
    const n = this.invokerCount;
    let problem: string | null = null;
    if (typeof chosen !== 'number' || !Number.isInteger(chosen)) {
      problem = `returned ${describe(chosen)}, not an invoker index`;
    } else if (chosen < 0 || chosen >= n) {
      problem = `returned invoker ${chosen}, out of range (there are ${n} invokers: 0 to ${n - 1})`;
    } else if (!this.healthy[chosen]) {
      problem = `returned invoker ${chosen}, which is not healthy (${this.allInvokers[chosen]?.status ?? 'Offline'})`;
    }
    if (problem === null) return chosen as number;
    throw new ModuleError(`module ${this.where('schedule')}: schedule ${problem} for activation ${activationId}`, {
      ...this.siteDetails(),
      expected: 'schedule(req) to return null or the index of a healthy invoker (ctx.invokers()[i].healthy)',
      got: describe(chosen),
    });
  }

  private callHook(name: string, call: () => void, activationId: number | null = this.placing): void {
    enterModule(this.source.file, activationId);
    try {
      call();
    } catch (err) {
      const what = activationId !== null ? `${name} threw for activation ${activationId}` : `${name} threw`;
      throw moduleFailure(this.source.file, this.site(), what, err);
    } finally {
      exitModule();
    }
  }

  private invokerViews(): readonly InvokerView[] {
    const views: MutableInvokerView[] = new Array(this.invokerCount);
    for (let i = 0; i < this.invokerCount; i++) {
      views[i] = {
        index: i,
        name: invokerName(i),
        healthy: this.healthy[i]!,
        userMemoryMB: this.userMemoryMb,
        inFlight: this.loadBalancerData.activationCountOnInvoker(i),
        freeMemoryMB: this.userMemoryMb - this.usedMemoryMb[i]!,
      };
    }
    return views;
  }

  private site(): { sourceFile?: string; field: string } {
    const site: { sourceFile?: string; field: string } = { field: 'controllers.loadBalancer.module' };
    if (this.source.scenarioFile !== undefined) site.sourceFile = this.source.scenarioFile;
    return site;
  }

  private siteDetails(): { file?: string; path: string } {
    const details: { file?: string; path: string } = { path: 'controllers.loadBalancer.module' };
    if (this.source.scenarioFile !== undefined) details.file = this.source.scenarioFile;
    return details;
  }

  /** `file:line` of the named method's definition (the line the user should look at for a bad return). */
  private where(method: string): string {
    const line = definitionLine(this.source.file, method);
    return line !== undefined ? `${displayPath(this.source.file)}:${line}` : displayPath(this.source.file);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return `${typeof value} ${JSON.stringify(value)}`;
  } catch {
    return typeof value;
  }
}

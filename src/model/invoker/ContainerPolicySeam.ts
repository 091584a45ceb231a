/**
 * Where a container-policy module (ContainerPolicy.ts) plugs into one ContainerPool: it turns the pool's
 * containers into the read-only views the module sees, calls its hooks, checks what they return, and keeps
 * the pending pre-warms. The pool consults it only when `invokers.containerPolicy` is set, so without a policy
 * nothing here runs and OpenWhisk's behaviour is untouched.
 *
 * A hook that throws or returns something out of contract ends the run with a ContainerPolicyError (exit 2):
 * the module's file, the hook, the line in the module when the hook threw, and the activation.
 */
import { OwsimError } from '../../errors.js';
import { displayPath, failureLine } from '../../extend/moduleLoader.js';
import { enterModule, exitModule } from '../../extend/ambientGuard.js';
import type { ActionMeta, ActivationMessage } from '../messages.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import type { ContainerProxy } from './ContainerProxy.js';
import type {
  ContainerPolicy,
  ContainerPolicyAction,
  ContainerPolicyContext,
  ContainerPolicyModule,
  ContainerPolicyRequest,
  PolicyContainer,
} from './ContainerPolicy.js';

/**
 * A container-policy module broke its contract or threw (the user's input is at fault: exit 2). Same code as
 * the loader's ModuleError; it extends OwsimError directly because the loader imports the whole library (for
 * modules that import 'owsim'), which imports this file: extending a class of the loader here would be a cycle.
 */
export class ContainerPolicyError extends OwsimError {
  constructor(message: string, file: string, line: number | undefined, cause?: unknown) {
    super('E_MODULE', `module ${displayPath(file)}${line !== undefined ? `:${line}` : ''}: ${message}`, { path: 'invokers.containerPolicy.module' });
    this.name = 'ContainerPolicyError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** A resolved `invokers.containerPolicy`: the module's absolute path, the module itself, validated options. */
export interface LoadedContainerPolicy {
  readonly file: string;
  readonly module: ContainerPolicyModule<unknown>;
  readonly options: unknown;
}

/** A pending pre-warm of one action for one invocation namespace. */
interface PendingPrewarm {
  handle: number;
  readonly action: ActionMeta;
  readonly invocationNamespace: string;
  readonly keepAliveMs: number;
}

export class ContainerPolicySeam {
  private readonly policy: ContainerPolicy;
  private readonly file: string;
  private readonly views: PolicyContainer[] = [];
  private readonly pool: ContainerProxy[] = [];
  /** Pending pre-warms by `invocationNamespace action`. */
  private readonly prewarms = new Map<string, PendingPrewarm>();
  private current: ActivationMessage | null = null;
  private readonly onPrewarmBound = (p: PendingPrewarm) => this.firePrewarm(p);

  constructor(
    private readonly sim: Simulation,
    loaded: LoadedContainerPolicy,
    invoker: { index: number; name: string; userMemoryMB: number },
    readonly defaultKeepAliveMs: number,
    rng: Rng,
    /** Starts a pre-warmed container of `action` (the pool checks memory); returns false when it does not fit. */
    private readonly startPrewarm: (action: ActionMeta, invocationNamespace: string, keepAliveMs: number) => boolean,
  ) {
    this.file = loaded.file;
    const ctx: ContainerPolicyContext = {
      invoker: Object.freeze({ ...invoker }),
      now: () => sim.now,
      rng: () => rng.nextFloat(),
      defaultKeepAliveMs,
    };
    let policy: unknown;
    enterModule(this.file, null);
    try {
      policy = loaded.module.create(ctx, loaded.options);
    } catch (e) {
      throw this.thrown('create', e);
    } finally {
      exitModule();
    }
    if (policy === null || typeof policy !== 'object') {
      throw new ContainerPolicyError(`${loaded.module.name}: create() returned ${describe(policy)}, expected an object with optional hooks (selectWarm, selectVictim, keepAlive, onArrival)`, this.file, undefined);
    }
    this.policy = policy as ContainerPolicy;
  }

  // ---- hooks ----

  /** An activation reached the pool: a pending pre-warm of its action is no longer needed. */
  arrival(msg: ActivationMessage): void {
    if (this.prewarms.size > 0) {
      const key = keyOf(msg.user.namespace, msg.action.fqn);
      const pending = this.prewarms.get(key);
      if (pending !== undefined) {
        this.sim.cancel(pending.handle);
        this.prewarms.delete(key);
      }
    }
    this.notify('onArrival', msg);
  }

  /** An activation finished and its container freed its slot (before the container's keepAlive, if idle). */
  completed(msg: ActivationMessage): void {
    this.notify('onCompleted', msg);
  }

  /** Calls a notification hook, if the policy has it, under the module guard and with the activation named on failure. */
  private notify(name: 'onArrival' | 'onCompleted', msg: ActivationMessage): void {
    const hook = this.policy[name];
    if (hook === undefined) return;
    this.current = msg;
    enterModule(this.file, msg.activationId);
    try {
      hook.call(this.policy, request(msg));
    } catch (e) {
      throw this.thrown(name, e);
    } finally {
      exitModule();
    }
    this.current = null;
  }

  /**
   * The warm container for `msg` among its action's free list, or null. Without a `selectWarm` hook, `fallback`
   * (OpenWhisk's own choice) decides.
   */
  selectWarm(msg: ActivationMessage, list: readonly ContainerProxy[] | undefined, allowInitializing: boolean, fallback: () => ContainerProxy | null): ContainerProxy | null {
    const hook = this.policy.selectWarm;
    if (hook === undefined) return fallback();
    if (list === undefined || list.length === 0) return null;
    const views = this.views;
    const pool = this.pool;
    views.length = 0;
    pool.length = 0;
    const namespace = msg.user.namespace;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i]!;
      if (c.invocationNamespace !== namespace) continue;
      if (c.state === 'initializing' && !allowInitializing) continue;
      pool.push(c);
      views.push(view(c));
    }
    if (pool.length === 0) return null;
    this.current = msg;
    let choice: unknown;
    enterModule(this.file, msg.activationId);
    try {
      choice = hook.call(this.policy, request(msg), views);
    } catch (e) {
      throw this.thrown('selectWarm', e);
    } finally {
      exitModule();
    }
    this.current = null;
    if (choice === null) return null;
    return pool[this.checkIndex('selectWarm', choice, pool.length, msg)]!;
  }

  /** The next idle container to evict (the idle list from its least recently used head), or null to stop. */
  victim(idleHead: ContainerProxy | null, needMb: number): ContainerProxy | null {
    const hook = this.policy.selectVictim;
    if (hook === undefined || idleHead === null) return idleHead;
    const views = this.views;
    const pool = this.pool;
    views.length = 0;
    pool.length = 0;
    for (let c: ContainerProxy | null = idleHead; c !== null; c = c.idleNext) {
      pool.push(c);
      views.push(view(c));
    }
    let choice: unknown;
    enterModule(this.file, null);
    try {
      choice = hook.call(this.policy, views, needMb);
    } catch (e) {
      throw this.thrown('selectVictim', e);
    } finally {
      exitModule();
    }
    if (choice === null) return null;
    return pool[this.checkIndex('selectVictim', choice, pool.length, null)]!;
  }

  /**
   * A container just became idle: its keep-alive (ms after lastUsed until removal), or, with a pre-warm
   * window, -1 after scheduling the pre-warm (the pool then removes the container at once).
   */
  keepAlive(c: ContainerProxy): number {
    const hook = this.policy.keepAlive;
    if (hook === undefined) return this.defaultKeepAliveMs;
    const action = c.action!;
    let decision: unknown;
    enterModule(this.file, null);
    try {
      decision = hook.call(this.policy, actionView(action), view(c));
    } catch (e) {
      throw this.thrown('keepAlive', e);
    } finally {
      exitModule();
    }
    if (typeof decision === 'number') return this.checkDuration('keepAlive', decision, 'a keep-alive in ms');
    if (decision === null || typeof decision !== 'object') {
      throw this.broken('keepAlive', `returned ${describe(decision)}, expected a number of ms ≥ 0 or { keepAliveMs, prewarmMs? }`, null);
    }
    const d = decision as { keepAliveMs?: unknown; prewarmMs?: unknown };
    const keepAliveMs = this.checkDuration('keepAlive', d.keepAliveMs, 'keepAliveMs: a number of ms ≥ 0');
    if (d.prewarmMs === undefined || d.prewarmMs === 0) return keepAliveMs;
    const prewarmMs = this.checkDuration('keepAlive', d.prewarmMs, 'prewarmMs: a number of ms ≥ 0');
    const namespace = c.invocationNamespace!;
    const key = keyOf(namespace, action.fqn);
    const old = this.prewarms.get(key);
    if (old !== undefined) this.sim.cancel(old.handle);
    const pending: PendingPrewarm = { handle: -1, action, invocationNamespace: namespace, keepAliveMs };
    pending.handle = this.sim.schedule(prewarmMs, this.onPrewarmBound, pending);
    this.prewarms.set(key, pending);
    return -1;
  }

  private firePrewarm(p: PendingPrewarm): void {
    this.prewarms.delete(keyOf(p.invocationNamespace, p.action.fqn));
    this.startPrewarm(p.action, p.invocationNamespace, p.keepAliveMs);
  }

  /** The invoker crashed: pending pre-warms die with it. */
  destroy(): void {
    for (const p of this.prewarms.values()) this.sim.cancel(p.handle);
    this.prewarms.clear();
  }

  // ---- contract checks ----

  private checkIndex(hook: string, choice: unknown, n: number, msg: ActivationMessage | null): number {
    if (typeof choice !== 'number' || !Number.isInteger(choice) || choice < 0 || choice >= n) {
      throw this.broken(hook, `returned ${describe(choice)}, expected null or a whole number from 0 to ${n - 1} (an index into its ${n} candidates)`, msg);
    }
    return choice;
  }

  private checkDuration(hook: string, value: unknown, expected: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw this.broken(hook, `returned ${describe(value)}, expected ${expected}`, null);
    }
    return value;
  }

  private broken(hook: string, what: string, msg: ActivationMessage | null): ContainerPolicyError {
    const at = msg !== null ? ` (activation ${msg.activationId} of ${msg.action.fqn} at ${this.sim.now} ms)` : ` (at ${this.sim.now} ms)`;
    return new ContainerPolicyError(`container policy ${hook}() ${what}${at}`, this.file, undefined);
  }

  private thrown(hook: string, e: unknown): ContainerPolicyError {
    const msg = this.current;
    this.current = null;
    const at = msg !== null ? ` (activation ${msg.activationId} of ${msg.action.fqn} at ${this.sim.now} ms)` : ` (at ${this.sim.now} ms)`;
    const text = e instanceof Error ? e.message : String(e);
    return new ContainerPolicyError(`container policy ${hook}() threw: ${text}${at}`, this.file, failureLine(e, this.file), e);
  }
}

function keyOf(invocationNamespace: string, fqn: string): string {
  return `${invocationNamespace} ${fqn}`;
}

function actionView(a: ActionMeta): ContainerPolicyAction {
  return { action: a.fqn, namespace: a.namespace, kind: a.kind, memoryMB: a.memoryMb, concurrency: a.concurrency };
}

function request(msg: ActivationMessage): ContainerPolicyRequest {
  const a = msg.action;
  return {
    activationId: msg.activationId,
    action: a.fqn,
    namespace: a.namespace,
    invocationNamespace: msg.user.namespace,
    kind: a.kind,
    memoryMB: a.memoryMb,
    concurrency: a.concurrency,
  };
}

function view(c: ContainerProxy): PolicyContainer {
  return {
    id: c.id,
    action: c.action!.fqn,
    invocationNamespace: c.invocationNamespace!,
    memoryMB: c.memoryMb,
    activeCount: c.activeCount,
    lastUsedMs: c.lastUsedMs,
    initializing: c.state === 'initializing',
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/**
 * The container-pool policy extension point (`invokers.containerPolicy: { module, options }`): a module decides,
 * inside each invoker's ContainerPool, which warm container takes an activation, which idle container is
 * evicted when memory is short, and how long an idle container is kept (its keep-alive, per action, with an
 * optional pre-warm window). Everything it does not decide stays OpenWhisk's own: cold starts, stem cells,
 * the runBuffer, pausing and the feed.
 *
 * A module's default export is `{ name, create(ctx, options), optionsSchema? }`, the same shape as a
 * placement policy. `create` runs once per invoker process (again after an invoker restarts: a restarted
 * invoker has forgotten what it learned). Every hook is optional; a policy without hooks behaves exactly like
 * OpenWhisk. Hooks must be deterministic: randomness only from `ctx.rng()`, time only from `ctx.now()`.
 */
import type { ZodType } from 'zod';

/** An action as the policy sees it. */
export interface ContainerPolicyAction {
  /** Fully qualified name, e.g. `guest/hello`. */
  readonly action: string;
  /** The action's namespace (the first segment of `action`). */
  readonly namespace: string;
  readonly kind: string;
  readonly memoryMB: number;
  /** Activations one container may run at once. */
  readonly concurrency: number;
}

/** One activation arriving at the pool. */
export interface ContainerPolicyRequest extends ContainerPolicyAction {
  readonly activationId: number;
  /** The invoking identity's namespace; a container only serves one. */
  readonly invocationNamespace: string;
}

/** A container as the policy sees it (a snapshot: read it during the hook, do not keep it). */
export interface PolicyContainer {
  /** Unique within this invoker process. */
  readonly id: number;
  readonly action: string;
  readonly invocationNamespace: string;
  readonly memoryMB: number;
  /** Activations running on it or waiting for its initialization. */
  readonly activeCount: number;
  /** When it last became idle (simulated ms); its creation time if it has not run yet. */
  readonly lastUsedMs: number;
  /** Still starting (cold start, stem-cell init or unpause); a run given to it waits. */
  readonly initializing: boolean;
}

/** What happens to a container that has just become idle. */
export interface KeepAliveDecision {
  /**
   * How long the container stays after it became idle before it is removed (ms, ≥ 0; OpenWhisk's default is
   * pauseGrace + idleTimeout). With `prewarmMs`, counted from the moment the pre-warmed container is ready.
   */
  keepAliveMs: number;
  /**
   * Optional pre-warm window (ms, > 0): the container is removed at once, and a new container of the same
   * action is started `prewarmMs` later (if memory allows) and kept `keepAliveMs` after it is ready. An
   * activation of the action arriving first cancels the pre-warm (it is served as usual).
   */
  prewarmMs?: number;
}

export interface ContainerPolicyContext {
  readonly invoker: { readonly index: number; readonly name: string; readonly userMemoryMB: number };
  /** Simulated time in ms. */
  now(): number;
  /** A number in [0, 1) from this invoker's own stream for the policy (`invoker<i>/containerPolicy`). */
  rng(): number;
  /** OpenWhisk's keep-alive for this scenario: pauseGrace + idleTimeout, in ms. */
  readonly defaultKeepAliveMs: number;
}

export interface ContainerPolicy {
  /** Every activation that reaches the pool, before any placement (e.g. to record inter-arrival times). */
  onArrival?(req: ContainerPolicyRequest): void;
  /**
   * An activation finished and its container freed the slot; called before `keepAlive` when that leaves the
   * container idle. With `onArrival` it tells a policy how many activations of an action are in the pool.
   */
  onCompleted?(req: ContainerPolicyRequest): void;
  /**
   * Which warm container takes `req`: an index into `candidates` (containers of the same action and invocation
   * namespace with spare concurrency, initializing ones included when the pool mode allows it), or null to
   * take none (the pool then uses a stem cell or starts a cold container). Without this hook: OpenWhisk's
   * choice (an initialized container before an initializing one, the most recently freed first).
   */
  selectWarm?(req: ContainerPolicyRequest, candidates: readonly PolicyContainer[]): number | null;
  /**
   * Memory is short: which idle container to evict next, as an index into `idle` (every idle container, least
   * recently used first), or null to evict no more. Called repeatedly until enough memory is free. Without
   * this hook: the least recently used (index 0).
   */
  selectVictim?(idle: readonly PolicyContainer[], needMB: number): number | null;
  /**
   * A container of `action` has just become idle: how long it is kept (a number of ms), or a keep-alive with a
   * pre-warm window. Without this hook: `ctx.defaultKeepAliveMs`.
   */
  keepAlive?(action: ContainerPolicyAction, container: PolicyContainer): number | KeepAliveDecision;
}

/** The default export of a container-policy module. */
export interface ContainerPolicyModule<Options = unknown> {
  readonly name: string;
  /** Validates (and may default) `options` before `create`; errors name the scenario file and field. */
  readonly optionsSchema?: ZodType<Options>;
  create(ctx: ContainerPolicyContext, options: Options): ContainerPolicy;
}

/** Identity helper for typed modules: `export default defineContainerPolicy({ name, create(ctx, o) { … } })`. */
export function defineContainerPolicy<Options>(module: ContainerPolicyModule<Options>): ContainerPolicyModule<Options> {
  return module;
}

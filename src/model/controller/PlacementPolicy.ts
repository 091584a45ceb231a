/**
 * The public contract of a placement policy module (docs/extending.md). This minimal shape is a promise to
 * module authors: richer APIs may be added on top, but a module written against these types keeps working.
 *
 * A policy decides only where an activation goes. It runs inside `CommonLoadBalancer`, so entries, forced
 * timeouts, active acks, invoker-health reporting and the bookkeeping the throttles read work exactly as for
 * the built-in balancers.
 */
import type { LoadBalancer, LoadBalancerContext } from './LoadBalancer.js';

/** One activation to place. */
export interface PlacementRequest {
  /** The activation's id (unique in the run). */
  readonly activationId: number;
  /** The invoking namespace. */
  readonly namespace: string;
  /** The action's fully qualified name, e.g. `guest/hello`. */
  readonly action: string;
  /** The action's memory limit in MB. */
  readonly memoryMB: number;
  /** True for a blackbox (docker) action, which OpenWhisk's balancers keep on their blackbox invokers. */
  readonly blackbox: boolean;
  /** The action's per-container concurrency limit. */
  readonly concurrency: number;
  /** The action's time limit in ms. */
  readonly timeoutMs: number;
}

/** An invoker as this controller believes it to be. */
export interface InvokerView {
  /** The invoker's index: what `schedule` returns to choose it. */
  readonly index: number;
  /** `invoker<index>`, as in the reports. */
  readonly name: string;
  /** Whether this controller's invoker supervision considers it Healthy (only Healthy invokers may be chosen). */
  readonly healthy: boolean;
  /** The invoker's user memory in MB. */
  readonly userMemoryMB: number;
  /** Activations this controller's bookkeeping has in flight on it. */
  readonly inFlight: number;
  /** `userMemoryMB` minus the memory of this controller's activations in flight on it (may go negative). */
  readonly freeMemoryMB: number;
}

/** What a policy gets from its controller. */
export interface PlacementContext {
  /** Every invoker (index 0 … n−1) as this controller believes it now. The array is fresh on every call. */
  invokers(): readonly InvokerView[];
  /** A uniform number in [0, 1) from the balancer's own seeded stream: the only randomness a policy may use. */
  rng(): number;
  /** Simulated time in ms: the only clock a policy may read. */
  now(): number;
  readonly controller: {
    /** This controller's index. */
    readonly index: number;
    /** Controllers up now. */
    clusterSize(): number;
  };
}

/** What `create` returns. */
export interface PlacementPolicy {
  /** The index of a healthy invoker, or null for "no invoker" (the activation is rejected: `noInvokers`). */
  schedule(req: PlacementRequest): number | null;
  /** An activation placed by this policy finished (its ack arrived or its forced timeout fired). */
  onCompleted?(activationId: number, invokerIndex: number): void;
  /** This controller's view of an invoker's health changed. */
  onInvokerStateChange?(index: number, healthy: boolean): void;
  /** The number of controllers up changed. */
  onClusterSizeChange?(n: number): void;
}

/** The default export of a placement policy module. */
export interface PlacementPolicyModule<Options = any> {
  readonly name: string;
  create(ctx: PlacementContext, options: Options): PlacementPolicy;
}

/**
 * The default export of a full-balancer module: a class extending `CommonLoadBalancer` (or any
 * `LoadBalancer`), constructed once per controller incarnation with the controller's context and the
 * validated options.
 */
export interface BalancerModule<Options = any> {
  readonly name: string;
  readonly balancer: new (context: LoadBalancerContext, options: Options) => LoadBalancer;
}

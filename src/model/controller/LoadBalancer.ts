/**
 * The interface a controller calls to place activations, mirroring OpenWhisk's `LoadBalancer` trait
 * (core/controller/src/main/scala/whisk/core/loadBalancer/LoadBalancerService.scala @ PR
 * 7c547a82f1a5a9e816b0e4dc3cc2f019568da710, the trait at the top of that file).
 *
 * What it models: the controller hands an activation to its balancer, which chooses an invoker (or, in the
 * overflow balancer, the shared overflow topic), keeps an `ActivationEntry` until the invoker's completion
 * arrives or a forced timeout fires, and resolves the caller's promise.
 *
 * Scala returns `Future[Future[Either[ActivationId, WhiskActivation]]]`; the simulator has no futures, so the
 * outcome arrives through one `ActivationCallbacks` object given to the balancer at construction (one object
 * per controller, not one closure per activation). Exactly one callback runs for every published activation
 * whose caller is still listening, carrying the activation message so the caller can find its record.
 *
 * The count queries are synchronous (Scala: `Future[Int]`): in the local bookkeeping they are completed
 * futures anyway.
 *
 * A balancer is any `LoadBalancer`; the built-in ones and a user's full balancer extend `CommonLoadBalancer`,
 * and a user's placement policy runs inside one. What only some balancers have (an overflow state, a cluster
 * size, statistics) is an optional member here, so the controller and the reports never need to know which
 * balancer they hold.
 */
import type { ActionMeta, ActivationMessage, ActivationResponse, InvokerState } from '../messages.js';
import type { MessagingProvider, Scheduler } from '../messaging.js';
import type { ControllersConfig } from '../../scenario/types.js';
import type { Rng } from '../../sim/rng.js';
import type { LoadBalancerData } from '../bookkeeping/LoadBalancerData.js';
import type { InvokerPool } from './InvokerSupervision.js';

/** The caller's side of the Scala promise; the balancer resolves each published activation once. */
export interface ActivationCallbacks {
  /** The completion arrived (`left` is OpenWhisk's Left(activationId): treated as success). */
  completed(msg: ActivationMessage, response: ActivationResponse): void;
  /** The publish failed before the activation was placed (`noInvokers`, `hashIndexOutOfBounds`, `sendFailed`;
   * the overflow balancer's `askTimeout` comes 30 s after the publish). */
  failed(msg: ActivationMessage, reason: string): void;
  /** The forced ("active ack") timeout fired before any completion. */
  timedOut(msg: ActivationMessage): void;
}

/** One entry of InvokerPool's status list: instance number and health. */
export interface InvokerHealth {
  readonly id: number;
  readonly status: InvokerState;
}

/**
 * Hooks through which a balancer reports simulator-only facts (not OpenWhisk behaviour) to the controller's
 * observer. Port code calls these only at lines marked `// sim: observer`.
 */
export interface LoadBalancerListener {
  overflowStateChanged(on: boolean): void;
  /** An OverflowMessage for `msg` reached the overflow topic. */
  overflowSent(msg: ActivationMessage): void;
  /**
   * processOverflow threw the message away. `lost` is true when no entry anywhere can still resolve the
   * activation (the dropping controller was its original controller and had just removed its entry); when
   * false, the original controller's forced timeout will resolve it later.
   */
  overflowDropped(msg: ActivationMessage, lost: boolean): void;
}

export interface LoadBalancer {
  /** Places an activation; its outcome arrives through the callbacks given at construction. */
  publish(action: ActionMeta, msg: ActivationMessage): void;
  /** In-flight activations of a namespace (by uuid), as entitlement sees them. */
  activeActivationsFor(namespaceUuid: string): number;
  /** In-flight activations in the system, as entitlement sees them. */
  totalActiveActivations(): number;
  /** The cached invoker list (indexed by instance number, padded with Offline). Read-only. */
  invokerHealth(): readonly InvokerHealth[];
  /** What this controller's bookkeeping attributes to an invoker (for metrics: believed vs true load). */
  believedLoad(invoker: number): number;
  /** PR #2932's overflow flag; absent or false for balancers without one. */
  readonly overflowState?: boolean;
  /** Controller membership changed: `size` controllers are Up (HEAD's sharding divides invokers by it). */
  updateCluster?(size: number): void;
  /** Balancer-specific counts the summary reports per controller. */
  statistics?(): LoadBalancerStatistics;
  /** Stops consuming (controller crash or end of run). */
  close(): void;
}

/** Counts a balancer may report for the summary (`controllers.<name>.*`). */
export interface LoadBalancerStatistics {
  /** HEAD's sharding: publishes placed by the random forced fallback. */
  readonly forcedPlacements?: number;
}

/** Everything a balancer implementation gets from its controller. */
export interface LoadBalancerContext {
  readonly instance: number;
  readonly config: ControllersConfig;
  readonly invokerCount: number;
  readonly messaging: MessagingProvider;
  readonly scheduler: Scheduler;
  readonly rng: Rng;
  readonly callbacks: ActivationCallbacks;
  readonly listener: LoadBalancerListener;
  /** This controller's invoker health supervision; balancers subscribe for StatusUpdate and report results. */
  readonly invokerPool: InvokerPool;
  /** This controller's bookkeeping (LocalLoadBalancerData unless the scenario asks for distributed). */
  readonly loadBalancerData: LoadBalancerData;
  /** Every invoker's user memory in MB (HEAD learns it from pings); the sharding balancer's capacity. */
  readonly invokerUserMemoryMb: number;
  /** Controllers Up when this one starts (sharding's cluster size). */
  readonly clusterSize: number;
}

/**
 * The messages that cross the simulated Kafka, named as in OpenWhisk's `connector/Message.scala`. In the
 * simulator they travel as object references (no serialization); a component that must not see another's
 * changes copies what it needs.
 *
 * `record` on an activation points at the world's ground-truth `ActivationRecord`: the port passes it along
 * untouched (it is the simulator's stand-in for the transaction id) and never reads it to decide anything. A
 * user activation's message is the record itself, routed by its controller (ActivationRecord.ts); health test
 * actions, which have no record, are plain objects.
 */
import { ActivationRecord } from './ActivationRecord.js';
import { highHalf, joinHalves, lowHalf } from './common/doubleHalves.js';

/** Invoker health states. 2017 rules use Healthy/UnHealthy/Offline; HEAD rules add Unresponsive. */
export type InvokerState = 'Healthy' | 'UnHealthy' | 'Offline' | 'Unresponsive';

/** What the controller and invoker know about an action (its WhiskAction document, reduced). */
export interface ActionMeta {
  /** Position in the workload's action catalog; the world's index for per-action state. */
  readonly index: number;
  /** Fully qualified name without version: `ns/action` or `ns/pkg/action`. */
  readonly fqn: string;
  /** The namespace part of the fully qualified name. */
  readonly namespace: string;
  /** Runtime kind, e.g. `nodejs:6`; `blackbox` for docker actions. */
  readonly kind: string;
  /** `exec.pull`: a docker (blackbox) action, routed to the blackbox invoker partition. */
  readonly pull: boolean;
  readonly memoryMb: number;
  readonly timeoutMs: number;
  /** Per-container concurrency limit (1 = one activation per container). */
  readonly concurrency: number;
}

/** The invoking identity; `namespace` feeds generateHash, `uuid` keys the namespace counters. */
export interface Identity {
  readonly namespace: string;
  readonly uuid: string;
}

export interface ActivationMessage {
  readonly type: 'activation';
  readonly activationId: number;
  readonly action: ActionMeta;
  readonly user: Identity;
  /** The controller the invoker acks to; processOverflow makes it answer to itself (`reroutedTo`). */
  readonly rootControllerIndex: number;
  readonly blocking: boolean;
  /** Ground truth for metrics; null for invoker health test actions. */
  readonly record: ActivationRecord | null;
}

/**
 * What the messages of one action's activations share: the action, the invoking identity, whether the caller
 * blocks, and the controller the invoker acks to. A controller keeps one per action (Controller.ts), so a
 * message holds one reference instead of four fields.
 */
export class ActivationRoute {
  /** This route answered to another controller, by controller index (made when first asked for). */
  private readonly rerouted: (ActivationRoute | undefined)[] = [];

  constructor(
    readonly action: ActionMeta,
    readonly user: Identity,
    readonly blocking: boolean,
    readonly rootControllerIndex: number,
    /** The route this one was rerouted from, so that every reroute of a family shares one table; null for an original. */
    private readonly origin: ActivationRoute | null = null,
  ) {}

  /** The same route, acked to `controller`. */
  to(controller: number): ActivationRoute {
    const base = this.origin ?? this;
    if (controller === base.rootControllerIndex) return base;
    return (base.rerouted[controller] ??= new ActivationRoute(this.action, this.user, this.blocking, controller, base));
  }
}

/**
 * `msg` acked to `controller` instead: processOverflow's rewrite of rootControllerIndex. A record's message is
 * rewritten in place (the original controller never sends it again and only the invoker reads the field, so
 * the sharing cannot be observed: docs/openwhisk.md §19.2); a plain one, a test's, is copied.
 */
export function reroutedTo(msg: ActivationMessage, controller: number): ActivationMessage {
  if (msg instanceof ActivationRecord) {
    msg.route = msg.route!.to(controller);
    return msg;
  }
  return { ...msg, rootControllerIndex: controller };
}

/**
 * How an activation ended, as carried by a completion. `left` is OpenWhisk's `Left(activationId)`: the
 * result did not fit on the bus (or, in PR #2932, a forwarded forced timeout); controllers treat it as
 * success.
 */
export type ActivationResponse = 'success' | 'applicationError' | 'developerError' | 'whiskError' | 'left';

export interface CompletionMessage {
  readonly type: 'completion';
  readonly activationId: number;
  readonly response: ActivationResponse;
  /** The invoker that ran it. */
  readonly invoker: number;
  readonly record: ActivationRecord | null;
  /**
   * Simulator extension for the opt-in fix `forward-timeout-as-failure`: a processing controller forwarding its
   * forced timeout marks it, so the original controller can fail the activation instead of treating the Left
   * as success. Absent (false) in OpenWhisk's behaviour.
   */
  readonly forcedTimeout?: boolean;
}

export interface PingMessage {
  readonly type: 'ping';
  readonly invoker: number;
  /** HEAD: a disabled invoker pings with false and is treated as Offline. */
  readonly enabled: boolean;
}

/**
 * PR #2932's message on the shared `overflow` topic. Controllers send a `DerivedOverflowMessage`, some of whose
 * fields are getters: read it through this interface (a spread or `Object.keys` sees only the stored fields).
 */
export interface OverflowMessage {
  readonly type: 'overflow';
  readonly msg: ActivationMessage;
  readonly actionTimeoutSeconds: number;
  readonly hash: number;
  readonly pull: boolean;
  readonly originalController: number;
  /**
   * Simulator extension for the opt-in fix `forward-timeout-as-failure`: when the original controller sent it,
   * so a processing controller can subtract the time spent in the topic from the timeout it re-arms; also the
   * deadline after which a requeue (fixes `overflow-respects-capacity`, `requeue-overflow-without-invokers`)
   * drops the message instead.
   */
  readonly publishedAtMs?: number;
}

/**
 * The OverflowMessage a controller sends: the wrapped activation message, the hash, the original controller and
 * the publish time are kept; the rest is read through the message, whose `action` is the action published (the
 * Scala takes the time limit and `exec.pull` from that action). The overload benchmark sends one per overflowed
 * activation (about 850,000 in 5 simulated minutes), and Node has no pointer compression: the object literal of
 * seven fields, with its publish time boxed in a 16-B heap number, cost 96 bytes; this one costs 64. The
 * publish time, fractional, is kept as the two 32-bit halves of the double, each a small integer V8 holds
 * unboxed (as `ActivationRecord` keeps its arrival). The hash stays a field: deriving it would hash two strings
 * again on every `processOverflow`.
 */
export class DerivedOverflowMessage implements OverflowMessage {
  private readonly publishedLow: number;
  private readonly publishedHigh: number;

  constructor(
    readonly msg: ActivationMessage,
    readonly hash: number,
    readonly originalController: number,
    publishedAtMs: number,
  ) {
    this.publishedLow = lowHalf(publishedAtMs);
    this.publishedHigh = highHalf(publishedAtMs);
  }

  get type(): 'overflow' {
    return 'overflow';
  }
  /** Scala: `timeout.duration.toSeconds.toInt`, whole seconds, truncated. */
  get actionTimeoutSeconds(): number {
    return Math.trunc(this.msg.action.timeoutMs / 1000);
  }
  get pull(): boolean {
    return this.msg.action.pull;
  }
  get publishedAtMs(): number {
    return joinHalves(this.publishedLow, this.publishedHigh);
  }
}

/**
 * An activation record on its way to the store through Kafka (backpressure option B, `kafka-overflow`): the
 * invoker's batcher queue was full, so the record goes to the `activations` topic for a recorder service.
 */
export interface RecordMessage {
  readonly type: 'record';
  readonly record: ActivationRecord;
  /** The invoker that produced it. */
  readonly invoker: number;
}

export type Message = ActivationMessage | CompletionMessage | PingMessage | OverflowMessage | RecordMessage;

/** OpenWhisk's topic names. */
// Topic names are looked up on every send; handing out the same string each time spares building and hashing a
// fresh one per message. A pure memo of immutable strings, identical in every simulation.
const invokerTopicNames: string[] = [];
const completedTopicNames: string[] = [];

export const topics = {
  invoker: (id: number) => invokerTopicNames[id] ?? (invokerTopicNames[id] = `invoker${id}`),
  completed: (controller: number) => completedTopicNames[controller] ?? (completedTopicNames[controller] = `completed${controller}`),
  health: 'health',
  overflow: 'overflow',
  /** Backpressure option B: activation records waiting for a recorder service. */
  activations: 'activations',
} as const;

export const controllerName = (index: number) => `controller${index}`;
export const invokerName = (id: number) => `invoker${id}`;

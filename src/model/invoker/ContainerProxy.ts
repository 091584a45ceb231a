/**
 * One action container and its life cycle: the simulator's reduction of OpenWhisk's ContainerProxy FSM
 * (core/invoker/src/main/scala/whisk/core/containerpool/ContainerProxy.scala @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6;
 * org/apache/openwhisk/core/containerpool/ContainerProxy.scala @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510).
 *
 * States (ContainerProxy's own state names in brackets):
 *
 *   stemCellStarting ──▶ stemCell ──┐                        [Starting → Started: a prewarmed stem cell]
 *                                   ├─▶ initializing ─▶ running ◀──▶ ready ─▶ removed
 *   (new, cold) ────────────────────┘        ▲                        │   [Running / Ready / Paused / Removing]
 *                                            └──── unpause ◀──────────┘ (idle longer than the pause grace)
 *
 * - `initializing` covers every wait before user code can run: a cold start (create + init), a stem cell's
 *   init (OpenWhisk's WarmingData), and resuming a paused container. Runs that arrive meanwhile wait in
 *   `waiting` and all start when it ends.
 * - `running` means at least one activation is executing; `ready` means none is (Ready, or Paused).
 * - Paused is not a stored state. A ready container counts as paused once it has been idle for the pause grace
 *   (`isPaused`), so pausing costs no event; reusing a paused container pays the unpause time. This equals
 *   OpenWhisk's Ready --pauseGrace--> Paused transition except that the pause operation itself takes no time.
 *
 * The pool (ContainerPool.ts) owns all scheduling; this class keeps one container's data plus the links the
 * pool's indexes need (free list position, idle LRU links), and asserts legal transitions.
 */
import type { ActionMeta, ActivationMessage } from '../messages.js';
import { assert } from '../../sim/assert.js';

export type ContainerState = 'stemCellStarting' | 'stemCell' | 'new' | 'initializing' | 'running' | 'ready' | 'removed';

/**
 * OpenWhisk's `Run(action, msg)`: one activation handed to the pool, and then to a container. The pool reuses
 * a run's object for a later activation once it has released it (`ContainerPool.releaseRun`), unless someone
 * who keeps the run past that point has set `retained`.
 */
export class Run {
  // Every field is set by `init`, the one place that builds a run, new or reused.
  msg!: ActivationMessage;
  durationMs!: number;
  container!: ContainerProxy | null;
  /** The run-end event while the user code executes; after the ack, a held run's next enqueue retry. */
  endHandle!: number;
  /** The run ended and its active ack was sent; the proxy may still hold it to store the record. */
  acked!: boolean;
  /** It waited for a cold start. */
  cold!: boolean;
  /** Held after the ack (wait-enqueue): enqueue retries made so far. */
  enqueueRetries!: number;
  /** Held after the ack in a Kafka producer send blocked on a full buffer (kafka-overflow). */
  blockedSend!: boolean;
  startMs!: number;
  /** Position in the pool's in-flight list (swap-remove), -1 when not in flight. */
  inFlightIndex!: number;
  /** Referred to after its release (a Kafka producer's queue of blocked sends): never reused. */
  retained!: boolean;

  constructor(msg: ActivationMessage, durationMs: number) {
    this.init(msg, durationMs);
  }

  /** Makes a released run the run of `msg`, exactly as the constructor builds one (the pool's reuse). */
  reuse(msg: ActivationMessage, durationMs: number): void {
    // Hot (once per activation): the inverted form builds the message only when the check fails.
    if (this.retained) assert(false, `run of ${this.msg.activationId}: reused while retained`);
    this.init(msg, durationMs);
  }

  private init(msg: ActivationMessage, durationMs: number): void {
    this.msg = msg;
    this.durationMs = durationMs;
    this.container = null;
    this.endHandle = -1;
    this.acked = false;
    this.cold = false;
    this.enqueueRetries = 0;
    this.blockedSend = false;
    this.startMs = -1;
    this.inFlightIndex = -1;
    this.retained = false;
  }
}

export class ContainerProxy {
  // Every field but `waiting` is set by `init`, the one place that builds a container, new or reused.
  id!: number;
  kind!: string;
  memoryMb!: number;
  state!: ContainerState;
  /** The action it is initialized with; null for a stem cell or a container not yet given work. */
  action!: ActionMeta | null;
  /** The invoking identity's namespace it serves (containers are not shared across namespaces). */
  invocationNamespace!: string | null;
  /** Activations assigned to it: running plus waiting for the initialization to end. */
  activeCount!: number;
  /** The current (or last) initialization was a cold start. */
  coldStart!: boolean;
  /** When activeCount last dropped to 0 (OpenWhisk's `lastUsed`). */
  lastUsedMs!: number;
  /** Runs waiting for `initializing` to end. Reused, never reallocated (see `clearWaiting`). */
  readonly waiting: Run[] = [];

  // Pool bookkeeping, owned by ContainerPool.
  /** Index in its action's free pool heap, -1 when not there (full, stem cell, removed). FreePool.ts. */
  freeIndex!: number;
  /** Its place in the free pool's pick order (lower first), and its actor ref's place in a hash trie. */
  freeRank!: number;
  mapKeyRank!: number;
  /** Index in the pool's list of live containers. */
  poolIndex!: number;
  idlePrev!: ContainerProxy | null;
  idleNext!: ContainerProxy | null;
  inIdleList!: boolean;
  /** Pending stem-cell start or initialization end. */
  transitionHandle!: number;
  /** Pending idle-removal check. */
  idleTimerHandle!: number;
  /** With a container policy: this idle period's keep-alive (ms after lastUsed until removal). */
  keepAliveMs!: number;
  /** When the pending idle check fires (kept only under a container policy, which may shorten it). */
  idleCheckAtMs!: number;

  constructor(id: number, kind: string, memoryMb: number, state: 'stemCellStarting' | 'stemCell' | 'new', nowMs: number) {
    this.init(id, kind, memoryMb, state, nowMs);
  }

  /**
   * Makes a removed container's object a new container, exactly as the constructor builds one. Why: an
   * overloaded invoker creates and evicts containers by the thousand per second, and each new object (with its
   * `waiting` array) lives long enough to be copied by the young-generation GC; the pool reuses removed ones.
   */
  reuse(id: number, kind: string, memoryMb: number, state: 'stemCellStarting' | 'stemCell' | 'new', nowMs: number): void {
    // Hot (once per container created): the inverted form builds the message only when the check fails.
    if (this.state !== 'removed' || this.waiting.length !== 0) assert(false, `container ${this.id}: reused in state ${this.state}`);
    this.init(id, kind, memoryMb, state, nowMs);
  }

  private init(id: number, kind: string, memoryMb: number, state: 'stemCellStarting' | 'stemCell' | 'new', nowMs: number): void {
    this.id = id;
    this.kind = kind;
    this.memoryMb = memoryMb;
    this.state = state;
    this.action = null;
    this.invocationNamespace = null;
    this.activeCount = 0;
    this.coldStart = false;
    this.lastUsedMs = nowMs;
    this.freeIndex = -1;
    this.freeRank = 0;
    this.mapKeyRank = 0;
    this.poolIndex = -1;
    this.idlePrev = null;
    this.idleNext = null;
    this.inIdleList = false;
    this.transitionHandle = -1;
    this.idleTimerHandle = -1;
    this.keepAliveMs = -1;
    this.idleCheckAtMs = -1;
  }

  /** Empties `waiting` by pop, which keeps the array's store (`length = 0` drops it, and the next fill allocates). */
  clearWaiting(): void {
    const waiting = this.waiting;
    while (waiting.length > 0) waiting.pop();
  }

  get isStemCell(): boolean {
    return this.state === 'stemCellStarting' || this.state === 'stemCell';
  }

  /** A ready container idle for at least the pause grace has been paused. */
  isPaused(nowMs: number, pauseGraceMs: number): boolean {
    return this.state === 'ready' && nowMs - this.lastUsedMs >= pauseGraceMs;
  }

  stemCellStarted(): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state !== 'stemCellStarting') assert(false, `container ${this.id}: stem cell started in state ${this.state}`);
    this.state = 'stemCell';
  }

  /** Binds a new container or a stem cell to an action and starts its initialization. */
  initialize(action: ActionMeta, invocationNamespace: string, cold: boolean): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (!(this.state === 'new' || this.state === 'stemCell')) assert(false, `container ${this.id}: initialize in state ${this.state}`);
    if (this.action !== null) assert(false, `container ${this.id}: initialize of a container already bound to an action`);
    this.action = action;
    this.invocationNamespace = invocationNamespace;
    this.coldStart = cold;
    this.state = 'initializing';
  }

  /** A paused container is resumed for a new run. */
  unpause(): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state !== 'ready') assert(false, `container ${this.id}: unpause in state ${this.state}`);
    this.coldStart = false;
    this.state = 'initializing';
  }

  /** Initialization (cold start, stem-cell init, unpause) ended; waiting runs start now. */
  initialized(): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state !== 'initializing') assert(false, `container ${this.id}: initialized in state ${this.state}`);
    if (!(this.activeCount > 0)) assert(false, `container ${this.id}: initialized with no activation assigned`);
    this.state = 'running';
  }

  /** A container started ahead of demand by a container policy's pre-warm finished starting with no run. */
  prewarmed(nowMs: number): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state !== 'initializing' || this.activeCount !== 0) assert(false, `container ${this.id}: pre-warmed in state ${this.state} with ${this.activeCount} activations`);
    this.state = 'ready';
    this.lastUsedMs = nowMs;
  }

  /** A warm container (ready or running) takes another run that starts at once. */
  runStartedWarm(): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (!(this.state === 'ready' || this.state === 'running')) assert(false, `container ${this.id}: warm run in state ${this.state}`);
    this.state = 'running';
  }

  /** One activation finished. */
  runFinished(nowMs: number): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state !== 'running') assert(false, `container ${this.id}: run finished in state ${this.state}`);
    if (!(this.activeCount > 0)) assert(false, `container ${this.id}: run finished with no activation active`);
    this.activeCount--;
    if (this.activeCount === 0) {
      this.state = 'ready';
      this.lastUsedMs = nowMs;
    }
  }

  removed(): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (this.state === 'removed') assert(false, `container ${this.id}: removed twice`);
    this.state = 'removed';
    this.clearWaiting();
  }
}

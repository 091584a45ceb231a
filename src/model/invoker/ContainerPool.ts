/**
 * The invoker's container pool: which container runs an activation, when containers are created, reused,
 * evicted and removed. Port of OpenWhisk's ContainerPool in two eras:
 *   - count mode: core/invoker/src/main/scala/whisk/core/containerpool/ContainerPool.scala
 *     @ MB 31c5f21e473b98fde4021083d3cef388ad206bf6 (a fixed number of container slots, 2017);
 *   - memory mode: core/invoker/src/main/scala/org/apache/openwhisk/core/containerpool/ContainerPool.scala
 *     @ HEAD 1fae641a2b30bccb7ddc69d2d215866d899a8510 (user memory budget, per-action concurrency, runBuffer).
 * docs/openwhisk.md §13 summarizes both.
 *
 * Selection for `Run` (memory mode, HEAD):
 *   1. if the runBuffer is not empty, the run queues behind it (FIFO; only the head is ever retried);
 *   2. `schedule`: a container of the same action and invocation namespace with spare concurrency, preferring
 *      an initialized one over one still initializing;
 *   3. `takePrewarmContainer`: a stem cell of the same kind and memory (a replacement stem cell is started if
 *      memory allows); the run waits for the stem cell's init (`prewarmStartMs`);
 *   4. a cold container if used + starting-stem-cell + new memory ≤ user memory;
 *   5. `remove`: evict least-recently-used idle containers until min(action memory, free-pool memory) is
 *      freed, then a stem cell or a cold container;
 *   6. otherwise the run goes to the runBuffer.
 * Count mode (MB): with fewer than `slots` busy containers, step 2 (idle warm only), then — if busy + free <
 * slots — step 3 or a cold start, else evict the LRU idle container of another action or namespace and start
 * one; otherwise the run waits in the runBuffer. MB re-sent such a Run to its own mailbox until it fit
 * (`// port: self ! r spin → FIFO runBuffer`); with feed capacity = slots (the default) it never happens.
 *
 * Feed accounting (`host.processed()` is OpenWhisk's `MessageFeed.Processed`): count mode sends one per
 * finished activation, as MB does. Memory mode sends one per finished activation while the runBuffer is empty;
 * while it is not, the units are held and all released when it drains ("the feed is not asked for more until
 * the buffer drains"). HEAD's own accounting is looser — it loses a unit when a retried buffer head still does
 * not fit, and sends an extra Processed when an idle container is removed — and we deliberately keep the count
 * conserved instead, so feed capacity always equals in-flight + buffered activations.
 *
 * Faithful quirk kept (HEAD): after evicting, the new container is created without re-checking memory. When
 * the free pool holds less memory than the action needs, eviction frees only what the free pool holds, so
 * `memoryUsedMb` can exceed `userMemoryMb` (e.g. 896 MB busy + 128 MB idle, a 256 MB action → 1152 MB).
 *
 * Data structures (no scan over all containers per activation):
 *   - the free pool (FreePool.ts): the containers with spare concurrency — OpenWhisk's freePool — in a heap
 *     per action ordered as `invokers.containerSelection` says; by default the iteration order of the Scala
 *     Map OpenWhisk keeps them in, so `schedule` picks what `freePool.find` would;
 *     `// port: Map.find → lowest rank in the action's heap`.
 *   - an intrusive doubly-linked idle list in the order containers became idle: its head is the LRU container
 *     for eviction, O(1) to pop, link and unlink. OpenWhisk orders by `lastUsed`, which MB sets at the end of
 *     a run (exactly our order) and HEAD sets at the start of a run (we use the end: an approximation).
 *   - stem cells per prewarm config (a handful of configs, scanned linearly).
 *   - the in-flight runs in an array with swap-remove, for crash handling only.
 *   - removed containers' objects, kept (a few hundred at most) for the next containers created: under eviction
 *     thrash an invoker creates and removes containers by the thousand per second (ContainerProxy.reuse);
 *     likewise released runs for the next activations (Run.reuse), as a run waiting for a cold start lives
 *     long enough to be copied by the young-generation GC.
 *
 * Timers: each container has at most one pending idle check. It is armed when the container becomes idle and
 * no check is pending, for lastUsed + pauseGrace + idleTimeout (Ready --pauseGrace--> Paused
 * --unusedTimeout--> destroyed). When it fires on a container that was used since, it re-arms itself for the
 * new deadline (or does nothing if the container is busy; the next idle period arms it). So a container
 * reused every few seconds costs one event per idle timeout, not one per activation. Pausing costs no event
 * at all (see ContainerProxy.isPaused).
 *
 * Holding after the ack (backpressure `wait-enqueue`): when the host answers `runCompleted` with false, the
 * run stays in flight and its container busy (no NeedWork, no Processed) until the host calls `releaseRun`,
 * as a ContainerProxy waiting to enqueue its record would.
 *
 * Container policy (`invokers.containerPolicy`, ContainerPolicySeam.ts): when one is given, warm selection
 * (step 2), the choice of eviction victim (step 5 and count mode's `remove`) and each idle container's
 * keep-alive (with an optional pre-warm: the container goes now, a new one of the action starts later, from
 * the `policyPrewarm` stream) are the policy's; every other step is unchanged. Without one, none of it runs.
 *
 * Caveats: container removal and pausing take no time; a stem cell's replacement boots in a `coldStartMs`
 * draw (create + runtime start, an overestimate since it skips the action init); stem cells created at pool
 * construction are ready at once unless `stemCellsBoot` is set (the invoker was up before the run started);
 * a removed container refills missing stem cells (HEAD's ContainerRemoved(replacePrewarm)).
 */
import type { ActionMeta, ActivationMessage } from '../messages.js';
import type { InvokersConfig, PrewarmConfig } from '../../scenario/types.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import { makeDistribution, type Distribution } from '../../sim/distributions.js';
import { assert } from '../../sim/assert.js';
import { RingBuffer } from '../common/RingBuffer.js';
import { ContainerProxy, Run } from './ContainerProxy.js';
import { type FreePool, makeFreePool } from './FreePool.js';
import { ContainerPolicySeam } from './ContainerPolicySeam.js';
import { loadContainerPolicy } from './containerPolicyModule.js';

/** Removed containers' and released runs' objects kept for reuse, at most (a burst need not be kept whole). */
const MAX_SPARE_CONTAINERS = 256;
const MAX_SPARE_RUNS = 1024;

/** Health test actions (record null) run for this long. */
export const TEST_ACTION_DURATION_MS = 1;

/** What the pool reports to the invoker that owns it. */
export interface ContainerPoolHost {
  /** The run's user code starts executing now. */
  runStarted(run: Run): void;
  /**
   * The run ended now (send the active ack). Returns true when the container proxy is done with the run, or
   * false when it still holds its container (storing the record, backpressure `wait-enqueue`); the host then
   * calls `releaseRun(run)` later. Until then the run stays in flight and its container stays busy. Once
   * released, the run's object is reused for a later activation unless the host has set `run.retained`.
   */
  runCompleted(run: Run): boolean;
  /** OpenWhisk's `MessageFeed.Processed`: one unit of feed capacity is free again. */
  processed(): void;
}

/** Stem cells of one prewarm config. */
interface PrewarmSlot {
  readonly config: PrewarmConfig;
  readonly ready: ContainerProxy[];
  starting: number;
}

export interface ContainerPoolOptions {
  /** Stem cells created at construction boot like replacements instead of being ready at once (restart). */
  stemCellsBoot?: boolean;
  /** The owning invoker's index (what a container policy's `ctx.invoker.index` reports). */
  invokerIndex?: number;
}

export class ContainerPool {
  /** OpenWhisk's runBuffer. */
  private readonly runBuffer = new RingBuffer<Run>(16);
  private readonly freePool: FreePool;
  private idleHead: ContainerProxy | null = null;
  private idleTail: ContainerProxy | null = null;
  private readonly all: ContainerProxy[] = [];
  private readonly inFlightRuns: Run[] = [];
  /** Removed containers' objects for reuse (see the header). */
  private readonly spareContainers: ContainerProxy[] = [];
  /** Released runs' objects for reuse (see the header). */
  private readonly spareRuns: Run[] = [];
  private readonly prewarmSlots: PrewarmSlot[];

  private readonly memoryMode: boolean;
  private readonly userMemoryMb: number;
  private readonly slots: number;
  private readonly pauseGraceMs: number;
  private readonly removeAfterIdleMs: number;
  private readonly coldStart: Distribution;
  private readonly prewarmStart: Distribution;
  private readonly unpause: Distribution;
  private readonly coldStartRng: Rng;
  private readonly prewarmStartRng: Rng;
  private readonly unpauseRng: Rng;
  private readonly stemCellRng: Rng;

  private nextContainerId = 0;
  /** Memory of every live container, stem cells (starting or not) included. */
  private usedMemoryMb = 0;
  /** Memory of the containers in free lists (OpenWhisk's freePool). */
  private freePoolMemoryMb = 0;
  /** Memory of the containers in the idle list. */
  private idleMemoryMb = 0;
  /** Non-stem-cell containers (freePool + busyPool). */
  private workerCount = 0;
  /** Containers in free lists (freePool.size). */
  private freeCount = 0;
  /** Finished activations whose Processed is held while the runBuffer is not empty (memory mode). */
  private heldProcessed = 0;
  private destroyed = false;
  /** `invokers.containerPolicy`, consulted at warm selection, eviction and keep-alive; null: OpenWhisk's own. */
  private readonly policy: ContainerPolicySeam | null = null;

  /** Cold container starts (containers created cold). */
  coldStarts = 0;
  /** Peak of `inFlight`. */
  maxInFlight = 0;
  /** Idle containers removed to make room for another action's or namespace's container. */
  evictions = 0;

  private readonly onInitializedBound = (c: ContainerProxy) => this.onInitialized(c);
  private readonly onRunEndBound = (r: Run) => this.onRunEnd(r);
  private readonly onStemCellStartedBound = (c: ContainerProxy) => this.onStemCellStarted(c);
  private readonly onIdleTimerBound = (c: ContainerProxy) => this.onIdleTimer(c);

  constructor(
    private readonly sim: Simulation,
    /** Prefix of the random stream names, e.g. `invoker3`. */
    streamPrefix: string,
    config: InvokersConfig,
    private readonly host: ContainerPoolHost,
    options: ContainerPoolOptions = {},
  ) {
    assert(config.userMemoryMb > 0, 'ContainerPool: userMemoryMb must be positive');
    assert(config.slots >= 1, 'ContainerPool: slots must be at least 1');
    this.memoryMode = config.poolMode === 'memory';
    this.userMemoryMb = config.userMemoryMb;
    this.slots = config.slots;
    this.pauseGraceMs = config.pauseGraceMs;
    this.removeAfterIdleMs = config.pauseGraceMs + config.idleTimeoutMs;
    this.coldStart = makeDistribution(config.coldStartMs);
    this.prewarmStart = makeDistribution(config.prewarmStartMs);
    this.unpause = makeDistribution(config.unpauseMs);
    this.coldStartRng = sim.rng(`${streamPrefix}/coldStart`);
    this.prewarmStartRng = sim.rng(`${streamPrefix}/prewarmStart`);
    this.unpauseRng = sim.rng(`${streamPrefix}/unpause`);
    this.stemCellRng = sim.rng(`${streamPrefix}/stemCellStart`);
    this.freePool = makeFreePool(config.containerSelection, sim.rng(`${streamPrefix}/actorUid`));
    this.prewarmSlots = config.prewarm.map((p) => ({ config: p, ready: [], starting: 0 }));
    if (config.containerPolicy !== null) {
      const prewarmRng = sim.rng(`${streamPrefix}/policyPrewarm`);
      this.policy = new ContainerPolicySeam(
        sim,
        loadContainerPolicy(config.containerPolicy),
        { index: options.invokerIndex ?? -1, name: streamPrefix, userMemoryMB: config.userMemoryMb },
        this.removeAfterIdleMs,
        sim.rng(`${streamPrefix}/containerPolicy`),
        (action, namespace, keepAliveMs) => this.startPrewarmed(action, namespace, keepAliveMs, prewarmRng),
      );
    }
    const boot = options.stemCellsBoot ?? false;
    for (const slot of this.prewarmSlots) {
      for (let i = 0; i < slot.config.count; i++) this.prewarmContainer(slot, boot);
    }
  }

  // ---- getters for sampling ----

  /** Activations assigned to a container: running or waiting for its initialization. */
  get inFlight(): number {
    return this.inFlightRuns.length;
  }
  /** Activations in the runBuffer. */
  get bufferedCount(): number {
    return this.runBuffer.length;
  }
  /** Live containers, stem cells included. */
  get containers(): number {
    return this.all.length;
  }
  get memoryUsedMb(): number {
    return this.usedMemoryMb;
  }
  /** Idle (ready or paused) containers. */
  get idleMemoryUsedMb(): number {
    return this.idleMemoryMb;
  }
  /** Stem cells ready to take work. */
  get stemCells(): number {
    let n = 0;
    for (const slot of this.prewarmSlots) n += slot.ready.length;
    return n;
  }

  // ---- Run ----

  /** A `Run` from the feed. */
  run(msg: ActivationMessage): void {
    assert(!this.destroyed, 'ContainerPool.run after destroy');
    const record = msg.record;
    const durationMs = record === null ? TEST_ACTION_DURATION_MS : record.durationMs;
    let r = this.spareRuns.pop();
    if (r === undefined) r = new Run(msg, durationMs);
    else r.reuse(msg, durationMs);
    if (this.policy !== null) this.policy.arrival(msg);
    // Only the buffer's head is ever retried, so a run arriving behind a non-empty buffer waits its turn.
    if (this.runBuffer.length > 0 || !this.tryRun(r)) this.runBuffer.push(r);
  }

  /** Places `r` on a container, or returns false when nothing fits now. */
  private tryRun(r: Run): boolean {
    const c = this.memoryMode ? this.selectByMemory(r.msg) : this.selectBySlots(r.msg);
    if (c === null) return false;
    this.assign(r, c);
    return true;
  }

  /** HEAD's selection order (ContainerPool.receive, case Run). */
  private selectByMemory(msg: ActivationMessage): ContainerProxy | null {
    const action = msg.action;
    const warm = this.policy === null ? this.schedule(action, msg.user.namespace, true) : this.policy.selectWarm(msg, this.freeListOrUndefined(action), true, () => this.schedule(action, msg.user.namespace, true));
    if (warm !== null) return warm;
    const prewarmed = this.takePrewarmContainer(action);
    if (prewarmed !== null) return prewarmed;
    if (this.hasPoolSpaceFor(action.memoryMb)) return this.createContainer(action);
    // Free only what is really needed, capped by what the free pool holds (the overcommit quirk, see top).
    const removed = this.remove(Math.min(action.memoryMb, this.freePoolMemoryMb));
    if (removed > 0) return this.takePrewarmContainer(action) ?? this.createContainer(action);
    return null;
  }

  /** MB's selection order (ContainerPool.receive, case Run). */
  private selectBySlots(msg: ActivationMessage): ContainerProxy | null {
    const busyCount = this.workerCount - this.freeCount;
    if (busyCount >= this.slots) return null;
    const action = msg.action;
    const warm = this.policy === null ? this.schedule(action, msg.user.namespace, false) : this.policy.selectWarm(msg, this.freeListOrUndefined(action), false, () => this.schedule(action, msg.user.namespace, false));
    if (warm !== null) return warm;
    if (busyCount + this.freeCount < this.slots) {
      return this.takePrewarmContainer(action) ?? this.createContainer(action);
    }
    // MB's `remove` takes the LRU free WarmedData of another action or namespace. Every idle container
    // qualifies: one of this action and namespace would have been found by `schedule` above.
    const lru = this.policy === null ? this.idleHead : this.policy.victim(this.idleHead, action.memoryMb);
    if (lru === null) return null;
    this.removeContainer(lru);
    this.evictions++;
    return this.takePrewarmContainer(action) ?? this.createContainer(action);
  }

  /**
   * ContainerPool.schedule: a container of `action` serving `namespace` with spare concurrency. Initialized
   * containers win over initializing ones (HEAD: WarmedData before WarmingData/WarmingColdData); MB only
   * knows idle warm containers.
   */
  private schedule(action: ActionMeta, namespace: string, allowInitializing: boolean): ContainerProxy | null {
    return this.freePool.find(action, namespace, allowInitializing);
  }

  /** Takes a stem cell of the action's kind and memory, starting a replacement. */
  private takePrewarmContainer(action: ActionMeta): ContainerProxy | null {
    for (const slot of this.prewarmSlots) {
      if (slot.config.kind !== action.kind || slot.config.memoryMb !== action.memoryMb) continue;
      const c = slot.ready.pop();
      if (c === undefined) continue;
      this.workerCount++;
      // The stem cell's memory stays counted; HEAD only starts the replacement when it fits, MB always does.
      this.prewarmContainer(slot, true);
      return c;
    }
    return null;
  }

  private hasPoolSpaceFor(memoryMb: number): boolean {
    return this.usedMemoryMb + memoryMb <= this.userMemoryMb;
  }

  private createContainer(action: ActionMeta): ContainerProxy {
    const c = this.newContainer(action.kind, action.memoryMb, 'new');
    this.freePool.created(c);
    this.track(c);
    this.workerCount++;
    return c;
  }

  /** HEAD's `ContainerPool.remove`: evict LRU idle containers until `memoryMb` is freed; returns how many. */
  private remove(memoryMb: number): number {
    let needMb = memoryMb;
    let removed = 0;
    while (needMb > 0 && this.idleHead !== null && this.idleMemoryMb >= needMb) {
      const c = this.policy === null ? this.idleHead : this.policy.victim(this.idleHead, needMb);
      if (c === null) break;
      needMb = Math.max(0, needMb - c.memoryMb);
      this.removeContainer(c);
      removed++;
      this.evictions++;
    }
    return removed;
  }

  /** Hands `r` to `c`: starts it at once on a warm container, or queues it behind an initialization. */
  private assign(r: Run, c: ContainerProxy): void {
    const msg = r.msg;
    const action = msg.action;
    r.container = c;
    r.inFlightIndex = this.inFlightRuns.length;
    this.inFlightRuns.push(r);
    if (this.inFlightRuns.length > this.maxInFlight) this.maxInFlight = this.inFlightRuns.length;
    c.activeCount++;
    switch (c.state) {
      case 'new':
        c.initialize(action, msg.user.namespace, true);
        this.coldStarts++;
        this.beginInitialization(c, this.coldStart.sample(this.coldStartRng));
        break;
      case 'stemCell':
        c.initialize(action, msg.user.namespace, false);
        this.beginInitialization(c, this.prewarmStart.sample(this.prewarmStartRng));
        break;
      case 'initializing':
        break;
      case 'ready':
        this.unlinkIdle(c);
        if (c.isPaused(this.sim.now, this.pauseGraceMs)) {
          c.unpause();
          this.beginInitialization(c, this.unpause.sample(this.unpauseRng));
        } else {
          c.runStartedWarm();
        }
        break;
      case 'running':
        c.runStartedWarm();
        break;
      default:
        assert(false, `ContainerPool.assign: container ${c.id} in state ${c.state}`);
    }
    // Keep the free lists exact: a container with spare concurrency is free, a full one busy.
    const full = c.activeCount >= action.concurrency;
    if (full && c.freeIndex >= 0) this.removeFromFreeList(c);
    else if (!full && c.freeIndex < 0) this.addToFreeList(c);
    if (c.state === 'initializing') {
      r.cold = c.coldStart;
      c.waiting.push(r);
    } else {
      this.begin(r);
    }
  }

  private beginInitialization(c: ContainerProxy, delayMs: number): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (c.transitionHandle !== -1) assert(false, `container ${c.id}: initialization while a transition is pending`);
    c.transitionHandle = this.sim.schedule(Math.max(0, delayMs), this.onInitializedBound, c);
  }

  private onInitialized(c: ContainerProxy): void {
    c.transitionHandle = -1;
    if (c.activeCount === 0) {
      // A container policy's pre-warm, started ahead of demand, and no run took it while it started.
      c.prewarmed(this.sim.now);
      this.becameIdleUnderPolicy(c, c.keepAliveMs);
      return;
    }
    c.initialized();
    const waiting = c.waiting;
    for (let i = 0; i < waiting.length; i++) this.begin(waiting[i]!);
    c.clearWaiting();
  }

  /** The user code starts. */
  private begin(r: Run): void {
    r.startMs = this.sim.now;
    this.host.runStarted(r);
    r.endHandle = this.sim.schedule(r.durationMs, this.onRunEndBound, r);
  }

  /** The run's user code ended: the ack goes out, then the proxy frees its slot now or once the host says so. */
  private onRunEnd(r: Run): void {
    r.endHandle = -1;
    r.acked = true;
    if (this.host.runCompleted(r)) this.releaseRun(r);
  }

  /**
   * ContainerProxy's NeedWork after a run: the container frees a concurrency slot. Called by the pool itself,
   * or by the host for a run whose `runCompleted` returned false (its `endHandle` must be clear by then).
   */
  releaseRun(r: Run): void {
    assert(!this.destroyed, 'ContainerPool.releaseRun after destroy');
    assert(r.acked, 'ContainerPool.releaseRun of a run that has not ended');
    assert(r.endHandle === -1, 'ContainerPool.releaseRun with an event still pending for the run');
    const c = r.container!;
    this.removeInFlight(r);
    c.runFinished(this.sim.now);
    if (this.policy !== null) this.policy.completed(r.msg);
    if (c.freeIndex < 0) this.addToFreeList(c);
    if (this.policy !== null && c.state === 'ready') {
      this.becameIdleUnderPolicy(c, this.policy.keepAlive(c));
    } else if (c.state === 'ready') {
      this.linkIdle(c);
      if (c.idleTimerHandle === -1) {
        c.idleTimerHandle = this.sim.scheduleAt(c.lastUsedMs + this.removeAfterIdleMs, this.onIdleTimerBound, c);
      }
    }
    // The run is done with: nobody refers to it any more unless it says so.
    if (!r.retained && this.spareRuns.length < MAX_SPARE_RUNS) this.spareRuns.push(r);
    if (!this.memoryMode) {
      this.processBuffer();
      this.host.processed();
    } else if (this.runBuffer.length === 0) {
      this.host.processed();
    } else {
      this.heldProcessed++;
      this.processBuffer();
    }
  }

  /** Retries the runBuffer's head until one does not fit; releases held feed capacity once it drains. */
  private processBuffer(): void {
    const buffer = this.runBuffer;
    while (buffer.length > 0 && this.tryRun(buffer.peekHead())) buffer.shift();
    if (buffer.length === 0) {
      // Released after the loop: each processed() may synchronously deliver a new run to `run`.
      while (this.heldProcessed > 0) {
        this.heldProcessed--;
        this.host.processed();
      }
    }
  }

  private onIdleTimer(c: ContainerProxy): void {
    c.idleTimerHandle = -1;
    // Busy again: the next idle period arms a new check.
    if (c.state !== 'ready') return;
    const deadlineMs = c.lastUsedMs + (this.policy === null ? this.removeAfterIdleMs : c.keepAliveMs);
    if (this.sim.now < deadlineMs) {
      c.idleCheckAtMs = deadlineMs;
      c.idleTimerHandle = this.sim.scheduleAt(deadlineMs, this.onIdleTimerBound, c);
      return;
    }
    this.removeContainer(c);
    // ContainerRemoved: freed memory may let the buffer's head run; HEAD also backfills stem cells.
    this.backfillPrewarms();
    this.processBuffer();
  }

  // ---- container policy ----

  /**
   * A container became idle and the policy gave its keep-alive (ms after lastUsed), or -1: it scheduled a
   * pre-warm, so the container goes now. As without a policy, a pending idle check that fires no later than
   * the new deadline is kept (it re-arms itself); only one that would fire too late is moved.
   */
  private becameIdleUnderPolicy(c: ContainerProxy, keepAliveMs: number): void {
    this.linkIdle(c);
    if (keepAliveMs < 0) {
      this.removeContainer(c);
      this.backfillPrewarms();
      return;
    }
    c.keepAliveMs = keepAliveMs;
    const deadlineMs = c.lastUsedMs + keepAliveMs;
    if (c.idleTimerHandle !== -1) {
      if (c.idleCheckAtMs <= deadlineMs) return;
      this.sim.cancel(c.idleTimerHandle);
    }
    c.idleCheckAtMs = deadlineMs;
    c.idleTimerHandle = this.sim.scheduleAt(deadlineMs, this.onIdleTimerBound, c);
  }

  /** A policy's pre-warm is due: a container of the action starts now, if memory (or a slot) allows. */
  private startPrewarmed(action: ActionMeta, namespace: string, keepAliveMs: number, rng: Rng): boolean {
    if (this.destroyed || this.runBuffer.length > 0) return false;
    if (this.memoryMode ? !this.hasPoolSpaceFor(action.memoryMb) : this.workerCount >= this.slots) return false;
    const c = this.createContainer(action);
    c.initialize(action, namespace, true);
    c.keepAliveMs = keepAliveMs;
    this.addToFreeList(c);
    this.beginInitialization(c, this.coldStart.sample(rng));
    return true;
  }

  // ---- stem cells ----

  /** Starts a stem cell for `slot` (HEAD: only if memory allows). */
  private prewarmContainer(slot: PrewarmSlot, boot: boolean): void {
    const memoryMb = slot.config.memoryMb;
    if (this.memoryMode && !this.hasPoolSpaceFor(memoryMb)) return;
    const state = boot ? 'stemCellStarting' : 'stemCell';
    const c = this.newContainer(slot.config.kind, memoryMb, state);
    this.freePool.created(c);
    this.track(c);
    if (boot) {
      slot.starting++;
      c.transitionHandle = this.sim.schedule(
        Math.max(0, this.coldStart.sample(this.stemCellRng)),
        this.onStemCellStartedBound,
        c,
      );
    } else {
      slot.ready.push(c);
    }
  }

  private onStemCellStarted(c: ContainerProxy): void {
    c.transitionHandle = -1;
    c.stemCellStarted();
    for (const slot of this.prewarmSlots) {
      if (slot.config.kind === c.kind && slot.config.memoryMb === c.memoryMb && slot.starting > 0) {
        slot.starting--;
        slot.ready.push(c);
        return;
      }
    }
    assert(false, `container ${c.id}: no prewarm slot expects this stem cell`);
  }

  private backfillPrewarms(): void {
    for (const slot of this.prewarmSlots) {
      for (let n = slot.ready.length + slot.starting; n < slot.config.count; n++) this.prewarmContainer(slot, true);
    }
  }

  // ---- indexes ----

  private newContainer(kind: string, memoryMb: number, state: 'stemCellStarting' | 'stemCell' | 'new'): ContainerProxy {
    const spare = this.spareContainers.pop();
    if (spare === undefined) return new ContainerProxy(this.nextContainerId++, kind, memoryMb, state, this.sim.now);
    spare.reuse(this.nextContainerId++, kind, memoryMb, state, this.sim.now);
    return spare;
  }

  private track(c: ContainerProxy): void {
    c.poolIndex = this.all.length;
    this.all.push(c);
    this.usedMemoryMb += c.memoryMb;
  }

  private removeContainer(c: ContainerProxy): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (c.activeCount !== 0) assert(false, `container ${c.id}: removed with ${c.activeCount} activations`);
    if (c.isStemCell) assert(false, `container ${c.id}: stem cells are never evicted`);
    if (c.inIdleList) this.unlinkIdle(c);
    if (c.freeIndex >= 0) this.removeFromFreeList(c);
    this.untrack(c);
    this.workerCount--;
    // Nothing refers to a removed container any more (its events are cancelled, its runs are done).
    if (this.spareContainers.length < MAX_SPARE_CONTAINERS) this.spareContainers.push(c);
  }

  private untrack(c: ContainerProxy): void {
    if (c.transitionHandle !== -1) this.sim.cancel(c.transitionHandle);
    if (c.idleTimerHandle !== -1) this.sim.cancel(c.idleTimerHandle);
    c.transitionHandle = -1;
    c.idleTimerHandle = -1;
    const all = this.all;
    const last = all.pop()!;
    if (last !== c) {
      all[c.poolIndex] = last;
      last.poolIndex = c.poolIndex;
    }
    c.poolIndex = -1;
    this.usedMemoryMb -= c.memoryMb;
    c.removed();
  }

  /** The free containers of `action` for a container policy's `selectWarm`, the preferred one last. */
  private freeListOrUndefined(action: ActionMeta): ContainerProxy[] | undefined {
    const ordered = this.freePool.ordered(action);
    return ordered.length === 0 ? undefined : ordered.reverse();
  }

  private addToFreeList(c: ContainerProxy): void {
    this.freePool.add(c);
    this.freeCount++;
    this.freePoolMemoryMb += c.memoryMb;
  }

  private removeFromFreeList(c: ContainerProxy): void {
    this.freePool.remove(c);
    this.freeCount--;
    this.freePoolMemoryMb -= c.memoryMb;
  }

  private linkIdle(c: ContainerProxy): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (c.inIdleList) assert(false, `container ${c.id}: already idle`);
    c.inIdleList = true;
    c.idlePrev = this.idleTail;
    c.idleNext = null;
    if (this.idleTail !== null) this.idleTail.idleNext = c;
    else this.idleHead = c;
    this.idleTail = c;
    this.idleMemoryMb += c.memoryMb;
  }

  private unlinkIdle(c: ContainerProxy): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (!c.inIdleList) assert(false, `container ${c.id}: not idle`);
    if (c.idlePrev !== null) c.idlePrev.idleNext = c.idleNext;
    else this.idleHead = c.idleNext;
    if (c.idleNext !== null) c.idleNext.idlePrev = c.idlePrev;
    else this.idleTail = c.idlePrev;
    c.idlePrev = null;
    c.idleNext = null;
    c.inIdleList = false;
    this.idleMemoryMb -= c.memoryMb;
  }

  private removeInFlight(r: Run): void {
    const runs = this.inFlightRuns;
    const index = r.inFlightIndex;
    assert(index >= 0, 'ContainerPool: run finished twice');
    const last = runs.pop()!;
    if (last !== r) {
      runs[index] = last;
      last.inFlightIndex = index;
    }
    r.inFlightIndex = -1;
  }

  // ---- crash ----

  /**
   * The invoker died: every container is gone, every pending event cancelled. `onLost` sees each run that was
   * executing, initializing, held after its ack (`run.acked`: only its record is lost) or buffered, in-flight runs first (by start order is not guaranteed), then the
   * buffer in FIFO order. The pool cannot be used afterwards.
   */
  destroy(onLost: (run: Run) => void): void {
    assert(!this.destroyed, 'ContainerPool destroyed twice');
    this.destroyed = true;
    if (this.policy !== null) this.policy.destroy();
    const runs = this.inFlightRuns;
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i]!;
      if (r.endHandle !== -1) this.sim.cancel(r.endHandle);
      r.endHandle = -1;
      r.inFlightIndex = -1;
      onLost(r);
    }
    runs.length = 0;
    while (this.runBuffer.length > 0) onLost(this.runBuffer.shift());
    while (this.all.length > 0) {
      const c = this.all[this.all.length - 1]!;
      c.activeCount = 0;
      this.untrack(c);
    }
    this.freePool.clear();
    for (const slot of this.prewarmSlots) {
      slot.ready.length = 0;
      slot.starting = 0;
    }
    this.idleHead = null;
    this.idleTail = null;
    this.idleMemoryMb = 0;
    this.freePoolMemoryMb = 0;
    this.freeCount = 0;
    this.workerCount = 0;
    this.heldProcessed = 0;
  }
}

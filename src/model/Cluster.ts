/**
 * Builds the simulated world of a scenario and runs it: one Kafka broker with OpenWhisk's topics, the
 * invokers, the controllers (each running the configured OpenWhisk balancer), the workload and front door,
 * the metrics collector and the time-series sampler.
 *
 * Controllers: ControllerGroup owns their membership, the shared bookkeeping (a replication network of one
 * replicator per controller when `bookkeeping: distributed`) and what a crash or a restart does;
 * `crashController` / `restartController` are the seams faults call. BookkeepingError compares each
 * controller's believed load per invoker with the activations truly sent to it (summary `bookkeeping`).
 *
 * Start-up: topics exist before anything runs (ansible creates them in a deployment; `overflow` is
 * auto-created with `kafka.overflowPartitions`). Invokers start pinging at t = 0; with `startHealthy` the
 * controllers already list every invoker as Healthy, otherwise OpenWhisk's test actions bring them up.
 *
 * Run: arrivals stop at `durationMs`; the run continues up to `drainMs` longer while activations are in flight,
 * checked at every sample instant, and ends at the first sample instant after `durationMs` with nothing in
 * flight. Statistics windows (topic depth means, the in-system gauge) start at the end of warm-up.
 *
 * Activation store (only with a `store:` section): one ActivationStore shared by all invokers, each invoker
 * with its Batcher and heap; under `kafka-overflow` the `activations` topic and its recorder services. The run's
 * end does not wait for records (they may still be queued or in Kafka); record conservation is asserted at
 * the end of every such run, and the per-invoker columns heapMb / batcherQueue / crashed are sampled.
 */
import type { Scenario } from '../scenario/types.js';
import { Simulation } from '../sim/Simulation.js';
import { SAMPLER_PRIORITY } from '../sim/Sampler.js';
import { ContainerMemory } from './metrics/ContainerMemory.js';
import type { ActivationRecord } from './ActivationRecord.js';
import { Controller } from './controller/Controller.js';
import { ControllerGroup, type ControllerSlot } from './ControllerGroup.js';
import { BookkeepingError } from './metrics/BookkeepingError.js';
import type { ControllerObserver } from './controller/ControllerObserver.js';
import { Invoker, invokerStoreOptions } from './invoker/Invoker.js';
import type { InvokerObserver } from './invoker/InvokerObserver.js';
import { KafkaBroker } from './kafka/KafkaBroker.js';
import { simScheduler } from './kafka/simScheduler.js';
import { controllerName, invokerName, topics, type ActivationResponse, type InvokerState } from './messages.js';
import { MetricsCollector } from './metrics/MetricsCollector.js';
import { FaultInjector } from './faults/FaultInjector.js';
import { buildActionCatalog, type CatalogEntry } from './workload/ActionCatalog.js';
import { FrontDoor } from './workload/FrontDoor.js';
import { Workload } from './workload/Workload.js';
import { withPopulation } from './workload/Population.js';
import type { OpenTrace } from './workload/TraceArrivals.js';
import { ActivationStore } from './store/ActivationStore.js';
import { Recorder } from './store/Recorder.js';
import { assert } from '../sim/assert.js';
import { TimeWeightedValue } from './metrics/TimeWeightedValue.js';

/** What the world needs from outside the model: the reader of `workload.trace`, when the scenario has one. */
export interface ClusterOptions {
  openTrace?: OpenTrace;
}

export interface ClusterProgress {
  simulatedMs: number;
  totalMs: number;
  events: number;
  /** When arrivals stop; after it the run only drains (and ends as soon as nothing is in flight). */
  durationMs?: number;
}

export class Cluster implements ControllerObserver, InvokerObserver {
  readonly sim: Simulation;
  readonly broker: KafkaBroker;
  readonly invokers: Invoker[];
  readonly controllers: Controller[];
  /** Front-door view of each controller: faults mark one down. */
  readonly controllerSlots: ControllerSlot[];
  /** Membership, shared bookkeeping, crashes and restarts of the controllers (ControllerGroup.ts). */
  readonly controllerGroup: ControllerGroup;
  /** Believed vs true load per invoker (BookkeepingError.ts). */
  readonly bookkeepingError: BookkeepingError;
  readonly metrics: MetricsCollector;
  /** Memory held by containers, idle ones apart, over the measured window (ContainerMemory.ts). */
  readonly containerMemory: ContainerMemory;
  /** The scenario's scheduled faults (src/model/faults). */
  readonly faults: FaultInjector;
  /** Called at every sample instant with the time: the invariant checkers' hook (observe only), or null. */
  onSample: ((nowMs: number) => void) | null = null;
  readonly catalog: CatalogEntry[];
  /** The activation store and recorder services; null / empty when the scenario has no `store:`. */
  readonly store: ActivationStore | null = null;
  readonly recorders: Recorder[] = [];
  readonly columns: string[] = ['t_ms'];
  readonly rows: number[][] = [];
  private readonly workload: Workload;
  private readonly frontDoor: FrontDoor<ControllerSlot>;
  private readonly probes: (() => number)[] = [];
  /** Per controller slot: time-weighted overflow share and healthy count for the time series. */
  private readonly overflowShares: TimeWeightedValue[] = [];
  private readonly healthyMeans: TimeWeightedValue[] = [];
  private readonly sampleTick: () => void;
  private finished = false;
  private endMs = 0;

  /** The scenario as run: a `workload.population` is expanded into its actions, after the listed (and traced) ones. */
  readonly scenario: Scenario;

  constructor(scenario: Scenario, seed = scenario.seed, options: ClusterOptions = {}) {
    this.sim = new Simulation({ seed });
    const sim = this.sim;
    this.scenario = withPopulation(scenario, (name) => sim.rng(name));
    const s = this.scenario;
    this.metrics = new MetricsCollector(s.controllers.count, s.invokers.count, s.warmupMs);
    this.containerMemory = new ContainerMemory(s.warmupMs);
    this.catalog = buildActionCatalog(s.workload.actions);

    this.broker = new KafkaBroker(sim, { latencyMs: s.kafka.latencyMs });
    for (let i = 0; i < s.invokers.count; i++) this.broker.ensureTopic(topics.invoker(i));
    for (let c = 0; c < s.controllers.count; c++) this.broker.ensureTopic(topics.completed(c));
    this.broker.ensureTopic(topics.health);
    if (s.controllers.loadBalancer === 'overflow') this.broker.ensureTopic(topics.overflow, s.kafka.overflowPartitions);

    const scheduler = simScheduler(sim);
    const st = s.store;
    if (st !== null) {
      this.store = new ActivationStore(
        sim,
        { throughputPerSec: st.throughputPerSec, bulkLatencyMs: st.bulkLatencyMs, errors: st.errors, throttle: st.throttle, errorsRng: sim.rng('store/errors') },
        sim.rng('store/bulkLatency'),
      );
      if (st.backpressure === 'kafka-overflow') {
        this.broker.ensureTopic(topics.activations, st.partitions);
        for (let r = 0; r < st.recorders; r++) {
          const { batchSize, concurrency } = st.batcher;
          this.recorders.push(new Recorder({ index: r, messaging: this.broker, scheduler, store: this.store, batchSize, concurrency, maxTries: st.maxTries, pollMs: s.invokers.feedPollMs }));
        }
      }
    }
    const storeOptions = this.store !== null && st !== null ? invokerStoreOptions(this.store, st, s.invokers, s.kafka.producer) : undefined;
    this.invokers = [];
    for (let i = 0; i < s.invokers.count; i++) {
      this.invokers.push(new Invoker({ id: i, sim, messaging: this.broker, config: s.invokers, observer: this, store: storeOptions }));
    }
    this.bookkeepingError = new BookkeepingError(s.invokers.count, s.controllers.count, s.warmupMs, s.durationMs);
    this.controllerGroup = new ControllerGroup({
      sim,
      scenario: s,
      scheduler,
      messaging: this.broker,
      observer: this,
      lose: (record, nowMs) => this.metrics.lostAt(record, nowMs),
      truth: this.bookkeepingError,
    });
    this.controllers = this.controllerGroup.controllers;
    this.controllerSlots = this.controllerGroup.slots;
    this.frontDoor = new FrontDoor(this.controllerSlots, s.controllers.frontDoor, sim.rng('frontDoor'));
    this.workload = new Workload(sim, this.catalog, { durationMs: s.durationMs, warmupMs: s.warmupMs, openTrace: options.openTrace, timeScale: s.workload.timeScale }, (record, entry) =>
      this.arrive(record, entry),
    );
    this.faults = new FaultInjector(this, s.faults, s.source);
    this.defineTimeSeries();
    this.sampleTick = () => this.sample();
  }

  /** Runs the scenario to its end; `onProgress` is called after each simulated chunk. */
  run(onProgress?: (p: ClusterProgress) => void): void {
    const s = this.scenario;
    const sim = this.sim;
    const horizonMs = s.durationMs + s.drainMs;
    if (s.warmupMs > 0) sim.scheduleAt(s.warmupMs, () => this.startMeasuring(), undefined, -1);
    else this.startMeasuring();
    this.workload.start();
    this.faults.schedule();
    sim.scheduleAt(0, this.sampleTick, undefined, SAMPLER_PRIORITY);
    const chunkMs = Math.max(s.sampleIntervalMs, Math.ceil(horizonMs / 200));
    while (!this.finished) {
      const until = Math.min(horizonMs, sim.now + chunkMs);
      sim.run({ until });
      onProgress?.({ simulatedMs: sim.now, totalMs: horizonMs, events: sim.eventsProcessed, durationMs: s.durationMs });
      if (sim.now >= horizonMs && !this.finished) this.finish(horizonMs);
    }
  }

  get simulatedMs(): number {
    return this.endMs;
  }

  /**
   * After the run, lets the world go on for `forMs` with no new work (arrivals have stopped), so that
   * background protocols — gossip, pruning — can finish before the replica-convergence check. Called only
   * after the results are taken: nothing it does reaches the reports.
   */
  settle(forMs: number): void {
    if (forMs <= 0) return;
    this.sim.run({ until: this.sim.now + forMs });
  }

  /** Controller i's process dies now (see ControllerGroup.crashController); for faults and tests. */
  crashController(index: number): void {
    this.controllerGroup.crashController(index);
  }

  /** Controller i comes back with empty books under a new cluster identity (at a new address if asked); for faults and tests. */
  restartController(index: number, newAddress = false): void {
    this.controllerGroup.restartController(index, newAddress);
  }

  // --- world wiring ------------------------------------------------------------------------------------------

  private arrive(record: ActivationRecord, entry: CatalogEntry): void {
    this.metrics.arrivedAt(record);
    const slot = this.frontDoor.route();
    if (slot === null) {
      this.metrics.rejectedAt(-1, record, 'noController', this.sim.now);
      return;
    }
    slot.controller.receive(record, entry.meta, entry.blocking, entry.user);
  }

  private startMeasuring(): void {
    const now = this.sim.now;
    for (const topic of this.broker.topicNames()) this.broker.depthGauge(topic).resetWindow(now);
  }

  private sample(): void {
    // After the run (while `settle` lets gossip finish) nothing more is sampled or measured.
    if (this.finished) return;
    const now = this.sim.now;
    const row = new Array<number>(this.probes.length + 1);
    row[0] = now;
    for (let i = 0; i < this.probes.length; i++) row[i + 1] = this.probes[i]!();
    this.rows.push(row);
    if (this.onSample !== null) this.onSample(now);
    this.bookkeepingError.sample(now, this.controllerSlots);
    this.containerMemory.sample(now, this.invokers);
    const s = this.scenario;
    if (now >= s.durationMs && this.metrics.inFlight === 0) {
      this.finish(now);
      return;
    }
    if (now + s.sampleIntervalMs <= s.durationMs + s.drainMs) this.sim.schedule(s.sampleIntervalMs, this.sampleTick, undefined, SAMPLER_PRIORITY);
  }

  private finish(nowMs: number): void {
    this.finished = true;
    this.endMs = nowMs;
    this.metrics.finish(nowMs);
    this.controllerGroup.finishMembership(nowMs);
    if (this.store !== null) {
      for (const inv of this.invokers) inv.finishHeapStatistics();
      this.assertRecordsConserved();
    }
    this.sim.stop();
  }

  /** Records still somewhere between their activation and the database. */
  recordsHeld(): { queued: number; inFlight: number; held: number; inKafka: number } {
    const store = this.store!;
    let queued = 0;
    for (const inv of this.invokers) queued += inv.batcherQueue;
    for (const r of this.recorders) queued += r.batcher.queued;
    // A record blocked in a Kafka producer's send is held by its proxy, like a wait-enqueue record.
    return { queued, inFlight: store.documentsInFlight, held: store.held + store.blockedInProducer, inKafka: store.inKafka };
  }

  /**
   * written + not written (lost, dropped, given up, refused, failed) + queued + in flight = produced (in
   * flight: in bulk calls, held by proxies or a blocked producer, in Kafka).
   */
  assertRecordsConserved(): void {
    const store = this.store!;
    const h = this.recordsHeld();
    const accounted = store.written + store.notWritten + h.queued + h.inFlight + h.held + h.inKafka;
    if (accounted !== store.produced) assert(false, `records not conserved: ${accounted} accounted for, ${store.produced} produced`);
  }

  private defineTimeSeries(): void {
    const add = (name: string, probe: () => number) => {
      this.columns.push(name);
      this.probes.push(probe);
    };
    const m = this.metrics;
    add('arrived', () => m.arrived);
    add('completed', () => m.completed);
    add('inFlight', () => m.inFlight);
    if (this.faults.count > 0) add('fault.active', () => this.faults.active);
    for (const topic of this.broker.topicNames()) add(`depth.${topic}`, () => this.broker.depth(topic));
    this.invokers.forEach((inv, i) => add(`inFlight.${invokerName(i)}`, () => inv.inFlight));
    this.invokers.forEach((inv, i) => add(`containers.${invokerName(i)}`, () => inv.containers));
    if (this.scenario.workload.population !== null) {
      // Cluster-wide container memory, for populations (thousands of actions keep many idle containers).
      add('memoryMb.used', () => this.invokers.reduce((sum, inv) => sum + inv.memoryUsedMb, 0));
      add('memoryMb.idle', () => this.invokers.reduce((sum, inv) => sum + inv.idleMemoryMb, 0));
    }
    // Probes read the current incarnation: a restart replaces the controller in its slot.
    const slots = this.controllerSlots;
    // Overflow and health as time-weighted means over each sample interval (share of it in overflow, mean
    // healthy count), so an episode between two samples still shows; re-synced at each sample (restarts).
    slots.forEach((slot, i) => {
      const overflow = new TimeWeightedValue(0, this.sim.now);
      const healthy = new TimeWeightedValue(countHealthy(slot.controller), this.sim.now);
      this.overflowShares.push(overflow);
      this.healthyMeans.push(healthy);
      add(`overflow.${controllerName(i)}`, () => {
        const mean = overflow.takeMean(this.sim.now);
        overflow.set(slot.controller.loadBalancer.overflowState ? 1 : 0, this.sim.now);
        return mean;
      });
      add(`healthy.${controllerName(i)}`, () => {
        const mean = healthy.takeMean(this.sim.now);
        healthy.set(countHealthy(slot.controller), this.sim.now);
        return mean;
      });
    });
    if (this.store !== null) {
      const store = this.store;
      this.invokers.forEach((inv, i) => add(`heapMb.${invokerName(i)}`, () => Math.round((inv.heapBytes / 1048576) * 1000) / 1000));
      this.invokers.forEach((inv, i) => add(`batcherQueue.${invokerName(i)}`, () => inv.batcherQueue));
      this.invokers.forEach((inv, i) => add(`crashed.${invokerName(i)}`, () => (inv.isAlive ? 0 : 1)));
      add('store.written', () => store.written);
      add('store.backlog', () => store.backlogDocuments(this.sim.now));
    }
    for (let c = 0; c < slots.length; c++) {
      const slot = slots[c]!;
      for (let i = 0; i < this.invokers.length; i++) {
        add(`believed.${controllerName(c)}.${invokerName(i)}`, () => slot.believedLoad(i));
      }
    }
    const truth = this.bookkeepingError;
    for (let i = 0; i < this.invokers.length; i++) add(`true.${invokerName(i)}`, () => truth.trueLoad(i));
    slots.forEach((slot, i) => add(`up.${controllerName(i)}`, () => (slot.isUp ? 1 : 0)));
    const group = this.controllerGroup;
    const membership = group.membershipMetrics;
    if (membership !== null) {
      // The cluster size each live controller's balancer is told (HEAD's monitor in its own view); 0 while down.
      slots.forEach((slot, i) => add(`clusterSize.${controllerName(i)}`, () => (slot.isUp ? group.clusterSizeSeenBy(i) : 0)));
      add('membership.shareSum', () => Math.round(membership.shareSum * 1e6) / 1e6);
      add('membership.garbage', () => membership.garbage);
    }
  }

  // --- ControllerObserver ------------------------------------------------------------------------------------

  activationAccepted(controller: number, record: ActivationRecord, nowMs: number): void {
    this.metrics.accepted(controller, record, nowMs);
  }
  activationRejected(controller: number, record: ActivationRecord, reason: string, nowMs: number): void {
    this.metrics.rejectedAt(controller, record, reason, nowMs);
  }
  activationCompleted(controller: number, record: ActivationRecord, response: ActivationResponse, nowMs: number): void {
    this.metrics.completedAt(controller, record, response, nowMs);
  }
  activationTimedOut(controller: number, record: ActivationRecord, nowMs: number): void {
    this.metrics.timedOutAt(controller, record, nowMs);
  }
  overflowStateChanged(controller: number, on: boolean, nowMs: number): void {
    this.metrics.overflowStateChanged(controller, on, nowMs);
    this.overflowShares[controller]?.set(on ? 1 : 0, nowMs);
  }
  overflowSent(controller: number, record: ActivationRecord | null): void {
    this.metrics.overflowSent(controller, record);
  }
  overflowDropped(controller: number, record: ActivationRecord | null, lost: boolean, nowMs: number): void {
    this.metrics.overflowDropped(controller, lost ? record : null, nowMs);
  }
  invokerStateChanged(controller: number, _invoker: number, from: InvokerState, to: InvokerState, nowMs: number): void {
    this.metrics.healthTransition(from, to);
    const healthy = this.healthyMeans[controller];
    // The supervision's transition; the balancer's own list (re-read at each sample) follows it.
    if (healthy !== undefined && (from === 'Healthy') !== (to === 'Healthy')) healthy.set(Math.max(0, healthy.current + (to === 'Healthy' ? 1 : -1)), nowMs);
  }

  // --- InvokerObserver ---------------------------------------------------------------------------------------

  activationStarted(invoker: Invoker, record: ActivationRecord, cold: boolean, nowMs: number): void {
    this.metrics.started(invoker.id, record, cold, nowMs);
  }
  activationFinished(invoker: Invoker, record: ActivationRecord, nowMs: number): void {
    this.bookkeepingError.left(invoker.id, record);
    this.metrics.finished(invoker.id, record, nowMs);
  }
  activationLost(invoker: Invoker, record: ActivationRecord, nowMs: number): void {
    this.bookkeepingError.left(invoker.id, record);
    this.metrics.lostAt(record, nowMs);
  }
}

function countHealthy(controller: Controller): number {
  const list = controller.loadBalancer.invokerHealth();
  let n = 0;
  for (let i = 0; i < list.length; i++) if (list[i]!.status === 'Healthy') n++;
  return n;
}

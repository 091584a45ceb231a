/**
 * Builds the simulated world of a scenario and runs it: one Kafka broker with OpenWhisk's topics, the
 * invokers, the controllers (each running the configured OpenWhisk balancer), the workload and front door,
 * the metrics collector and the time-series sampler.
 *
 * Controllers: ControllerGroup owns their membership, the shared bookkeeping (a replication network of one
 * replicator per controller when `bookkeeping: distributed`) and what a crash or a restart does. BookkeepingError
 * compares each controller's believed load per invoker with the activations truly sent to it (summary
 * `bookkeeping`).
 *
 * Observation: every controller (through its incarnation, which mutes a dead one) and every invoker reports to
 * one observer, the MetricsCollector. Sampling: one Sampler; its tick writes the time series row (TimeSeries)
 * and the per-sample statistics, and ends the run. Results: each component summarizes itself and `results()`
 * gathers them into one typed object, all the run's reports are built from. Faults and the invariant checkers
 * reach the world through typed seams (`faultSeam`, `checkSeam`).
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
import { Sampler } from '../sim/Sampler.js';
import { ContainerMemory, type ContainerMemorySummary } from './metrics/ContainerMemory.js';
import type { ActivationRecord } from './ActivationRecord.js';
import type { Controller } from './controller/Controller.js';
import { ControllerGroup, type ControllerGroupResults, type ControllerSlot } from './ControllerGroup.js';
import { BookkeepingError } from './metrics/BookkeepingError.js';
import { Invoker, invokerStoreOptions } from './invoker/Invoker.js';
import { KafkaBroker, type TopicResults } from './kafka/KafkaBroker.js';
import { simScheduler } from './common/simScheduler.js';
import { controllerName, invokerName, topics } from './messages.js';
import { MetricsCollector, type ActivationResults } from './metrics/MetricsCollector.js';
import type { BreakdownMetrics } from './metrics/BreakdownMetrics.js';
import { TimeSeries } from './metrics/TimeSeries.js';
import { FaultInjector } from './faults/FaultInjector.js';
import type { FaultSummary } from './faults/FaultSummary.js';
import type { FaultWorld } from './faults/FaultTargets.js';
import type { CheckedWorld } from './checks/InvariantChecker.js';
import { buildActionCatalog, type CatalogEntry } from './workload/ActionCatalog.js';
import { FrontDoor } from './workload/FrontDoor.js';
import { Workload } from './workload/Workload.js';
import { withPopulation } from './workload/Population.js';
import type { OpenTrace } from './workload/TraceArrivals.js';
import { ActivationStore } from './store/ActivationStore.js';
import { Recorder } from './store/Recorder.js';
import { storeResults, type OomSummary, type RecordsHeld, type StoreSummary } from './store/storeResults.js';
import type { MembershipSummary } from './membership/MembershipMetrics.js';
import { assert } from '../sim/assert.js';
import { round3 } from '../sim/LatencyHistogram.js';

/** What the world needs from outside the model. */
export interface ClusterOptions {
  /** The reader of `workload.trace`, when the scenario has one. */
  openTrace?: OpenTrace;
  /** Builds the per-action and per-window figures (BreakdownMetrics) the collector feeds, for the scenario as run. */
  breakdown?: (asRun: Scenario) => BreakdownMetrics;
  /** Called once per activation when its outcome is set, until the run ends (activations.csv). */
  onResolved?: (record: ActivationRecord) => void;
}

export interface ClusterProgress {
  simulatedMs: number;
  totalMs: number;
  events: number;
  /** When arrivals stop; after it the run only drains (and ends as soon as nothing is in flight). */
  durationMs?: number;
}

/** One controller's figures (summary `controllers.<name>`). */
export interface ControllerResults {
  activations: number;
  overflowActivations: number;
  overflow: { episodes: number; timeInOverflowMs: number; activations: number; dropped: number };
  believedVsTrueError: number;
  forcedPlacements?: number;
}

/** One invoker's figures (summary `invokers.<name>`). */
export interface InvokerResults {
  activations: number;
  coldStarts: number;
  maxInFlight: number;
  evictions: number;
}

/** Everything a run produced, gathered from each component's own summary; the reports read nothing else. */
export interface ClusterResults {
  /** When the run ended (simulated). */
  endMs: number;
  events: number;
  /** The collector's figures (outcomes, latencies, cold starts, Little's law, overflow and health totals, CDFs). */
  activations: ActivationResults;
  /** By index. */
  controllers: ControllerResults[];
  /** By index. */
  invokers: InvokerResults[];
  bookkeeping: { meanError: number; maxError: number; residualAtEnd: number; gossipMessages: number; requirementFailures: number; controllerCrashes: number };
  topics: Record<string, TopicResults>;
  containers: ContainerMemorySummary;
  /** With a `store:` section. */
  oom: OomSummary | null;
  store: StoreSummary | null;
  /** With two or more controllers. */
  membership: MembershipSummary | null;
  /** What each scheduled fault did, in scenario order (empty without faults). */
  faults: FaultSummary[];
  /** Activations the PR's LoadBalancerActor re-queued to the overflow topic. */
  overflowRequeues: number;
  timeseries: { columns: string[]; rows: number[][] };
  /** Records the controllers accepted and never answered. */
  openRecords: ActivationRecord[];
}

/**
 * The built components, for tests and instrumentation (injecting a bug the checkers must catch, crashing a
 * controller at a chosen instant). Nothing that builds a report reads them: that is `results()`.
 */
export interface ClusterParts {
  /** The scenario as run (a population expanded). */
  readonly scenario: Scenario;
  readonly sim: Simulation;
  readonly broker: KafkaBroker;
  readonly invokers: readonly Invoker[];
  /** The current incarnation of each controller (replaced in place on restart). */
  readonly controllers: readonly Controller[];
  readonly controllerGroup: ControllerGroup;
  readonly bookkeepingError: BookkeepingError;
  readonly metrics: MetricsCollector;
  readonly store: ActivationStore | null;
  readonly timeSeries: TimeSeries;
  /** written + not written + queued + in flight = produced (with a store); asserts. */
  assertRecordsConserved(): void;
}

/**
 * Unread backlog of an invoker topic partition beyond which its stale activation messages (already timed out,
 * still waiting for their invoker) are kept as compact rows (Partition.ts): deep enough that a healthy cluster
 * never spills, shallow enough that a melted-down one holds few as objects.
 */
const STALE_SPILL_BACKLOG = 4096;

export class Cluster {
  /** The scenario as run: a `workload.population` is expanded into its actions, after the listed (and traced) ones. */
  readonly scenario: Scenario;
  readonly parts: ClusterParts;
  /** What scheduled faults act through (FaultTargets.ts). */
  readonly faultSeam: FaultWorld;
  /** What the invariant checkers watch (InvariantChecker.ts). */
  readonly checkSeam: CheckedWorld;

  private readonly sim: Simulation;
  private readonly broker: KafkaBroker;
  private readonly invokers: Invoker[] = [];
  /** Front-door view of each controller: faults mark one down. */
  private readonly controllerSlots: readonly ControllerSlot[];
  private readonly controllerGroup: ControllerGroup;
  private readonly bookkeepingError: BookkeepingError;
  private readonly metrics: MetricsCollector;
  /** Memory held by containers, idle ones apart, over the measured window (ContainerMemory.ts). */
  private readonly containerMemory: ContainerMemory;
  private readonly faults: FaultInjector;
  private readonly store: ActivationStore | null = null;
  private readonly recorders: Recorder[] = [];
  private readonly timeSeries = new TimeSeries();
  private readonly sampler: Sampler;
  private readonly workload: Workload;
  private readonly frontDoor: FrontDoor<ControllerSlot>;
  /** Called at every sample instant with the time: the invariant checkers' hook (observe only), or null. */
  private onSample: ((nowMs: number) => void) | null = null;
  private finished = false;
  private endMs = 0;

  constructor(scenario: Scenario, seed = scenario.seed, options: ClusterOptions = {}) {
    this.sim = new Simulation({ seed });
    const sim = this.sim;
    this.scenario = withPopulation(scenario, (name) => sim.rng(name));
    const s = this.scenario;
    this.bookkeepingError = new BookkeepingError(s.invokers.count, s.controllers.count, s.warmupMs, s.durationMs);
    this.metrics = new MetricsCollector(s.controllers.count, s.invokers.count, s.warmupMs, this.bookkeepingError);
    this.metrics.breakdown = options.breakdown?.(s) ?? null;
    this.metrics.onResolved = options.onResolved ?? null;
    this.containerMemory = new ContainerMemory(s.warmupMs);
    const catalog = buildActionCatalog(s.workload.actions);

    this.broker = new KafkaBroker(sim, { latencyMs: s.kafka.latencyMs });
    this.broker.setStaleSpillThreshold(STALE_SPILL_BACKLOG);
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
    for (let i = 0; i < s.invokers.count; i++) {
      this.invokers.push(new Invoker({ id: i, sim, messaging: this.broker, config: s.invokers, observer: this.metrics, store: storeOptions }));
    }
    const metrics = this.metrics;
    this.controllerGroup = new ControllerGroup({
      sim,
      scenario: s,
      scheduler,
      messaging: this.broker,
      observer: metrics,
      lose: (record, nowMs) => metrics.lostAt(record, nowMs),
      truth: this.bookkeepingError,
    });
    this.controllerSlots = this.controllerGroup.slots;
    this.frontDoor = new FrontDoor(this.controllerSlots, s.controllers.frontDoor, sim.rng('frontDoor'));
    this.workload = new Workload(sim, catalog, { durationMs: s.durationMs, warmupMs: s.warmupMs, openTrace: options.openTrace, timeScale: s.workload.timeScale }, (record, entry) =>
      this.arrive(record, entry),
    );
    this.faultSeam = { sim, broker: this.broker, invokers: this.invokers, controllers: this.controllerGroup, store: this.store, outcomes: metrics };
    this.faults = new FaultInjector(this.faultSeam, s.faults);
    this.defineTimeSeries();
    this.sampler = new Sampler(sim, s.sampleIntervalMs, (nowMs) => this.sample(nowMs), s.durationMs + s.drainMs);
    this.parts = {
      scenario: s,
      sim,
      broker: this.broker,
      invokers: this.invokers,
      controllers: this.controllerGroup.controllers,
      controllerGroup: this.controllerGroup,
      bookkeepingError: this.bookkeepingError,
      metrics,
      store: this.store,
      timeSeries: this.timeSeries,
      assertRecordsConserved: () => this.assertRecordsConserved(),
    };
    const store = this.store;
    this.checkSeam = {
      scenario: s,
      sim,
      invokers: this.invokers,
      controllers: this.controllerGroup.controllers,
      activations: metrics,
      lastFaultHealMs: this.faults.lastHealMs,
      records: store === null ? null : { ledger: store, held: () => this.recordsHeld() },
      controllerGroup: this.controllerGroup,
      watch: (activations, kafka, sample) => {
        metrics.listener = activations;
        // The checkers keep the records they saw and read them after resolution: they must stay the only copy.
        this.broker.setStaleSpillThreshold(null);
        this.broker.observer = kafka;
        this.onSample = sample;
      },
    };
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
    this.sampler.start(0);
    const chunkMs = Math.max(s.sampleIntervalMs, Math.ceil(horizonMs / 200));
    while (!this.finished) {
      const until = Math.min(horizonMs, sim.now + chunkMs);
      sim.run({ until });
      onProgress?.({ simulatedMs: sim.now, totalMs: horizonMs, events: sim.eventsProcessed, durationMs: s.durationMs });
      if (sim.now >= horizonMs && !this.finished) this.finish(horizonMs);
    }
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

  /** The run's figures, gathered from each component's summary. Call once, after `run`. */
  results(): ClusterResults {
    const s = this.scenario;
    const endMs = this.endMs;
    const activations = this.metrics.results(endMs);
    const bookkeeping = this.bookkeepingError.summary();
    const group: ControllerGroupResults = this.controllerGroup.results();
    const controllers = activations.controllers.map((c, i): ControllerResults => {
      const result: ControllerResults = {
        activations: c.activations,
        overflowActivations: c.overflowActivations,
        overflow: { episodes: c.overflow.episodes, timeInOverflowMs: round3(c.overflow.timeInOverflowMs), activations: c.overflow.activations, dropped: c.overflow.dropped },
        believedVsTrueError: bookkeeping.perController[i]!,
      };
      const forced = group.forcedPlacements[i];
      if (forced !== undefined) result.forcedPlacements = forced;
      return result;
    });
    const invokers = this.invokers.map((inv, i): InvokerResults => ({
      activations: activations.invokers[i]!.activations,
      coldStarts: activations.invokers[i]!.coldStarts,
      maxInFlight: inv.maxInFlight,
      evictions: inv.evictions,
    }));
    const timeseries = { columns: this.timeSeries.columns, rows: this.timeSeries.rows };
    const topicResults = this.broker.summary(endMs);
    const stored =
      this.store === null
        ? null
        : storeResults({
            store: this.store,
            invokers: this.invokers,
            held: this.recordsHeld(),
            heapLimitMb: s.invokers.heap.limitMb,
            maxKafkaBacklog: topicResults[topics.activations]?.maxDepth ?? 0,
            timeseries,
            durationMs: s.durationMs,
            projectionWindowMs: Math.max(s.sampleIntervalMs, Math.min(60_000, (s.durationMs - s.warmupMs) / 2)),
          });
    return {
      endMs,
      events: this.sim.eventsProcessed,
      activations,
      controllers,
      invokers,
      bookkeeping: {
        meanError: bookkeeping.meanError,
        maxError: bookkeeping.maxError,
        residualAtEnd: bookkeeping.residualAtEnd,
        gossipMessages: group.gossipMessages,
        requirementFailures: group.requirementFailures,
        controllerCrashes: group.controllerCrashes,
      },
      topics: topicResults,
      containers: this.containerMemory.summary(endMs),
      oom: stored?.oom ?? null,
      store: stored?.store ?? null,
      membership: group.membership,
      faults: this.faults.count > 0 ? this.faults.summaries() : [],
      overflowRequeues: group.overflowRequeues,
      timeseries,
      openRecords: this.controllerGroup.openRecords(),
    };
  }

  // --- world wiring ------------------------------------------------------------------------------------------

  private arrive(record: ActivationRecord, entry: CatalogEntry): void {
    this.metrics.arrivedAt(record);
    const slot = this.frontDoor.route();
    if (slot === null) {
      this.metrics.activationRejected(-1, record, 'noController', this.sim.now);
      return;
    }
    slot.controller.receive(record, entry.meta, entry.blocking, entry.user);
  }

  private startMeasuring(): void {
    this.broker.startMeasuring(this.sim.now);
  }

  /** The Sampler's tick: the time series row, the checkers' hook, the per-sample statistics, the end of the run. */
  private sample(now: number): void {
    this.timeSeries.sample(now);
    if (this.onSample !== null) this.onSample(now);
    this.bookkeepingError.sample(now, this.controllerSlots);
    this.containerMemory.sample(now, this.invokers);
    const s = this.scenario;
    if (now >= s.durationMs && this.metrics.inFlight === 0) this.finish(now);
  }

  private finish(nowMs: number): void {
    this.finished = true;
    // After the run (while `settle` lets gossip finish) nothing more is sampled, measured or streamed.
    this.sampler.stop();
    this.endMs = nowMs;
    this.metrics.finish(nowMs);
    this.metrics.onResolved = null;
    this.controllerGroup.finishMembership(nowMs);
    if (this.store !== null) {
      for (const inv of this.invokers) inv.finishHeapStatistics();
      this.assertRecordsConserved();
    }
    this.sim.stop();
  }

  /** Records still somewhere between their activation and the database. */
  private recordsHeld(): RecordsHeld {
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
  private assertRecordsConserved(): void {
    const store = this.store!;
    const h = this.recordsHeld();
    const accounted = store.written + store.notWritten + h.queued + h.inFlight + h.held + h.inKafka;
    assert(accounted === store.produced, `records not conserved: ${accounted} accounted for, ${store.produced} produced`);
  }

  private defineTimeSeries(): void {
    const series = this.timeSeries;
    const add = (name: string, probe: () => number) => series.add(name, probe);
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
      const overflow = m.overflowShares[i]!;
      const healthy = m.healthyCounts[i]!;
      healthy.set(countHealthy(slot.controller), this.sim.now);
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
    this.controllerGroup.addTimeSeries(add);
  }
}

function countHealthy(controller: Controller): number {
  const list = controller.loadBalancer.invokerHealth();
  let n = 0;
  for (let i = 0; i < list.length; i++) if (list[i]!.status === 'Healthy') n++;
  return n;
}

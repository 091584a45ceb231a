/**
 * File-shaped (already validated, base units) → the resolved `Scenario` the model consumes: field names gain
 * their units (`memory` → `memoryMb`), derived defaults are filled in (an action's namespace is the first
 * segment of its name; `blackbox` kind means a docker image, `pull: true`).
 */
import type { ActionConfig, Scenario, StoreConfig, UnlistedActionFields } from './types.js';
import { actionSchema, throttleClient, type ScenarioFile } from './schema.js';
import { resolveFaults, type ThrottleClient } from './faultSchema.js';
import { resolveSweep } from './sweepSchema.js';
import { resolvePopulation } from './populationSchema.js';

function resolveAction(a: ScenarioFile['workload']['actions'][number]): ActionConfig {
  return {
    name: a.name,
    namespace: a.namespace ?? a.name.split('/')[0]!,
    kind: a.kind,
    memoryMb: a.memory,
    timeoutMs: a.timeout,
    concurrency: a.concurrency,
    durationMs: a.duration,
    arrivals: a.arrivals,
    errorProbability: a.errorProbability,
    recordSizeBytes: a.recordSize,
    blocking: a.blocking,
    pull: a.kind === 'blackbox',
    clients: a.clients === undefined ? null : { count: a.clients.count, thinkTimeMs: a.clients.thinkTime },
  };
}

/** The store is modelled when the file has a `store:` section, unless it says `enabled: false`. */
function resolveStore(st: ScenarioFile['store']): StoreConfig | null {
  if (st === undefined || st.enabled === false) return null;
  return {
    throughputPerSec: st.throughput,
    bulkLatencyMs: st.bulkLatency,
    batcher: { batchSize: st.batcher.batchSize, concurrency: st.batcher.concurrency, queueLimit: st.batcher.queueLimit },
    backpressure: st.backpressure,
    retryIntervalMs: st.retryInterval,
    recorders: st.recorders,
    partitions: st.partitions,
    enqueueRetries: st.enqueueRetries,
    maxTries: st.maxTries,
    errors: st.errors === undefined ? null : { probability: st.errors.probability, latencyMs: st.errors.latency },
    throttle:
      st.throttle === undefined
        ? null
        : {
            requestUnitsPerSecond: st.throttle.requestUnitsPerSecond,
            requestUnitsPerRecord: st.throttle.requestUnitsPerRecord,
            retryAfterMs: st.throttle.retryAfter,
            maxRetries: st.throttle.maxRetries,
            maxRetryWaitMs: st.throttle.maxRetryWait,
          },
  };
}

/** The fields a traced or generated action takes from an action's defaults (parsed like a file's values). */
export function unlistedActionFields(): UnlistedActionFields {
  const a = actionSchema.parse({ name: 'guest/unlisted' });
  return { concurrency: a.concurrency, errorProbability: a.errorProbability, recordSizeBytes: a.recordSize, blocking: a.blocking };
}

/** A store-throttle fault's client: the store's own `throttle`, else the defaults (parsed like a file's values). */
function faultThrottleClient(store: StoreConfig | null): ThrottleClient {
  if (store !== null && store.throttle !== null) {
    const { requestUnitsPerRecord, maxRetries, maxRetryWaitMs } = store.throttle;
    return { requestUnitsPerRecord, maxRetries, maxRetryWaitMs };
  }
  const d = throttleClient.parse({});
  return { requestUnitsPerRecord: d.requestUnitsPerRecord, maxRetries: d.maxRetries, maxRetryWaitMs: d.maxRetryWait };
}

export function resolveScenario(f: ScenarioFile, source: string): Scenario {
  const c = f.controllers;
  const i = f.invokers;
  const store = resolveStore(f.store);
  return {
    name: f.name,
    description: f.description,
    seed: f.seed,
    durationMs: f.duration,
    warmupMs: f.warmup,
    drainMs: f.drain,
    sampleIntervalMs: f.sampleInterval,
    controllers: {
      count: c.count,
      // A module's path is resolved against the scenario file, and its options validated, when it is loaded.
      loadBalancer: typeof c.loadBalancer === 'object' ? 'module' : c.loadBalancer,
      loadBalancerModule:
        typeof c.loadBalancer === 'object' ? { module: c.loadBalancer.module, file: c.loadBalancer.module, options: c.loadBalancer.options ?? {} } : null,
      busyThreshold: c.busyThreshold,
      blackboxFraction: c.blackboxFraction,
      managedFraction: c.managedFraction,
      // Duplicates are harmless; keep the first mention's order.
      fixes: [...new Set(c.fixes)],
      timeoutGraceMs: c.timeoutGrace,
      healthRules: c.healthRules,
      startHealthy: c.startHealthy,
      bookkeeping: c.bookkeeping,
      frontDoor: c.frontDoor,
      limits: { ...c.limits },
      overflowPollMs: c.overflowPoll,
      ackPollMs: c.ackPoll,
      ackMaxPeek: c.ackMaxPeek,
      pingPollMs: c.pingPoll,
      replication: {
        gossipIntervalMs: c.replication.gossipInterval,
        notifyIntervalMs: c.replication.notifyInterval,
        latencyMs: c.replication.latency,
        lossProbability: c.replication.loss,
        pruning: c.replication.pruning,
        pruningDelayMs: c.replication.pruningDelay,
        readDelayMs: c.replication.readDelay,
      },
      autoDownAfterMs: c.autoDownAfter,
      membership: {
        heartbeatIntervalMs: c.membership.heartbeatInterval,
        threshold: c.membership.threshold,
        acceptableHeartbeatPauseMs: c.membership.acceptableHeartbeatPause,
        minStdDeviationMs: c.membership.minStdDeviation,
        maxSampleSize: c.membership.maxSampleSize,
        expectedResponseAfterMs: c.membership.expectedResponseAfter,
        gossipIntervalMs: c.membership.gossipInterval,
        allowWeaklyUp: c.membership.allowWeaklyUp,
        seedNodeTimeoutMs: c.membership.seedNodeTimeout,
        retryUnsuccessfulJoinAfterMs: c.membership.retryUnsuccessfulJoinAfter,
      },
    },
    invokers: {
      count: i.count,
      userMemoryMb: i.userMemory,
      poolMode: i.poolMode,
      slots: i.slots,
      coldStartMs: i.coldStart,
      prewarmStartMs: i.prewarmStart,
      idleTimeoutMs: i.idleTimeout,
      pauseGraceMs: i.pauseGrace,
      unpauseMs: i.unpause,
      prewarm: i.prewarm.map((p) => ({ kind: p.kind, memoryMb: p.memory, count: p.count })),
      feedPollMs: i.feedPoll,
      pingIntervalMs: i.pingInterval,
      feedCapacity: i.feedCapacity,
      heap: { limitMb: i.heap.limit, baseMb: i.heap.base },
      restartDelayMs: i.restartDelay,
      containerSelection: i.containerSelection,
      // The module's absolute path and its checked options are filled in by load.ts.
      containerPolicy: i.containerPolicy === undefined ? null : { module: i.containerPolicy.module, file: i.containerPolicy.module, options: i.containerPolicy.options ?? {} },
    },
    kafka: {
      latencyMs: f.kafka.latency,
      overflowPartitions: f.kafka.overflowPartitions,
      producer: { maxRequestSizeBytes: f.kafka.producer.maxRequestSize, bufferMemoryBytes: f.kafka.producer.bufferMemory, maxBlockMs: f.kafka.producer.maxBlock },
    },
    workload: {
      actions: f.workload.actions.map(resolveAction),
      // A trace's functions are listed by load.ts, which reads the trace (src/trace/traceCatalog.ts).
      trace: null,
      timeScale: f.workload.timeScale,
      population: f.workload.population === undefined ? null : resolvePopulation(f.workload.population, unlistedActionFields()),
    },
    store,
    faults: resolveFaults(f.faults, faultThrottleClient(store)),
    thresholds: { ...f.thresholds },
    report: { activationsCsv: f.report.activationsCsv },
    windows: Object.entries(f.windows ?? {}).map(([name, w]) => ({ name, fromMs: w.from, toMs: w.to })),
    source,
    sweep: f.sweep === undefined ? null : resolveSweep(f.sweep),
  };
}

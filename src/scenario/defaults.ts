/**
 * Every default of a scenario file, and the only place one is written: the way a file would write it (units
 * included). The schema feeds these through the same parsing as user values (zod `prefault`), so a default can
 * never disagree with what the file form means; the resolved `Scenario` is then complete, and no code after
 * the loader supplies a default of its own. docs/scenarios.md quotes the same values (test/scenario/docs.test.ts
 * checks each field's row).
 *
 * Where a default comes from OpenWhisk, the comment names the setting (see docs/openwhisk.md §15–16).
 */
export const scenarioDefaults = {
  description: '',
  seed: 1,
  duration: '1m',
  warmup: '0s',
  drain: '5m',
  sampleInterval: '1s',
  controllers: {
    count: 1,
    loadBalancer: 'legacy',
    /** invokerBusyThreshold: WhiskConfig fallback and deployed value 16. */
    busyThreshold: 16,
    /** blackboxFraction 0.10 (WhiskConfig, group_vars, HEAD reference.conf). */
    blackboxFraction: 0.1,
    /** Sharding managedFraction 0.90 (HEAD reference.conf). */
    managedFraction: 0.9,
    fixes: [] as string[],
    /** activeAckTimeoutGrace 1 min (LoadBalancerService.scala). */
    timeoutGrace: '1m',
    healthRules: '2017',
    startHealthy: true,
    /** controller.localBookkeeping: true as deployed (group_vars). */
    bookkeeping: 'local',
    frontDoor: 'round-robin',
    /**
     * The test-environment limits of PR #2932's runs; OpenWhisk's stock ansible values are 60/min, 30
     * concurrent and 5000 system-wide, which would throttle almost any load test.
     */
    limits: { invocationsPerMinute: 60000, concurrentInvocations: 30000, systemConcurrent: 50000 },
    /** Overflow consumer long poll 200 ms (LoadBalancerService.scala@PR). */
    overflowPoll: '200ms',
    /** Active-ack consumer poll 1 s and maxPeek 128. */
    ackPoll: '1s',
    ackMaxPeek: 128,
    /** Health-ping consumer long poll 1 s (InvokerPool's pingPollDuration). */
    pingPoll: '1s',
    /**
     * Akka distributed data: gossip-interval 2 s, notify-subscribers-interval 500 ms (Akka reference.conf);
     * a LAN-like 2 ms one-way latency; pruning as Akka does it (collapse) after max-pruning-dissemination 300 s;
     * the pre-PR bookkeeping's read of the invoker counts (an ask to a local actor) answers 1 ms later.
     */
    replication: { gossipInterval: '2s', notifyInterval: '500ms', latency: '2ms', loss: 0, pruning: 'collapse', pruningDelay: '300s', readDelay: '1ms' },
    /** Akka's auto-down-unreachable-after is off by default: a crashed member stays until downed by hand. */
    autoDownAfter: null as string | null,
    /** Akka cluster membership, akka-cluster reference.conf of Akka 2.5 (see docs/scenarios.md). */
    membership: {
      heartbeatInterval: '1s',
      threshold: 8,
      acceptableHeartbeatPause: '3s',
      minStdDeviation: '100ms',
      maxSampleSize: 1000,
      expectedResponseAfter: '1s',
      gossipInterval: '1s',
      allowWeaklyUp: true,
      seedNodeTimeout: '5s',
      retryUnsuccessfulJoinAfter: '10s',
    },
  },
  invokers: {
    count: 4,
    /** HEAD's invoker user memory is 1024 MB; 2 GB gives the default workload room. */
    userMemory: '2GB',
    poolMode: 'memory',
    /** 2017 pool size: numcore 2 × coreshare 2. */
    slots: 4,
    coldStart: '500ms',
    prewarmStart: '50ms',
    /** Idle container removal 10 min (ContainerProxy). */
    idleTimeout: '10m',
    /** Pause grace 50 ms (2017 ContainerProxy; HEAD uses 10 s). */
    pauseGrace: '50ms',
    unpause: '0ms',
    prewarm: [] as unknown[],
    /** MessageFeed long poll 500 ms (2017 InvokerReactive; HEAD 1 s). */
    feedPoll: '500ms',
    /** Invoker health ping every 1 s. */
    pingInterval: '1s',
    feedCapacity: null,
    /** Invoker JVM heap 2 GB (ansible invoker_heap); base: what an idle invoker holds. Used only with a store. */
    heap: { limit: '2GB', base: '300MB' },
    /** Time for an invoker container to be restarted after it died (docker restart, JVM start). */
    restartDelay: '30s',
    /** The iteration order of OpenWhisk's freePool, a Scala 2.11/2.12 immutable Map (src/model/invoker/FreePool.ts). */
    containerSelection: 'scala-map',
  },
  kafka: {
    latency: '2ms',
    /** The `overflow` topic is auto-created with the broker default of one partition. */
    overflowPartitions: 1,
    /** Kafka producer defaults: max.request.size 1 MB, buffer.memory 32 MB, max.block.ms 60 s. */
    producer: { maxRequestSize: '1MB', bufferMemory: '32MB', maxBlock: '60s' },
  },
  action: {
    kind: 'nodejs:6',
    /** Standard action memory 256 MB (MemoryLimit). */
    memory: '256MB',
    /** Standard action time limit 1 min (TimeLimit). */
    timeout: '60s',
    /** Per-container concurrency limit 1. */
    concurrency: 1,
    duration: '100ms',
    arrivals: { process: 'poisson', rate: '1/s' },
    errorProbability: 0,
    recordSize: '16KB',
    blocking: true,
    /** Closed-loop `clients`: think time between an answer and the client's next request. */
    clients: { thinkTime: '1s' },
  },
  /** The optional keys of an arrival process: renewal `cv`, the `stages` start rate, the `diurnal` cycle. */
  arrivals: { cv: 1, startRate: '0/s', period: '24h', peakAt: '14h' },
  workload: {
    /** Arrival processes run at the times written. */
    timeScale: 1,
    /**
     * `workload.trace`: a traced function's memory, kind and time limit when the trace has none (5 min is
     * OpenWhisk's largest limit); azure2021 rows may start this much before rows already read (its longest run).
     */
    trace: { memory: '256MB', kind: 'nodejs:6', timeout: '5m', reorderWindow: '10m' },
    /** `workload.population`: the azure2019 fits are those of the Azure Functions 2019 trace. */
    population: {
      namespaces: 100,
      seedStream: 'population',
      popularity: 'azure2019',
      rate: '100/s',
      duration: 'azure2019',
      durationSpread: 4,
      memory: 'azure2019',
      arrivals: { cv: 1 },
      /** A `cycle` given without period or peak is daily, peaking at 14:00. */
      cycle: { period: '24h', peakAt: '14h' },
      blackboxFraction: 0,
      kind: 'nodejs:6',
      timeout: '60s',
    },
  },
  /** `sweep:` seeds per point. */
  sweep: { seeds: 1 },
  report: { activationsCsv: false },
  /** Applied only when the scenario has a `store:` section (docs/openwhisk.md §14 for the batcher). */
  store: {
    throughput: '2000/s',
    bulkLatency: { dist: 'uniform', min: '10ms', max: '50ms' },
    /** Batcher(500, max-open-requests / 2 = 64) for the activations database. */
    batcher: { batchSize: 500, concurrency: 64, queueLimit: 'unbounded' },
    backpressure: 'none',
    retryInterval: '50ms',
    recorders: 2,
    partitions: 4,
    /** Option A's proxy "retries a few times" (the June 2019 proposal): three retries, then the record is given up. */
    enqueueRetries: 3,
    /** HEAD: whisk.activation-store.retry-config.max-tries. */
    maxTries: 3,
    errors: { latency: '5s' },
    /** CosmosDB: ~10 RU per indexed ~1 KB write; the SDK's throttled-request retries (9, 30 s) by default. */
    throttle: { requestUnitsPerRecord: 10, retryAfter: '100ms', maxRetries: 9, maxRetryWait: '30s' },
  },
} as const;

/** owsim's refusal limits for absurd scenarios (a typo, not a study). */
export const scenarioLimits = {
  invokers: 10_000,
  controllers: 64,
  actions: 10_000,
  durationDays: 30,
  samples: 5_000_000,
  totalRatePerSec: 10_000_000,
} as const;

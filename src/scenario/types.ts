/**
 * A scenario after loading, validation, defaults and `--set` overrides: every duration in milliseconds,
 * every size in megabytes (MB = 1024 × 1024 bytes) unless the field says bytes, every rate per second, every
 * distribution a `DistributionSpec` in those units. The model builds the cluster from this and nothing else.
 * docs/scenarios.md documents each field, its units in the file and its default.
 */
import type { DistributionSpec } from '../sim/distributions.js';
import type { TraceFormat } from '../trace/TraceCursor.js';

export type LoadBalancerKind = 'legacy' | 'overflow' | 'sharding';

/** A user's module named by a scenario (`{ module, options }`; docs/extending.md). */
export interface ModuleRef {
  /** The path as written in the scenario. */
  module: string;
  /** The absolute path (the written one resolved against the scenario file's folder). */
  file: string;
  /** The module's options: validated by its `optionsSchema` (with its defaults) when it exports one. */
  options: unknown;
}

/** Opt-in fixes for OpenWhisk quirks (docs/openwhisk.md §18); each is off by default. */
export type ControllerFix =
  /** §18.1: use a non-negative hash instead of rejecting when abs(Int.MinValue) stays negative. */
  | 'hash-abs-min-value'
  /** §18.2: send MaxOffset only when a poll returned fewer than maxPeek records. */
  | 'max-offset-on-empty-poll'
  /** §18.3: processOverflow only places an activation on an invoker below the busy threshold, else requeues. */
  | 'overflow-respects-capacity'
  /** §18.4: count own overflow activations symmetrically (decrement on their completion). */
  | 'symmetric-overflow-count'
  /** §18.5: requeue overflow messages when no invoker is healthy instead of dropping them. */
  | 'requeue-overflow-without-invokers'
  /** §18.6: forward a forced timeout as a failure, and subtract topic wait from the re-armed timeout. */
  | 'forward-timeout-as-failure'
  /** §18.7: enforce per-namespace and system limits in the overflow balancer (the PR stubs them to 0). */
  | 'throttling-enabled'
  /** §18.1: the overflow balancer's actor survives a bad hash: that one publish fails at once, no restart. */
  | 'actor-survives-publish-throw';

export type HealthRules = '2017' | 'head';

export interface ControllersConfig {
  count: number;
  /** A built-in balancer, or `module` when `loadBalancerModule` names the user's module. */
  loadBalancer: LoadBalancerKind | 'module';
  /** The user's placement policy or balancer module, when `controllers.loadBalancer` is `{ module, options }`. */
  loadBalancerModule: ModuleRef | null;
  busyThreshold: number;
  blackboxFraction: number;
  /** Sharding (HEAD) managed fraction. */
  managedFraction: number;
  fixes: ControllerFix[];
  /** Extra time on top of the action time limit before the controller forces a timeout. */
  timeoutGraceMs: number;
  healthRules: HealthRules;
  /** Start with every invoker registered and Healthy (true) or run OpenWhisk's start-up test actions. */
  startHealthy: boolean;
  /** Controller bookkeeping: local (the deployed default in 2017) or distributed (CRDT replicated). */
  bookkeeping: 'local' | 'distributed';
  frontDoor: 'round-robin' | 'random' | 'active-passive';
  limits: {
    /** Per-namespace activations per minute. */
    invocationsPerMinute: number;
    /** Per-namespace concurrent activations. */
    concurrentInvocations: number;
    /** System-wide in-flight activations before overload rejection. */
    systemConcurrent: number;
  };
  /** Overflow balancer: the overflow feed's long-poll duration. */
  overflowPollMs: number;
  /** Active-ack consumer long-poll duration and maxPeek. */
  ackPollMs: number;
  ackMaxPeek: number;
  /** Health-ping consumer long-poll duration (InvokerPool's pingPollDuration). */
  pingPollMs: number;
  /** Replication of the distributed bookkeeping (`controllers.replication`); used only when it is distributed. */
  replication: ReplicationConfig;
  /** Auto-downing: a crashed controller is removed from the cluster after this long; null = never. */
  autoDownAfterMs: number | null;
  /** Akka cluster membership between the controllers (`controllers.membership`); used with two or more. */
  membership: MembershipConfig;
}

/** `controllers.membership`: Akka cluster membership settings (akka-cluster reference.conf, 2.5 defaults). */
export interface MembershipConfig {
  /** failure-detector.heartbeat-interval (1 s); also the detector's first-heartbeat estimate. */
  heartbeatIntervalMs: number;
  /** failure-detector.threshold (8). */
  threshold: number;
  /** failure-detector.acceptable-heartbeat-pause (3 s). */
  acceptableHeartbeatPauseMs: number;
  /** failure-detector.min-std-deviation (100 ms). */
  minStdDeviationMs: number;
  /** failure-detector.max-sample-size (1000). */
  maxSampleSize: number;
  /** failure-detector.expected-response-after (1 s). */
  expectedResponseAfterMs: number;
  /** gossip-interval (1 s); leader actions and the unreachable reaper run on the same tick (1 s each in Akka). */
  gossipIntervalMs: number;
  /** allow-weakly-up-members (on since 2.5). */
  allowWeaklyUp: boolean;
  /** seed-node-timeout (5 s). */
  seedNodeTimeoutMs: number;
  /** retry-unsuccessful-join-after (10 s). */
  retryUnsuccessfulJoinAfterMs: number;
}

/** `controllers.replication`: Akka distributed-data gossip between the controllers' replicators. */
export interface ReplicationConfig {
  /** Akka `gossip-interval` (2 s). */
  gossipIntervalMs: number;
  /** Akka `notify-subscribers-interval` (500 ms). */
  notifyIntervalMs: number;
  /** One-way delay of a gossip message. */
  latencyMs: DistributionSpec;
  /** Probability that a gossip message is lost. */
  lossProbability: number;
  /** What the leader does with a removed member's counts: Akka `collapse`s them (values kept) or owsim `discard`s. */
  pruning: 'collapse' | 'discard';
  /** Removal → pruning (Akka max-pruning-dissemination, 300 s). */
  pruningDelayMs: number;
  /**
   * `loadBalancer: legacy` on distributed bookkeeping: the pre-PR bookkeeping reads the invoker counts by an ask
   * that answers this long later, so publishes within it of each other decide on the same counts (docs/openwhisk.md §18.9).
   */
  readDelayMs: number;
}

export interface PrewarmConfig {
  kind: string;
  memoryMb: number;
  count: number;
}

export interface InvokersConfig {
  count: number;
  userMemoryMb: number;
  /** 'memory' (HEAD ContainerPool) or 'count' (2017: a fixed number of slots). */
  poolMode: 'memory' | 'count';
  /** Count mode: container slots per invoker (numcore × coreshare = 4 in 2017). */
  slots: number;
  coldStartMs: DistributionSpec;
  /** Prewarmed container start-up (init) time when a stem cell is used. */
  prewarmStartMs: DistributionSpec;
  idleTimeoutMs: number;
  /** After an activation, a container is paused after this grace (HEAD 10 s, 2017 50 ms). */
  pauseGraceMs: number;
  /** Resuming a paused container. */
  unpauseMs: DistributionSpec;
  prewarm: PrewarmConfig[];
  /** MessageFeed long-poll duration on the invoker topic. */
  feedPollMs: number;
  pingIntervalMs: number;
  /** Invoker activation feed capacity; null derives it from the pool (userMemory / 128 MB or slots). */
  feedCapacity: number | null;
  /** The invoker's JVM heap (`invokers.heap`): modelled only when the scenario has a store (see StoreConfig). */
  heap: InvokerHeapConfig;
  /** After an out-of-memory crash, the invoker process restarts after this long (`invokers.restartDelay`). */
  restartDelayMs: number;
  /** Which free warm container runs an activation (src/model/invoker/FreePool.ts). */
  containerSelection: ContainerSelection;
  /** `invokers.containerPolicy`: a container-pool policy module; null is OpenWhisk's own behaviour. */
  containerPolicy: ContainerPolicyConfig | null;
}

export interface ContainerPolicyConfig {
  /** The module path as written in the scenario. */
  module: string;
  /** Its absolute path (relative paths are relative to the scenario file). */
  file: string;
  /** Options after the module's optionsSchema (as written when it has none). */
  options: unknown;
}

export interface InvokerHeapConfig {
  /** The heap size at which the invoker dies of OutOfMemoryError (-Xmx). */
  limitMb: number;
  /** What the invoker holds regardless of load (classes, caches, Kafka clients, pools). */
  baseMb: number;
}

/** The order in which an invoker's free pool offers warm containers (`invokers.containerSelection`). */
export type ContainerSelection = 'scala-map' | 'lru' | 'mru';

export type BackpressureStrategy = 'none' | 'drop' | 'wait-enqueue' | 'kafka-overflow';

/**
 * The activation store (`store:`), present only when the scenario has a `store:` section (or `store.enabled`
 * is true); without it records are not modelled at all and invokers have no heap.
 */
export interface StoreConfig {
  /** Documents per second the database writes, over all bulk requests. */
  throughputPerSec: number;
  /** Latency each `_bulk_docs` call pays on top of its share of the throughput. */
  bulkLatencyMs: DistributionSpec;
  batcher: {
    /** Records per bulk call at most (OpenWhisk 500). */
    batchSize: number;
    /** Bulk calls in flight per invoker (OpenWhisk 64). */
    concurrency: number;
    /** Records held (waiting for or in a bulk call), at most; null is unbounded (Int.MaxValue). `none` ignores it. */
    queueLimit: number | null;
  };
  backpressure: BackpressureStrategy;
  /** wait-enqueue: a container proxy retries a full queue this often. */
  retryIntervalMs: number;
  /** kafka-overflow: recorder services draining the `activations` topic. */
  recorders: number;
  /** kafka-overflow: partitions of the `activations` topic. */
  partitions: number;
  // ---- issue 15: give-up, failures and throttling (src/model/store/StoreFailures.ts) ----
  /** wait-enqueue: retries of a full queue before the proxy gives the record up; null retries forever. */
  enqueueRetries: number | null;
  /** Retries of a failed bulk call (HEAD's activation-store.retry-config.max-tries). */
  maxTries: number;
  /** Bulk calls that fail (a timeout, a refused connection): never written, retried up to `maxTries`. */
  errors: StoreErrorsConfig | null;
  /** A CosmosDB-style request-unit budget: calls beyond it are answered 429 with a retry-after. */
  throttle: StoreThrottleConfig | null;
}

export interface StoreErrorsConfig {
  /** Probability that a bulk call fails. */
  probability: number;
  /** Time from sending a failing call to its failure. */
  latencyMs: DistributionSpec;
}

export interface StoreThrottleConfig {
  /** Request units the database grants per second (its provisioned throughput). */
  requestUnitsPerSecond: number;
  /** Request units one record's write costs. */
  requestUnitsPerRecord: number;
  /** The 429 answer's retry-after. */
  retryAfterMs: number;
  /** Throttled retries the client makes before it gives the call up as failed. */
  maxRetries: number;
  /** Cumulative retry-after the client waits for one call at most. */
  maxRetryWaitMs: number;
}

export interface KafkaConfig {
  /** Produce → visible to consumers. */
  latencyMs: DistributionSpec;
  /** Partitions of the shared `overflow` topic (auto-created with the broker default of 1). */
  overflowPartitions: number;
  /** The invoker's producer limits, applied to activation records sent under kafka-overflow (issue 15). */
  producer: KafkaProducerLimits;
}

export interface KafkaProducerLimits {
  /** max.request.size: a larger record is refused. */
  maxRequestSizeBytes: number;
  /** buffer.memory: bytes sent and not yet acknowledged, at most; a send beyond it blocks. */
  bufferMemoryBytes: number;
  /** max.block.ms: a blocked send fails after this long. */
  maxBlockMs: number;
}

export type ArrivalSpec =
  | { process: 'poisson'; ratePerSec: number }
  | { process: 'constant'; ratePerSec: number }
  /** Piecewise-constant Poisson rate: each step holds `ratePerSec` from `atMs` until the next step. */
  | { process: 'piecewise'; steps: { atMs: number; ratePerSec: number }[] }
  /** A burst: Poisson `ratePerSec` outside [atMs, atMs + forMs), `burstRatePerSec` inside it. */
  | { process: 'burst'; ratePerSec: number; burstRatePerSec: number; atMs: number; forMs: number }
  // Processes of the workloads issue (ArrivalClocks.ts); `cv` is the target coefficient of variation of the
  // gaps in the process's own time (1 = Poisson), see docs/scenarios.md#arrivals.
  /** A renewal process: gaps with mean 1/rate and coefficient of variation `cv` (0 = evenly spaced). */
  | { process: 'renewal'; ratePerSec: number; cv: number }
  /** k6's ramping arrival rate: linear from `startRatePerSec` through each stage's target; nothing after the last. */
  | { process: 'stages'; startRatePerSec: number; stages: { forMs: number; toPerSec: number }[]; cv: number }
  /** A daily cycle: mean × (1 + amplitude × cos(2π (t − peakAt) / period)). */
  | { process: 'diurnal'; meanPerSec: number; amplitude: number; periodMs: number; peakAtMs: number; cv: number }
  /** Two-state Markov-modulated Poisson: rate `ratesPerSec[i]` while in state i, mean sojourn `meanDurationsMs[i]`. */
  | { process: 'mmpp'; ratesPerSec: [number, number]; meanDurationsMs: [number, number] };

/** Closed-loop clients of an action (`clients:`), instead of open arrivals. */
export interface ClientsConfig {
  count: number;
  thinkTimeMs: DistributionSpec;
}

export interface ActionConfig {
  /** namespace/action or namespace/package/action. */
  name: string;
  /** Invoking identity's namespace; defaults to the first segment of the name. */
  namespace: string;
  kind: string;
  memoryMb: number;
  timeoutMs: number;
  concurrency: number;
  durationMs: DistributionSpec;
  arrivals: ArrivalSpec;
  /** Closed-loop clients: when not null, `arrivals` is ignored (the schema allows only one of the two). */
  clients: ClientsConfig | null;
  /** Probability that a run ends in an application error (still a successful activation for health). */
  errorProbability: number;
  /** Bytes of the activation record written to the store (result plus logs). */
  recordSizeBytes: DistributionSpec;
  blocking: boolean;
  /** A docker ("blackbox") action, pulled from an image: routed to the blackbox invokers (kind `blackbox`). */
  pull: boolean;
}

/** The fields of a traced or generated action that neither the trace nor the population sets: an action's defaults. */
export type UnlistedActionFields = Pick<ActionConfig, 'concurrency' | 'errorProbability' | 'recordSizeBytes' | 'blocking'>;

export interface WorkloadConfig {
  /** The scenario's own actions, then (with a trace) one action per traced function. */
  actions: ActionConfig[];
  /** A trace replayed besides the synthetic arrivals (traced actions have zero-rate synthetic arrivals); or null. */
  trace: TraceConfig | null;
  /** Divides every time of the arrival processes (a day compressed into minutes); 1 = as written. */
  timeScale: number;
  /** Actions generated at run time from named distributions (src/model/workload/Population.ts); or null. */
  population: PopulationConfig | null;
}

/** `workload.population`, resolved (see docs/scenarios.md#workloadpopulation). */
export interface PopulationConfig {
  actions: number;
  namespaces: number;
  /** Name of the random stream the population is drawn from. */
  seedStream: string;
  popularity: { dist: 'zipf'; s: number } | { dist: 'azure2019' };
  /** Total mean arrival rate of the population. */
  ratePerSec: number;
  /** Each action's median run time is drawn from this (ms), or the azure2019 fit. */
  durationMs: DistributionSpec | 'azure2019';
  /** Spread of one action's run times around its median: the ratio p99 / median of its lognormal. */
  durationSpread: number;
  /** Each action's memory is drawn from this (bytes, rounded up to a whole MB), or the azure2019 fit. */
  memoryBytes: DistributionSpec | 'azure2019';
  /** Inter-arrival CV of every action, or per action from the azure2019 fit; `cycle` modulates every rate. */
  arrivals: { cv: number | 'azure2019'; cycle: { amplitude: number; periodMs: number; peakAtMs: number } | null };
  blackboxFraction: number;
  kind: string;
  timeoutMs: number;
  /** What every generated action has besides its drawn fields: a listed action's defaults. */
  actionFields: UnlistedActionFields;
}

/** The trace formats; the list lives with the readers (src/trace). */
export type { TraceFormat };

/** `workload.trace`, resolved: paths relative to the working directory, the traced functions listed. */
export interface TraceConfig {
  file: string;
  format: TraceFormat;
  /** Memory of a traced function when the trace has none. */
  memoryMb: number;
  kind: string;
  timeoutMs: number;
  /** azure2019: duration percentiles file, or null (run time 1 s). */
  durationsFile: string | null;
  /** azure2019: app memory percentiles file, or null (`memoryMb`). */
  memoriesFile: string | null;
  /** Out-of-order tolerance of rows sorted by another key (azure2021: end time). */
  reorderWindowMs: number;
  /** Index in `workload.actions` of the first traced function's action; the traced actions are the tail. */
  firstAction: number;
  /** The trace's key of each traced function (e.g. `app/func` hashes), in action order. */
  functions: string[];
}

/** `sweep:`: override paths to value lists (as `--set` text) and seeds per point. */
export interface SweepConfig {
  parameters: { path: string; values: string[] }[];
  seeds: number;
}

/** A scheduled fault (`faults:`, src/model/faults); entity names are resolved to indices. */
export type FaultKind = 'invoker-crash' | 'controller-crash' | 'partition' | 'kafka-outage' | 'kafka-slow' | 'store-slow' | 'ping-loss' | 'store-errors' | 'store-throttle';

interface FaultTiming {
  /** Simulated time the fault starts. */
  atMs: number;
  /** How long it lasts; it heals at atMs + forMs. */
  forMs: number;
}

export type FaultConfig =
  | (FaultTiming & { kind: 'invoker-crash'; target: number })
  | (FaultTiming & { kind: 'controller-crash'; target: number; newAddress: boolean })
  | (FaultTiming & { kind: 'partition'; between: [number, number] })
  | (FaultTiming & { kind: 'kafka-outage' })
  | (FaultTiming & { kind: 'kafka-slow'; latencyMs: number })
  | (FaultTiming & { kind: 'store-slow'; throughputPerSec: number })
  | (FaultTiming & { kind: 'ping-loss'; target: number; probability: number })
  | (FaultTiming & { kind: 'store-errors'; probability: number; latencyMs: number })
  /** The fault's budget and retry-after; the client's cost and retry limits are the store's `throttle`, else its defaults. */
  | (FaultTiming & { kind: 'store-throttle' } & StoreThrottleConfig);

/** A time window of the breakdown (`windows:`, or automatic: `fault<N>`, `burst.<action>`); arrivals in [fromMs, toMs). */
export interface WindowConfig {
  name: string;
  fromMs: number;
  toMs: number;
}

export interface ReportConfig {
  activationsCsv: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  durationMs: number;
  warmupMs: number;
  drainMs: number;
  sampleIntervalMs: number;
  controllers: ControllersConfig;
  invokers: InvokersConfig;
  kafka: KafkaConfig;
  workload: WorkloadConfig;
  /** The activation store; null when the scenario does not model it. */
  store: StoreConfig | null;
  /** Scheduled faults in file order; empty when the scenario has none. */
  faults: FaultConfig[];
  /** Threshold expressions by metric path, e.g. { "latencyMs.p99": "< 1500" }. */
  thresholds: Record<string, string>;
  report: ReportConfig;
  /** Declared `windows:` in file order (src/scenario/windows.ts); empty when none. */
  windows: WindowConfig[];
  /** Where the scenario came from (a path, or `builtin:quickstart`). */
  source: string;
  /** The `sweep:` grid, for `owsim sweep` (null when the file has none); `owsim run` ignores it. */
  sweep: SweepConfig | null;
}

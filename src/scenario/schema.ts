/**
 * The zod schema of a scenario file. Its output is "file-shaped": the keys are the file's keys (so semantic
 * checks can report paths the user recognises) but every value is already in base units (ms, MB, bytes,
 * per second, `DistributionSpec`). `resolveScenario` (resolve.ts) then renames fields into `Scenario`.
 *
 * Every section is a strict object, so an unknown key is an error; the loader adds "did you mean" using the
 * section's own keys (`knownKeysAt`). Defaults come from defaults.ts through `prefault`, so they are parsed
 * exactly like user values.
 */
import { z } from 'zod';
import type { ContainerSelection, ControllerFix } from './types.js';
import { arrivals } from './arrivalSchema.js';
import { scenarioDefaults as D, scenarioLimits } from './defaults.js';
import { distribution } from './distributionSchema.js';
import { sweepSchema } from './sweepSchema.js';
import { traceSchema } from './traceSchema.js';
import { bool, checkDurationMs, checkInteger, checkSizeBytes, fail, type LeafResult, durationMs, fraction, integer, leaf, number, oneOf, oneOfOrModule, ratePerSec, sizeMb, text } from './leaves.js';
import { formatDuration } from './units.js';
import { faultSchema } from './faultSchema.js';
import { clientsSchema, populationSchema, timeScaleSchema } from './populationSchema.js';
import { windowsSchema } from './windows.js';

export const CONTROLLER_FIXES = [
  'hash-abs-min-value',
  'max-offset-on-empty-poll',
  'overflow-respects-capacity',
  'symmetric-overflow-count',
  'requeue-overflow-without-invokers',
  'forward-timeout-as-failure',
  'throttling-enabled',
  'actor-survives-publish-throw',
] as const satisfies readonly ControllerFix[];
// Fails to compile when types.ts gains a ControllerFix that is missing above.
const fixesAreExhaustive: [Exclude<ControllerFix, (typeof CONTROLLER_FIXES)[number]>] extends [never] ? true : never = true;
void fixesAreExhaustive;

export const CONTAINER_SELECTIONS = ['scala-map', 'lru', 'mru'] as const satisfies readonly ContainerSelection[];

export const SCENARIO_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** OpenWhisk entity name segment (letters, digits, `_`, then also `@ . -`). */
const SEGMENT = '[A-Za-z0-9_][A-Za-z0-9_@.-]*';
export const ACTION_NAME = new RegExp(`^${SEGMENT}(/${SEGMENT}){1,2}$`);
const NAMESPACE = new RegExp(`^${SEGMENT}$`);

const A = D.action;
const C = D.controllers;
const I = D.invokers;

const limitsSchema = z
  .strictObject({
    invocationsPerMinute: integer(0).prefault(C.limits.invocationsPerMinute),
    concurrentInvocations: integer(0).prefault(C.limits.concurrentInvocations),
    systemConcurrent: integer(0).prefault(C.limits.systemConcurrent),
  })
  .prefault({});

const controllersSchema = z
  .strictObject({
    count: integer(1, scenarioLimits.controllers, `owsim simulates at most ${scenarioLimits.controllers} controllers`).prefault(C.count),
    loadBalancer: oneOfOrModule(['legacy', 'overflow', 'sharding'] as const).prefault(C.loadBalancer),
    busyThreshold: integer(1).prefault(C.busyThreshold),
    blackboxFraction: fraction().prefault(C.blackboxFraction),
    managedFraction: fraction().prefault(C.managedFraction),
    fixes: z.array(oneOf(CONTROLLER_FIXES)).prefault([]),
    timeoutGrace: durationMs().prefault(C.timeoutGrace),
    healthRules: oneOf(['2017', 'head'] as const).prefault(C.healthRules),
    startHealthy: bool().prefault(C.startHealthy),
    bookkeeping: oneOf(['local', 'distributed'] as const).prefault(C.bookkeeping),
    frontDoor: oneOf(['round-robin', 'random', 'active-passive'] as const).prefault(C.frontDoor),
    limits: limitsSchema,
    overflowPoll: durationMs({ allowZero: false }).prefault(C.overflowPoll),
    ackPoll: durationMs({ allowZero: false }).prefault(C.ackPoll),
    ackMaxPeek: integer(1).prefault(C.ackMaxPeek),
    pingPoll: durationMs({ allowZero: false }).prefault(C.pingPoll),
    replication: z
      .strictObject({
        gossipInterval: durationMs({ allowZero: false }).prefault(C.replication.gossipInterval),
        notifyInterval: durationMs({ allowZero: false }).prefault(C.replication.notifyInterval),
        latency: distribution('duration').prefault(C.replication.latency),
        loss: fraction().prefault(C.replication.loss),
        pruning: oneOf(['collapse', 'discard'] as const).prefault(C.replication.pruning),
        pruningDelay: durationMs().prefault(C.replication.pruningDelay),
        readDelay: durationMs().prefault(C.replication.readDelay),
      })
      .prefault({}),
    autoDownAfter: leaf((v): LeafResult<number | null> => (v === null || v === 'never' ? { ok: true as const, value: null } : checkDurationMs()(v)), 'null (never) or a duration like 10s').prefault(C.autoDownAfter),
    membership: z
      .strictObject({
        heartbeatInterval: durationMs({ allowZero: false }).prefault(C.membership.heartbeatInterval),
        threshold: number({ positive: true, what: 'a phi threshold like 8' }).prefault(C.membership.threshold),
        acceptableHeartbeatPause: durationMs().prefault(C.membership.acceptableHeartbeatPause),
        minStdDeviation: durationMs({ allowZero: false }).prefault(C.membership.minStdDeviation),
        maxSampleSize: integer(1).prefault(C.membership.maxSampleSize),
        expectedResponseAfter: durationMs({ allowZero: false }).prefault(C.membership.expectedResponseAfter),
        gossipInterval: durationMs({ allowZero: false }).prefault(C.membership.gossipInterval),
        allowWeaklyUp: bool().prefault(C.membership.allowWeaklyUp),
        seedNodeTimeout: durationMs({ allowZero: false }).prefault(C.membership.seedNodeTimeout),
        retryUnsuccessfulJoinAfter: durationMs({ allowZero: false }).prefault(C.membership.retryUnsuccessfulJoinAfter),
      })
      .prefault({}),
  })
  .prefault({});

const prewarmSchema = z.strictObject({
  kind: text(/^\S+$/, 'a runtime kind like nodejs:6'),
  memory: sizeMb({ allowZero: false }),
  count: integer(0),
});

const invokersSchema = z
  .strictObject({
    count: integer(1, scenarioLimits.invokers, `owsim simulates at most ${scenarioLimits.invokers} invokers`).prefault(I.count),
    userMemory: sizeMb({ allowZero: false }).prefault(I.userMemory),
    poolMode: oneOf(['memory', 'count'] as const).prefault(I.poolMode),
    slots: integer(1).prefault(I.slots),
    coldStart: distribution('duration').prefault(I.coldStart),
    prewarmStart: distribution('duration').prefault(I.prewarmStart),
    idleTimeout: durationMs({ allowZero: false }).prefault(I.idleTimeout),
    pauseGrace: durationMs().prefault(I.pauseGrace),
    unpause: distribution('duration').prefault(I.unpause),
    prewarm: z.array(prewarmSchema).prefault([]),
    feedPoll: durationMs({ allowZero: false }).prefault(I.feedPoll),
    pingInterval: durationMs({ allowZero: false }).prefault(I.pingInterval),
    feedCapacity: leaf((v): LeafResult<number | null> => (v === null ? { ok: true as const, value: null } : checkInteger(1, Number.MAX_SAFE_INTEGER)(v)), 'null or a whole number ≥ 1').prefault(I.feedCapacity),
    heap: z
      .strictObject({
        limit: sizeMb({ allowZero: false }).prefault(I.heap.limit),
        base: sizeMb().prefault(I.heap.base),
      })
      .prefault({}),
    restartDelay: durationMs().prefault(I.restartDelay),
    containerSelection: oneOf(CONTAINER_SELECTIONS).prefault(I.containerSelection),
    containerPolicy: z
      .strictObject({
        module: text(/\S/, 'the path of a container-policy module (.js, .mjs), relative to the scenario file'),
        options: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
  })
  .prefault({});

const S = D.store;

/**
 * The client side of `store.throttle`: what a record costs and how long the client retries. A store-throttle
 * fault uses the scenario's, or these defaults when the store has no budget of its own (resolve.ts).
 */
export const throttleClient = z.strictObject({
  requestUnitsPerRecord: number({ positive: true }).prefault(S.throttle.requestUnitsPerRecord),
  maxRetries: integer(0).prefault(S.throttle.maxRetries),
  maxRetryWait: durationMs().prefault(S.throttle.maxRetryWait),
});

/** `unbounded` or a whole number ≥ 1. */
const queueLimit = leaf(
  (v): LeafResult<number | null> => (v === 'unbounded' ? { ok: true as const, value: null } : checkInteger(1, Number.MAX_SAFE_INTEGER)(v)),
  'unbounded or a whole number ≥ 1',
);

/** Optional as a whole: without a `store:` section the store is not modelled (resolve.ts). */
const storeSchema = z.strictObject({
  enabled: bool().optional(),
  throughput: ratePerSec({ allowZero: false }).prefault(S.throughput),
  bulkLatency: distribution('duration').prefault(S.bulkLatency),
  batcher: z
    .strictObject({
      batchSize: integer(1).prefault(S.batcher.batchSize),
      concurrency: integer(1).prefault(S.batcher.concurrency),
      queueLimit: queueLimit.prefault(S.batcher.queueLimit),
    })
    .prefault({}),
  backpressure: oneOf(['none', 'drop', 'wait-enqueue', 'kafka-overflow'] as const).prefault(S.backpressure),
  retryInterval: durationMs({ allowZero: false }).prefault(S.retryInterval),
  recorders: integer(1).prefault(S.recorders),
  partitions: integer(1).prefault(S.partitions),
  // issue 15: option A's give-up, HEAD's bulk retries, a failing and a throttling store
  enqueueRetries: leaf((v): LeafResult<number | null> => {
    if (v === 'forever') return { ok: true as const, value: null };
    const r = checkInteger(0, Number.MAX_SAFE_INTEGER)(v);
    return r.ok ? r : fail(r.message, 'forever or a whole number ≥ 0');
  }, 'forever or a whole number ≥ 0').prefault(S.enqueueRetries),
  maxTries: integer(0).prefault(S.maxTries),
  errors: z.strictObject({ probability: fraction(), latency: distribution('duration').prefault(S.errors.latency) }).optional(),
  throttle: z
    .strictObject({
      requestUnitsPerSecond: ratePerSec({ allowZero: false }),
      requestUnitsPerRecord: throttleClient.shape.requestUnitsPerRecord,
      retryAfter: durationMs().prefault(S.throttle.retryAfter),
      maxRetries: throttleClient.shape.maxRetries,
      maxRetryWait: throttleClient.shape.maxRetryWait,
    })
    .optional(),
});

const kafkaSchema = z
  .strictObject({
    latency: distribution('duration').prefault(D.kafka.latency),
    overflowPartitions: integer(1).prefault(D.kafka.overflowPartitions),
    producer: z
      .strictObject({
        maxRequestSize: leaf(checkSizeBytes({ allowZero: false }), 'a size with a unit like 1MB').prefault(D.kafka.producer.maxRequestSize),
        bufferMemory: leaf(checkSizeBytes({ allowZero: false }), 'a size with a unit like 32MB').prefault(D.kafka.producer.bufferMemory),
        maxBlock: durationMs().prefault(D.kafka.producer.maxBlock),
      })
      .prefault({}),
  })
  .prefault({});

export const actionSchema = z.strictObject({
  name: text(ACTION_NAME, 'namespace/action or namespace/package/action, like guest/hello'),
  namespace: text(NAMESPACE, 'a namespace name like guest').optional(),
  kind: text(/^\S+$/, 'a runtime kind like nodejs:6, or blackbox').prefault(A.kind),
  memory: sizeMb({ allowZero: false }).prefault(A.memory),
  timeout: durationMs({ allowZero: false }).prefault(A.timeout),
  concurrency: integer(1).prefault(A.concurrency),
  duration: distribution('duration').prefault(A.duration),
  arrivals: arrivals().prefault(A.arrivals),
  errorProbability: fraction().prefault(A.errorProbability),
  recordSize: distribution('size').prefault(A.recordSize),
  blocking: bool().prefault(A.blocking),
  // Closed-loop clients instead of arrivals (populationSchema.ts; actionDefaults.ts refuses both).
  clients: clientsSchema.optional(),
});

/** `workload.defaults`: any action field but `name` (actionDefaults.ts merges them into each listed action). */
export const actionDefaultsSchema = actionSchema.omit({ name: true }).partial();

const workloadSchema = z
  .strictObject({
    // At least one action, unless a trace supplies them (traceSchema.ts).
    actions: z.array(actionSchema).prefault([]),
    trace: traceSchema.optional(),
    // The workloads issue: shared action fields, a time compression of the arrival processes, a population.
    defaults: actionDefaultsSchema.optional(),
    timeScale: timeScaleSchema.prefault(D.workload.timeScale),
    population: populationSchema.optional(),
  })
  .superRefine((w, ctx) => {
    if (w.actions.length === 0 && w.trace === undefined && w.population === undefined) {
      ctx.addIssue({ code: 'custom', path: ['actions'], message: 'no actions and no trace, and no population', params: { expected: 'at least 1 action in workload.actions, a workload.trace or a workload.population' } });
    }
    // A trace replays its own clock and its own functions; neither a time compression nor a generated
    // population is applied beside it, so say so rather than drop them silently.
    if (w.trace !== undefined && w.population !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['population'], message: 'a population cannot be combined with workload.trace', params: { expected: 'workload.trace or workload.population, not both' } });
    }
    if (w.trace !== undefined && w.timeScale !== 1) {
      ctx.addIssue({ code: 'custom', path: ['timeScale'], message: 'workload.trace replays at its own speed', params: { expected: 'timeScale 1 (the default) with workload.trace' } });
    }
  });

export const scenarioFileSchema = z.strictObject({
  name: text(SCENARIO_NAME, 'a lower-case name: letters, digits, `.`, `_`, `-` (it becomes a folder name)'),
  description: text(undefined, 'text').prefault(D.description),
  seed: integer(0).prefault(D.seed),
  duration: durationMs({ allowZero: false, max: scenarioLimits.durationDays * 86_400_000, maxReason: `owsim refuses runs longer than ${formatDuration(scenarioLimits.durationDays * 86_400_000)}` }).prefault(D.duration),
  warmup: durationMs().prefault(D.warmup),
  drain: durationMs().prefault(D.drain),
  sampleInterval: durationMs({ allowZero: false }).prefault(D.sampleInterval),
  controllers: controllersSchema,
  invokers: invokersSchema,
  kafka: kafkaSchema,
  store: storeSchema.optional(),
  workload: workloadSchema,
  faults: z.array(faultSchema).prefault([]),
  thresholds: z.record(z.string(), text(/\S/, 'a threshold expression like "< 1500"')).prefault({}),
  report: z.strictObject({ activationsCsv: bool().prefault(D.report.activationsCsv) }).prefault({}),
  sweep: sweepSchema.optional(),
  windows: windowsSchema.optional(),
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;

export type Shape = { kind: 'section'; keys: string[] } | { kind: 'list' } | { kind: 'record' } | { kind: 'open' } | { kind: 'leaf' };

/** Strip the wrappers zod adds (prefault, default, optional, nullable) to reach the structural schema. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema;
  for (;;) {
    const def = s._zod.def as unknown as { type: string; innerType?: z.core.$ZodType };
    if ((def.type === 'prefault' || def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType) s = def.innerType;
    else return s;
  }
}

function describe(schema: z.core.$ZodType): Shape {
  const def = unwrap(schema)._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType> };
  if (def.type === 'object' && def.shape) return { kind: 'section', keys: Object.keys(def.shape) };
  if (def.type === 'array') return { kind: 'list' };
  if (def.type === 'record') return { kind: 'record' };
  // Distributions and arrivals may be mappings; they check their own keys.
  if (z.globalRegistry.get(unwrap(schema) as z.ZodType)?.['owsimOpenValue'] === true) return { kind: 'open' };
  return { kind: 'leaf' };
}

function child(schema: z.core.$ZodType, segment: string | number): z.core.$ZodType | undefined {
  const def = unwrap(schema)._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
  if (def.type === 'object' && typeof segment === 'string') return def.shape?.[segment];
  if (def.type === 'array' && typeof segment === 'number') return def.element;
  return undefined;
}

/**
 * What the schema allows at a path of the file: a section with known keys, a list, a record with free keys
 * (thresholds), an open value (a distribution or arrivals, checked by their own code) or a scalar leaf.
 * Undefined when the path leaves the schema.
 */
export function shapeAt(path: readonly (string | number)[]): Shape | undefined {
  let schema: z.core.$ZodType = scenarioFileSchema;
  for (const segment of path) {
    const shape = describe(schema);
    if (shape.kind === 'open' || shape.kind === 'record') return shape;
    const next = child(schema, segment);
    if (!next) return undefined;
    schema = next;
  }
  return describe(schema);
}

/**
 * The activation store's figures and the invokers' heap figures (`store` and `oom` in summary.json), from the
 * store's ledger, each invoker's heap statistics and the time series (for the projected time to out of memory).
 */
import { round3, type LatencySummary } from '../../sim/LatencyHistogram.js';
import { invokerName } from '../messages.js';
import type { ActivationStore } from './ActivationStore.js';
import { projectTimeToOomMs } from './oomRisk.js';

export interface OomSummary {
  /** Invoker crashes (out of memory) over the run. */
  crashes: number;
  /** When the first invoker crashed, or null. */
  firstCrashMs: number | null;
  /** Largest heap / limit of any invoker at any instant (above 1 means it crashed). */
  peakHeapFraction: number;
  /** Time with the heap above 90 % of its limit, summed over invokers. */
  timeAboveNinetyPercentMs: number;
  /**
   * For the invoker nearest its limit when the load ends (at `duration`): how long until its heap reaches the
   * limit at its growth rate over the preceding window, from that instant; null if its heap is not growing.
   */
  projectedTimeToOomMs: number | null;
  /** Activations lost in crashes (the controller's forced timeout or the loss accounting ends them). */
  activationsLost: number;
  /** Per invoker, in id order. */
  invokers: Record<string, { peakHeapMb: number; crashes: number; lostRecords: number; maxBatcherQueue: number }>;
}

export interface StoreSummary {
  /** Records produced by finished activations (one per ack). */
  produced: number;
  written: number;
  /** Records destroyed before being written (invoker crashes, failed Kafka sends). */
  lostRecords: number;
  /** Records still waiting at the end: in batcher queues, bulk calls, held by proxies or in Kafka. */
  pending: number;
  /** Largest number of records waiting in one invoker's batcher queue. */
  maxQueue: number;
  /** Records sent to the `activations` topic (kafka-overflow). */
  overflowed: number;
  /** Largest backlog of the `activations` topic (kafka-overflow), else 0. */
  maxKafkaBacklog: number;
  /** Activation end (ack) → record written, for measured records. */
  writeLatencyMs: LatencySummary;
  bulkCalls: number;
  /** Largest backlog of documents waiting for the database's capacity. */
  maxDatabaseBacklog: number;
  // ---- issue 15: how records end unwritten; with written, lostRecords and pending they sum to produced ----
  /** Refused by a full batcher queue (`backpressure: drop`). */
  droppedRecords: number;
  /** Given up by a wait-enqueue proxy after its last retry. */
  givenUpRecords: number;
  /** Refused by the Kafka producer (kafka-overflow): over max.request.size, or blocked past max.block.ms. */
  refusedRecords: number;
  /** In bulk calls that failed after every retry. */
  recordsLostToErrors: number;
  /** Bulk calls that failed (an error, or throttled until the client gave up), retries included. */
  failedCalls: number;
  /** Bulk calls re-sent after a failure (HEAD's max-tries). */
  bulkRetries: number;
  /** Bulk calls answered 429 (store.throttle). */
  throttledCalls: number;
  /** Kafka producer sends that blocked on a full buffer.memory (kafka-overflow). */
  blockedSends: number;
}

/** One invoker's heap and batcher figures over the run (Invoker.heapResults). */
export interface InvokerHeapResults {
  oomCrashes: number;
  /** -1 when it never crashed. */
  firstCrashMs: number;
  peakHeapBytes: number;
  timeAboveNinetyPercentMs: number;
  lostActivations: number;
  lostRecords: number;
  maxBatcherQueue: number;
}

/** Records still somewhere between their activation and the database. */
export interface RecordsHeld {
  queued: number;
  inFlight: number;
  held: number;
  inKafka: number;
}

export interface StoreSummaryInput {
  store: ActivationStore;
  invokers: readonly InvokerHeapResults[];
  held: RecordsHeld;
  heapLimitMb: number;
  /** The `activations` topic's largest backlog (0 without the topic). */
  maxKafkaBacklog: number;
  timeseries: { columns: readonly string[]; rows: readonly number[][] };
  /** Where the load ends, and the window the heap growth is measured over, for the projection. */
  durationMs: number;
  projectionWindowMs: number;
}

export function storeResults(input: StoreSummaryInput): { oom: OomSummary; store: StoreSummary } {
  const { store, held, heapLimitMb: limitMb } = input;
  let crashes = 0;
  let firstCrashMs: number | null = null;
  let peakHeapBytes = 0;
  let aboveMs = 0;
  let activationsLost = 0;
  let maxQueue = 0;
  const perInvoker: OomSummary['invokers'] = {};
  input.invokers.forEach((inv, i) => {
    crashes += inv.oomCrashes;
    if (inv.firstCrashMs >= 0 && (firstCrashMs === null || inv.firstCrashMs < firstCrashMs)) firstCrashMs = inv.firstCrashMs;
    peakHeapBytes = Math.max(peakHeapBytes, inv.peakHeapBytes);
    aboveMs += inv.timeAboveNinetyPercentMs;
    activationsLost += inv.lostActivations;
    maxQueue = Math.max(maxQueue, inv.maxBatcherQueue);
    perInvoker[invokerName(i)] = {
      peakHeapMb: round3(inv.peakHeapBytes / 1048576),
      crashes: inv.oomCrashes,
      lostRecords: inv.lostRecords,
      maxBatcherQueue: inv.maxBatcherQueue,
    };
  });
  const names = input.invokers.map((_, i) => invokerName(i));
  const projected = projectTimeToOomMs(input.timeseries, names, limitMb, input.durationMs, input.projectionWindowMs);
  return {
    oom: {
      crashes,
      firstCrashMs,
      peakHeapFraction: round6(peakHeapBytes / (limitMb * 1048576)),
      timeAboveNinetyPercentMs: round3(aboveMs),
      projectedTimeToOomMs: projected,
      activationsLost,
      invokers: perInvoker,
    },
    store: {
      produced: store.produced,
      written: store.written,
      lostRecords: store.lostRecords,
      pending: held.queued + held.inFlight + held.held + held.inKafka,
      maxQueue,
      overflowed: store.overflowed,
      maxKafkaBacklog: input.maxKafkaBacklog,
      writeLatencyMs: store.writeLatency.summary(),
      bulkCalls: store.bulkCalls,
      maxDatabaseBacklog: store.maxBacklogDocuments,
      droppedRecords: store.droppedRecords,
      givenUpRecords: store.givenUpRecords,
      refusedRecords: store.refusedRecords,
      recordsLostToErrors: store.recordsLostToErrors,
      failedCalls: store.failedCalls,
      bulkRetries: store.bulkRetries,
      throttledCalls: store.throttledCalls,
      blockedSends: store.blockedSends,
    },
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

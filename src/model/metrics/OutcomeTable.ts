/**
 * Outcome counts and latency histograms for a fixed number of slots (the actions, the namespaces or the windows
 * of a run's breakdown). Slots are small integers chosen when the table is built, so an event costs a few
 * typed-array increments and, for a completed activation, three histogram records; nothing is looked up by
 * name on the hot path. Rejection reasons are few (entitlement's and the balancer's), so they keep one counts
 * array per reason.
 *
 * Like the headline figures, counts cover every arrival; latency, wait, execution and cold starts cover
 * activations that arrived after warm-up.
 */
import { CompactHistogram } from '../../sim/CompactHistogram.js';

export class OutcomeTable {
  readonly arrived: Float64Array;
  readonly completed: Float64Array;
  readonly timedOut: Float64Array;
  readonly rejected: Float64Array;
  readonly lost: Float64Array;
  /** Measured activations that started on an invoker, and of them the cold starts. */
  readonly started: Float64Array;
  readonly coldStarts: Float64Array;
  readonly rejectedBy = new Map<string, Float64Array>();
  private readonly latencies: (CompactHistogram | null)[];
  private readonly waits: (CompactHistogram | null)[];
  private readonly executions: (CompactHistogram | null)[];

  constructor(readonly size: number) {
    this.arrived = new Float64Array(size);
    this.completed = new Float64Array(size);
    this.timedOut = new Float64Array(size);
    this.rejected = new Float64Array(size);
    this.lost = new Float64Array(size);
    this.started = new Float64Array(size);
    this.coldStarts = new Float64Array(size);
    this.latencies = new Array<CompactHistogram | null>(size).fill(null);
    this.waits = new Array<CompactHistogram | null>(size).fill(null);
    this.executions = new Array<CompactHistogram | null>(size).fill(null);
  }

  reject(slot: number, reason: string): void {
    this.rejected[slot]!++;
    let counts = this.rejectedBy.get(reason);
    if (counts === undefined) {
      counts = new Float64Array(this.size);
      this.rejectedBy.set(reason, counts);
    }
    counts[slot]!++;
  }

  start(slot: number, cold: boolean): void {
    this.started[slot]!++;
    if (cold) this.coldStarts[slot]!++;
  }

  recordLatency(slot: number, latencyMs: number, waitMs: number, executionMs: number): void {
    (this.latencies[slot] ??= new CompactHistogram()).record(latencyMs);
    if (waitMs >= 0) (this.waits[slot] ??= new CompactHistogram()).record(waitMs);
    if (executionMs >= 0) (this.executions[slot] ??= new CompactHistogram()).record(executionMs);
  }

  latency(slot: number): CompactHistogram {
    return this.latencies[slot] ?? EMPTY;
  }

  wait(slot: number): CompactHistogram {
    return this.waits[slot] ?? EMPTY;
  }

  execution(slot: number): CompactHistogram {
    return this.executions[slot] ?? EMPTY;
  }

  /** Bytes held by the histograms (the memory bound's test). */
  histogramBytes(): number {
    let bytes = 0;
    for (const list of [this.latencies, this.waits, this.executions]) for (const h of list) bytes += h?.bytes ?? 0;
    return bytes;
  }
}

const EMPTY = new CompactHistogram();

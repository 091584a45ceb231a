/**
 * Generates the activations of a scenario: one arrival process per action, and at each arrival a new
 * `ActivationRecord` whose behaviour (run time, application error, record size) is drawn from that action's
 * own streams. Arrivals stop at `durationMs`; the record is handed to the front door.
 *
 * Streams: `workload/<action>/arrivals`, `…/duration`, `…/errors`, `…/recordSize`. Because each action has
 * its own streams, adding an action or changing the cluster never changes another action's arrivals or work.
 *
 * With a trace (`options.trace`, TraceArrivals.ts) the traced invocations arrive besides the synthetic ones;
 * each takes its run time from the trace (or, when the trace gives none, from the action's duration stream).
 */
import { ActivationRecord } from '../ActivationRecord.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import { ArrivalProcess } from './ArrivalProcess.js';
import type { CatalogEntry } from './ActionCatalog.js';
import { TraceArrivals, type OpenTrace, type TraceInvocation } from './TraceArrivals.js';

export type ArrivalSink = (record: ActivationRecord, entry: CatalogEntry) => void;

interface ActionStreams {
  entry: CatalogEntry;
  duration: Rng;
  errors: Rng;
  recordSize: Rng;
}

export class Workload {
  private nextActivationId = 1;
  private readonly processes: ArrivalProcess[];
  private readonly streams: ActionStreams[] = [];
  private readonly trace: TraceArrivals | null = null;
  arrived = 0;

  constructor(
    private readonly sim: Simulation,
    catalog: readonly CatalogEntry[],
    options: { durationMs: number; warmupMs: number; openTrace?: OpenTrace | undefined },
    private readonly sink: ArrivalSink,
  ) {
    const warmupMs = options.warmupMs;
    const arrive = (streams: ActionStreams, tracedDurationMs = NaN) => {
      const { entry } = streams;
      const now = this.sim.now;
      // Durations are clamped at zero: a normal distribution may draw below it.
      const durationMs = Math.max(0, Number.isNaN(tracedDurationMs) ? entry.duration.sample(streams.duration) : tracedDurationMs);
      const applicationError = entry.errorProbability > 0 && streams.errors.chance(entry.errorProbability);
      const recordSizeBytes = Math.max(0, Math.round(entry.recordSize.sample(streams.recordSize)));
      const record = new ActivationRecord(
        this.nextActivationId++,
        entry.meta.index,
        now,
        now >= warmupMs,
        durationMs,
        applicationError,
        recordSizeBytes,
      );
      this.arrived++;
      this.sink(record, entry);
    };
    this.processes = catalog.map((entry) => {
      const base = `workload/${entry.meta.fqn}`;
      const streams: ActionStreams = {
        entry,
        duration: sim.rng(`${base}/duration`),
        errors: sim.rng(`${base}/errors`),
        recordSize: sim.rng(`${base}/recordSize`),
      };
      this.streams.push(streams);
      return new ArrivalProcess(sim, entry.config.arrivals, sim.rng(`${base}/arrivals`), options.durationMs, arrive, streams);
    });
    if (options.openTrace !== undefined) {
      const cursor = options.openTrace((name) => sim.rng(name));
      this.trace = new TraceArrivals(sim, cursor, options.durationMs, (invocation: TraceInvocation) =>
        arrive(this.streams[invocation.actionIndex]!, invocation.durationMs),
      );
    }
  }

  start(): void {
    for (const p of this.processes) p.start();
    this.trace?.start();
  }
}

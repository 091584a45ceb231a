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
 *
 * An action with `clients` is driven by closed-loop clients (ClosedLoopClients.ts) instead of an arrival
 * process; `timeScale` divides the times of every arrival process (a day's cycle run in minutes).
 */
import { ActivationRecord } from '../ActivationRecord.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import { ArrivalProcess } from './ArrivalProcess.js';
import { ClosedLoopClients } from './ClosedLoopClients.js';
import { makeDistribution } from '../../sim/distributions.js';
import type { CatalogEntry } from './ActionCatalog.js';
import { TraceArrivals, type OpenTrace } from './TraceArrivals.js';
import type { TraceInvocation } from '../../trace/TraceCursor.js';

export type ArrivalSink = (record: ActivationRecord, entry: CatalogEntry) => void;

/**
 * An action's behaviour streams, each created on first use: a stream's draws depend only on (seed, name), so
 * when it is created changes nothing, and a population of thousands of actions does not seed streams it never
 * draws from (no application errors, constant record sizes).
 */
class ActionStreams {
  private durationRng: Rng | null = null;
  private errorsRng: Rng | null = null;
  private recordSizeRng: Rng | null = null;
  /** The value of a constant distribution (which draws nothing), else NaN. */
  readonly constantDuration: number;
  readonly constantRecordSize: number;

  constructor(
    readonly entry: CatalogEntry,
    private readonly sim: Simulation,
    private readonly base: string,
  ) {
    const d = entry.duration.spec;
    const r = entry.recordSize.spec;
    this.constantDuration = d.dist === 'constant' ? d.value : NaN;
    this.constantRecordSize = r.dist === 'constant' ? r.value : NaN;
  }

  get duration(): Rng {
    return (this.durationRng ??= this.sim.rng(`${this.base}/duration`));
  }
  get errors(): Rng {
    return (this.errorsRng ??= this.sim.rng(`${this.base}/errors`));
  }
  get recordSize(): Rng {
    return (this.recordSizeRng ??= this.sim.rng(`${this.base}/recordSize`));
  }
}

export class Workload {
  private nextActivationId = 1;
  private readonly processes: (ArrivalProcess | ClosedLoopClients)[];
  private readonly streams: ActionStreams[] = [];
  private readonly trace: TraceArrivals | null = null;
  arrived = 0;

  constructor(
    private readonly sim: Simulation,
    catalog: readonly CatalogEntry[],
    options: { durationMs: number; warmupMs: number; openTrace?: OpenTrace | undefined; timeScale: number },
    private readonly sink: ArrivalSink,
  ) {
    const warmupMs = options.warmupMs;
    const arrive = (streams: ActionStreams, tracedDurationMs = NaN, onResolved: ActivationRecord['onResolved'] = null) => {
      const { entry } = streams;
      const now = this.sim.now;
      // Durations are clamped at zero: a normal distribution may draw below it.
      const drawn = Number.isNaN(tracedDurationMs) ? (Number.isNaN(streams.constantDuration) ? entry.duration.sample(streams.duration) : streams.constantDuration) : tracedDurationMs;
      const durationMs = Math.max(0, drawn);
      const applicationError = entry.errorProbability > 0 && streams.errors.chance(entry.errorProbability);
      const size = Number.isNaN(streams.constantRecordSize) ? entry.recordSize.sample(streams.recordSize) : streams.constantRecordSize;
      const recordSizeBytes = Math.max(0, Math.round(size));
      const record = new ActivationRecord(
        this.nextActivationId++,
        entry.meta.index,
        now,
        now >= warmupMs,
        durationMs,
        applicationError,
        recordSizeBytes,
      );
      if (onResolved !== null) record.onResolved = onResolved;
      this.arrived++;
      this.sink(record, entry);
    };
    this.processes = catalog.map((entry) => {
      const base = `workload/${entry.meta.fqn}`;
      const streams = new ActionStreams(entry, sim, base);
      this.streams.push(streams);
      const clients = entry.config.clients;
      if (clients !== null) {
        return new ClosedLoopClients(sim, clients.count, makeDistribution(clients.thinkTimeMs), sim.rng(`${base}/think`), options.durationMs, (onResolved) =>
          arrive(streams, NaN, onResolved),
        );
      }
      return new ArrivalProcess(sim, entry.config.arrivals, sim.rng(`${base}/arrivals`), options.durationMs, arrive, streams, options.timeScale);
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

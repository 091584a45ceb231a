/**
 * Generates the activations of a scenario: one arrival process per action, and at each arrival a new
 * `ActivationRecord` whose behaviour (run time, application error, record size) is drawn from that action's
 * own streams. Arrivals stop at `durationMs`; the record is handed to the front door.
 *
 * Streams: `workload/<action>/arrivals`, `…/duration`, `…/errors`, `…/recordSize`. Because each action has
 * its own streams, adding an action or changing the cluster never changes another action's arrivals or work.
 */
import { ActivationRecord } from '../ActivationRecord.js';
import type { Simulation } from '../../sim/Simulation.js';
import type { Rng } from '../../sim/rng.js';
import { ArrivalProcess } from './ArrivalProcess.js';
import type { CatalogEntry } from './ActionCatalog.js';

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
  arrived = 0;

  constructor(
    private readonly sim: Simulation,
    catalog: readonly CatalogEntry[],
    options: { durationMs: number; warmupMs: number },
    private readonly sink: ArrivalSink,
  ) {
    const warmupMs = options.warmupMs;
    const arrive = (streams: ActionStreams) => {
      const { entry } = streams;
      const now = this.sim.now;
      // Durations are clamped at zero: a normal distribution may draw below it.
      const durationMs = Math.max(0, entry.duration.sample(streams.duration));
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
      return new ArrivalProcess(sim, entry.config.arrivals, sim.rng(`${base}/arrivals`), options.durationMs, arrive, streams);
    });
  }

  start(): void {
    for (const p of this.processes) p.start();
  }
}

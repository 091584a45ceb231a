/**
 * The seams scheduled faults act through. Each component a fault can hit implements its part (Invoker,
 * KafkaBroker, ControllerGroup, ActivationStore); the world hands the injector a `FaultWorld` of them. The
 * scenario layer has already refused a fault whose target the scenario lacks (a store fault without a
 * `store:` section, a partition with one controller), so a missing target here is a bug.
 */
import type { Simulation } from '../../sim/Simulation.js';
import type { PingLoss } from '../invoker/Invoker.js';
import type { StoreFailures } from '../store/StoreFailures.js';

/** invoker-crash and ping-loss. */
export interface InvokerFaultTarget {
  readonly name: string;
  readonly isAlive: boolean;
  crash(): void;
  restart(): void;
  setPingLoss(loss: PingLoss | null): void;
}

/** kafka-outage and kafka-slow. */
export interface BrokerFaultTarget {
  /** Records refused so far while the broker was down. */
  readonly refusedDuringOutage: number;
  setOutage(on: boolean): void;
  setExtraLatency(ms: number): void;
}

/** controller-crash and partition. */
export interface ControllerFaultTarget {
  crashController(index: number): void;
  restartController(index: number, newAddress?: boolean): void;
  /** Blocks or unblocks the network between two controllers (membership traffic and bookkeeping gossip). */
  setLinkBlocked(a: number, b: number, blocked: boolean): void;
}

/** store-slow, store-errors and store-throttle. */
export interface StoreFaultTarget {
  readonly throughputPerSec: number;
  setThroughputPerSec(perSec: number): void;
  /** Records written so far. */
  readonly written: number;
  /** Documents accepted by the database and not yet written. */
  backlogDocuments(nowMs: number): number;
  /** The failure modes the error and throttle faults replace; null when the store was built without them. */
  readonly failureModes: StoreFailures | null;
  readonly failedCalls: number;
  readonly bulkRetries: number;
  readonly throttledCalls: number;
  readonly recordsLostToErrors: number;
}

/** The activation outcomes so far, for each fault's "meanwhile" window. */
export interface OutcomeCounts {
  readonly arrived: number;
  readonly completed: number;
  readonly timedOut: number;
  readonly rejected: number;
  readonly lost: number;
}

/** What the injector needs from the world. */
export interface FaultWorld {
  readonly sim: Simulation;
  readonly broker: BrokerFaultTarget;
  readonly invokers: readonly InvokerFaultTarget[];
  readonly controllers: ControllerFaultTarget;
  /** The activation store, when the scenario has a `store:` section. */
  readonly store: StoreFaultTarget | null;
  readonly outcomes: OutcomeCounts;
}

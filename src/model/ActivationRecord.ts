/**
 * The world's ground truth about one activation, kept by the simulator for statistics. OpenWhisk's logic
 * never reads it; it rides along in messages as an opaque reference.
 *
 * Every arrival ends in exactly one outcome, set once: `rejected` (refused by the controller), `completed`
 * (the accepting controller saw its completion), `timedOut` (that controller's forced timeout fired first),
 * `lost` (the world destroyed its message or its execution: a dropped overflow message, a crashed invoker),
 * or it is still in flight when the run ends.
 */
import { assert } from '../sim/assert.js';

export const Outcome = {
  inFlight: 0,
  completed: 1,
  timedOut: 2,
  rejected: 3,
  lost: 4,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export class ActivationRecord {
  outcome: Outcome = Outcome.inFlight;
  /** Controller that accepted it from the front door. */
  controller = -1;
  /** Invoker that started it (last start, if re-run), -1 if never started. */
  invoker = -1;
  execStartMs = -1;
  execEndMs = -1;
  resolvedMs = -1;
  cold = false;
  /** Went through the overflow topic at least once. */
  overflowed = false;
  /** Rejection reason or other annotation, when there is one. */
  reason: string | null = null;
  /** BreakdownMetrics' mark: the elementary interval of windows the arrival fell into, -1 if none. */
  windowSet = -1;
  /** BookkeepingError's mark: the invoker this record truly sits on, -1 if none (see BookkeepingError.ts). */
  truthInvoker = -1;
  /** The accepting controller incarnation's open-records list links through these (see OpenRecords.ts). */
  openIn: object | null = null;
  openPrev: ActivationRecord | null = null;
  openNext: ActivationRecord | null = null;
  /** Told once when the outcome is set: a closed-loop client waiting for this activation (ClosedLoopClients.ts). */
  onResolved: ((record: ActivationRecord) => void) | null = null;

  constructor(
    readonly id: number,
    readonly actionIndex: number,
    readonly arrivalMs: number,
    /** Arrived after warm-up: counted in the latency statistics. */
    readonly measured: boolean,
    /**
     * What the user's code will do, drawn at arrival from the action's own streams so that every variant of a
     * scenario (another balancer, more invokers) runs the same work: run time, whether it ends in an
     * application error, and the size of its activation record.
     */
    readonly durationMs: number,
    readonly applicationError: boolean,
    readonly recordSizeBytes: number,
  ) {}

  resolve(outcome: Outcome, nowMs: number): void {
    if (this.outcome !== Outcome.inFlight) assert(false, `activation ${this.id} resolved twice`);
    if (outcome === Outcome.inFlight) assert(false, `activation ${this.id} resolved to inFlight`);
    this.outcome = outcome;
    this.resolvedMs = nowMs;
    if (this.onResolved !== null) this.onResolved(this);
  }
}

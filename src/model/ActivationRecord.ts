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

// The record's flags and outcome share one small integer (see `flags` below).
const OUTCOME_MASK = 0b111;
const MEASURED = 1 << 3;
const APPLICATION_ERROR = 1 << 4;
const COLD = 1 << 5;
const OVERFLOWED = 1 << 6;

export class ActivationRecord {
  /** Controller that accepted it from the front door. */
  controller = -1;
  /** Invoker that started it (last start, if re-run), -1 if never started. */
  invoker = -1;
  execStartMs = -1;
  execEndMs = -1;
  resolvedMs = -1;
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
  /**
   * The outcome (low three bits) and the four booleans, packed: an overloaded cluster holds tens of thousands of
   * records at once (every waiting activation has one), and five separate fields cost 40 bytes a record. The
   * accessors below keep the plain field interface.
   */
  private flags: number;

  constructor(
    readonly id: number,
    readonly actionIndex: number,
    readonly arrivalMs: number,
    /** Arrived after warm-up: counted in the latency statistics. */
    measured: boolean,
    /**
     * What the user's code will do, drawn at arrival from the action's own streams so that every variant of a
     * scenario (another balancer, more invokers) runs the same work: run time, whether it ends in an
     * application error, and the size of its activation record.
     */
    readonly durationMs: number,
    applicationError: boolean,
    readonly recordSizeBytes: number,
  ) {
    this.flags = Outcome.inFlight | (measured ? MEASURED : 0) | (applicationError ? APPLICATION_ERROR : 0);
  }

  get outcome(): Outcome {
    return (this.flags & OUTCOME_MASK) as Outcome;
  }

  /** Arrived after warm-up: counted in the latency statistics. */
  get measured(): boolean {
    return (this.flags & MEASURED) !== 0;
  }

  /** The user's code ends in an application error (drawn at arrival). */
  get applicationError(): boolean {
    return (this.flags & APPLICATION_ERROR) !== 0;
  }

  /** Its (last) start was a cold start. */
  get cold(): boolean {
    return (this.flags & COLD) !== 0;
  }

  set cold(on: boolean) {
    this.flags = on ? this.flags | COLD : this.flags & ~COLD;
  }

  /** Went through the overflow topic at least once. */
  get overflowed(): boolean {
    return (this.flags & OVERFLOWED) !== 0;
  }

  set overflowed(on: boolean) {
    this.flags = on ? this.flags | OVERFLOWED : this.flags & ~OVERFLOWED;
  }

  resolve(outcome: Outcome, nowMs: number): void {
    // Once per activation: the inverted form builds its message only on failure.
    if (this.outcome !== Outcome.inFlight) assert(false, `activation ${this.id} resolved twice`);
    if (outcome === Outcome.inFlight) assert(false, `activation ${this.id} resolved to inFlight`);
    this.flags = (this.flags & ~OUTCOME_MASK) | outcome;
    this.resolvedMs = nowMs;
    if (this.onResolved !== null) this.onResolved(this);
  }
}

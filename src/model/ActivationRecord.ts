/**
 * The world's ground truth about one activation, kept by the simulator for statistics. OpenWhisk's logic
 * never reads its fields; it rides along in messages as an opaque reference.
 *
 * The record is also its activation's message (`ActivationMessage`) once a controller accepts it: the controller
 * sets `route` (the action, the invoking identity, whether the caller blocks, the controller the invoker acks
 * to; one `ActivationRoute` per action and controller) and publishes the record itself. The message interface
 * reads through the route (the id is the record's, `record` is the record). A waiting activation is then one
 * object where a separate message made two: in an overloaded run every waiting activation's objects are copied
 * by the young-generation collector and promoted, so each object per waiting activation costs time, not only
 * its bytes (docs/performance.md). processOverflow's rewrite of the ack controller swaps the route
 * (`reroutedTo`). Health test actions, which have no record, travel as plain objects.
 *
 * Every arrival ends in exactly one outcome, set once: `rejected` (refused by the controller), `completed`
 * (the accepting controller saw its completion), `timedOut` (that controller's forced timeout fired first),
 * `lost` (the world destroyed its message or its execution: a dropped overflow message, a crashed invoker),
 * or it is still in flight when the run ends.
 *
 * Memory: an overloaded cluster holds tens of thousands of records at once (every waiting activation has one),
 * and Node has no pointer compression, so every field costs 8 bytes and a field V8 gives a double
 * representation costs a 16-byte box besides, from construction on, even while it holds -1. So the record
 * keeps only what every activation needs while it waits, in plain fields behind the interface below:
 * - the outcome, the four booleans, the controller and the invoker share one small integer (`bits`), and two
 *   owners' marks another (`marks`: BookkeepingError's invoker, the open-records list's key);
 * - the times set later (start, end, resolution) start as null, a tagged field that costs no box, and get a
 *   number only when set (the getters answer -1 before);
 * - the two times every record has from the start (arrival, duration) are kept as the two 32-bit halves of
 *   the double, each a small integer (Node's V8, without pointer compression, holds any 32-bit integer
 *   unboxed): 16 bytes instead of 24;
 * - what few records need lives in side tables here, keyed by the record, so only those records pay: the
 *   rejection reason (rejected records) and the resolution listener (closed-loop clients' activations).
 *
 * Rows: a resolved record that waits where nobody else holds it (a stale message deep in a Kafka topic, see
 * StaleRows.ts) can be written as a row of typed-array columns (`writeRow`) and rebuilt equal, field for field,
 * from it (`fromRow`); the layout of the row is this class's business alone.
 */
import { assert } from '../sim/assert.js';
import { highHalf, joinHalves, lowHalf } from './common/doubleHalves.js';
import type { ActionMeta, ActivationMessage, ActivationRoute, Identity } from './messages.js';

export const Outcome = {
  inFlight: 0,
  completed: 1,
  timedOut: 2,
  rejected: 3,
  lost: 4,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

// `bits`: outcome (3 bits), six flags, then controller + 1 (7 bits) and invoker + 1 (14 bits); 30 bits in all,
// a small integer in every V8 configuration. The scenario limits (64 controllers, 10,000 invokers) fit.
const OUTCOME_MASK = 0b111;
const MEASURED = 1 << 3;
const APPLICATION_ERROR = 1 << 4;
const COLD = 1 << 5;
const OVERFLOWED = 1 << 6;
const HAS_REASON = 1 << 7;
const HAS_LISTENER = 1 << 8;
const CONTROLLER_SHIFT = 9;
const CONTROLLER_LIMIT = 1 << 7;
const INVOKER_SHIFT = 16;
const INVOKER_LIMIT = 1 << 14;
const CONTROLLER_BITS = (CONTROLLER_LIMIT - 1) << CONTROLLER_SHIFT;
const INVOKER_BITS = (INVOKER_LIMIT - 1) << INVOKER_SHIFT;
// `marks`: truthInvoker + 1 (14 bits), then the open-records list's key (16 bits); 30 bits in all.
const TRUTH_BITS = INVOKER_LIMIT - 1;
const OPEN_KEY_SHIFT = 14;
const OPEN_KEY_LIMIT = 1 << 16;

/** Row layout (`writeRow`/`fromRow`): nine 32-bit cells, then the resolution time. */
const ROW_ID = 0;
const ROW_ACTION = 1;
const ROW_BITS = 2;
const ROW_MARKS = 3;
const ROW_ARRIVAL_LOW = 4;
const ROW_ARRIVAL_HIGH = 5;
const ROW_DURATION_LOW = 6;
const ROW_DURATION_HIGH = 7;
const ROW_SIZE = 8;
const INT32_MAX = 0x7fffffff;

export type ResolutionListener = (record: ActivationRecord) => void;

/** Rejection reasons and other annotations, of the records that have one (`HAS_REASON`). */
const reasons = new WeakMap<ActivationRecord, string>();
/** Listeners told when the outcome is set, of the records that have one (`HAS_LISTENER`). */
const listeners = new WeakMap<ActivationRecord, ResolutionListener>();

export class ActivationRecord implements ActivationMessage {
  /** How it travels as a message: set by the controller that accepts it; null until then (and for one refused before). */
  route: ActivationRoute | null = null;
  /** The accepting controller incarnation's open-records list links through these (see OpenRecords.ts). */
  openPrev: ActivationRecord | null = null;
  openNext: ActivationRecord | null = null;
  private bits: number;
  /** Two owners' marks in one small integer: truthInvoker + 1 (14 bits), then openKey (16 bits). */
  private marks = 0;
  private startedAt: number | null = null;
  private endedAt: number | null = null;
  private resolvedAt: number | null = null;
  private readonly arrivalLow: number;
  private readonly arrivalHigh: number;
  private readonly durationLow: number;
  private readonly durationHigh: number;

  constructor(
    readonly id: number,
    readonly actionIndex: number,
    arrivalMs: number,
    /** Arrived after warm-up: counted in the latency statistics. */
    measured: boolean,
    /**
     * What the user's code will do, drawn at arrival from the action's own streams so that every variant of a
     * scenario (another balancer, more invokers) runs the same work: run time, whether it ends in an
     * application error, and the size of its activation record.
     */
    durationMs: number,
    applicationError: boolean,
    readonly recordSizeBytes: number,
  ) {
    this.bits = Outcome.inFlight | (measured ? MEASURED : 0) | (applicationError ? APPLICATION_ERROR : 0);
    this.arrivalLow = lowHalf(arrivalMs);
    this.arrivalHigh = highHalf(arrivalMs);
    this.durationLow = lowHalf(durationMs);
    this.durationHigh = highHalf(durationMs);
  }

  // The message (ActivationMessage), through the route; read only once a controller has set it.

  get type(): 'activation' {
    return 'activation';
  }
  get activationId(): number {
    return this.id;
  }
  get action(): ActionMeta {
    return this.route!.action;
  }
  get user(): Identity {
    return this.route!.user;
  }
  get rootControllerIndex(): number {
    return this.route!.rootControllerIndex;
  }
  get blocking(): boolean {
    return this.route!.blocking;
  }
  /** The message's ground truth is the record itself. */
  get record(): ActivationRecord {
    return this;
  }

  /** 32-bit and 64-bit cells of one row (`writeRow`). */
  static readonly rowInts = 9;
  static readonly rowFloats = 1;

  /**
   * Whether the record may leave the heap as a row: resolved and never started (a stale message), linked into
   * no open-records list, with no side-table entry (reason, listener), and its integers fit 32-bit cells.
   */
  get storableAsRow(): boolean {
    const bits = this.bits;
    return (
      (bits & OUTCOME_MASK) !== Outcome.inFlight &&
      (bits & (HAS_REASON | HAS_LISTENER)) === 0 &&
      this.marks >>> OPEN_KEY_SHIFT === 0 &&
      this.openPrev === null &&
      this.openNext === null &&
      this.startedAt === null &&
      this.endedAt === null &&
      this.id >= 0 &&
      this.id <= INT32_MAX &&
      this.actionIndex <= INT32_MAX &&
      Number.isInteger(this.recordSizeBytes) &&
      this.recordSizeBytes >= 0 &&
      this.recordSizeBytes <= INT32_MAX
    );
  }

  /** Writes this record as a row at `ints[intAt ..]` and `floats[floatAt ..]` (only when `storableAsRow`). */
  writeRow(ints: Int32Array, intAt: number, floats: Float64Array, floatAt: number): void {
    ints[intAt + ROW_ID] = this.id;
    ints[intAt + ROW_ACTION] = this.actionIndex;
    ints[intAt + ROW_BITS] = this.bits;
    ints[intAt + ROW_MARKS] = this.marks;
    ints[intAt + ROW_ARRIVAL_LOW] = this.arrivalLow;
    ints[intAt + ROW_ARRIVAL_HIGH] = this.arrivalHigh;
    ints[intAt + ROW_DURATION_LOW] = this.durationLow;
    ints[intAt + ROW_DURATION_HIGH] = this.durationHigh;
    ints[intAt + ROW_SIZE] = this.recordSizeBytes;
    floats[floatAt] = this.resolvedAt!;
  }

  /** A record equal, field for field, to the one `writeRow` wrote at these positions. */
  static fromRow(ints: Int32Array, intAt: number, floats: Float64Array, floatAt: number): ActivationRecord {
    const arrivalMs = joinHalves(ints[intAt + ROW_ARRIVAL_LOW]!, ints[intAt + ROW_ARRIVAL_HIGH]!);
    const durationMs = joinHalves(ints[intAt + ROW_DURATION_LOW]!, ints[intAt + ROW_DURATION_HIGH]!);
    // Through the constructor, so the rebuilt record has the same shape as every other.
    const record = new ActivationRecord(ints[intAt + ROW_ID]!, ints[intAt + ROW_ACTION]!, arrivalMs, false, durationMs, false, ints[intAt + ROW_SIZE]!);
    record.bits = ints[intAt + ROW_BITS]!;
    record.marks = ints[intAt + ROW_MARKS]!;
    record.resolvedAt = floats[floatAt]!;
    return record;
  }

  /** When it arrived at the front door. */
  get arrivalMs(): number {
    return joinHalves(this.arrivalLow, this.arrivalHigh);
  }

  /** How long the user's code runs (see the constructor). */
  get durationMs(): number {
    return joinHalves(this.durationLow, this.durationHigh);
  }

  get outcome(): Outcome {
    return (this.bits & OUTCOME_MASK) as Outcome;
  }

  /** Arrived after warm-up: counted in the latency statistics. */
  get measured(): boolean {
    return (this.bits & MEASURED) !== 0;
  }

  /** The user's code ends in an application error (drawn at arrival). */
  get applicationError(): boolean {
    return (this.bits & APPLICATION_ERROR) !== 0;
  }

  /** Its (last) start was a cold start. */
  get cold(): boolean {
    return (this.bits & COLD) !== 0;
  }

  set cold(on: boolean) {
    this.bits = on ? this.bits | COLD : this.bits & ~COLD;
  }

  /** Went through the overflow topic at least once. */
  get overflowed(): boolean {
    return (this.bits & OVERFLOWED) !== 0;
  }

  set overflowed(on: boolean) {
    this.bits = on ? this.bits | OVERFLOWED : this.bits & ~OVERFLOWED;
  }

  /** Controller that accepted it from the front door (or refused it; -1: the front door itself), -1 if none. */
  get controller(): number {
    return ((this.bits & CONTROLLER_BITS) >> CONTROLLER_SHIFT) - 1;
  }

  set controller(index: number) {
    // Hot (set once or twice per activation): the inverted form builds the message only when the check fails.
    if (!(index >= -1 && index < CONTROLLER_LIMIT - 1)) assert(false, `activation ${this.id}: controller ${index} out of range`);
    this.bits = (this.bits & ~CONTROLLER_BITS) | ((index + 1) << CONTROLLER_SHIFT);
  }

  /** Invoker that started it (last start, if re-run), -1 if never started. */
  get invoker(): number {
    return ((this.bits & INVOKER_BITS) >> INVOKER_SHIFT) - 1;
  }

  set invoker(id: number) {
    // Hot (set once or twice per activation): the inverted form builds the message only when the check fails.
    if (!(id >= -1 && id < INVOKER_LIMIT - 1)) assert(false, `activation ${this.id}: invoker ${id} out of range`);
    this.bits = (this.bits & ~INVOKER_BITS) | ((id + 1) << INVOKER_SHIFT);
  }

  /** BookkeepingError's mark: the invoker this record truly sits on, -1 if none (see BookkeepingError.ts). */
  get truthInvoker(): number {
    return (this.marks & TRUTH_BITS) - 1;
  }

  set truthInvoker(id: number) {
    // Hot (set once or twice per activation): the inverted form builds the message only when the check fails.
    if (!(id >= -1 && id < INVOKER_LIMIT - 1)) assert(false, `activation ${this.id}: invoker ${id} out of range`);
    this.marks = (this.marks & ~TRUTH_BITS) | (id + 1);
  }

  /** The key of the open-records list this record is linked into, 0 if none (see OpenRecords.ts). */
  get openKey(): number {
    return this.marks >>> OPEN_KEY_SHIFT;
  }

  set openKey(key: number) {
    // Hot (set once or twice per activation): the inverted form builds the message only when the check fails.
    if (!(key >= 0 && key < OPEN_KEY_LIMIT)) assert(false, `activation ${this.id}: open-records key ${key} out of range`);
    this.marks = (this.marks & TRUTH_BITS) | (key << OPEN_KEY_SHIFT);
  }

  /** When its (last) execution started, -1 if never. */
  get execStartMs(): number {
    const t = this.startedAt;
    return t === null ? -1 : t;
  }

  set execStartMs(ms: number) {
    this.startedAt = ms;
  }

  /** When its (last) execution ended, -1 if never. */
  get execEndMs(): number {
    const t = this.endedAt;
    return t === null ? -1 : t;
  }

  set execEndMs(ms: number) {
    this.endedAt = ms;
  }

  /** When its outcome was set, -1 while in flight. */
  get resolvedMs(): number {
    const t = this.resolvedAt;
    return t === null ? -1 : t;
  }

  /** Rejection reason or other annotation, when there is one. */
  get reason(): string | null {
    return this.sideValue(reasons, HAS_REASON);
  }

  set reason(text: string | null) {
    this.setSideValue(reasons, HAS_REASON, text);
  }

  /** Told once when the outcome is set: a closed-loop client waiting for this activation (ClosedLoopClients.ts). */
  get onResolved(): ResolutionListener | null {
    return this.sideValue(listeners, HAS_LISTENER);
  }

  set onResolved(listener: ResolutionListener | null) {
    this.setSideValue(listeners, HAS_LISTENER, listener);
  }

  /** A field few records have, kept in a side table; `flag` in `bits` says whether this record has one. */
  private sideValue<V>(table: WeakMap<ActivationRecord, V>, flag: number): V | null {
    return (this.bits & flag) !== 0 ? table.get(this)! : null;
  }

  private setSideValue<V>(table: WeakMap<ActivationRecord, V>, flag: number, value: V | null): void {
    if (value === null) {
      if ((this.bits & flag) === 0) return;
      table.delete(this);
      this.bits &= ~flag;
      return;
    }
    table.set(this, value);
    this.bits |= flag;
  }

  resolve(outcome: Outcome, nowMs: number): void {
    // Once per activation: the inverted form builds its message only on failure.
    if (this.outcome !== Outcome.inFlight) assert(false, `activation ${this.id} resolved twice`);
    if (outcome === Outcome.inFlight) assert(false, `activation ${this.id} resolved to inFlight`);
    this.bits = (this.bits & ~OUTCOME_MASK) | outcome;
    this.resolvedAt = nowMs;
    if ((this.bits & HAS_LISTENER) !== 0) listeners.get(this)!(this);
  }
}

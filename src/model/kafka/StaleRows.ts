/**
 * The stale activation messages of one partition, kept as rows of typed-array columns instead of objects.
 *
 * Why: when a controller's forced timeout resolves an activation, its message stays in its invoker's topic
 * until the invoker gets there and runs it anyway, as in OpenWhisk (docs/openwhisk.md §12). In an overloaded
 * cluster that backlog grows for the whole run (about 1.3 M messages after an hour at 3,000/s on the overload
 * bench), and each message and record held as objects costs ~180 bytes. Nobody but the log holds such a
 * message, so it may leave the heap: a row costs 68 bytes (the route as an index into a small routes table,
 * the record as `ActivationRecord.writeRow` lays it out), and reading it rebuilds a message and a record equal
 * field for field (`ActivationRecord.fromRow`).
 *
 * Rows are addressed by offset: the columns are rings whose capacity (a power of two) covers every offset from
 * the oldest row held to the newest, so an offset's row is `offset & mask`; growth doubles them.
 */
import { assert } from '../../sim/assert.js';
import { ActivationRecord } from '../ActivationRecord.js';
import { RoutedActivationMessage, type ActivationRoute } from '../messages.js';

const INTS = ActivationRecord.rowInts;
const FLOATS = ActivationRecord.rowFloats;

export class StaleRows {
  /** Distinct routes seen, and each one's index (a handful: one per action, controller and reroute). */
  private readonly routes: ActivationRoute[] = [];
  private readonly routeIndex = new Map<ActivationRoute, number>();
  private routeColumn = new Int32Array(0);
  private ints = new Int32Array(0);
  private floats = new Float64Array(0);
  private mask = -1;
  /** Offsets [lowOffset, highOffset) may have a row; outside it none. */
  private lowOffset = 0;
  private highOffset = 0;
  /** Rows held (written and not yet taken or trimmed). */
  private held = 0;

  get size(): number {
    return this.held;
  }

  /** Keeps `msg` as the row of `offset`; the caller drops the message (its record is `storableAsRow`). */
  put(offset: number, msg: RoutedActivationMessage): void {
    if (this.held === 0) {
      this.lowOffset = offset;
      this.highOffset = offset;
    }
    // Offsets only grow: the partition spills from a cursor that never moves back. Hot (once per stale
    // record): the inverted form builds the message only on failure.
    if (!(offset >= this.highOffset)) assert(false, `stale row at ${offset} below ${this.highOffset}`);
    if (offset - this.lowOffset >= this.mask + 1) this.grow(offset - this.lowOffset + 1);
    const slot = offset & this.mask;
    const route = msg.route;
    let index = this.routeIndex.get(route);
    if (index === undefined) {
      index = this.routes.length;
      this.routes.push(route);
      this.routeIndex.set(route, index);
    }
    this.routeColumn[slot] = index;
    msg.record.writeRow(this.ints, slot * INTS, this.floats, slot * FLOATS);
    this.highOffset = offset + 1;
    this.held++;
  }

  /** The message of the row at `offset`, rebuilt; the row is given up (the caller keeps the message). */
  take(offset: number): RoutedActivationMessage {
    const slot = offset & this.mask;
    const record = ActivationRecord.fromRow(this.ints, slot * INTS, this.floats, slot * FLOATS);
    this.held--;
    return new RoutedActivationMessage(this.routes[this.routeColumn[slot]!]!, record);
  }

  /** Rows below `offset` are gone with their records (trimmed by the partition; `dropped` of them were held). */
  trimTo(offset: number, dropped: number): void {
    this.held -= dropped;
    if (offset > this.lowOffset) this.lowOffset = offset < this.highOffset ? offset : this.highOffset;
    if (this.held === 0 && this.mask >= 0) {
      // The backlog is gone: give the columns back rather than keep an hour's peak for the rest of the run.
      this.routeColumn = new Int32Array(0);
      this.ints = new Int32Array(0);
      this.floats = new Float64Array(0);
      this.mask = -1;
    }
  }

  private grow(span: number): void {
    let capacity = this.mask + 1 === 0 ? 1024 : (this.mask + 1) * 2;
    while (capacity < span) capacity *= 2;
    const mask = capacity - 1;
    const routeColumn = new Int32Array(capacity);
    const ints = new Int32Array(capacity * INTS);
    const floats = new Float64Array(capacity * FLOATS);
    for (let offset = this.lowOffset; offset < this.highOffset; offset++) {
      const from = offset & this.mask;
      const to = offset & mask;
      routeColumn[to] = this.routeColumn[from]!;
      for (let k = 0; k < INTS; k++) ints[to * INTS + k] = this.ints[from * INTS + k]!;
      for (let k = 0; k < FLOATS; k++) floats[to * FLOATS + k] = this.floats[from * FLOATS + k]!;
    }
    this.routeColumn = routeColumn;
    this.ints = ints;
    this.floats = floats;
    this.mask = mask;
  }
}

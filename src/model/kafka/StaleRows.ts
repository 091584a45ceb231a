/**
 * The stale activation messages of one partition, kept as rows of typed arrays instead of objects.
 *
 * Why: when a controller's forced timeout resolves an activation, its message stays in its invoker's topic
 * until the invoker gets there and runs it anyway, as in OpenWhisk (docs/openwhisk.md §12). In an overloaded
 * cluster that backlog grows for the whole run (1.3 M messages after an hour at 3,000/s on the overload bench),
 * and each message held as an object costs ~160 bytes (the record, which is its own message, and the boxed
 * resolution time 16). Nobody but the log holds such a message, so it may leave the heap: a row costs 48 bytes
 * (the route as an index into a small routes table, the record as `ActivationRecord.writeRow` lays it out), and
 * reading it rebuilds the record, its route and all, equal field for field (`ActivationRecord.fromRow`).
 *
 * A health test action (a plain message without a record, sent to an unhealthy invoker every few seconds and
 * as stale as the activations queued before it) is a row too: its id and the index of a template message of
 * the same action, identity and ack controller, which it is rebuilt from.
 *
 * Rows are addressed by offset, in chunks of `CHUNK` consecutive offsets allocated when a row first lands in
 * them and dropped when the partition trims past them: no doubling slack, no copy on growth.
 */
import { assert } from '../../sim/assert.js';
import { ActivationRecord } from '../ActivationRecord.js';
import type { ActivationMessage, ActivationRoute } from '../messages.js';

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
/** Per row: the route index, then the record's 32-bit cells. */
const INTS = 1 + ActivationRecord.rowInts;
const FLOATS = ActivationRecord.rowFloats;

class Chunk {
  readonly ints = new Int32Array(CHUNK * INTS);
  readonly floats = new Float64Array(CHUNK * FLOATS);
}

export class StaleRows {
  /** Distinct routes seen, and each one's index (a handful: one per action, controller and reroute). */
  private readonly routes: ActivationRoute[] = [];
  private readonly routeIndex = new Map<ActivationRoute, number>();
  private lastRoute: ActivationRoute | null = null;
  private lastRouteIndex = -1;
  /** Health test actions' templates (one per controller), in the route column as -(index + 1). */
  private readonly templates: ActivationMessage[] = [];
  /** `chunks[i]` holds offsets from `(firstChunk + i) * CHUNK` on; null: no row landed there. */
  private readonly chunks: (Chunk | null)[] = [];
  private firstChunk = 0;
  /** A trimmed chunk kept for the next one needed, so a steady backlog allocates none. */
  private spare: Chunk | null = null;
  /** Rows held (written and not yet taken or trimmed). */
  private held = 0;
  /** One past the highest offset given a row. */
  private highOffset = 0;

  get size(): number {
    return this.held;
  }

  /** Whether a message without a record can be a row: only the plain health test action of seven fields. */
  static storablePlain(msg: ActivationMessage): boolean {
    const id = msg.activationId;
    return msg.record === null && Number.isInteger(id) && id >= -0x80000000 && id <= 0x7fffffff;
  }

  /**
   * Keeps `msg` as the row of `offset`; the caller drops the message (a record, its own message, that is
   * `storableAsRow`, or a plain one that is `storablePlain`).
   */
  put(offset: number, msg: ActivationMessage): void {
    // Offsets only grow: the partition spills from a cursor that never moves back. Hot (once per stale
    // record): the inverted form builds the message only on failure.
    if (!(offset >= this.highOffset)) assert(false, `stale row at ${offset} below ${this.highOffset}`);
    const chunkNo = offset >> CHUNK_BITS;
    const chunks = this.chunks;
    if (chunks.length === 0) this.firstChunk = chunkNo;
    while (this.firstChunk + chunks.length <= chunkNo) chunks.push(null);
    let chunk = chunks[chunkNo - this.firstChunk]!;
    if (chunk === null) {
      chunk = this.spare ?? new Chunk();
      this.spare = null;
      chunks[chunkNo - this.firstChunk] = chunk;
    }
    const row = offset & CHUNK_MASK;
    if (msg instanceof ActivationRecord) {
      const route = msg.route!;
      // Consecutive stale messages nearly always share a route: the Map is asked only when it changes.
      if (route !== this.lastRoute) {
        let index = this.routeIndex.get(route);
        if (index === undefined) {
          index = this.routes.length;
          this.routes.push(route);
          this.routeIndex.set(route, index);
        }
        this.lastRoute = route;
        this.lastRouteIndex = index;
      }
      chunk.ints[row * INTS] = this.lastRouteIndex;
      msg.writeRow(chunk.ints, row * INTS + 1, chunk.floats, row * FLOATS);
    } else {
      chunk.ints[row * INTS] = -(this.templateOf(msg) + 1);
      chunk.ints[row * INTS + 1] = msg.activationId;
    }
    this.highOffset = offset + 1;
    this.held++;
  }

  /** The message of the row at `offset`, rebuilt; the row is given up (the caller keeps the message). */
  take(offset: number): ActivationMessage {
    const chunk = this.chunks[(offset >> CHUNK_BITS) - this.firstChunk]!;
    const row = offset & CHUNK_MASK;
    const index = chunk.ints[row * INTS]!;
    if (index < 0) {
      this.held--;
      return { ...this.templates[-index - 1]!, activationId: chunk.ints[row * INTS + 1]! };
    }
    const record = ActivationRecord.fromRow(chunk.ints, row * INTS + 1, chunk.floats, row * FLOATS);
    this.held--;
    record.route = this.routes[index]!;
    return record;
  }

  /** The template of `msg`'s kind (a copy of the first such message), made when first needed. */
  private templateOf(msg: ActivationMessage): number {
    const templates = this.templates;
    for (let t = 0; t < templates.length; t++) {
      const m = templates[t]!;
      if (m.action === msg.action && m.user === msg.user && m.rootControllerIndex === msg.rootControllerIndex && m.blocking === msg.blocking) return t;
    }
    // The rebuild spreads the template: a message with other fields than the plain activation message's seven
    // would come back wrong, so none is accepted.
    assert(Object.keys(msg).length === 7, `a plain activation message with fields ${Object.keys(msg).join(', ')}`);
    templates.push({ ...msg });
    return templates.length - 1;
  }

  /** Offsets below `offset` are gone (trimmed by the partition; `dropped` of them were rows still held). */
  trimTo(offset: number, dropped: number): void {
    this.held -= dropped;
    const chunks = this.chunks;
    // A chunk goes once every offset in it is below `offset`; a few hundred chunks at most, one shift each.
    while (chunks.length > 0 && (this.firstChunk + 1) * CHUNK <= offset) {
      const chunk = chunks.shift()!;
      if (chunk !== null) this.spare = chunk;
      this.firstChunk++;
    }
  }
}

/**
 * A `Scheduler` for many one-shot timers of few distinct lengths — a controller's forced ("active ack")
 * timeouts — that keeps one kernel event per length instead of one per timer.
 *
 * Why: a controller arms a forced timeout for every activation it places and cancels it on the ack. In a
 * melted-down cluster ~100,000 of them are pending at once, and with one agenda entry each every event of the
 * whole simulation sifts through a heap that deep (the overload bench: the kernel loop's self time nearly
 * doubled against a healthy run).
 *
 * How: timers armed with the same delay (and callback) are due in arming order, because the clock never goes
 * back. So each delay gets a *lane*, a FIFO of its timers, and only the lane's head sits in the agenda. Each
 * timer still reserves its sequence number when armed (`Scheduler.reserveSeq`) and the head is scheduled with
 * it (`scheduleAtSeq`), so every timer fires exactly where an individual event would have fired: same time,
 * same place among simultaneous events, one kernel event per firing. Reports cannot tell the difference.
 *
 * Cancellation is O(1): a cancelled head is unlinked and the next live timer of its lane takes its place in
 * the agenda; any other cancelled timer is only marked, and unlinked when it reaches the head. When marked
 * timers outnumber live ones (and there are more than a few), every lane is swept in one pass, so a healthy
 * run, which cancels nearly every timer long before it is due, keeps about as many slots as timers pending.
 *
 * The general agenda (the inner scheduler's `scheduleOnce`) takes a timer when the inner scheduler has no
 * `reserveSeq` (tests' fakes), when its delay is not a finite non-negative number (the inner scheduler then
 * reports it), when all `MAX_LANES` lanes are taken by other delays (PR #2932's `forward-timeout-as-failure`
 * arms foreign entries with the time left, a different length for nearly every one), or when its callback
 * differs from the one its lane was made for.
 *
 * Handles: a lane timer's handle is a negative small integer, −(2 + generation × SLOT_SPAN + slot), so an
 * entry holding it stores no boxed number; −1 stays free as the callers' "none"; the general agenda's handles
 * are non-negative. The generation (7 bits) stops a stale handle from cancelling a later timer in the same
 * slot; callers clear their handle when the timer fires or is cancelled, so none is ever passed.
 */
import { assert } from '../../sim/assert.js';
import { doubled as grow } from '../../sim/growArray.js';
import type { Cancellable, Scheduler } from '../messaging.js';

const LANE_BITS = 4;
const LANE_MASK = (1 << LANE_BITS) - 1;
/** Distinct delays with a lane at once; other delays go to the general agenda. */
const MAX_LANES = 1 << LANE_BITS;
const SLOT_SPAN = 2 ** 24;
/** Generations wrap here so that every handle stays a small integer (|handle| ≤ 2^31). */
const GENERATIONS = 2 ** 7 - 1;
const INITIAL_CAPACITY = 256;
/** As the Agenda: sweeping pays off once there is a fair amount of garbage. */
const COMPACT_MIN_DEAD = 1024;
const NONE = -1;
/** The argument slot of a cancelled timer still linked in its lane. */
const CANCELLED: unique symbol = Symbol('cancelled timer');

/** One delay's timers, in arming order (a singly linked list through `slotNext`). */
interface Lane {
  /** Position in `lanes` (the low bits of `slotTag`). */
  readonly index: number;
  delayMs: number;
  fn: (arg: any) => void;
  /** The earliest timer; always live, and armed in the inner scheduler. NONE when the lane is empty. */
  head: number;
  tail: number;
  /** The inner scheduler's handle of the head's event. */
  armed: Cancellable;
}

export class TimerLanes implements Scheduler {
  private readonly lanes: Lane[] = [];
  private readonly laneByDelay = new Map<number, Lane>();
  /** The lane used last: nearly every timer of a controller has the same delay. */
  private lastLane: Lane | null = null;

  private slotDeadline = new Float64Array(INITIAL_CAPACITY);
  private slotSeq = new Float64Array(INITIAL_CAPACITY);
  /**
   * generation << LANE_BITS | lane index: one array, so that cancelling a timer deep in a long lane (the ack of a
   * waiting activation) reads one cold cache line for both.
   */
  private slotTag = new Int32Array(INITIAL_CAPACITY);
  /** The next timer of the lane, or (for a free slot) the next free slot. */
  private slotNext = new Int32Array(INITIAL_CAPACITY);
  private readonly slotArg: unknown[] = [];
  private slotCount = 0;
  private freeHead = NONE;
  private live = 0;
  /** Cancelled timers still linked in a lane (never a head). */
  private dead = 0;
  private readonly boundFire: (lane: Lane) => void;

  constructor(private readonly inner: Scheduler) {
    this.boundFire = this.fire.bind(this);
  }

  now(): number {
    return this.inner.now();
  }

  /** Timers in lanes, armed and neither fired nor cancelled (the general agenda's are not counted). */
  get pending(): number {
    return this.live;
  }

  /** Slots in use: pending timers plus cancelled ones not yet unlinked. */
  get slotsInUse(): number {
    return this.live + this.dead;
  }

  scheduleOnce(delayMs: number, fn: (arg: any) => void, arg?: unknown): Cancellable {
    const inner = this.inner;
    const lane = this.laneFor(delayMs, fn);
    if (lane === null) return inner.scheduleOnce(delayMs, fn, arg);
    const deadline = inner.now() + delayMs;
    // Monotone by construction (the clock never goes back); checked because the order depends on it.
    if (lane.tail !== NONE && deadline < this.slotDeadline[lane.tail]!) return inner.scheduleOnce(delayMs, fn, arg);
    const slot = this.allocateSlot();
    this.slotDeadline[slot] = deadline;
    this.slotSeq[slot] = inner.reserveSeq!();
    this.slotArg[slot] = arg;
    this.slotNext[slot] = NONE;
    this.slotTag[slot] = (this.slotTag[slot]! & ~LANE_MASK) | lane.index;
    if (lane.tail === NONE) {
      lane.head = slot;
      lane.tail = slot;
      this.arm(lane);
    } else {
      this.slotNext[lane.tail] = slot;
      lane.tail = slot;
    }
    this.live++;
    return -(2 + (this.slotTag[slot]! >> LANE_BITS) * SLOT_SPAN + slot);
  }

  cancel(handle: Cancellable): boolean {
    if (handle >= 0) return this.inner.cancel(handle);
    const code = -handle - 2;
    const generation = Math.floor(code / SLOT_SPAN);
    const slot = code - generation * SLOT_SPAN;
    if (slot >= this.slotCount) return false;
    const tag = this.slotTag[slot]!;
    if (tag >> LANE_BITS !== generation || this.slotArg[slot] === CANCELLED) return false;
    this.live--;
    const lane = this.lanes[tag & LANE_MASK]!;
    if (slot === lane.head) {
      this.inner.cancel(lane.armed);
      this.unlinkHead(lane);
      if (lane.head !== NONE) this.arm(lane);
    } else {
      this.slotArg[slot] = CANCELLED;
      this.dead++;
      if (this.dead > COMPACT_MIN_DEAD && this.dead > this.live) this.compact();
    }
    return true;
  }

  /** The head of `lane` is due: the next live timer takes its place in the agenda, then the callback runs. */
  private fire(lane: Lane): void {
    const arg = this.slotArg[lane.head];
    this.live--;
    this.unlinkHead(lane);
    // Before the callback, which may arm or cancel timers of this lane.
    if (lane.head !== NONE) this.arm(lane);
    lane.fn(arg);
  }

  private arm(lane: Lane): void {
    const head = lane.head;
    lane.armed = this.inner.scheduleAtSeq!(this.slotDeadline[head]!, this.slotSeq[head]!, this.boundFire, lane);
  }

  /** Frees the head and any cancelled timers behind it, so the lane's head is live again (or NONE). */
  private unlinkHead(lane: Lane): void {
    let slot = lane.head;
    do {
      const next = this.slotNext[slot]!;
      if (slot !== lane.head) this.dead--;
      this.freeSlot(slot);
      slot = next;
    } while (slot !== NONE && this.slotArg[slot] === CANCELLED);
    lane.head = slot;
    if (slot === NONE) lane.tail = NONE;
  }

  /** Unlinks every cancelled timer of every lane (heads are live, so no lane's armed event changes). */
  private compact(): void {
    for (const lane of this.lanes) {
      let previous = lane.head;
      if (previous === NONE) continue;
      let slot = this.slotNext[previous]!;
      while (slot !== NONE) {
        const next = this.slotNext[slot]!;
        if (this.slotArg[slot] === CANCELLED) {
          this.freeSlot(slot);
          this.slotNext[previous] = next;
        } else {
          previous = slot;
        }
        slot = next;
      }
      lane.tail = previous;
    }
    this.dead = 0;
  }

  /** The lane for timers of `delayMs` calling `fn`, or null when they go to the general agenda. */
  private laneFor(delayMs: number, fn: (arg: any) => void): Lane | null {
    const last = this.lastLane;
    if (last !== null && last.delayMs === delayMs && last.fn === fn) return last;
    if (this.inner.reserveSeq === undefined || this.inner.scheduleAtSeq === undefined) return null;
    if (!(delayMs >= 0 && delayMs !== Infinity)) return null;
    let lane = this.laneByDelay.get(delayMs) ?? null;
    if (lane === null) {
      lane = this.emptyLane();
      if (lane === null) return null;
      this.laneByDelay.delete(lane.delayMs);
      lane.delayMs = delayMs;
      this.laneByDelay.set(delayMs, lane);
    }
    if (lane.fn !== fn) {
      if (lane.head !== NONE) return null;
      lane.fn = fn;
    }
    this.lastLane = lane;
    return lane;
  }

  /** A lane with no timers to rebind to a new delay, or a new one while fewer than MAX_LANES exist. */
  private emptyLane(): Lane | null {
    for (const lane of this.lanes) if (lane.head === NONE) return lane;
    if (this.lanes.length === MAX_LANES) return null;
    const lane: Lane = { index: this.lanes.length, delayMs: NaN, fn: this.boundFire, head: NONE, tail: NONE, armed: NONE };
    this.lanes.push(lane);
    return lane;
  }

  private allocateSlot(): number {
    if (this.freeHead !== NONE) {
      const slot = this.freeHead;
      this.freeHead = this.slotNext[slot]!;
      return slot;
    }
    const slot = this.slotCount++;
    // Plain form: only a timer that finds no free slot (the lanes reaching a new size) gets here.
    assert(slot < SLOT_SPAN, `more than ${SLOT_SPAN} timers pending in one TimerLanes`);
    if (slot === this.slotDeadline.length) this.grow();
    this.slotArg.push(undefined);
    return slot;
  }

  private freeSlot(slot: number): void {
    this.slotArg[slot] = undefined;
    const generation = (this.slotTag[slot]! >> LANE_BITS) + 1;
    this.slotTag[slot] = (generation === GENERATIONS ? 0 : generation) << LANE_BITS;
    this.slotNext[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private grow(): void {
    this.slotDeadline = grow(this.slotDeadline);
    this.slotSeq = grow(this.slotSeq);
    this.slotTag = grow(this.slotTag);
    this.slotNext = grow(this.slotNext);
  }
}

/**
 * The agenda: pending events in a total order (time, priority, seq), kept in a binary min-heap laid out as
 * struct-of-arrays. Typed arrays hold the ordering keys so a sift touches a few cache lines and allocates
 * nothing; measured on the 2-core reference machine this layout is about twice as fast as a heap of objects,
 * and a 4-ary heap was not faster.
 *
 * Each pending event lives in a *slot* (its callback and argument); the heap orders slot numbers. Slots are
 * recycled through a free list, and every recycle bumps the slot's generation so a stale handle can never
 * cancel a later event that reused the slot. Cancellation is lazy: the slot's callback is cleared and the
 * heap entry is discarded when it reaches the top. That keeps `cancel` O(1). Cancelled entries would
 * otherwise pile up until their time — a controller arms a forced timeout of a minute or more for every
 * activation and cancels nearly all of them, so at 3,000 activations/s the heap held ~360,000 dead entries
 * and sifting through them dominated the run — so when dead entries outnumber live ones the heap is compacted
 * in one O(n) pass (filter, then Floyd's heapify), which keeps it at most about twice the live size.
 *
 * `seq` is a per-agenda counter assigned at insertion, so two events at the same time and priority run in
 * the order they were scheduled, on every platform, without relying on sort stability. A caller may instead
 * reserve a seq (`reserveSeq`) and insert later with it (`insertWithSeq`): the event then takes the place in
 * the order it would have had if inserted at the reservation. That lets a queue of timers that fire in
 * arming order (src/model/common/TimerLanes.ts) keep only its earliest timer here and still run every timer
 * exactly where an individual event would have run.
 */
import { assert } from './assert.js';
import { doubled as grow } from './growArray.js';

export type EventCallback = (arg: any) => void;

/** An opaque handle: generation × SLOT_SPAN + slot. Safe as a float64 integer up to 2^53. */
export type EventHandle = number;

const SLOT_SPAN = 2 ** 24;
const GENERATION_LIMIT = 2 ** 29;
const INITIAL_CAPACITY = 1024;
/**
 * Compaction only pays off once there is a fair amount of garbage. 1,024 rather than 4,096: a smaller heap for
 * every pop outweighs the more frequent O(n) passes (mid-cluster under cachegrind: −2% instructions, −2% L1
 * data misses).
 */
const COMPACT_MIN_DEAD = 1024;

export class Agenda {
  /** Times of the heap's entries; `heapTime[0]` is Infinity while the heap is empty (see peekTime). */
  private heapTime = new Float64Array(INITIAL_CAPACITY).fill(Infinity, 0, 1);
  private heapSeq = new Float64Array(INITIAL_CAPACITY);
  private heapPriority = new Int32Array(INITIAL_CAPACITY);
  private heapSlot = new Int32Array(INITIAL_CAPACITY);
  private heapSize = 0;

  private slotCallback: (EventCallback | null)[] = [];
  private slotArg: unknown[] = [];
  private slotGeneration = new Int32Array(INITIAL_CAPACITY);
  private freeSlots = new Int32Array(INITIAL_CAPACITY);
  private freeCount = 0;
  private slotCount = 0;
  private nextSeq = 0;
  private live = 0;
  /** Cancelled entries still in the heap. */
  private dead = 0;

  /** Events scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.live;
  }

  /** Heap entries, including cancelled ones not yet discarded. */
  get heapLength(): number {
    return this.heapSize;
  }

  insert(time: number, priority: number, callback: EventCallback, arg: unknown): EventHandle {
    return this.insertWithSeq(time, priority, callback, arg, this.nextSeq++);
  }

  /** Takes the next seq without inserting: the place an event inserted now would have. */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /**
   * Inserts with a seq from `reserveSeq`. The caller must insert it before any event that orders after it
   * has been popped, or it would run out of order.
   */
  insertWithSeq(time: number, priority: number, callback: EventCallback, arg: unknown, seq: number): EventHandle {
    const slot = this.place(time, priority, callback, arg, seq);
    return this.slotGeneration[slot]! * SLOT_SPAN + slot;
  }

  /**
   * `insert` for an event nobody will cancel: no handle. A handle is past the small-integer range once its
   * slot has been reused a few hundred times, so returning it from a call that is not inlined boxes it as a
   * 16-byte heap number, on every event.
   */
  add(time: number, priority: number, callback: EventCallback, arg: unknown): void {
    this.place(time, priority, callback, arg, this.nextSeq++);
  }

  /** Puts the event in a slot and the heap; returns the slot. */
  private place(time: number, priority: number, callback: EventCallback, arg: unknown, seq: number): number {
    const slot = this.allocateSlot();
    this.slotCallback[slot] = callback;
    this.slotArg[slot] = arg;
    if (this.heapSize === this.heapTime.length) this.growHeap();
    this.siftUp(this.heapSize++, time, priority, seq, slot);
    this.live++;
    return slot;
  }

  /** Cancels a pending event. Returns false when it already ran or was already cancelled. */
  cancel(handle: EventHandle): boolean {
    const generation = Math.floor(handle / SLOT_SPAN);
    const slot = handle - generation * SLOT_SPAN;
    if (slot >= this.slotCount) return false;
    if (this.slotGeneration[slot] !== generation) return false;
    if (this.slotCallback[slot] === null) return false;
    this.slotCallback[slot] = null;
    this.slotArg[slot] = undefined;
    this.live--;
    this.dead++;
    if (this.dead > COMPACT_MIN_DEAD && this.dead * 2 > this.heapSize) this.compact();
    return true;
  }

  /**
   * Time of the earliest entry (possibly cancelled), or Infinity when empty. One load: an empty heap keeps
   * Infinity in its first time cell. (`heapSize === 0 ? Infinity : heapTime[0]` made the optimized event loop
   * box every event's time as a 16-byte heap number: 93 MB of garbage in the overload bench.)
   */
  peekTime(): number {
    return this.heapTime[0]!;
  }

  /**
   * Removes the earliest entry and returns its slot, or -1 when the agenda is empty. The caller reads the
   * slot with `callbackOf`/`argOf` and must then `release` it. A cancelled entry has a null callback.
   */
  popSlot(): number {
    if (this.heapSize === 0) return -1;
    const slot = this.heapSlot[0]!;
    const last = --this.heapSize;
    if (last > 0) {
      this.siftDown(0, this.heapTime[last]!, this.heapPriority[last]!, this.heapSeq[last]!, this.heapSlot[last]!);
    } else {
      this.heapTime[0] = Infinity;
    }
    return slot;
  }

  callbackOf(slot: number): EventCallback | null {
    return this.slotCallback[slot]!;
  }

  argOf(slot: number): unknown {
    return this.slotArg[slot];
  }

  /** Returns a popped slot to the free list; a live (not cancelled) one counts as run. */
  release(slot: number): void {
    if (this.slotCallback[slot] !== null) this.live--;
    else this.dead--;
    this.freeSlot(slot);
  }

  /** Drops every cancelled entry and restores the heap property (Floyd's bottom-up heapify). */
  private compact(): void {
    const ht = this.heapTime, hp = this.heapPriority, hs = this.heapSeq, hl = this.heapSlot;
    let kept = 0;
    for (let i = 0; i < this.heapSize; i++) {
      const slot = hl[i]!;
      if (this.slotCallback[slot] === null) {
        this.freeSlot(slot);
        continue;
      }
      ht[kept] = ht[i]!;
      hp[kept] = hp[i]!;
      hs[kept] = hs[i]!;
      hl[kept] = slot;
      kept++;
    }
    this.heapSize = kept;
    if (kept === 0) ht[0] = Infinity;
    this.dead = 0;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, ht[i]!, hp[i]!, hs[i]!, hl[i]!);
  }

  private freeSlot(slot: number): void {
    this.slotCallback[slot] = null;
    this.slotArg[slot] = undefined;
    const next = this.slotGeneration[slot]! + 1;
    this.slotGeneration[slot] = next === GENERATION_LIMIT ? 0 : next;
    if (this.freeCount === this.freeSlots.length) this.freeSlots = grow(this.freeSlots);
    this.freeSlots[this.freeCount++] = slot;
  }

  private allocateSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    // Plain form: only an insert that finds no free slot (the agenda reaching a new size) gets here.
    assert(slot < SLOT_SPAN, `agenda holds more than ${SLOT_SPAN} pending events`);
    if (slot === this.slotGeneration.length) this.slotGeneration = grow(this.slotGeneration);
    this.slotCallback.push(null);
    this.slotArg.push(undefined);
    return slot;
  }

  private growHeap(): void {
    this.heapTime = grow(this.heapTime);
    this.heapSeq = grow(this.heapSeq);
    this.heapPriority = grow(this.heapPriority);
    this.heapSlot = grow(this.heapSlot);
  }

  // Hole-based sifts: the moving entry is written once at its final position.
  private siftUp(index: number, time: number, priority: number, seq: number, slot: number): void {
    const ht = this.heapTime, hp = this.heapPriority, hs = this.heapSeq, hl = this.heapSlot;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const pt = ht[parent]!;
      if (pt < time || (pt === time && (hp[parent]! < priority || (hp[parent] === priority && hs[parent]! < seq)))) break;
      ht[index] = pt;
      hp[index] = hp[parent]!;
      hs[index] = hs[parent]!;
      hl[index] = hl[parent]!;
      index = parent;
    }
    ht[index] = time;
    hp[index] = priority;
    hs[index] = seq;
    hl[index] = slot;
  }

  private siftDown(index: number, time: number, priority: number, seq: number, slot: number): void {
    const ht = this.heapTime, hp = this.heapPriority, hs = this.heapSeq, hl = this.heapSlot;
    const size = this.heapSize;
    const half = size >> 1;
    while (index < half) {
      let child = 2 * index + 1;
      const right = child + 1;
      if (right < size && before(ht[right]!, hp[right]!, hs[right]!, ht[child]!, hp[child]!, hs[child]!)) child = right;
      if (!before(ht[child]!, hp[child]!, hs[child]!, time, priority, seq)) break;
      ht[index] = ht[child]!;
      hp[index] = hp[child]!;
      hs[index] = hs[child]!;
      hl[index] = hl[child]!;
      index = child;
    }
    ht[index] = time;
    hp[index] = priority;
    hs[index] = seq;
    hl[index] = slot;
  }
}

function before(t1: number, p1: number, s1: number, t2: number, p2: number, s2: number): boolean {
  if (t1 !== t2) return t1 < t2;
  if (p1 !== p2) return p1 < p2;
  return s1 < s2;
}

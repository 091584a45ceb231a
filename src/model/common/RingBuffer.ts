/**
 * A growable FIFO ring buffer: O(1) amortized push, O(1) shift, O(1) indexed read from the head. Used for every
 * queue on the Kafka path (partition logs, in-flight produce queues, MessageFeed's outstanding records) so the
 * hot path never calls `Array.shift`.
 *
 * The capacity is a power of two so a slot is `(head + i) & mask`. Growth doubles the backing array and lays the
 * live entries out from index 0. Shifted slots are overwritten with `undefined` so the buffer never keeps a
 * consumed record alive.
 */
import { assert } from '../../sim/assert.js';

export class RingBuffer<T> {
  private items: (T | undefined)[];
  private mask: number;
  private head = 0;
  private size = 0;

  constructor(initialCapacity = 16) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity <<= 1;
    this.items = new Array<T | undefined>(capacity);
    this.mask = capacity - 1;
  }

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & this.mask] = item;
    this.size++;
  }

  /** Removes and returns the oldest entry. The buffer must not be empty. */
  shift(): T {
    assert(this.size > 0, 'RingBuffer.shift on an empty buffer');
    const index = this.head;
    const item = this.items[index] as T;
    this.items[index] = undefined;
    this.head = (index + 1) & this.mask;
    this.size--;
    return item;
  }

  /** The entry `i` places after the head (0 = oldest). */
  get(i: number): T {
    // Hot (every read of a partition log or feed buffer): the inverted form builds the message only when the check fails.
    if (!(i >= 0)) assert(false, `RingBuffer.get: negative index ${i}`);
    if (!(i < this.size)) assert(false, `RingBuffer.get: index ${i} beyond length ${this.size}`);
    return this.items[(this.head + i) & this.mask] as T;
  }

  /** Replaces the entry `i` places after the head (0 = oldest). */
  set(i: number, item: T): void {
    // Hot (every stale record kept as a row, and its rebuild): the inverted form builds the message only on failure.
    if (!(i >= 0 && i < this.size)) assert(false, `RingBuffer.set: index ${i} outside 0..${this.size - 1}`);
    this.items[(this.head + i) & this.mask] = item;
  }

  /** The oldest entry without removing it. The buffer must not be empty. */
  peekHead(): T {
    assert(this.size > 0, 'RingBuffer.peekHead on an empty buffer');
    return this.items[this.head] as T;
  }

  /** Drops the newest entries until `length` are left (no-op when there are no more than that). */
  truncate(length: number): void {
    while (this.size > length) {
      this.size--;
      this.items[(this.head + this.size) & this.mask] = undefined;
    }
  }

  clear(): void {
    while (this.size > 0) this.shift();
    this.head = 0;
  }

  private grow(): void {
    const old = this.items;
    const capacity = old.length * 2;
    const items = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.size; i++) items[i] = old[(this.head + i) & this.mask];
    this.items = items;
    this.mask = capacity - 1;
    this.head = 0;
  }
}

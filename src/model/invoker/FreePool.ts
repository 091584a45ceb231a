/**
 * The container pool's free pool: containers with spare concurrency, and which of them `schedule` picks for an
 * activation (`invokers.containerSelection`, issue 15). OpenWhisk's `ContainerPool.schedule` takes the first
 * match of `freePool.find`, so the pick is decided by the iteration order of `freePool`, an immutable Scala
 * `Map[ActorRef, ContainerData]`. Three orders:
 *   - `scala-map` (default): that iteration order as Scala 2.11/2.12's immutable Map has it (OpenWhisk's Scala
 *     at the time), see ScalaMapOrder below;
 *   - `lru`: the container that became free longest ago;
 *   - `mru`: the container that became free most recently.
 * Each is a rank per free container, lower first; the pick is the lowest-ranked container of the action and
 * namespace, an initialized one before one still initializing (HEAD's WarmedData before WarmingData).
 *
 * Data structure: a binary min-heap of free containers per action (ties broken by container id), the heap
 * position in `ContainerProxy.freeIndex`. Add, remove and the usual pick are O(log n); the pick scans the
 * action's heap only when its top serves another namespace or is still initializing (rare: an action is
 * normally invoked from one namespace, and only concurrent actions have initializing containers free).
 *
 * ScalaMapOrder. `Map.empty + kv` is a `Map1`; `Map1`…`Map4` keep their entries in insertion order, an updated
 * key keeps its place and a removed one closes the gap. Adding a fifth key turns the map into a `HashMap`
 * (a hash trie), and every later map derived from it by `+` and `-` is a `HashMap` again, even when it shrinks
 * back to one entry or to none. A `HashTrieMap` iterates its children in the order of their 5-bit index at
 * each level, level 0 using the lowest 5 bits of the key's improved hash (`improve(key.##)`), level 1 the next
 * 5, up to level 6 with the top 2 bits. So the order is that of the hash's 5-bit chunks read from the lowest
 * (`trieRank`). An `ActorRef`'s hash code is its actor cell's uid, a random non-zero 32-bit integer drawn when
 * the actor starts: here one draw per container, at creation, from the pool's `actorUid` stream (a stream of
 * its own, so it shifts no other draws). Keys with the same improved hash (a `HashMapCollision1`, odds 2⁻³²
 * per pair) are ordered by container id.
 * In owsim "the map has held more than four entries" is per pool incarnation: the free pool of all actions
 * together, as OpenWhisk has one map per invoker process.
 */
import type { ActionMeta } from '../messages.js';
import type { ContainerSelection } from '../../scenario/types.js';
import type { Rng } from '../../sim/rng.js';
import { assert } from '../../sim/assert.js';
import type { ContainerProxy } from './ContainerProxy.js';


/** Scala 2.12 `HashMap.improve`: the bit spreading applied to a key's hash code. */
export function improve(hcode: number): number {
  let h = (hcode + ~(hcode << 9)) | 0;
  h ^= h >>> 14;
  h = (h + (h << 4)) | 0;
  return (h ^ (h >>> 10)) | 0;
}

/** The position of an improved hash in a hash trie's iteration: its 5-bit chunks, lowest first, as one number. */
export function trieRank(hash: number): number {
  const h = hash >>> 0;
  return (
    (h & 31) * 2 ** 27 +
    ((h >>> 5) & 31) * 2 ** 22 +
    ((h >>> 10) & 31) * 2 ** 17 +
    ((h >>> 15) & 31) * 2 ** 12 +
    ((h >>> 20) & 31) * 2 ** 7 +
    ((h >>> 25) & 31) * 2 ** 2 +
    ((h >>> 30) & 3)
  );
}

/** Akka's `ActorCell.newUid`: a random 32-bit integer, never 0 (0 means "undefined"). */
export function drawActorUid(rng: Rng): number {
  for (;;) {
    const uid = rng.nextInt(4294967296) | 0;
    if (uid !== 0) return uid;
  }
}

/** The free pool as ContainerPool uses it. */
export interface FreePool {
  /** Containers in the free pool, over all actions. */
  readonly size: number;
  /** A container was created (stem cell or cold): its actor ref exists from now on. */
  created(c: ContainerProxy): void;
  add(c: ContainerProxy): void;
  remove(c: ContainerProxy): void;
  /** `schedule`'s pick among the free containers of `action` serving `namespace`, or null. */
  find(action: ActionMeta, namespace: string, allowInitializing: boolean): ContainerProxy | null;
  /** The free containers of `action` in pick order (tests, reports). */
  ordered(action: ActionMeta): ContainerProxy[];
  /** Everything is gone (the invoker crashed). */
  clear(): void;
}

export function makeFreePool(selection: ContainerSelection, uidRng: Rng): FreePool {
  return new RankedFreePool(selection, uidRng);
}

function before(a: ContainerProxy, b: ContainerProxy): boolean {
  return a.freeRank < b.freeRank || (a.freeRank === b.freeRank && a.id < b.id);
}

class RankedFreePool implements FreePool {
  private readonly byAction: (ContainerProxy[] | undefined)[] = [];
  /** Heaps of actions without a catalog index (health test actions). */
  private readonly byFqn = new Map<string, ContainerProxy[]>();
  private count = 0;
  private sequence = 0;
  /** scala-map: the map became a HashMap (it once held more than four entries). */
  private hashed = false;

  constructor(
    private readonly selection: ContainerSelection,
    private readonly uidRng: Rng,
  ) {}

  get size(): number {
    return this.count;
  }

  created(c: ContainerProxy): void {
    if (this.selection === 'scala-map') c.mapKeyRank = trieRank(improve(drawActorUid(this.uidRng)));
  }

  add(c: ContainerProxy): void {
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (c.freeIndex >= 0) assert(false, `container ${c.id}: already free`);
    const seq = ++this.sequence;
    this.count++;
    switch (this.selection) {
      case 'lru':
        c.freeRank = seq;
        break;
      case 'mru':
        c.freeRank = -seq;
        break;
      case 'scala-map':
        if (!this.hashed && this.count > 4) this.becomeHashMap();
        c.freeRank = this.hashed ? c.mapKeyRank : seq;
        break;
    }
    const heap = this.heapOf(c.action!);
    c.freeIndex = heap.length;
    heap.push(c);
    this.siftUp(heap, c.freeIndex);
  }

  remove(c: ContainerProxy): void {
    const heap = this.heapOf(c.action!);
    const i = c.freeIndex;
    // Hot (once per container state change): the inverted form builds the message only when the check fails.
    if (heap[i] !== c) assert(false, `container ${c.id}: free pool index out of date`);
    const last = heap.pop()!;
    c.freeIndex = -1;
    this.count--;
    if (last === c) return;
    heap[i] = last;
    last.freeIndex = i;
    if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.siftUp(heap, i);
    else this.siftDown(heap, i);
  }

  find(action: ActionMeta, namespace: string, allowInitializing: boolean): ContainerProxy | null {
    const heap = action.index >= 0 ? this.byAction[action.index] : this.byFqn.get(action.fqn);
    if (heap === undefined || heap.length === 0) return null;
    const top = heap[0]!;
    if (top.invocationNamespace === namespace && top.state !== 'initializing') return top;
    let initialized: ContainerProxy | null = null;
    let initializing: ContainerProxy | null = null;
    for (let i = 0; i < heap.length; i++) {
      const c = heap[i]!;
      if (c.invocationNamespace !== namespace) continue;
      if (c.state !== 'initializing') {
        if (initialized === null || before(c, initialized)) initialized = c;
      } else if (initializing === null || before(c, initializing)) initializing = c;
    }
    return initialized ?? (allowInitializing ? initializing : null);
  }

  ordered(action: ActionMeta): ContainerProxy[] {
    const heap = action.index >= 0 ? this.byAction[action.index] : this.byFqn.get(action.fqn);
    return heap === undefined ? [] : [...heap].sort((a, b) => (before(a, b) ? -1 : 1));
  }

  clear(): void {
    this.byAction.length = 0;
    this.byFqn.clear();
    this.count = 0;
  }

  /** Map4 + a fifth key: from now on every free container is ordered by its key's place in the hash trie. */
  private becomeHashMap(): void {
    this.hashed = true;
    const reorder = (heap: ContainerProxy[] | undefined) => {
      if (heap === undefined) return;
      for (const c of heap) c.freeRank = c.mapKeyRank;
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) this.siftDown(heap, i);
    };
    for (const heap of this.byAction) reorder(heap);
    for (const heap of this.byFqn.values()) reorder(heap);
  }

  private heapOf(action: ActionMeta): ContainerProxy[] {
    if (action.index >= 0) {
      let heap = this.byAction[action.index];
      if (heap === undefined) {
        // Fill any gap so the array stays dense (V8 keeps it in fast mode).
        while (this.byAction.length < action.index) this.byAction.push(undefined);
        heap = [];
        this.byAction[action.index] = heap;
      }
      return heap;
    }
    let heap = this.byFqn.get(action.fqn);
    if (heap === undefined) {
      heap = [];
      this.byFqn.set(action.fqn, heap);
    }
    return heap;
  }

  private siftUp(heap: ContainerProxy[], index: number): void {
    let i = index;
    const c = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(c, p)) break;
      heap[i] = p;
      p.freeIndex = i;
      i = parent;
    }
    heap[i] = c;
    c.freeIndex = i;
  }

  private siftDown(heap: ContainerProxy[], index: number): void {
    let i = index;
    const c = heap[i]!;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      const ch = heap[child]!;
      if (!before(ch, c)) break;
      heap[i] = ch;
      ch.freeIndex = i;
      i = child;
    }
    heap[i] = c;
    c.freeIndex = i;
  }
}

/**
 * The records a controller incarnation has accepted and not yet answered: an insertion-ordered set with the
 * semantics of a `Set<ActivationRecord>` (adding a member again changes nothing, deleting a non-member is a
 * no-op, iteration in first-insertion order), linked through fields of the records themselves.
 *
 * Why: every activation is added once and deleted once, and a Set's hashing of the record was a measurable
 * share of the whole-model benchmark; linking is a few field writes.
 *
 * A record links into at most one set, named by the set's key (`record.openKey`, a small integer rather than a
 * reference: the record has tens of thousands of siblings in an overloaded cluster, and a reference field costs
 * 8 bytes each). Sets alive at once must have different keys; a set that is cleared and never used again may
 * leave its key to another (a controller's next incarnation). Should a second set be asked to hold a record
 * that is linked elsewhere (one incarnation's record seen by another), that second set turns into a plain Set,
 * keeping its order, and stays one: the semantics are those of one Set per incarnation in every case.
 */
import { assert } from '../sim/assert.js';
import type { ActivationRecord } from './ActivationRecord.js';

/** Keys are 1 .. 65535 (0 marks an unlinked record). */
const MAX_KEY = 0xffff;

export class OpenRecords {
  private head: ActivationRecord | null = null;
  private tail: ActivationRecord | null = null;
  private count = 0;
  private fallback: Set<ActivationRecord> | null = null;

  constructor(private readonly key: number) {
    assert(Number.isInteger(key) && key >= 1 && key <= MAX_KEY, `open-records key ${key} is not in 1..${MAX_KEY}`);
  }

  get size(): number {
    return this.fallback !== null ? this.fallback.size : this.count;
  }

  add(record: ActivationRecord): void {
    if (this.fallback !== null) {
      this.fallback.add(record);
      return;
    }
    const owner = record.openKey;
    if (owner === this.key) return;
    if (owner !== 0) {
      this.becomeSet().add(record);
      return;
    }
    record.openKey = this.key;
    record.openPrev = this.tail;
    record.openNext = null;
    if (this.tail !== null) this.tail.openNext = record;
    else this.head = record;
    this.tail = record;
    this.count++;
  }

  delete(record: ActivationRecord): boolean {
    if (this.fallback !== null) return this.fallback.delete(record);
    if (record.openKey !== this.key) return false;
    this.unlink(record);
    return true;
  }

  /** The members in insertion order (a copy: the caller may change the set while walking it). */
  toArray(): ActivationRecord[] {
    if (this.fallback !== null) return [...this.fallback];
    const out: ActivationRecord[] = [];
    for (let r = this.head; r !== null; r = r.openNext) out.push(r);
    return out;
  }

  clear(): void {
    if (this.fallback !== null) {
      this.fallback.clear();
      return;
    }
    while (this.head !== null) this.unlink(this.head);
  }

  private unlink(record: ActivationRecord): void {
    const prev = record.openPrev;
    const next = record.openNext;
    if (prev !== null) prev.openNext = next;
    else this.head = next;
    if (next !== null) next.openPrev = prev;
    else this.tail = prev;
    record.openKey = 0;
    record.openPrev = null;
    record.openNext = null;
    this.count--;
  }

  private becomeSet(): Set<ActivationRecord> {
    const set = new Set<ActivationRecord>();
    while (this.head !== null) {
      const r = this.head;
      set.add(r);
      this.unlink(r);
    }
    this.fallback = set;
    return set;
  }
}

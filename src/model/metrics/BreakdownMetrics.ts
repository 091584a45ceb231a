/**
 * Figures per action, per namespace and per time window (summary.json's `actions`, `namespaces`, `windows`).
 *
 * Hot path: every action has a small integer index from the catalog; `actionSlot[index]` and
 * `namespaceSlot[index]` are computed once here, so an event costs two typed-array lookups and a few
 * increments. Windows are turned into elementary intervals between their sorted boundaries, each with the
 * list of windows covering it; an event finds its activation's interval from the arrival time by a binary
 * search over the boundaries (none without windows), so the record carries no mark for it.
 *
 * Memory stays bounded: at most MAX_BREAKDOWN_KEYS actions (and as many namespaces) get their own entry; when
 * a workload has more, the ones with the lowest configured mean arrival rate (ties: the later in the file)
 * share one entry, `(other)`. An entry costs about 80 bytes of counts, plus three CompactHistograms once it
 * has measured activations: about 0.9 KB in all while it has a few, at most ~27 KB once it has more than 256
 * (measured with a forced GC; docs/reports.md). Only an entry with hundreds of activations pays the dense
 * figure, so memory grows with the activations a run measures rather than with its 10,000 possible entries.
 */
import type { ActivationRecord } from '../ActivationRecord.js';
import type { WindowConfig } from '../../scenario/types.js';
import { OutcomeTable } from './OutcomeTable.js';

/** Actions (and namespaces) with an entry of their own; the rest share `(other)`. */
export const MAX_BREAKDOWN_KEYS = 10_000;
export const OTHER_KEY = '(other)';

export interface BreakdownAction {
  name: string;
  namespace: string;
  /** Mean arrivals per second the scenario asks for (ranks actions when there are too many). */
  meanRatePerSec: number;
}

export class BreakdownMetrics {
  readonly actions: OutcomeTable;
  readonly namespaces: OutcomeTable;
  readonly windows: OutcomeTable;
  /** Entry names by slot (the last may be `(other)`). */
  readonly actionKeys: string[];
  readonly namespaceKeys: string[];
  readonly windowKeys: string[];
  /** The table slot of each window, by window index: windows with the same [from, to) share one slot. */
  readonly windowSlots: number[];
  /** The namespace of each action entry, by slot (`(other)` for the shared one). */
  readonly actionNamespaces: string[];
  private readonly actionSlot: Int32Array;
  private readonly namespaceSlot: Int32Array;
  /** Elementary intervals: [boundaries[k], boundaries[k+1]) is covered by the windows in sets[k]. */
  private readonly boundaries: number[];
  private readonly sets: Int32Array[];

  constructor(actions: readonly BreakdownAction[], windows: readonly WindowConfig[], maxKeys = MAX_BREAKDOWN_KEYS) {
    const own = ownEntries(actions.map((a) => a.meanRatePerSec), maxKeys);
    this.actionKeys = [];
    this.actionNamespaces = [];
    this.actionSlot = new Int32Array(actions.length);
    let otherSlot = -1;
    actions.forEach((a, i) => {
      if (own[i]) {
        this.actionSlot[i] = this.actionKeys.length;
        this.actionKeys.push(a.name);
        this.actionNamespaces.push(a.namespace);
      } else {
        if (otherSlot < 0) otherSlot = -2;
        this.actionSlot[i] = -1;
      }
    });
    if (otherSlot === -2) {
      otherSlot = this.actionKeys.length;
      this.actionKeys.push(OTHER_KEY);
      this.actionNamespaces.push(OTHER_KEY);
      for (let i = 0; i < actions.length; i++) if (this.actionSlot[i] === -1) this.actionSlot[i] = otherSlot;
    }

    // Namespaces ranked by the sum of their actions' rates, in order of first appearance.
    const nsIndex = new Map<string, number>();
    const nsRates: number[] = [];
    const nsNames: string[] = [];
    for (const a of actions) {
      let k = nsIndex.get(a.namespace);
      if (k === undefined) {
        k = nsNames.length;
        nsIndex.set(a.namespace, k);
        nsNames.push(a.namespace);
        nsRates.push(0);
      }
      nsRates[k]! += a.meanRatePerSec;
    }
    const ownNs = ownEntries(nsRates, maxKeys);
    this.namespaceKeys = [];
    const nsSlotOf = new Int32Array(nsNames.length);
    nsNames.forEach((name, k) => {
      nsSlotOf[k] = ownNs[k] ? this.namespaceKeys.push(name) - 1 : -1;
    });
    if (nsSlotOf.some((s) => s < 0)) {
      const other = this.namespaceKeys.push(OTHER_KEY) - 1;
      for (let k = 0; k < nsSlotOf.length; k++) if (nsSlotOf[k]! < 0) nsSlotOf[k] = other;
    }
    this.namespaceSlot = new Int32Array(actions.length);
    actions.forEach((a, i) => {
      this.namespaceSlot[i] = nsSlotOf[nsIndex.get(a.namespace)!]!;
    });

    this.windowKeys = windows.map((w) => w.name);
    // Thirty actions bursting together give thirty identical windows: count each interval once.
    const distinct: WindowConfig[] = [];
    const slotOfInterval = new Map<string, number>();
    this.windowSlots = windows.map((w) => {
      const key = `${w.fromMs}:${w.toMs}`;
      let slot = slotOfInterval.get(key);
      if (slot === undefined) {
        slot = distinct.push(w) - 1;
        slotOfInterval.set(key, slot);
      }
      return slot;
    });
    const cuts = [...new Set(distinct.flatMap((w) => [w.fromMs, w.toMs]))].sort((a, b) => a - b);
    this.boundaries = cuts;
    this.sets = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const at = cuts[k]!;
      const members: number[] = [];
      distinct.forEach((w, j) => {
        if (w.fromMs <= at && at < w.toMs) members.push(j);
      });
      this.sets.push(Int32Array.from(members));
    }

    this.actions = new OutcomeTable(this.actionKeys.length);
    this.namespaces = new OutcomeTable(this.namespaceKeys.length);
    this.windows = new OutcomeTable(distinct.length);
  }

  // --- events (called by MetricsCollector) ------------------------------------------------------------------

  arrived(record: ActivationRecord): void {
    const a = record.actionIndex;
    this.actions.arrived[this.actionSlot[a]!]!++;
    this.namespaces.arrived[this.namespaceSlot[a]!]!++;
    const set = this.windowSetOf(record);
    if (set >= 0) for (const w of this.sets[set]!) this.windows.arrived[w]!++;
  }

  rejected(record: ActivationRecord, reason: string): void {
    const a = record.actionIndex;
    this.actions.reject(this.actionSlot[a]!, reason);
    this.namespaces.reject(this.namespaceSlot[a]!, reason);
    const set = this.windowSetOf(record);
    if (set >= 0) for (const w of this.sets[set]!) this.windows.reject(w, reason);
  }

  started(record: ActivationRecord, cold: boolean): void {
    const a = record.actionIndex;
    this.actions.start(this.actionSlot[a]!, cold);
    this.namespaces.start(this.namespaceSlot[a]!, cold);
    const set = this.windowSetOf(record);
    if (set >= 0) for (const w of this.sets[set]!) this.windows.start(w, cold);
  }

  completed(record: ActivationRecord, nowMs: number): void {
    const a = record.actionIndex;
    const as = this.actionSlot[a]!;
    const ns = this.namespaceSlot[a]!;
    this.actions.completed[as]!++;
    this.namespaces.completed[ns]!++;
    const k = this.windowSetOf(record);
    const set = k >= 0 ? this.sets[k]! : null;
    if (set !== null) for (const w of set) this.windows.completed[w]!++;
    if (!record.measured) return;
    const latency = nowMs - record.arrivalMs;
    const wait = record.execStartMs >= 0 ? record.execStartMs - record.arrivalMs : -1;
    const execution = record.execStartMs >= 0 && record.execEndMs >= 0 ? record.execEndMs - record.execStartMs : -1;
    this.actions.recordLatency(as, latency, wait, execution);
    this.namespaces.recordLatency(ns, latency, wait, execution);
    if (set !== null) for (const w of set) this.windows.recordLatency(w, latency, wait, execution);
  }

  timedOut(record: ActivationRecord): void {
    const a = record.actionIndex;
    this.actions.timedOut[this.actionSlot[a]!]!++;
    this.namespaces.timedOut[this.namespaceSlot[a]!]!++;
    const set = this.windowSetOf(record);
    if (set >= 0) for (const w of this.sets[set]!) this.windows.timedOut[w]!++;
  }

  lost(record: ActivationRecord): void {
    const a = record.actionIndex;
    this.actions.lost[this.actionSlot[a]!]!++;
    this.namespaces.lost[this.namespaceSlot[a]!]!++;
    const set = this.windowSetOf(record);
    if (set >= 0) for (const w of this.sets[set]!) this.windows.lost[w]!++;
  }

  /** The elementary interval holding the record's arrival, or -1: the last boundary at or before it. */
  private windowSetOf(record: ActivationRecord): number {
    const cuts = this.boundaries;
    if (cuts.length === 0) return -1;
    const t = record.arrivalMs;
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    return k >= 0 && k < this.sets.length && this.sets[k]!.length > 0 ? k : -1;
  }
}

/** Which keys keep an entry of their own: all when they fit, else the `maxKeys` with the highest rates. */
function ownEntries(rates: readonly number[], maxKeys: number): boolean[] {
  if (rates.length <= maxKeys) return rates.map(() => true);
  const order = rates.map((_, i) => i).sort((a, b) => rates[b]! - rates[a]! || a - b);
  const own = rates.map(() => false);
  for (let k = 0; k < maxKeys; k++) own[order[k]!] = true;
  return own;
}

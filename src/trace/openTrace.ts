/**
 * Pass 2 of a trace: a `TraceCursor` that reads the file while the simulation runs and hands out invocations
 * in arrival order.
 *
 * Row formats (azure2021, awslambda): rows arrive in the file's order (`orderSec`: end time for azure2021), not
 * in arrival order, so a small min-heap keyed by (arrival, line) holds the rows read ahead; the smallest is
 * released once the largest order key read is `reorderWindow` past it (no later row can start earlier unless it
 * ran longer than the window), or at the end of the file. A row that would arrive before one already replayed
 * is a TraceError naming its line. Clock: azure2021 timestamps are seconds from the trace's start, used as
 * they are; awslambda timestamps are epoch seconds, shifted so the first row arrives at 0. A start before 0 is
 * replayed at 0.
 *
 * azure2019: the sparse per-minute counts are loaded (src/trace/azure2019.ts), then each minute's invocations are
 * drawn (n uniform instants per function from `workload/<action>/arrivals`), sorted by (time, action) and handed
 * out; the next minute is generated when this one is used up. Run times: NaN, so the workload draws each from
 * the action's percentile distribution (`workload/<action>/duration`).
 */
import { TraceError } from '../errors.js';
import type { Rng } from '../sim/rng.js';
import { scanAzure2019Invocations } from './azure2019.js';
import { openRows, type RowSource } from './rows.js';
import type { TraceCursor, TraceFormat, TraceInvocation } from './TraceCursor.js';

/** What the replay needs of a scenario's `workload.trace` (the resolved TraceConfig has these fields). */
export interface TraceSource {
  file: string;
  format: TraceFormat;
  /** Out-of-order tolerance of rows sorted by another key (azure2021: end time). */
  reorderWindowMs: number;
  /** Index in `workload.actions` of the first traced function's action. */
  firstAction: number;
  /** The trace's key of each traced function, in action order. */
  functions: readonly string[];
}

const MINUTE_MS = 60_000;

interface Pending {
  actionIndex: number;
  arrivalMs: number;
  durationMs: number;
  line: number;
}

function before(a: Pending, b: Pending): boolean {
  return a.arrivalMs < b.arrivalMs || (a.arrivalMs === b.arrivalMs && a.line < b.line);
}

/** A binary min-heap of pending rows. */
class RowHeap {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(p: Pending): void {
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): Pending {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

class RowCursor implements TraceCursor {
  private readonly heap = new RowHeap();
  private readonly actionOf: Map<string, number>;
  private readonly out: TraceInvocation = { actionIndex: 0, arrivalMs: 0, durationMs: 0 };
  private originSec: number | undefined;
  private maxOrderMs = -Infinity;
  private lastArrivalMs = -Infinity;
  private exhausted = false;

  constructor(
    private readonly rows: RowSource,
    private readonly trace: TraceSource,
  ) {
    this.actionOf = new Map(trace.functions.map((key, i) => [key, trace.firstAction + i]));
    this.originSec = trace.format === 'azure2021' ? 0 : undefined;
  }

  next(): TraceInvocation | null {
    while (!this.exhausted) {
      const top = this.heap.peek();
      if (top !== undefined && top.arrivalMs <= this.maxOrderMs - this.trace.reorderWindowMs) break;
      this.readRow();
    }
    if (this.heap.size === 0) return null;
    const p = this.heap.pop();
    if (p.arrivalMs < this.lastArrivalMs) {
      throw new TraceError(`row arrives at ${p.arrivalMs / 1000} s, before a row already replayed (${this.lastArrivalMs / 1000} s)`, {
        file: this.rows.file,
        line: p.line,
        expected: `rows in order, or out of order by at most workload.trace.reorderWindow (${this.trace.reorderWindowMs} ms)`,
      });
    }
    this.lastArrivalMs = p.arrivalMs;
    this.out.actionIndex = p.actionIndex;
    this.out.arrivalMs = p.arrivalMs;
    this.out.durationMs = p.durationMs;
    return this.out;
  }

  private readRow(): void {
    const row = this.rows.next();
    if (row === null) {
      this.exhausted = true;
      return;
    }
    this.originSec ??= row.arrivalSec;
    const actionIndex = this.actionOf.get(row.key);
    if (actionIndex === undefined) {
      throw new TraceError('a function that was not in the trace when the scenario loaded (did the file change?)', { file: this.rows.file, line: row.line, got: row.key });
    }
    const arrivalMs = Math.max(0, (row.arrivalSec - this.originSec) * 1000);
    this.maxOrderMs = Math.max(this.maxOrderMs, (row.orderSec - this.originSec) * 1000);
    this.heap.push({ actionIndex, arrivalMs, durationMs: row.durationMs, line: row.line });
  }

  close(): void {
    this.exhausted = true;
    this.rows.close();
  }
}

class Azure2019Cursor implements TraceCursor {
  /** Non-zero (minute, action, count) triples, sorted by minute then action. */
  private readonly minutes: Int32Array;
  private readonly actions: Int32Array;
  private readonly counts: Int32Array;
  private readonly streams: Rng[];
  private position = 0;
  private buffer: { actionIndex: number; arrivalMs: number }[] = [];
  private bufferIndex = 0;
  private readonly out: TraceInvocation = { actionIndex: 0, arrivalMs: 0, durationMs: NaN };

  constructor(trace: TraceSource, rng: (name: string) => Rng, actionNames: readonly string[]) {
    const functionIndex = new Map(trace.functions.map((key, i) => [key, i]));
    const perFunction: { minutes: number[]; counts: number[] }[] = trace.functions.map(() => ({ minutes: [], counts: [] }));
    scanAzure2019Invocations(trace.file, (key, ms, cs) => {
      const i = functionIndex.get(key);
      if (i === undefined) throw new TraceError('a function that was not in the trace when the scenario loaded (did the file change?)', { file: trace.file, got: key });
      const f = perFunction[i]!;
      f.minutes.push(...ms);
      f.counts.push(...cs);
    });
    const triples: [number, number, number][] = [];
    perFunction.forEach((f, i) => f.minutes.forEach((m, k) => triples.push([m, i, f.counts[k]!])));
    triples.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.minutes = Int32Array.from(triples, (t) => t[0]);
    this.actions = Int32Array.from(triples, (t) => t[1]);
    this.counts = Int32Array.from(triples, (t) => t[2]);
    this.streams = trace.functions.map((_, i) => rng(`workload/${actionNames[trace.firstAction + i]}/arrivals`));
    this.firstAction = trace.firstAction;
  }

  private readonly firstAction: number;

  next(): TraceInvocation | null {
    while (this.bufferIndex >= this.buffer.length) {
      if (this.position >= this.minutes.length) return null;
      this.fillMinute();
    }
    const b = this.buffer[this.bufferIndex++]!;
    this.out.actionIndex = b.actionIndex;
    this.out.arrivalMs = b.arrivalMs;
    return this.out;
  }

  private fillMinute(): void {
    const minute = this.minutes[this.position]!;
    const buffer: { actionIndex: number; arrivalMs: number }[] = [];
    while (this.position < this.minutes.length && this.minutes[this.position] === minute) {
      const f = this.actions[this.position]!;
      const rng = this.streams[f]!;
      for (let k = this.counts[this.position]!; k > 0; k--) {
        buffer.push({ actionIndex: this.firstAction + f, arrivalMs: (minute + rng.nextFloat()) * MINUTE_MS });
      }
      this.position++;
    }
    buffer.sort((a, b) => a.arrivalMs - b.arrivalMs || a.actionIndex - b.actionIndex);
    this.buffer = buffer;
    this.bufferIndex = 0;
  }

  close(): void {
    this.position = this.minutes.length;
    this.buffer = [];
  }
}

/** Opens the replay of a resolved trace. `actionNames`: every action's name, in catalog order. */
export function openTraceCursor(trace: TraceSource, rng: (name: string) => Rng, actionNames: readonly string[]): TraceCursor {
  if (trace.format === 'azure2019') return new Azure2019Cursor(trace, rng, actionNames);
  return new RowCursor(openRows(trace.format, trace.file), trace);
}


/**
 * Row readers of the per-invocation trace formats. Each yields `TraceRow`s in file order:
 *
 * - `azure2021` (Azure Functions 2021, Zhang et al. SOSP'21): columns app, func, end_timestamp [s], duration [s].
 *   The function is `app/func`; the invocation starts at end − duration. The file is ordered by end time, so
 *   `orderSec` is the end.
 * - `awslambda` (PACS Lab request logs): one function per file (its key is the file's base name); arrival =
 *   client_start_time [epoch s], run time = aws_duration [ms]. The load generator logs a request when it
 *   returns, so rows are nearly but not exactly in arrival order; `orderSec` is client_end_time when present.
 *
 * The row object is reused: copy what you keep.
 */
import { basename, extname } from 'node:path';
import type { TraceFormat } from './TraceCursor.js';
import { CsvTable } from './csvTable.js';

export interface TraceRow {
  /** The function's key in the trace. */
  key: string;
  /** Arrival in the trace's clock, seconds. */
  arrivalSec: number;
  /** The file's ordering key, seconds: arrivals are at most the reorder window behind the largest seen. */
  orderSec: number;
  durationMs: number;
  line: number;
}

export interface RowSource {
  readonly file: string;
  next(): TraceRow | null;
  close(): void;
}

export function awsFunctionKey(file: string): string {
  return basename(file, extname(file));
}

class Azure2021Rows implements RowSource {
  private readonly table: CsvTable;
  private readonly cols: number[];
  private readonly row: TraceRow = { key: '', arrivalSec: 0, orderSec: 0, durationMs: 0, line: 0 };

  constructor(readonly file: string) {
    this.table = new CsvTable(file, ['app', 'func', 'end_timestamp', 'duration'], 'azure2021');
    this.cols = ['app', 'func', 'end_timestamp', 'duration'].map((c) => this.table.column(c));
  }

  next(): TraceRow | null {
    const t = this.table;
    if (!t.next()) return null;
    const [app, func, end, duration] = this.cols as [number, number, number, number];
    const endSec = t.number(end, 'end_timestamp');
    const durationSec = t.number(duration, 'duration', { min: 0 });
    const r = this.row;
    r.key = `${t.text(app, 'app')}/${t.text(func, 'func')}`;
    r.arrivalSec = endSec - durationSec;
    r.orderSec = endSec;
    r.durationMs = durationSec * 1000;
    r.line = t.line;
    return r;
  }

  close(): void {
    this.table.close();
  }
}

class AwsLambdaRows implements RowSource {
  private readonly table: CsvTable;
  private readonly start: number;
  private readonly end: number;
  private readonly duration: number;
  private readonly key: string;
  private readonly row: TraceRow = { key: '', arrivalSec: 0, orderSec: 0, durationMs: 0, line: 0 };

  constructor(readonly file: string) {
    this.table = new CsvTable(file, ['client_start_time', 'aws_duration'], 'awslambda');
    this.start = this.table.column('client_start_time');
    this.end = this.table.column('client_end_time');
    this.duration = this.table.column('aws_duration');
    this.key = awsFunctionKey(file);
  }

  next(): TraceRow | null {
    const t = this.table;
    if (!t.next()) return null;
    const r = this.row;
    r.key = this.key;
    r.arrivalSec = t.number(this.start, 'client_start_time');
    r.orderSec = this.end >= 0 ? Math.max(r.arrivalSec, t.number(this.end, 'client_end_time')) : r.arrivalSec;
    r.durationMs = t.number(this.duration, 'aws_duration', { min: 0 });
    r.line = t.line;
    return r;
  }

  close(): void {
    this.table.close();
  }
}

export function openRows(format: Exclude<TraceFormat, 'azure2019'>, file: string): RowSource {
  return format === 'azure2021' ? new Azure2021Rows(file) : new AwsLambdaRows(file);
}

/**
 * The Azure Functions 2019 trace (Shahrad et al., ATC'20), three CSV files per day:
 *
 * - invocations (`invocations_per_function_md.anon.dNN.csv`): HashOwner, HashApp, HashFunction, Trigger, then
 *   one column per minute of the day named 1..1440 holding that minute's invocation count;
 * - durations (`function_durations_percentiles.anon.dNN.csv`, optional): HashOwner, HashApp, HashFunction,
 *   …, percentile_Average_0, _1, _25, _50, _75, _99, _100 in milliseconds;
 * - memory (`app_memory_percentiles.anon.dNN.csv`, optional): HashOwner, HashApp, …, AverageAllocatedMb.
 *
 * A function is `owner/app/func`; a function listed on several rows (one per trigger) has its counts added.
 * Replay spreads each minute's n invocations as a Poisson process conditioned on n events: n uniform instants
 * in the minute (stream `workload/<action>/arrivals`). The count matrix is held sparsely (non-zero minutes
 * only); the invocations themselves are generated one minute at a time.
 */
import type { DistributionSpec } from '../sim/distributions.js';
import { CsvTable } from './csvTable.js';

export const AZURE2019_MINUTES = 1440;
const ID_COLUMNS = ['HashOwner', 'HashApp', 'HashFunction'] as const;
const PERCENTILES = [0, 1, 25, 50, 75, 99, 100] as const;
/** Run time of a function the durations file does not list (or when there is no durations file). */
export const AZURE2019_DEFAULT_DURATION_MS = 1000;

function minuteColumns(table: CsvTable): [number, number][] {
  const out: [number, number][] = [];
  for (let m = 1; m <= AZURE2019_MINUTES; m++) {
    const c = table.column(String(m));
    if (c >= 0) out.push([m - 1, c]);
  }
  return out;
}

function openInvocations(file: string): CsvTable {
  return new CsvTable(file, [...ID_COLUMNS, '1'], 'azure2019');
}

function idOf(table: CsvTable, cols: number[]): string {
  return `${table.text(cols[0]!, 'HashOwner')}/${table.text(cols[1]!, 'HashApp')}/${table.text(cols[2]!, 'HashFunction')}`;
}

/** One call per row with the function key and its non-zero (minute, count) pairs; every row is checked. */
export function scanAzure2019Invocations(file: string, onRow: (key: string, minutes: number[], counts: number[]) => void): void {
  const table = openInvocations(file);
  try {
    const ids = ID_COLUMNS.map((c) => table.column(c));
    const minutes = minuteColumns(table);
    while (table.next()) {
      const key = idOf(table, ids);
      const ms: number[] = [];
      const cs: number[] = [];
      for (const [minute, column] of minutes) {
        const n = table.number(column, String(minute + 1), { min: 0 });
        if (!Number.isInteger(n)) throw table.error(`minute ${minute + 1} count is not a whole number`, 'whole invocation counts', String(n));
        if (n > 0) {
          ms.push(minute);
          cs.push(n);
        }
      }
      onRow(key, ms, cs);
    }
  } finally {
    table.close();
  }
}

/** Function key → an empirical run-time distribution from the durations file's percentiles (ms). */
export function readAzure2019Durations(file: string, wanted: ReadonlySet<string>): Map<string, DistributionSpec> {
  const columns = PERCENTILES.map((p) => `percentile_Average_${p}`);
  const table = new CsvTable(file, [...ID_COLUMNS, ...columns], 'azure2019 durations');
  const out = new Map<string, DistributionSpec>();
  try {
    const ids = ID_COLUMNS.map((c) => table.column(c));
    const cols = columns.map((c) => table.column(c));
    while (table.next()) {
      const key = idOf(table, ids);
      if (!wanted.has(key) || out.has(key)) continue;
      let previous = 0;
      const points = PERCENTILES.map((p, i) => {
        const value = Math.max(previous, table.number(cols[i]!, columns[i]!, { min: 0 }));
        previous = value;
        return { p: p / 100, value };
      });
      out.set(key, { dist: 'empirical', points });
    }
  } finally {
    table.close();
  }
  return out;
}

/** `owner/app` → average allocated memory in MB, from the memory file. */
export function readAzure2019Memory(file: string): Map<string, number> {
  const table = new CsvTable(file, ['HashOwner', 'HashApp', 'AverageAllocatedMb'], 'azure2019 memory');
  const out = new Map<string, number>();
  try {
    const owner = table.column('HashOwner');
    const app = table.column('HashApp');
    const mb = table.column('AverageAllocatedMb');
    while (table.next()) {
      const key = `${table.text(owner, 'HashOwner')}/${table.text(app, 'HashApp')}`;
      if (!out.has(key)) out.set(key, table.number(mb, 'AverageAllocatedMb', { min: 0 }));
    }
  } finally {
    table.close();
  }
  return out;
}

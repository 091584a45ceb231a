/**
 * timeseries.csv: one row per sample instant, one column per series, as the run's `TimeSeries` lists them.
 * Numbers are printed by `formatCsvNumber` (fixed decimals, trailing zeros trimmed, never an exponent), so the
 * file is byte-identical for the same scenario and seed and diffs cleanly between runs.
 */
import { stringify } from 'csv-stringify/sync';
import { assert } from '../sim/assert.js';
import { formatCsvNumber } from './format.js';
import type { Reporter } from './Reporter.js';
import type { RunOutput, TimeSeries } from './types.js';
import { writeReportFile } from './writeFile.js';

export const TIMESERIES_CSV_FILE = 'timeseries.csv';
/** Decimal places kept in the CSV; 1 µs on millisecond columns. */
export const CSV_DECIMALS = 6;

export function renderTimeSeriesCsv(timeseries: TimeSeries): string {
  const width = timeseries.columns.length;
  const records: string[][] = [timeseries.columns.slice()];
  for (let i = 0; i < timeseries.rows.length; i++) {
    const row = timeseries.rows[i]!;
    assert(row.length === width, `timeseries row ${i} has ${row.length} cells, expected ${width}`);
    const cells = new Array<string>(width);
    for (let c = 0; c < width; c++) cells[c] = formatCsvNumber(row[c]!, CSV_DECIMALS);
    records.push(cells);
  }
  return stringify(records, { record_delimiter: '\n' });
}

export const TimeSeriesCsvReporter: Reporter = {
  name: 'csv',
  write(output: RunOutput, dir: string): string[] {
    return [writeReportFile(dir, TIMESERIES_CSV_FILE, renderTimeSeriesCsv(output.timeseries))];
  },
};

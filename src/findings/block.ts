/** One generated block of docs/findings.md: the runs it needs and how their results become its text. */
import type { RunOutput } from '../report/types.js';

export interface FindingRun {
  /** Scenario file, relative to the package root. */
  scenario: string;
  /** `--set` overrides, as on the command line. */
  set?: readonly string[];
  /** The row's name where a block shows one row per run. */
  label?: string;
}

export interface FindingsBlock {
  id: string;
  /**
   * Cheap blocks (a few seconds of runs in all) are recomputed by the test suite; the others only by
   * `npm run findings -- --check`.
   */
  cheap: boolean;
  runs: readonly FindingRun[];
  /** The block's text (markdown, ending with a newline) from the outputs of `runs`, in order. */
  render(outputs: readonly RunOutput[], runs: readonly FindingRun[]): string;
}

/** A value of a run's time series at the sample nearest `atMs`. */
export function seriesAt(out: RunOutput, column: string, atMs: number): number {
  const ts = out.timeseries;
  const c = ts.columns.indexOf(column);
  if (c < 0) throw new Error(`time series has no column ${column}`);
  let best = ts.rows[0]!;
  for (const row of ts.rows) if (Math.abs(row[0]! - atMs) < Math.abs(best[0]! - atMs)) best = row;
  return best[c]!;
}

/** One table row per run: the run's label, then the cells computed from its output. */
export function labelledRows(runs: readonly FindingRun[], outs: readonly RunOutput[], cells: (out: RunOutput) => string[]): string[][] {
  return outs.map((out, i) => [runs[i]!.label ?? '', ...cells(out)]);
}

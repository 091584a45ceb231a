/** One generated block of docs/findings.md: the runs it needs and how their results become its text. */
import { meanSummary, type MultiSeedSummary } from '../report/multiseed.js';
import type { RunOutput } from '../report/types.js';

export interface FindingRun {
  /** Scenario file, relative to the package root. */
  scenario: string;
  /** `--set` overrides, as on the command line. */
  set?: readonly string[];
  /** The seed, where not the scenario's own (`owsim run --seed`). */
  seed?: number;
  /** The row's name where a block shows one row per run. */
  label?: string;
}

/** The run on seeds first, first+1, …, as `owsim run --seeds <count>` runs them (the scenario's seed first). */
export function onSeeds(run: FindingRun, count: number, first = 1): FindingRun[] {
  return Array.from({ length: count }, (_, i) => ({ ...run, seed: first + i }));
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

/** The summary of means of consecutive groups of `size` outputs (`owsim run --seeds size` writes it as summary.json). */
export function seedMeans(outs: readonly RunOutput[], size: number): MultiSeedSummary[] {
  const means: MultiSeedSummary[] = [];
  for (let i = 0; i < outs.length; i += size) means.push(meanSummary(outs.slice(i, i + size).map((o) => o.summary)));
  return means;
}

/**
 * Writes a run's reports into one folder: the selected reporters in `ReportersMap` order, then run-info.json
 * when the output carries run info. `writeResolvedScenario` writes scenario.resolved.json, which the CLI does
 * before the run starts so the exact input is on disk even if the run fails.
 */
import { RunInfoReporter } from './RunInfoReporter.js';
import { ReportersMap, reporterNames, type ReporterName } from './reporters.js';
import type { RunOutput } from './types.js';
import { ensureDir, writeReportFile } from './writeFile.js';

export const RESOLVED_SCENARIO_FILE = 'scenario.resolved.json';

/** Returns the files written, in order. `names` defaults to every reporter; duplicates are written once. */
export function writeReports(output: RunOutput, dir: string, names: readonly ReporterName[] = reporterNames): string[] {
  ensureDir(dir);
  const files: string[] = [];
  for (const name of reporterNames) {
    if (!names.includes(name)) continue;
    files.push(...ReportersMap[name].write(output, dir));
  }
  files.push(...RunInfoReporter.write(output, dir));
  return files;
}

export function renderResolvedScenario(resolved: unknown): string {
  return `${JSON.stringify(resolved, null, 2)}\n`;
}

export function writeResolvedScenario(dir: string, resolved: unknown): string {
  ensureDir(dir);
  return writeReportFile(dir, RESOLVED_SCENARIO_FILE, renderResolvedScenario(resolved));
}

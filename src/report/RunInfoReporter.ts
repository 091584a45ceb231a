/**
 * run-info.json: how this particular run went on this machine: wall time, speed, versions, start timestamp. It
 * is the only output allowed to differ between two runs of the same scenario and seed, and comparisons ignore
 * it. The CLI measures the wall clock and calls `makeRunInfo`; nothing else in owsim reads it.
 */
import type { Reporter } from './Reporter.js';
import type { RunInfo, RunOutput, Summary } from './types.js';
import { writeReportFile } from './writeFile.js';

export const RUN_INFO_FILE = 'run-info.json';

export interface RunInfoInput {
  owsimVersion: string;
  wallMs: number;
  startedAt: Date;
  summary: Summary;
}

export function makeRunInfo(input: RunInfoInput): RunInfo {
  const wallSeconds = input.wallMs / 1000;
  const perSecond = (n: number): number => (wallSeconds > 0 ? Math.round(n / wallSeconds) : 0);
  return {
    owsimVersion: input.owsimVersion,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    wallMs: Math.round(input.wallMs),
    eventsPerSec: perSecond(input.summary.events),
    activationsPerSec: perSecond(input.summary.activations.arrived),
    startedAt: input.startedAt.toISOString(),
  };
}

export function renderRunInfo(info: RunInfo): string {
  return `${JSON.stringify(info, null, 2)}\n`;
}

/** Writes run-info.json when the output carries run info (the CLI fills it; library callers may not). */
export const RunInfoReporter: Reporter = {
  name: 'run-info',
  write(output: RunOutput, dir: string): string[] {
    if (!output.runInfo) return [];
    return [writeReportFile(dir, RUN_INFO_FILE, renderRunInfo(output.runInfo))];
  },
};

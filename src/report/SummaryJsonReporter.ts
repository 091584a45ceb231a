/**
 * summary.json: the machine-readable contract thresholds and comparisons read. Keys keep the order in which the
 * run produced them (the `Summary` object is built in a fixed order), printed as two-space JSON with a final
 * newline. Same scenario and seed, same bytes.
 */
import type { Reporter } from './Reporter.js';
import type { RunOutput, Summary } from './types.js';
import { writeReportFile } from './writeFile.js';

export const SUMMARY_JSON_FILE = 'summary.json';

export function renderSummaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

export const SummaryJsonReporter: Reporter = {
  name: 'json',
  write(output: RunOutput, dir: string): string[] {
    return [writeReportFile(dir, SUMMARY_JSON_FILE, renderSummaryJson(output.summary))];
  },
};

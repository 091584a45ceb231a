/**
 * The reporters `--report` can select. `keyof typeof ReportersMap` is the type of that flag, so adding a
 * reporter here is all it takes to make it selectable. run-info.json and
 * scenario.resolved.json are not in the map: every run writes them.
 */
import { HtmlReporter } from './HtmlReporter.js';
import { REPORTER_NAMES, type ReporterName } from './reporterNames.js';
import { MarkdownReporter } from './MarkdownReporter.js';
import { PngReporter } from './PngReporter.js';
import type { Reporter } from './Reporter.js';
import { SummaryJsonReporter } from './SummaryJsonReporter.js';
import { TimeSeriesCsvReporter } from './TimeSeriesCsvReporter.js';

export const ReportersMap = {
  json: SummaryJsonReporter,
  csv: TimeSeriesCsvReporter,
  md: MarkdownReporter,
  png: PngReporter,
  html: HtmlReporter,
} as const satisfies Record<ReporterName, Reporter>;

export type { ReporterName };

/** Every selectable reporter, in REPORTER_NAMES order: the default of `--report`. */
export const reporterNames: ReporterName[] = [...REPORTER_NAMES];

export function isReporterName(name: string): name is ReporterName {
  return Object.prototype.hasOwnProperty.call(ReportersMap, name);
}

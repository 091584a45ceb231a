/**
 * The names `--report` accepts, apart from the reporters themselves (reporters.ts), so the command line can
 * list them without loading the chart and canvas code. reporters.ts checks its map against this list.
 */
export const REPORTER_NAMES = ['json', 'csv', 'md', 'png', 'html'] as const;

export type ReporterName = (typeof REPORTER_NAMES)[number];

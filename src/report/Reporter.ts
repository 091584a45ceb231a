/**
 * The one interface every report format implements (JSON, CSV, Markdown now; PNG and HTML later). A reporter
 * turns a `RunOutput` into files in a directory that already exists and returns the paths it wrote. Reporters
 * are stateless: the same output always yields the same bytes (run-info.json, which records the wall clock, is
 * the one file allowed to differ between identical runs).
 */
import type { RunOutput } from './types.js';

export interface Reporter {
  /** The name `--report` selects it by. */
  readonly name: string;
  /** Writes this reporter's files into `dir` and returns their paths, in the order written. */
  write(output: RunOutput, dir: string): string[];
}

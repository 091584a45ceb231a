/**
 * charts/*.png: every chart with data (charts/index.ts), 1200×600 px, one file each. A chart whose columns the
 * run did not produce is skipped, so the set of files depends on the scenario (no overflow chart without an
 * overflow episode).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileError } from '../errors.js';
import { renderCharts } from './charts/index.js';
import type { Reporter } from './Reporter.js';
import type { RunOutput } from './types.js';
import { ensureDir } from './writeFile.js';

export const CHARTS_DIR = 'charts';

export function writeBinaryReportFile(dir: string, name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  try {
    writeFileSync(file, bytes);
  } catch (err) {
    throw new FileError('cannot write report file', { file, got: err instanceof Error ? err.message : String(err) });
  }
  return file;
}

export const PngReporter: Reporter = {
  name: 'png',
  write(output: RunOutput, dir: string): string[] {
    const charts = renderCharts(output);
    if (charts.length === 0) return [];
    const chartsDir = join(dir, CHARTS_DIR);
    ensureDir(chartsDir);
    return charts.map((c) => writeBinaryReportFile(chartsDir, c.file, c.png));
  },
};

/**
 * Keeping stale activation messages as rows (Partition.ts, StaleRows.ts) changes memory only: the overload
 * benchmark cut short, with timeouts short enough that forced timeouts leave thousands of stale messages in the
 * invoker topics, gives byte-identical reports (summary, time series, activations CSV) with spilling forced from
 * the first stale message and with spilling off.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import type { KafkaBroker } from '../../src/model/kafka/KafkaBroker.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'owsim-stale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const overrides = ['duration=40s', 'warmup=5s', 'drain=0s', 'controllers.timeoutGrace=1s', ...[0, 1, 2, 3, 4, 5].map((i) => `workload.actions.${i}.timeout=3s`)];

function staleRows(broker: KafkaBroker): number {
  let rows = 0;
  for (const name of broker.topicNames()) for (const p of broker.topicFor(name).partitions) rows += p.staleRowCount;
  return rows;
}

function run(threshold: number | null) {
  const csv = join(dir, `activations-${threshold}.csv`);
  let broker: KafkaBroker | null = null;
  let maxRows = 0;
  const out = runScenario(loadScenarioFile(`${root}scenarios/bench/overload.yaml`, overrides), {
    checks: false,
    activationsCsvPath: csv,
    instrument: (parts) => {
      broker = parts.broker;
      parts.broker.setStaleSpillThreshold(threshold);
    },
    onProgress: () => {
      maxRows = Math.max(maxRows, staleRows(broker!));
    },
  });
  return { summary: JSON.stringify(out.summary), timeseries: JSON.stringify(out.timeseries), csv: readFileSync(csv, 'utf8'), maxRows };
}

describe('stale messages as rows', () => {
  it('give byte-identical reports with spilling forced and off', () => {
    const forced = run(0);
    const off = run(null);
    // The scenario must leave stale messages behind, or the comparison would prove nothing.
    expect(forced.maxRows).toBeGreaterThan(5_000);
    expect(off.maxRows).toBe(0);
    expect(forced.summary).toBe(off.summary);
    expect(forced.timeseries).toBe(off.timeseries);
    expect(forced.csv).toBe(off.csv);
  }, 120_000);
});

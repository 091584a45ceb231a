import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivationRecord } from '../../src/model/ActivationRecord.js';
import { ACTIVATIONS_CSV_COLUMNS, ActivationsCsvWriter } from '../../src/report/ActivationsCsvWriter.js';
import { runScenario } from '../../src/runScenario.js';
import { parseScenarioText } from '../../src/scenario/load.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'owsim-csv-'));
  dirs.push(d);
  return d;
}

// No drain: the run ends with activations in flight, which get rows too.
const scenario = `
name: csv
duration: 20s
drain: 0s
warmup: 2s
invokers: { count: 2, userMemory: 1GB }
controllers: { limits: { concurrentInvocations: 20 } }
workload:
  actions:
    - { name: guest/a, memory: 256MB, duration: { dist: lognormal, median: 300ms, p99: 3s }, arrivals: 30/s }
    - { name: other/b, namespace: team, memory: 256MB, duration: 80ms, arrivals: 5/s }
report: { activationsCsv: true }
`;

describe('activations.csv', () => {
  it('has one row per activation whose outcomes add up to the summary', () => {
    const path = join(tmp(), 'activations.csv');
    const { summary } = runScenario(parseScenarioText(scenario, 'csv.yaml'), { activationsCsvPath: path });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(ACTIVATIONS_CSV_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(summary.activations.arrived);
    expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length);
    const count = (outcome: string) => rows.filter((r) => r[10] === outcome).length;
    expect(count('completed')).toBe(summary.activations.completed);
    expect(count('rejected')).toBe(summary.activations.rejected);
    expect(count('timedOut')).toBe(summary.activations.timedOut);
    expect(count('lost')).toBe(summary.activations.lost);
    expect(count('inFlight')).toBe(summary.activations.inFlight);
    expect(summary.activations.inFlight).toBeGreaterThan(0);
    expect(summary.activations.rejected).toBeGreaterThan(0);
    // The invoking namespace, the reason of a rejection, blank times for what never happened.
    expect(rows.find((r) => r[1] === 'other/b')![2]).toBe('team');
    const rejected = rows.find((r) => r[10] === 'rejected')!;
    expect(rejected[11]).toBe('throttledConcurrent');
    expect(rejected[6]).toBe('');
    const completed = rows.filter((r) => r[10] === 'completed');
    expect(rows.filter((r) => r[13] === 'true' && r[9] === 'true').length).toBe(summary.coldStarts.count);
    for (const r of completed) expect(Number(r[8])).toBeGreaterThanOrEqual(Number(r[7]));
  });

  it('is the same bytes on a second run, and absent unless asked for', () => {
    const a = join(tmp(), 'a.csv');
    const b = join(tmp(), 'b.csv');
    runScenario(parseScenarioText(scenario, 'csv.yaml'), { activationsCsvPath: a });
    runScenario(parseScenarioText(scenario, 'csv.yaml'), { activationsCsvPath: b });
    expect(readFileSync(a)).toEqual(readFileSync(b));
    const dir = tmp();
    runScenario(parseScenarioText(scenario, 'csv.yaml'));
    expect(existsSync(join(dir, 'activations.csv'))).toBe(false);
  });

  it('streams: rows reach the disk before the run ends', () => {
    const path = join(tmp(), 'stream.csv');
    const writer = new ActivationsCsvWriter(path, ['guest/a'], ['guest']);
    for (let i = 0; i < 20_000; i++) {
      const r = new ActivationRecord(i, 0, i, true, 10, false, 0);
      r.resolve(1, i + 5);
      writer.write(r);
    }
    expect(statSync(path).size).toBeGreaterThan(256 * 1024);
    writer.close([]);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(20_001);
  });
});

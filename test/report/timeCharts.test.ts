/** Heap and arrivals-vs-completions charts, and burst windows shaded beside faults (issue 16 item 12). */
import { describe, expect, it } from 'vitest';
import { CHARTS, renderCharts } from '../../src/report/charts/index.js';
import { heapChart } from '../../src/report/charts/heapChart.js';
import { throughputChart } from '../../src/report/charts/throughputChart.js';
import { faultIntervals } from '../../src/report/charts/timeChart.js';
import type { RunOutput } from '../../src/report/types.js';
import { chartRunOutput } from './chartFixtures.js';

/** The chart fixture without the columns `drop` starts with. */
function without(base: RunOutput, drop: RegExp): RunOutput {
  const keep = base.timeseries.columns.map((c, i) => (drop.test(c) ? -1 : i)).filter((i) => i >= 0);
  return { ...base, timeseries: { columns: keep.map((i) => base.timeseries.columns[i]!), rows: base.timeseries.rows.map((r) => keep.map((i) => r[i]!)) } };
}

function withStoreColumns(base: RunOutput): RunOutput {
  return {
    ...base,
    resolvedScenario: {
      durationMs: 60_000,
      invokers: { heap: { limitMb: 1024, baseMb: 300 } },
      workload: {
        actions: [
          { name: 'guest/a', arrivals: { process: 'burst', ratePerSec: 1, burstRatePerSec: 9, atMs: 20_000, forMs: 10_000 } },
          { name: 'guest/b', arrivals: { process: 'burst', ratePerSec: 1, burstRatePerSec: 9, atMs: 20_000, forMs: 10_000 } },
          { name: 'guest/c', arrivals: { process: 'poisson', ratePerSec: 1 } },
        ],
      },
    },
  };
}

describe('time charts', () => {
  it('draws the heap and arrivals-vs-completions charts when their columns exist, and skips them otherwise', () => {
    const out = withStoreColumns(chartRunOutput());
    expect(heapChart(out)!.subarray(1, 4).toString()).toBe('PNG');
    expect(throughputChart(out)!.subarray(1, 4).toString()).toBe('PNG');
    expect(renderCharts(out).map((c) => c.file)).toEqual(expect.arrayContaining(['invoker-heap.png', 'arrivals-completions.png']));
    const plain = without(chartRunOutput(), /^(arrived|completed|heapMb\.)/);
    expect(heapChart(plain)).toBeNull();
    expect(throughputChart(plain)).toBeNull();
    expect(CHARTS.map((c) => c.file)).toContain('invoker-heap.png');
  });

  it('shades every burst window (one band for actions sharing it) as well as every fault', () => {
    const out = withStoreColumns(chartRunOutput());
    const withFault: RunOutput = {
      ...out,
      summary: {
        ...out.summary,
        faults: [
          { kind: 'invoker-crash', target: 'invoker1', atMs: 40_000, forMs: 5_000, healedAtMs: 45_000, parameters: {}, during: { arrived: 0, completed: 0, timedOut: 0, rejected: 0, lost: 0 }, effect: {}, description: 'x' },
        ],
      },
    };
    expect(faultIntervals(withFault, 70)).toEqual([
      { from: 20, to: 30, label: 'burst (2 actions)', kind: 'burst' },
      { from: 40, to: 45, label: 'invoker-crash invoker1', kind: 'fault' },
    ]);
  });
});

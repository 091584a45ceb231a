/** Capacity charts: the threshold line, the point plan would choose, a log axis over wide ranges (issue 16 item 11). */
import { describe, expect, it } from 'vitest';
import { capacityChartConfigs, renderCapacityCharts, smallestMeeting, wantsLogAxis } from '../../src/sweep/capacity.js';
import { HEADLINE_METRICS } from '../../src/report/summaryPaths.js';
import type { SweepOutcome } from '../../src/sweep/runSweep.js';

const P99 = HEADLINE_METRICS.findIndex(([m]) => m === 'latencyMs.p99');

function outcome(p99s: number[], thresholds?: Record<string, string>): SweepOutcome {
  const values = ['2', '3', '4', '6', '8'].slice(0, p99s.length);
  return {
    scenario: 'cap',
    parameters: ['invokers.count'],
    points: values.map((v, index) => ({ index, values: [v], overrides: [`invokers.count=${v}`] })),
    seeds: [1],
    results: p99s.map((p99, i) => {
      const metrics = HEADLINE_METRICS.map(() => 1);
      metrics[P99] = p99;
      return { index: i, point: i, seed: 1, metrics, thresholdsOk: true, extra: [] };
    }),
    ...(thresholds ? { thresholds } : {}),
  };
}

describe('capacity charts', () => {
  it('picks, per line, the first value from which the threshold holds for good', () => {
    const c = { operator: '<' as const, value: 4000 };
    expect(smallestMeeting([{ x: 2, y: 9000 }, { x: 3, y: 3000 }, { x: 4, y: 5000 }, { x: 6, y: 2000 }], c)).toEqual({ x: 6, y: 2000 });
    expect(smallestMeeting([{ x: 2, y: 9000 }, { x: 3, y: 3000 }], c)).toEqual({ x: 3, y: 3000 });
    expect(smallestMeeting([{ x: 2, y: 9000 }], c)).toBeUndefined();
  });

  it('draws the scenario threshold, marks the chosen point, and goes logarithmic over more than two decades', () => {
    const o = outcome([150_000, 45_000, 1_500, 1_200, 1_400], { 'latencyMs.p99': '< 4000' });
    const { config } = capacityChartConfigs(o, ['latencyMs.p99'])[0]!;
    const labels = config.data.datasets.map((d) => d.label);
    expect(labels).toContain('threshold < 4000');
    const marks = config.data.datasets.find((d) => String(d.label).startsWith('smallest value'))!;
    expect(marks.data).toEqual([{ x: 4, y: 1500 }]);
    expect((config.options!.scales!['y'] as { type: string }).type).toBe('logarithmic');
    expect(String((config.options!.plugins!.subtitle as { text: string }).text)).toContain('smallest invokers.count meeting < 4000: 4');
    expect(renderCapacityCharts(o, ['latencyMs.p99'])[0]!.png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('stays linear without a threshold over a narrow range', () => {
    const o = outcome([3000, 2000, 1500]);
    const { config } = capacityChartConfigs(o, ['latencyMs.p99'])[0]!;
    expect((config.options!.scales!['y'] as { type: string }).type).toBe('linear');
    expect(config.data.datasets).toHaveLength(1);
    expect(wantsLogAxis([0, 10, 100_000])).toBe(false);
  });
});

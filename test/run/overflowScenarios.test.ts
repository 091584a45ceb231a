/**
 * PR #2932's OverflowTests replayed on the whole simulated cluster (scenarios/overflow-burst.yaml): capacity
 * exhaustion sends activations to the shared `overflow` topic and the topic drains back to invokers; with two
 * controllers, the one that owns the overflow partition processes the other's overflow and forwards the
 * completions to `completed<originalController>`.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { runScenario } from '../../src/runScenario.js';
import type { RunOutput } from '../../src/report/types.js';

const file = new URL('../../scenarios/overflow-burst.yaml', import.meta.url).pathname;
const run = (...overrides: string[]) => runScenario(loadScenarioFile(file, overrides));
const lastRow = (o: RunOutput, column: string) => o.timeseries.rows.at(-1)![o.timeseries.columns.indexOf(column)]!;

describe('overflow balancer on the simulated cluster', () => {
  const overflow = run();

  it('switches to overflow once capacity is exhausted and drains the topic back to invokers', () => {
    const s = overflow.summary;
    expect(s.overflow.episodes).toBeGreaterThan(0);
    expect(s.overflow.activations).toBeGreaterThan(0);
    expect(s.topics.overflow!.produced).toBe(s.overflow.activations);
    expect(s.activations.completed).toBe(s.activations.arrived);
    expect(lastRow(overflow, 'depth.overflow')).toBe(0);
    expect(lastRow(overflow, 'overflow.controller0')).toBe(0);
  });

  it('reproduces the MaxOffset quirk: overflow state is cleared after every overflow poll (§18.2)', () => {
    // Each episode lasts about one 200 ms overflow poll, so there are many short episodes.
    const s = overflow.summary;
    expect(s.overflow.timeInOverflowMs / s.overflow.episodes).toBeLessThan(250);
  });

  it('legacy never overflows on the same load', () => {
    const s = run('controllers.loadBalancer=legacy').summary;
    expect(s.overflow.episodes).toBe(0);
    expect(s.topics.overflow).toBeUndefined();
    expect(s.activations.arrived).toBe(overflow.summary.activations.arrived);
  });

  it("lets controller0 process controller1's overflow and forwards the completions", () => {
    const s = run('controllers.count=2').summary;
    const c0 = s.controllers.controller0!;
    const c1 = s.controllers.controller1!;
    expect(c0.overflowActivations).toBeGreaterThan(0);
    expect(c1.overflowActivations).toBeGreaterThan(0);
    // controller0 joined the shared `overflow` group first and owns its single partition: invokers ack the
    // foreign activations it placed to completed0, and it forwards each to completed1.
    expect(s.topics.completed0!.produced).toBe(c0.activations + c1.overflowActivations);
    expect(s.topics.completed1!.produced).toBe(c1.activations);
    expect(s.activations.completed).toBe(s.activations.arrived);
  });
});

describe('overflow and health in the time series are time-weighted (issue 16 item 10)', () => {
  it('the overflow column is the share of each interval in overflow, so it adds up to the time in overflow', () => {
    const o = run('sampleInterval=5s');
    const s = o.summary;
    const col = o.timeseries.columns.indexOf('overflow.controller0');
    const shares = o.timeseries.rows.map((r) => r[col]!);
    // Episodes last ~200 ms: a state read at 5 s instants would almost never catch one.
    expect(shares.some((x) => x > 0 && x < 1)).toBe(true);
    const timeInOverflowMs = shares.reduce((sum, x) => sum + x * 5000, 0);
    expect(timeInOverflowMs).toBeGreaterThan(0);
    expect(Math.abs(timeInOverflowMs - s.overflow.timeInOverflowMs) / s.overflow.timeInOverflowMs).toBeLessThan(0.02);
  });
});

describe('TimeWeightedValue', () => {
  it('averages a value over each window by time', async () => {
    const { TimeWeightedValue } = await import('../../src/model/metrics/TimeWeightedValue.js');
    const v = new TimeWeightedValue(0, 0);
    v.set(1, 200);
    v.set(0, 400);
    expect(v.takeMean(1000)).toBe(0.2);
    v.set(5, 1500);
    expect(v.takeMean(2000)).toBe(2.5);
    expect(v.takeMean(2000)).toBe(5);
  });
});

/** A hand-made RunOutput and Scenario for reporter and CLI tests (no simulation involved). */
import type { LatencySummary } from '../../src/sim/LatencyHistogram.js';
import type { RunOutput, Summary } from '../../src/report/types.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { DistributionSpec } from '../../src/sim/distributions.js';
import { testScenario } from '../../src/scenario/testScenario.js';

function latency(scale: number): LatencySummary {
  return {
    count: 980,
    mean: 12.3456 * scale,
    p50: 10.25 * scale,
    p90: 20.5 * scale,
    p95: 25.125 * scale,
    p99: 40.875 * scale,
    p999: 99.5 * scale,
    max: 1234.567 * scale,
  };
}

export function fakeSummary(seed = 42, extra: Partial<Summary> = {}): Summary {
  return {
    scenario: 'fake-scenario',
    seed,
    simulatedMs: 70_000,
    events: 1_234_567,
    measuredFromMs: 10_000,
    activations: {
      arrived: 1000,
      completed: 980,
      timedOut: 5,
      rejected: 7,
      lost: 1,
      inFlight: 7,
      rejectedBy: { throttledRate: 4, noInvokers: 3 },
    },
    latencyMs: latency(1),
    waitMs: latency(0.1),
    executionMs: latency(0.5),
    coldStarts: { count: 12, ratio: 12 / 980 },
    throughputPerSec: 16.333333333333332,
    littlesLaw: { meanInFlight: 0.2016, throughputTimesLatency: 0.2016456, relativeError: -0.000226 },
    overflow: { episodes: 2, timeInOverflowMs: 1500, activations: 40, dropped: 0 },
    controllers: {
      controller0: { activations: 500, overflowActivations: 25, overflow: { episodes: 2, timeInOverflowMs: 1500, activations: 25, dropped: 0 } },
      controller1: { activations: 500, overflowActivations: 15, overflow: { episodes: 0, timeInOverflowMs: 0, activations: 15, dropped: 0 } },
    },
    health: { transitions: 3, byKind: { 'Healthy→Unresponsive': 2, 'Unresponsive→Healthy': 1 } },
    topics: Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`invoker${i}`, { maxDepth: (i * 7) % 12, meanDepth: i / 3, produced: 100 + i }]),
    ),
    invokers: {
      invoker0: { activations: 600, coldStarts: 7, maxInFlight: 4 },
      invoker1: { activations: 380, coldStarts: 5, maxInFlight: 3 },
    },
    ...extra,
  };
}

export function fakeRunOutput(seed = 42, extra: Partial<Summary> = {}): RunOutput {
  return {
    summary: fakeSummary(seed, extra),
    timeseries: {
      columns: ['timeMs', 'topic.invoker0.depth', 'controller0.believedLoad'],
      rows: [
        [0, 0, 0],
        [1000, 3, 0.1 + 0.2],
        [2000, 12, 1 / 3],
        [3000, 1e-9, 123456789.123456789],
      ],
    },
    resolvedScenario: { name: 'fake-scenario', seed },
  };
}

/** A scenario for CLI tests: the defaults (testScenario) with a few values of its own, so none is by chance. */
export function fakeScenario(extra: Partial<Scenario> = {}): Scenario {
  const constant = (value: number): DistributionSpec => ({ dist: 'constant', value });
  const scenario = testScenario({
    description: 'A scenario for CLI tests.',
    seed: 42,
    warmupMs: 10_000,
    drainMs: 5_000,
    controllers: {
      count: 2,
      loadBalancer: 'sharding',
      busyThreshold: 4,
      healthRules: 'head',
      limits: { invocationsPerMinute: 60_000, concurrentInvocations: 1000, systemConcurrent: 10_000 },
      overflowPollMs: 500,
      ackPollMs: 500,
    },
    invokers: { count: 3, pauseGraceMs: 10_000, unpauseMs: constant(10) },
    workload: { actions: [{ name: 'guest/hello', kind: 'nodejs:20', arrivals: { process: 'poisson', ratePerSec: 10 }, recordSizeBytes: constant(1024) }] },
  });
  return { ...scenario, name: 'fake-scenario', source: 'test', ...extra };
}

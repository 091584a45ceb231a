import { describe, expect, it } from 'vitest';
import { lognormalFromMedianP99 } from '../../src/sim/distributions.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';

const minimal = `
name: minimal
workload:
  actions:
    - name: guest/hello
`;

describe('defaults', () => {
  it('a file with just a name and one action gets every default', () => {
    const s = parseScenarioText(minimal, 'minimal.yaml');
    const expected: Scenario = {
      name: 'minimal',
      description: '',
      seed: 1,
      durationMs: 60_000,
      warmupMs: 0,
      drainMs: 300_000,
      sampleIntervalMs: 1000,
      controllers: {
        count: 1,
        loadBalancer: 'legacy',
        loadBalancerModule: null,
        busyThreshold: 16,
        blackboxFraction: 0.1,
        managedFraction: 0.9,
        fixes: [],
        timeoutGraceMs: 60_000,
        healthRules: '2017',
        startHealthy: true,
        bookkeeping: 'local',
        frontDoor: 'round-robin',
        limits: { invocationsPerMinute: 60_000, concurrentInvocations: 30_000, systemConcurrent: 50_000 },
        overflowPollMs: 200,
        ackPollMs: 1000,
        ackMaxPeek: 128,
        pingPollMs: 1000,
        replication: {
          gossipIntervalMs: 2000,
          notifyIntervalMs: 500,
          latencyMs: { dist: 'constant', value: 2 },
          lossProbability: 0,
          pruning: 'collapse',
          pruningDelayMs: 300_000,
          readDelayMs: 1,
        },
        autoDownAfterMs: null,
        // Akka 2.5's akka-cluster reference.conf.
        membership: {
          heartbeatIntervalMs: 1000,
          threshold: 8,
          acceptableHeartbeatPauseMs: 3000,
          minStdDeviationMs: 100,
          maxSampleSize: 1000,
          expectedResponseAfterMs: 1000,
          gossipIntervalMs: 1000,
          allowWeaklyUp: true,
          seedNodeTimeoutMs: 5000,
          retryUnsuccessfulJoinAfterMs: 10000,
        },
      },
      invokers: {
        count: 4,
        userMemoryMb: 2048,
        poolMode: 'memory',
        slots: 4,
        coldStartMs: { dist: 'constant', value: 500 },
        prewarmStartMs: { dist: 'constant', value: 50 },
        idleTimeoutMs: 600_000,
        pauseGraceMs: 50,
        unpauseMs: { dist: 'constant', value: 0 },
        prewarm: [],
        feedPollMs: 500,
        pingIntervalMs: 1000,
        feedCapacity: null,
        heap: { limitMb: 2048, baseMb: 300 },
        restartDelayMs: 30_000,
        containerSelection: 'scala-map',
        containerPolicy: null,
      },
      kafka: {
        latencyMs: { dist: 'constant', value: 2 },
        overflowPartitions: 1,
        producer: { maxRequestSizeBytes: 1024 * 1024, bufferMemoryBytes: 32 * 1024 * 1024, maxBlockMs: 60_000 },
      },
      workload: {
        actions: [
          {
            name: 'guest/hello',
            namespace: 'guest',
            kind: 'nodejs:6',
            memoryMb: 256,
            timeoutMs: 60_000,
            concurrency: 1,
            durationMs: { dist: 'constant', value: 100 },
            arrivals: { process: 'poisson', ratePerSec: 1 },
            errorProbability: 0,
            recordSizeBytes: { dist: 'constant', value: 16 * 1024 },
            blocking: true,
            pull: false,
            clients: null,
          },
        ],
        trace: null,
        timeScale: 1,
        population: null,
      },
      store: null,
      faults: [],
      thresholds: {},
      report: { activationsCsv: false },
      windows: [],
      source: 'minimal.yaml',
      sweep: null,
    };
    expect(s).toEqual(expected);
  });

  it('JSON is accepted as well as YAML', () => {
    const s = parseScenarioText(JSON.stringify({ name: 'json', workload: { actions: [{ name: 'guest/hello' }] } }), 'x.json');
    expect(s.name).toBe('json');
    expect(s.invokers.count).toBe(4);
  });
});

describe('every field is settable from a file', () => {
  const full = `
name: full.example_1
description: every field
seed: 42
duration: 10m
warmup: 30s
drain: 1m
sampleInterval: 500ms
controllers:
  count: 2
  loadBalancer: sharding
  busyThreshold: 8
  blackboxFraction: 0.2
  managedFraction: 0.8
  fixes: [max-offset-on-empty-poll, throttling-enabled, max-offset-on-empty-poll]
  timeoutGrace: 30s
  healthRules: head
  startHealthy: false
  bookkeeping: distributed
  frontDoor: active-passive
  limits: { invocationsPerMinute: 60, concurrentInvocations: 30, systemConcurrent: 5000 }
  overflowPoll: 100ms
  ackPoll: 2s
  ackMaxPeek: 64
  pingPoll: 2s
  replication: { readDelay: 5ms }
invokers:
  count: 10
  userMemory: 1GB
  poolMode: count
  slots: 8
  coldStart: { dist: lognormal, median: 500ms, p99: 2s }
  prewarmStart: 20ms
  idleTimeout: 5m
  pauseGrace: 10s
  unpause: { dist: uniform, min: 1ms, max: 3ms }
  prewarm: [{ kind: nodejs:6, memory: 256MB, count: 2 }]
  feedPoll: 1s
  pingInterval: 2s
  feedCapacity: 16
kafka:
  latency: { dist: exponential, mean: 3ms }
  overflowPartitions: 4
workload:
  actions:
    - name: ns/pkg/act
      namespace: other
      kind: blackbox
      memory: 512MB
      timeout: 5m
      concurrency: 4
      duration: { dist: pareto, scale: 10ms, shape: 2 }
      arrivals: { process: burst, rate: 10/s, burstRate: 100/s, at: 1m, for: 30s }
      errorProbability: 0.05
      recordSize: { dist: uniform, min: 1KB, max: 1MB }
      blocking: false
    - name: guest/steps
      arrivals: { process: piecewise, steps: [{ at: 0s, rate: 1/s }, { at: 2m, rate: 600/min }] }
    - name: guest/even
      arrivals: { process: constant, rate: 3600/h }
    - name: guest/short
      arrivals: 5/s
thresholds: { "latencyMs.p99": "< 1500", "activations.lost": "== 0" }
report: { activationsCsv: true }
`;

  it('reads every field into the resolved scenario', () => {
    const s = parseScenarioText(full, 'full.yaml');
    expect(s).toMatchObject({
      name: 'full.example_1',
      seed: 42,
      durationMs: 600_000,
      warmupMs: 30_000,
      drainMs: 60_000,
      sampleIntervalMs: 500,
      controllers: {
        count: 2,
        loadBalancer: 'sharding',
        busyThreshold: 8,
        blackboxFraction: 0.2,
        managedFraction: 0.8,
        fixes: ['max-offset-on-empty-poll', 'throttling-enabled'],
        timeoutGraceMs: 30_000,
        healthRules: 'head',
        startHealthy: false,
        bookkeeping: 'distributed',
        frontDoor: 'active-passive',
        limits: { invocationsPerMinute: 60, concurrentInvocations: 30, systemConcurrent: 5000 },
        overflowPollMs: 100,
        ackPollMs: 2000,
        ackMaxPeek: 64,
        pingPollMs: 2000,
        replication: { readDelayMs: 5 },
      },
      invokers: {
        count: 10,
        userMemoryMb: 1024,
        poolMode: 'count',
        slots: 8,
        coldStartMs: lognormalFromMedianP99(500, 2000),
        prewarmStartMs: { dist: 'constant', value: 20 },
        idleTimeoutMs: 300_000,
        pauseGraceMs: 10_000,
        unpauseMs: { dist: 'uniform', min: 1, max: 3 },
        prewarm: [{ kind: 'nodejs:6', memoryMb: 256, count: 2 }],
        feedPollMs: 1000,
        pingIntervalMs: 2000,
        feedCapacity: 16,
      },
      kafka: { latencyMs: { dist: 'exponential', mean: 3 }, overflowPartitions: 4 },
      thresholds: { 'latencyMs.p99': '< 1500', 'activations.lost': '== 0' },
      report: { activationsCsv: true },
    });
    expect(s.workload.actions[0]).toEqual({
      name: 'ns/pkg/act',
      namespace: 'other',
      kind: 'blackbox',
      memoryMb: 512,
      timeoutMs: 300_000,
      concurrency: 4,
      durationMs: { dist: 'pareto', scale: 10, shape: 2 },
      arrivals: { process: 'burst', ratePerSec: 10, burstRatePerSec: 100, atMs: 60_000, forMs: 30_000 },
      errorProbability: 0.05,
      recordSizeBytes: { dist: 'uniform', min: 1024, max: 1024 ** 2 },
      blocking: false,
      pull: true,
      clients: null,
    });
    expect(s.workload.actions.slice(1).map((a) => a.arrivals)).toEqual([
      { process: 'piecewise', steps: [{ atMs: 0, ratePerSec: 1 }, { atMs: 120_000, ratePerSec: 10 }] },
      { process: 'constant', ratePerSec: 1 },
      { process: 'poisson', ratePerSec: 5 },
    ]);
  });

  it('accepts healthRules 2017 unquoted (YAML reads it as a number)', () => {
    const s = parseScenarioText(`${minimal}controllers: { healthRules: 2017 }\n`, 'x.yaml');
    expect(s.controllers.healthRules).toBe('2017');
  });

  it('does not check memory against userMemory in count mode (the 2017 pool has slots, not memory)', () => {
    const s = parseScenarioText(`${minimal}      memory: 4GB\ninvokers: { poolMode: count, userMemory: 1GB }\n`, 'x.yaml');
    expect(s.workload.actions[0]!.memoryMb).toBe(4096);
  });
});

describe('arrival errors', () => {
  const withArrivals = (arrivals: string) => `name: a\nworkload:\n  actions:\n    - name: guest/a\n      arrivals: ${arrivals}\n`;
  const problems = (arrivals: string) => {
    try {
      parseScenarioText(withArrivals(arrivals), 'a.yaml');
    } catch (e) {
      return (e as { problems: { path: string; message: string }[] }).problems;
    }
    throw new Error('no error');
  };

  it('zero rate for a Poisson process', () => {
    expect(problems('{ process: poisson, rate: 0/s }')[0]).toMatchObject({ path: 'workload.actions[0].arrivals.rate', message: expect.stringContaining('greater than zero') });
  });

  it('piecewise steps must start at 0s and increase', () => {
    expect(problems('{ process: piecewise, steps: [{ at: 1s, rate: 1/s }] }')[0]!.path).toBe('workload.actions[0].arrivals.steps[0].at');
    expect(problems('{ process: piecewise, steps: [{ at: 0s, rate: 1/s }, { at: 0s, rate: 2/s }] }')[0]!.path).toBe('workload.actions[0].arrivals.steps[1].at');
  });

  it('unknown process and keys get suggestions', () => {
    expect(problems('{ process: bursty, rate: 1/s }')[0]!.message).toContain('did you mean `burst`?');
    expect(problems('{ process: burst, rate: 1/s, burstrate: 5/s, at: 1s, for: 1s }').map((p) => p.message).join('\n')).toContain('did you mean `burstRate`?');
  });
});

describe('workload features that can never act within duration (issue 16 item 5)', () => {
  const scenario = (arrivals: string) => `name: a\nduration: 1m\nworkload:\n  actions:\n    - name: guest/a\n      arrivals: ${arrivals}\n`;
  const problems = (text: string) => {
    try {
      parseScenarioText(text, 'a.yaml');
    } catch (e) {
      return (e as { details: { problems: { path: string; message: string }[] } }).details.problems ?? (e as { problems: { path: string; message: string }[] }).problems;
    }
    return [];
  };

  it('refuses a burst at or after duration, naming the field', () => {
    const p = problems(scenario('{ process: burst, rate: 10/s, burstRate: 100/s, at: 5m, for: 10s }'));
    expect(p[0]).toMatchObject({ path: 'workload.actions[0].arrivals.at', message: expect.stringContaining('never happen') });
    expect(problems(scenario('{ process: burst, rate: 10/s, burstRate: 100/s, at: 1m, for: 10s }'))).toHaveLength(1);
  });

  it('refuses a piecewise step after duration, and accepts features that act before it', () => {
    const p = problems(scenario('{ process: piecewise, steps: [{ at: 0s, rate: 1/s }, { at: 2m, rate: 5/s }] }'));
    expect(p[0]).toMatchObject({ path: 'workload.actions[0].arrivals.steps[1].at' });
    expect(problems(scenario('{ process: burst, rate: 10/s, burstRate: 100/s, at: 50s, for: 1m }'))).toEqual([]);
  });
});

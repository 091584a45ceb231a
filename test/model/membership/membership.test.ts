/**
 * The controllers' Akka cluster membership (issue 14): the phi-accrual detector, HEAD's sharding monitor, and
 * the done-when checks of the issue as whole runs — the garbage member after a restart at a new address,
 * auto-downing removing it, split brain under a partition — plus runs where membership is untouched.
 */
import { describe, expect, it } from 'vitest';
import { PhiAccrualFailureDetector, phiOf } from '../../../src/model/membership/PhiAccrualFailureDetector.js';
import { ShardingClusterMonitor } from '../../../src/model/membership/ShardingClusterMonitor.js';
import { Cluster } from '../../../src/model/Cluster.js';
import { InvariantChecker } from '../../../src/model/checks/InvariantChecker.js';
import { InvariantViolation } from '../../../src/model/checks/InvariantViolation.js';
import { MemberStatus } from '../../../src/model/membership/Member.js';
import { runScenario } from '../../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText, ScenarioProblemsError } from '../../../src/scenario/load.js';
import { renderSummaryMarkdown } from '../../../src/report/MarkdownReporter.js';
import { clusterSizeChart } from '../../../src/report/charts/clusterSizeChart.js';

const akka = { threshold: 8, maxSampleSize: 1000, minStdDeviationMs: 100, acceptableHeartbeatPauseMs: 3000, firstHeartbeatEstimateMs: 1000 };

describe('PhiAccrualFailureDetector (Akka defaults)', () => {
  it('is available while never heard from, and after regular heartbeats', () => {
    const d = new PhiAccrualFailureDetector(akka);
    expect(d.isAvailable(1_000_000)).toBe(true);
    for (let t = 0; t <= 30_000; t += 1000) d.heartbeat(t);
    expect(d.isAvailable(31_000)).toBe(true);
    expect(d.isAvailable(33_500)).toBe(true);
  });

  it('suspects a silent member after heartbeat + acceptable pause + a few deviations (about 4.5 s)', () => {
    const d = new PhiAccrualFailureDetector(akka);
    for (let t = 0; t <= 30_000; t += 1000) d.heartbeat(t);
    let firstSuspectedMs = -1;
    for (let t = 30_000; t < 40_000 && firstSuspectedMs < 0; t += 10) if (!d.isAvailable(t)) firstSuspectedMs = t;
    expect(firstSuspectedMs - 30_000).toBeGreaterThan(4000);
    expect(firstSuspectedMs - 30_000).toBeLessThan(5000);
  });

  it('bootstraps from the first-heartbeat estimate: a member heard from once is suspected in time', () => {
    const d = new PhiAccrualFailureDetector(akka);
    d.heartbeat(0);
    expect(d.isAvailable(3_000)).toBe(true);
    expect(d.isAvailable(10_000)).toBe(false);
  });

  it('computes phi from the logistic approximation of the normal CDF', () => {
    expect(phiOf(1000, 1000, 100)).toBeCloseTo(-Math.log10(0.5), 6);
    expect(phiOf(2000, 1000, 100)).toBeGreaterThan(8);
  });
});

describe("HEAD's sharding cluster monitor", () => {
  it('counts MemberUp and ReachableMember, uncounts UnreachableMember and MemberRemoved, ignores WeaklyUp', () => {
    const sizes: number[] = [];
    const monitor = new ShardingClusterMonitor();
    monitor.snapshot([1, 2]);
    monitor.attach((s) => sizes.push(s));
    monitor.clusterEvent('UnreachableMember', 2);
    monitor.clusterEvent('MemberWeaklyUp', 3);
    monitor.clusterEvent('MemberUp', 1);
    monitor.clusterEvent('ReachableMember', 2);
    monitor.clusterEvent('MemberRemoved', 2);
    expect(sizes).toEqual([2, 1, 1, 1, 2, 1]);
  });
});

const scenario = (file: string, overrides: string[] = []) => loadScenarioFile(`scenarios/${file}.yaml`, overrides);

/** The first sample time at or after `fromMs` when `column` satisfies `test`, or -1. */
function firstTime(output: ReturnType<typeof runScenario>, column: string, fromMs: number, test: (v: number) => boolean): number {
  const i = output.timeseries.columns.indexOf(column);
  expect(i, column).toBeGreaterThan(0);
  for (const row of output.timeseries.rows) if (row[0]! >= fromMs && test(row[i]!)) return row[0]!;
  return -1;
}

describe('a controller restarted at a new address (done-when of issue 14)', () => {
  it('without auto-downing leaves a garbage member to the end, and the shares no longer sum to 1', () => {
    const out = runScenario(scenario('address-change-garbage'), { checks: true });
    const m = out.summary.membership!;
    expect(m.garbageMembersMax).toBeGreaterThanOrEqual(1);
    expect(m.garbageMembersAtEnd).toBeGreaterThanOrEqual(1);
    expect(m.capacityShareSumMax !== 1 || m.capacityShareSumMin !== 1).toBe(true);
    expect(m.capacityShareSumAtEnd).toBe(2);
    // The newcomer cannot go Up without convergence: it is WeaklyUp from soon after it joins to the end.
    expect(m.weaklyUpMs).toBeGreaterThan(60_000);
    expect(m.convergenceBlockedMs).toBeGreaterThan(m.weaklyUpMs);
    expect(firstTime(out, 'membership.garbage', 60_000, (v) => v === 0)).toBe(-1);
    const md = renderSummaryMarkdown(out.summary);
    expect(md).toContain('## Membership');
    expect(md).toContain('1 at most, 1 at the end');
    expect(md).toContain('between 0.500 and 2.00 of each invoker');
    expect(clusterSizeChart(out)).not.toBeNull();
  });

  it('with autoDownAfter 10s removes the garbage member within 10 s plus the detection time; the shares sum to 1 again', () => {
    const out = runScenario(scenario('address-change-autodown'), { checks: true });
    const m = out.summary.membership!;
    const crashMs = 40_000;
    // Detection: controller0's monitor drops the unreachable member from its count.
    const detectedMs = firstTime(out, 'clusterSize.controller0', crashMs, (v) => v === 1);
    expect(detectedMs).toBeGreaterThan(crashMs);
    expect(detectedMs - crashMs).toBeLessThanOrEqual(7_000);
    const goneMs = firstTime(out, 'membership.garbage', crashMs + 1, (v) => v === 0);
    expect(goneMs).toBeGreaterThan(detectedMs);
    expect(goneMs - crashMs).toBeLessThanOrEqual(10_000 + (detectedMs - crashMs) + 2_000);
    expect(m.garbageMembersMax).toBe(1);
    expect(m.garbageMembersAtEnd).toBe(0);
    expect(m.capacityShareSumAtEnd).toBe(1);
    expect(m.splitBrainMs).toBe(0);
    const sum = out.timeseries.columns.indexOf('membership.shareSum');
    const last = out.timeseries.rows[out.timeseries.rows.length - 1]!;
    expect(last[sum]).toBe(1);
  });

  it('at the same address rejoins once the old incarnation is removed (Akka downs it when the new one asks to join)', () => {
    const text = `name: same-address
seed: 5
duration: 2m
controllers: { count: 2, loadBalancer: sharding }
invokers: { count: 2, userMemory: 1GB }
workload:
  actions:
    - { name: guest/a, memory: 256MB, duration: 200ms, arrivals: { process: poisson, rate: 4/s } }
faults:
  - { at: 30s, kind: controller-crash, target: controller1, for: 10s }
`;
    const out = runScenario(parseScenarioText(text, 'same-address.yaml'), { checks: true });
    const m = out.summary.membership!;
    expect(m.garbageMembersAtEnd).toBe(0);
    expect(m.capacityShareSumAtEnd).toBe(1);
    // Before it is welcomed the restarted controller owns every invoker in full (its monitor counts nobody).
    expect(m.capacityShareSumMax).toBe(2);
    const backMs = firstTime(out, 'clusterSize.controller1', 40_000, (v) => v === 2);
    expect(backMs).toBeGreaterThan(40_000);
    expect(backMs).toBeLessThan(40_000 + 10_000 + 5_000);
  });
});

describe('when every controller has died', () => {
  it('the first seed restarts a new cluster on its own after seed-node-timeout, and the other joins it', () => {
    const text = `name: all-down
seed: 8
duration: 2m
controllers: { count: 2, loadBalancer: sharding }
invokers: { count: 2, userMemory: 1GB }
workload:
  actions:
    - { name: guest/a, memory: 256MB, duration: 200ms, arrivals: { process: poisson, rate: 4/s } }
faults:
  - { at: 10s, kind: controller-crash, target: controller1, for: 60s }
  - { at: 20s, kind: controller-crash, target: controller0, for: 10s }
`;
    const out = runScenario(parseScenarioText(text, 'all-down.yaml'), { checks: true });
    // controller0 is back at 30 s, hears no seed, and forms a cluster of one 5 s later.
    const aloneMs = firstTime(out, 'clusterSize.controller0', 30_000, (v) => v === 1);
    expect(aloneMs).toBeGreaterThanOrEqual(35_000);
    expect(aloneMs).toBeLessThanOrEqual(37_000);
    expect(firstTime(out, 'clusterSize.controller1', 70_000, (v) => v === 2)).toBeLessThan(75_000);
    const m = out.summary.membership!;
    expect(m.garbageMembersAtEnd).toBe(0);
    expect(m.capacityShareSumAtEnd).toBe(1);
  });
});

describe('a partition longer than autoDownAfter (done-when of issue 14)', () => {
  it('splits the cluster in two: splitBrainMs > 0 and each side owns every invoker (share sum 2)', () => {
    const out = runScenario(scenario('partition-split-brain'), { checks: true });
    const m = out.summary.membership!;
    expect(m.splitBrainMs).toBeGreaterThan(0);
    expect(m.capacityShareSumMax).toBeCloseTo(2, 6);
    expect(m.capacityShareSumAtEnd).toBeCloseTo(2, 6);
    expect(m.garbageMembersMax).toBe(0);
  });

  it('without auto-downing both count each other again once it heals', () => {
    const out = runScenario(scenario('partition-split-brain', ['controllers.autoDownAfter=never']), { checks: true });
    const m = out.summary.membership!;
    expect(m.splitBrainMs).toBe(0);
    expect(m.capacityShareSumMax).toBe(2);
    expect(m.capacityShareSumAtEnd).toBe(1);
  });

  it('is a valid fault with local bookkeeping (it cuts the membership traffic)', () => {
    const s = scenario('partition-split-brain');
    expect(s.controllers.bookkeeping).toBe('local');
  });
});

describe('membership untouched', () => {
  it('no crash, no partition: every controller counts everyone, the shares sum to exactly 1 throughout', () => {
    const out = runScenario(scenario('address-change-garbage', ['faults=[]']), { checks: true });
    expect(out.summary.membership).toEqual({
      garbageMembersMax: 0,
      garbageMembersAtEnd: 0,
      disagreementMs: 0,
      capacityShareSumMax: 1,
      capacityShareSumMin: 1,
      capacityShareSumAtEnd: 1,
      splitBrainMs: 0,
      weaklyUpMs: 0,
      convergenceBlockedMs: 0,
    });
  });

  it('10 % message loss on four controllers: heartbeats still arrive often enough that nobody is suspected', () => {
    const out = runScenario(scenario('address-change-garbage', ['faults=[]', 'controllers.count=4', 'controllers.replication.loss=0.1']), { checks: true });
    expect(out.summary.membership!.convergenceBlockedMs).toBe(0);
    expect(out.summary.membership!.capacityShareSumMax).toBe(1);
  });

  it('a single controller has no membership block', () => {
    const out = runScenario(scenario('address-change-garbage', ['faults=[]', 'controllers.count=1']));
    expect(out.summary.membership).toBeUndefined();
  });
});

describe('membership settings and fault fields', () => {
  it('default to Akka 2.5', () => {
    expect(scenario('partition-split-brain').controllers.membership).toEqual({
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
    });
  });

  it('allowWeaklyUp false keeps the newcomer Joining', () => {
    const out = runScenario(scenario('address-change-garbage', ['controllers.membership.allowWeaklyUp=false']));
    expect(out.summary.membership!.weaklyUpMs).toBe(0);
    expect(out.summary.membership!.garbageMembersAtEnd).toBe(1);
  });

  it('refuses newAddress on another fault kind, naming the field', () => {
    try {
      scenario('partition-split-brain', ['faults=[{ at: 40s, kind: invoker-crash, target: invoker0, for: 10s, newAddress: true }]']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioProblemsError);
      expect(String((e as Error).message)).toContain('faults[0].newAddress');
    }
  });

  it('refuses a bad membership setting, naming the field', () => {
    expect(() => scenario('partition-split-brain', ['controllers.membership.threshold=-1'])).toThrow(/controllers\.membership\.threshold/);
    expect(() => scenario('partition-split-brain', ['controllers.membership.hartbeatInterval=1s'])).toThrow(/heartbeatInterval/);
  });
});

describe('membership invariant checkers', () => {
  function world() {
    const cluster = new Cluster(scenario('address-change-garbage', ['faults=[]', 'duration=20s', 'warmup=5s', 'drain=10s']));
    const checker = new InvariantChecker(cluster.checkSeam).attach();
    return { cluster, checker, membership: cluster.parts.controllerGroup.membership! };
  }

  it('run on every sample', () => {
    const { cluster, checker } = world();
    cluster.run();
    expect(checker.checks.get('membership-up-known')).toBeGreaterThan(0);
    expect(checker.checks.get('membership-removed-stays-removed')).toBeGreaterThan(0);
  });

  it('catch a member Up in a view that never heard of it', () => {
    const { cluster, checker, membership } = world();
    cluster.run();
    membership.node(0).status.set(99, MemberStatus.Up);
    (membership.members as unknown as { name: string }[])[99] = { name: 'ghost' } as never;
    expect(() => checker.sample(cluster.parts.sim.now)).toThrow(InvariantViolation);
  });

  it('catch a removed member that comes back', () => {
    const { cluster, checker, membership } = world();
    cluster.run();
    const node = membership.node(0);
    node.removed.add(1);
    expect(() => checker.sample(cluster.parts.sim.now)).toThrow(/membership-removed-stays-removed|holds controller1 again/);
  });
});

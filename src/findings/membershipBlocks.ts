/** docs/findings.md "Controller membership" (address-change-garbage, address-change-autodown, partition-split-brain). */
import type { RunOutput, Summary } from '../report/types.js';
import { labelledRows, type FindingRun, type FindingsBlock } from './block.js';
import { table } from './format.js';

/** Thousands split by a space, as the section writes them ("1 089"). */
const n = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const bold = (text: string, on: boolean) => (on ? `**${text}**` : text);

/** Time from the end of warm-up to the end of the run that the capacity share sum spent above and below 1. */
function shareSumTimes(out: RunOutput): { over: number; under: number } {
  const ts = out.timeseries;
  const c = ts.columns.indexOf('membership.shareSum');
  let over = 0;
  let under = 0;
  for (let i = 0; i + 1 < ts.rows.length; i++) {
    const row = ts.rows[i]!;
    if (row[0]! < out.summary.measuredFromMs) continue;
    const dt = ts.rows[i + 1]![0]! - row[0]!;
    if (row[c]! > 1) over += dt;
    if (row[c]! < 1) under += dt;
  }
  return { over, under };
}

function common(s: Summary) {
  const m = s.membership!;
  const lasting = m.capacityShareSumAtEnd > 1;
  return {
    m,
    lasting,
    shareSum: `${m.capacityShareSumMin}–${m.capacityShareSumMax} (${bold(String(m.capacityShareSumAtEnd), lasting)})`,
    cold: `${n(s.coldStarts.count)} (${s.coldStarts.ratio.toFixed(2)})`,
    latency: `${n(s.latencyMs.p50)} / ${n(s.latencyMs.p99)}`,
    wait: n(s.waitMs.p99),
  };
}

const garbage = 'scenarios/address-change-garbage.yaml';
const partition = 'scenarios/partition-split-brain.yaml';

const addressRuns: FindingRun[] = [
  { scenario: garbage, label: 'new address, no auto-downing' },
  { scenario: 'scenarios/address-change-autodown.yaml', label: 'new address, `autoDownAfter: 10s`' },
  { scenario: garbage, set: ['faults.0.newAddress=false'], label: 'same address, no auto-downing' },
  { scenario: garbage, set: ['faults=[]'], label: 'no crash' },
];
const partitionRuns: FindingRun[] = [
  { scenario: partition, label: '`autoDownAfter: 10s`' },
  { scenario: partition, set: ['controllers.autoDownAfter=never'], label: 'no auto-downing' },
  { scenario: partition, set: ['faults=[]'], label: 'no partition' },
];

/** The first sample at or after `fromMs` where `column` satisfies `test`, in whole seconds ("44 s"). */
function firstSample(out: RunOutput, column: string, fromMs: number, test: (v: number) => boolean): string {
  const ts = out.timeseries;
  const c = ts.columns.indexOf(column);
  if (c < 0) throw new Error(`time series has no column ${column}`);
  const row = ts.rows.find((r) => r[0]! >= fromMs && test(r[c]!));
  if (row === undefined) throw new Error(`${column} never satisfies the test after ${fromMs} ms`);
  return seconds(row[0]!);
}
/** Time (from warm-up to the end) during which `column` equals `value` at or after `fromMs`. */
function timeAt(out: RunOutput, column: string, value: number, fromMs: number): number {
  const ts = out.timeseries;
  const c = ts.columns.indexOf(column);
  let total = 0;
  for (let i = 0; i + 1 < ts.rows.length; i++) {
    const row = ts.rows[i]!;
    if (row[0]! >= fromMs && row[c] === value) total += ts.rows[i + 1]![0]! - row[0]!;
  }
  return total;
}
const ms = (text: string) => Number(text.replace(/ s$/, '')) * 1000;

/** From the lowest to the highest, as "25–36 %" or "2.6–2.8×". */
const span = (values: number[], f: (v: number) => string, unit: string) => {
  const lo = f(Math.min(...values));
  const hi = f(Math.max(...values));
  return lo === hi ? `${lo}${unit}` : `${lo}–${hi}${unit}`;
};

export const membershipBlocks: FindingsBlock[] = [
  {
    id: 'membership-address-change',
    cheap: true,
    runs: addressRuns,
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (out) => {
        const s = out.summary;
        const c = common(s);
        const t = shareSumTimes(out);
        return [
          c.shareSum,
          `${bold(seconds(t.over), c.lasting)} / ${seconds(t.under)}`,
          `${c.m.garbageMembersMax} / ${bold(String(c.m.garbageMembersAtEnd), c.m.garbageMembersAtEnd > 0)}`,
          seconds(c.m.weaklyUpMs),
          c.cold,
          String(s.activations.lost),
          c.latency,
          c.wait,
        ];
      });
      return table(['variant', 'share sum min–max (end)', 'over 1 / under 1', 'garbage max / at end', 'WeaklyUp', 'cold starts (ratio)', 'lost', 'latency p50 / p99 (ms)', 'wait p99 (ms)'], rows);
    },
  },
  {
    id: 'membership-partition',
    cheap: true,
    runs: partitionRuns,
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (out) => {
        const s = out.summary;
        const c = common(s);
        return [
          c.shareSum,
          bold(seconds(shareSumTimes(out).over), c.lasting),
          bold(seconds(c.m.splitBrainMs), c.m.splitBrainMs > 0 && c.lasting),
          seconds(c.m.convergenceBlockedMs),
          c.cold,
          c.latency,
          c.wait,
        ];
      });
      return table(['variant', 'share sum min–max (end)', 'over 1', 'split brain', 'convergence blocked', 'cold starts (ratio)', 'latency p50 / p99 (ms)', 'wait p99 (ms)'], rows);
    },
  },
  {
    id: 'membership-address-change-notes',
    cheap: true,
    runs: addressRuns,
    render(outs) {
      const s = outs.map((o) => o.summary);
      const [garbageRun, autodown] = s as [Summary, Summary];
      const noCrash = s[3]!;
      const crashed = s.slice(0, 3);
      const overGarbage = shareSumTimes(outs[0]!).over;
      const overAutodown = shareSumTimes(outs[1]!).over;
      return (
        `The extra cold starts and latency are not only the membership's: every change of a controller's cluster size ` +
        `rebuilds all of its semaphores and forgets what is in flight (HEAD's \`updateCluster\`, §18.12), and the later ` +
        `releases of the forgotten activations *add* permits to the fresh semaphores. After the restart controller0 ` +
        `holds up to 5.4 GB of permits for a 1 GB share of a 2 GB invoker (\`address-change-autodown\`, idle at the end; read from the balancer's semaphores, not from summary.json): ` +
        `the cluster over-commits for the rest of the run whatever the membership says. So every row with a crash has ` +
        `${span(crashed.map((x) => (x.coldStarts.count / noCrash.coldStarts.count - 1) * 100), (v) => String(Math.round(v)), ' %')} more cold starts and ` +
        `${span(crashed.map((x) => x.latencyMs.p50 / noCrash.latencyMs.p50), (v) => v.toFixed(1), '×')} the median latency of the run without one; the garbage member adds ` +
        `${n(garbageRun.coldStarts.count - autodown.coldStarts.count)} more cold starts and ${n(garbageRun.latencyMs.p50 - autodown.latencyMs.p50)} ms of median latency on top of auto-downing, because for ` +
        `${seconds(overGarbage - overAutodown)} more both controllers also *believe* they own every invoker.\n`
      );
    },
  },
  {
    id: 'membership-partition-notes',
    cheap: true,
    runs: partitionRuns,
    render(outs) {
      const [autodown, healed] = outs.map((o) => o.summary) as [Summary, Summary];
      const cut = 40_000;
      const dropped = firstSample(outs[1]!, 'clusterSize.controller0', cut, (v) => v === 1);
      const rejoined = firstSample(outs[1]!, 'clusterSize.controller0', ms(dropped), (v) => v === 2);
      return (
        `- Each side's detector marks the other unreachable and HEAD's monitor drops it at once (controller0 counts 1 from ${dropped}) — as the comment ` +
        `in \`ShardingContainerPoolBalancer.scala\` intends ("premature overloading of invokers vs. going into overflow ` +
        `mode prematurely"): **both controllers own every invoker in full from ${dropped}**, with or without auto-downing.\n` +
        `- Without auto-downing they count each other again when the partition heals (${rejoined}): ${seconds(shareSumTimes(outs[1]!).over)} of share sum 2.\n` +
        `- With \`autoDownAfter: 10s\` each side's own leader downs the other 10 s after detecting it and removes it (a Down member does ` +
        `not block convergence): two clusters. When the network heals neither takes the other back — gossip from a ` +
        `removed member is ignored and a removed incarnation never returns — so **the split brain lasts to the end of ` +
        `the run (${seconds(autodown.membership!.splitBrainMs)})** and each controller keeps owning every invoker in full. Only restarting one side would ` +
        `merge them.\n` +
        `- As above, the cold starts and latency of both partition rows are dominated by the permit leak of the two ` +
        `cluster-size changes (§18.12): the healed run without auto-downing ends with controller0 holding 3–3.3 GB of ` +
        `permits on two invokers for a 1 GB share (read from the balancer's semaphores). The lasting split brain adds ${n(autodown.coldStarts.count - healed.coldStarts.count)} cold starts.\n`
      );
    },
  },
  {
    id: 'membership-address-change-timeline',
    cheap: true,
    runs: addressRuns,
    render(outs) {
      const [garbageOut, autodownOut, sameOut] = outs as [RunOutput, RunOutput, RunOutput];
      const crash = firstSample(garbageOut, 'up.controller1', 0, (v) => v === 0);
      const detected = firstSample(garbageOut, 'clusterSize.controller0', ms(crash), (v) => v === 1);
      const restart = firstSample(garbageOut, 'up.controller1', ms(crash), (v) => v === 1);
      const countsTwo = timeAt(garbageOut, 'clusterSize.controller1', 2, ms(restart));
      const garbageOver = shareSumTimes(garbageOut);
      const lasting = garbageOut.summary.membership!.capacityShareSumAtEnd > 1;
      const autodownDetected = firstSample(autodownOut, 'clusterSize.controller0', ms(crash), (v) => v === 1);
      return (
        `- **${crash.replace(/ s$/, '')}–${detected}, under-commitment**: controller0 still counts 2 while controller1 is dead (share sum 0.5) until its ` +
        `failure detector marks the member unreachable (phi ≥ 8 about 4.5 s after the last heartbeat); HEAD's monitor ` +
        `then drops it and controller0 owns every invoker alone, as it should (share sum under 1 for ${seconds(garbageOver.under)}).\n` +
        `- **From ${restart}, new address, no auto-downing**: the newcomer starts with an empty view — its monitor counts 0, ` +
        `so its balancer (taking at least 1) owns every invoker in full. The seed welcomes it at once (no member has ` +
        `its address) with a view holding controller0 *and the dead controller1* as Up: it counts 2 for ${seconds(countsTwo)}, until its ` +
        `own detector gives up on the dead one, then 1. The leader cannot move it to Up — the dead member is ` +
        `unreachable and not downed, so there is no convergence — and makes it WeaklyUp (for ${seconds(garbageOut.summary.membership!.weaklyUpMs)}), which HEAD's monitor does not ` +
        `count: controller0 keeps counting 1. Both divide by 1 to the end: **share sum 2 for ${seconds(garbageOver.over)}${lasting ? ', and for good' : ''}**; the ` +
        `dead member is a garbage member in both views until the run ends.\n` +
        `- **\`autoDownAfter: 10s\`**: controller0's leader downs the dead member 10 s after detecting it (at ${seconds(ms(autodownDetected) + 10_000)}) and ` +
        `removes it; the newcomer is welcomed into a converged cluster and is Up a second later. Over-commitment lasts ` +
        `${seconds(shareSumTimes(autodownOut).over)} (the newcomer before its Welcome and the tick that moves it Up).\n` +
        `- **Same address**: the seed downs the old member when the new incarnation asks to join and welcomes it on its ` +
        `retry 10 s later; the newcomer owns everything for those ${seconds(shareSumTimes(sameOut).over)}.\n`
      );
    },
  },
];

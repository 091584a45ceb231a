/** docs/findings.md "Controller membership" (address-change-garbage, address-change-autodown, partition-split-brain). */
import type { RunOutput, Summary } from '../report/types.js';
import { labelledRows, type FindingsBlock } from './block.js';
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

export const membershipBlocks: FindingsBlock[] = [
  {
    id: 'membership-address-change',
    cheap: true,
    runs: [{ scenario: garbage, label: 'new address, no auto-downing' }, { scenario: 'scenarios/address-change-autodown.yaml', label: 'new address, `autoDownAfter: 10s`' }, { scenario: garbage, set: ['faults.0.newAddress=false'], label: 'same address, no auto-downing' }, { scenario: garbage, set: ['faults=[]'], label: 'no crash' }],
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
    runs: [{ scenario: partition, label: '`autoDownAfter: 10s`' }, { scenario: partition, set: ['controllers.autoDownAfter=never'], label: 'no auto-downing' }, { scenario: partition, set: ['faults=[]'], label: 'no partition' }],
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
];

/** docs/findings.md "Controller clustering" (two-controllers-lag, local-vs-shared-vs-sharding, controller-restart-leak). */
import type { RunOutput, Summary } from '../report/types.js';
import { labelledRows, type FindingsBlock } from './block.js';
import { table } from './format.js';

const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
/** Thousands split by a space, as the section writes them ("5 116"). */
const n = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
/** Forced placements over all controllers, or a dash for a balancer that has none (only sharding forces). */
const forced = (s: Summary) => {
  const counts = Object.values(s.controllers).map((c) => c.forcedPlacements);
  return counts.every((c) => c === undefined) ? '–' : String(counts.reduce<number>((sum, c) => sum + (c ?? 0), 0));
};

const lag = 'scenarios/two-controllers-lag.yaml';
const designs = 'scenarios/local-vs-shared-vs-sharding.yaml';
const leak = 'scenarios/controller-restart-leak.yaml';

/** controller0's believed in-flight count per invoker at the last sample. */
function booksAtEnd(out: RunOutput): string {
  const ts = out.timeseries;
  const last = ts.rows.at(-1)!;
  const cols = ts.columns.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith('believed.controller0.invoker'));
  return cols.map(([, i]) => String(last[i])).join(', ');
}

export const bookkeepingBlocks: FindingsBlock[] = [
  {
    id: 'bookkeeping-lag',
    cheap: true,
    runs: [
      { scenario: lag, set: ['controllers.replication.gossipInterval=50ms', 'controllers.replication.notifyInterval=50ms'], label: 'gossip 50 ms, notify 50 ms' },
      { scenario: lag, set: ['controllers.replication.gossipInterval=50ms'], label: 'gossip 50 ms (notify 500 ms)' },
      { scenario: lag, label: 'gossip 2 s (Akka default)' },
      { scenario: lag, set: ['controllers.replication.gossipInterval=10s'], label: 'gossip 10 s' },
      { scenario: lag, set: ['controllers.bookkeeping=local'], label: '`bookkeeping: local`' },
    ],
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (o) => {
        const s = o.summary;
        return [s.bookkeeping!.meanError.toFixed(2), String(s.bookkeeping!.maxError), n(s.bookkeeping!.gossipMessages), `${s2(s.latencyMs.p50)} / ${s2(s.latencyMs.p99)}`];
      });
      return table(['variant', '`bookkeeping.meanError`', '`maxError`', 'gossip messages', 'latency p50 / p99'], rows);
    },
  },
  {
    id: 'bookkeeping-designs',
    cheap: true,
    runs: [
      { scenario: designs, label: 'local (legacy balancer, 2017 deployed)' },
      { scenario: designs, set: ['controllers.bookkeeping=distributed'], label: 'shared (legacy balancer, pre-PR async CRDT reads)' },
      { scenario: designs, set: ['controllers.loadBalancer=sharding'], label: 'sharding (HEAD), default fractions' },
      { scenario: designs, set: ['controllers.loadBalancer=sharding', 'controllers.managedFraction=0.8', 'controllers.blackboxFraction=0.2'], label: 'sharding, `managedFraction 0.8`, `blackboxFraction 0.2`' },
    ],
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (o) => {
        const s = o.summary;
        return [
          s.bookkeeping!.meanError.toFixed(2),
          `${s2(s.latencyMs.p50)} / ${s2(s.latencyMs.p99)}`,
          `${s2(s.waitMs.p50)} / ${s2(s.waitMs.p99)}`,
          s.coldStarts.ratio.toFixed(2),
          forced(s),
        ];
      });
      return table(['design', 'meanError', 'latency p50 / p99', 'wait p50 / p99', 'cold-start ratio', 'forced placements'], rows);
    },
  },
  {
    id: 'bookkeeping-phantom',
    cheap: true,
    runs: [
      { scenario: leak, label: 'no auto-downing' },
      { scenario: leak, set: ['controllers.autoDownAfter=10s'], label: '`autoDownAfter: 10s` (Akka `collapse` pruning)' },
      { scenario: leak, set: ['controllers.autoDownAfter=10s', 'controllers.replication.pruning=discard'], label: '`autoDownAfter: 10s`, `pruning: discard`' },
      { scenario: leak, set: ['controllers.replication.pruning=discard'], label: '`pruning: discard` (no auto-downing)' },
      { scenario: leak, set: ['faults.0.for=80s'], label: 'crash without restart before the run ends (`for: 80s`)' },
      { scenario: lag, label: 'no crash (two-controllers-lag)' },
    ],
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (o) => {
        const s = o.summary;
        const residual = s.bookkeeping!.residualAtEnd;
        return [residual === 1 ? '1 (gossip lag)' : String(residual), booksAtEnd(o), String(s.overflow.activations)];
      });
      return table(['variant', '`residualAtEnd`', "controller0's books at the end (invoker0–4)", 'overflow activations'], rows);
    },
  },
];

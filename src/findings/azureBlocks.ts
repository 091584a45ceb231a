/** docs/findings.md "A day of … Azure-like actions" (scenarios/azure-population.yaml). */
import type { RunOutput } from '../report/types.js';
import { seriesAt, type FindingRun, type FindingsBlock } from './block.js';
import { int, pct, sec, table } from './format.js';

const scenario = 'scenarios/azure-population.yaml';
const balancers = ['legacy', 'overflow', 'sharding'] as const;
const counts = [40, 60, 90, 120, 180] as const;
/** The capacity target the section reads the sweep against. */
const WAIT_P99_TARGET_MS = 2000;

const sweepRuns: FindingRun[] = balancers.flatMap((lb) => counts.map((n) => ({ scenario, set: [`controllers.loadBalancer=${lb}`, `invokers.count=${n}`] })));

const range = (values: number[], f: (v: number) => string) => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return f(lo) === f(hi) ? f(lo) : `${f(lo).replace(/ s$/, '')}–${f(hi)}`;
};

export const azureBlocks: FindingsBlock[] = [
  {
    id: 'azure-run',
    cheap: false,
    runs: [{ scenario }],
    render([out]) {
      const s = out!.summary;
      const a = s.activations;
      const actions = Object.keys(s.actions ?? {}).length;
      const namespaces = Object.keys(s.namespaces ?? {}).length;
      return (
        `One run (seed ${s.seed}, sharding, 120 invokers): ${int(a.arrived)} activations, ${int(a.timedOut)} of them ending in the ` +
        `controller's forced timeout; **${int(actions)} actions** of ${namespaces} namespaces had at least one arrival and ` +
        `each has its own entry in summary.json's \`actions\` (the rest of the population was not called in the ` +
        `compressed day). Latency p50 / p99 ${sec(s.latencyMs.p50)} / ${sec(s.latencyMs.p99)}, execution p99 ` +
        `${sec(s.executionMs.p99)}, wait p99 ${sec(s.waitMs.p99)}, cold starts ${pct(s.coldStarts.ratio)}.\n`
      );
    },
  },
  {
    id: 'azure-invokers',
    cheap: false,
    runs: sweepRuns,
    render(outs) {
      const at = (lb: number, i: number) => outs[lb * counts.length + i]!.summary;
      const rows = counts.map((n, i) => [String(n), ...balancers.map((_, lb) => `${sec(at(lb, i).waitMs.p99)} / ${pct(at(lb, i).coldStarts.ratio)}`)]);
      const needed = balancers.map((lb, b) => {
        const i = counts.findIndex((_, k) => counts.slice(k).every((__, j) => at(b, k + j).waitMs.p99 < WAIT_P99_TARGET_MS));
        return `${lb} ${i < 0 ? `more than ${counts.at(-1)}` : counts[i]}`;
      });
      const latencyFrom60 = outs.filter((_, k) => k % counts.length > 0).map((o) => o.summary.latencyMs.p99);
      const execution = outs.map((o) => o.summary.executionMs.p99);
      return (
        table(['invokers', ...balancers.map((lb) => `${lb} wait p99 / cold`)], rows) +
        `\nFewest invokers from which every larger count in the sweep keeps wait p99 under ${sec(WAIT_P99_TARGET_MS)}: ` +
        `${needed.join(', ')}. Latency p99 from 60 invokers up: ${range(latencyFrom60, sec)}; execution p99 at every point: ` +
        `${range(execution, sec)}.\n`
      );
    },
  },
  {
    id: 'azure-memory',
    cheap: false,
    runs: (['legacy', 'sharding'] as const).map((lb) => ({ scenario, set: [`controllers.loadBalancer=${lb}`, 'duration=90m', 'workload.timeScale=24'] })),
    render(outs) {
      // Hour h of the 24-fold compressed day is minute 2.5 h: the first day's 14:00 peak and 20:00, the second day's 02:00 trough.
      const minute = (day: number, hour: number) => (day * 60 + hour * 2.5) * 60_000;
      const trough = minute(1, 2);
      const peak = minute(0, 14);
      const evening = minute(0, 20);
      const gb = (mb: number) => `${int(mb / 1024)} GB`;
      const row = (lb: string, out: RunOutput) => {
        const used = (t: number) => seriesAt(out, 'memoryMb.used', t);
        const idle = (t: number) => seriesAt(out, 'memoryMb.idle', t);
        return [
          lb,
          `${gb(used(trough) - idle(trough))} / ${gb(used(peak) - idle(peak))}`,
          `${gb(idle(trough))} (${pct(idle(trough) / used(trough))} of used)`,
          `${gb(idle(peak))} (${pct(idle(peak) / used(peak))})`,
          gb(idle(evening)),
          pct(out.summary.coldStarts.ratio),
        ];
      };
      const arrived = outs.map((o) => o.summary.activations.arrived);
      return (
        table(
          ['balancer (120 invokers)', 'busy at 02:00 / 14:00', 'idle at 02:00 (trough)', 'idle at 14:00 (peak)', 'idle at 20:00', 'cold starts'],
          [row('legacy', outs[0]!), row('sharding', outs[1]!)],
        ) + `\n${int(arrived[0]!)} activations per run.\n`
      );
    },
  },
];

/** docs/findings.md "Thirty actions on ten invokers" (scenarios/thrash.yaml): the diagnosis paragraphs. */
import type { Summary } from '../report/types.js';
import type { FindingsBlock } from './block.js';
import { int, sec } from './format.js';

const scenario = 'scenarios/thrash.yaml';
/** A share of the arrivals with one decimal and a space before the sign, as the section writes it ("21.0 %"). */
const share = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;
const evidence = (s: Summary, rule: string) => (s.diagnosis ?? []).find((d) => d.rule === rule)?.evidence ?? {};
const num = (e: Record<string, unknown>, key: string) => Number(e[key]);
/** The list's last item on the next line of the numbered item, as the section wraps it. */
const wrapLast = (list: string) => {
  const at = list.lastIndexOf(', ');
  return at < 0 ? list : `${list.slice(0, at)},\n   ${list.slice(at + 2)}`;
};

export const thrashBlocks: FindingsBlock[] = [
  {
    id: 'thrash',
    cheap: false,
    runs: [{ scenario }],
    render([out]) {
      const s = out!.summary;
      const a = s.activations;
      const rate = a.rejectedBy.throttledRate ?? 0;
      const concurrent = a.rejectedBy.throttledConcurrent ?? 0;
      const thrash = evidence(s, 'cold-start-thrash');
      const queue = evidence(s, 'unstable-queue');
      const most = String(thrash.mostEvictions ?? '');
      const names = [...most.matchAll(/(invoker\d+) \(([\d,]+)\)/g)];
      return (
        `The cluster collapses: of ${int(a.arrived)} arrivals only ${int(a.completed)} complete (throughput ${int(s.throughputPerSec)}/s against 400/s offered outside\n` +
        `the burst), ${int(a.timedOut)} (${share(a.timedOut, a.arrived)}) end in the controller's forced timeout and ${int(a.rejected)} (${share(a.rejected, a.arrived)}) are rejected by the\n` +
        `namespace's limits — ${int(rate)} (${share(rate, a.arrived)}) by the rate limit (the burst asks for ${int(num(evidence(s, 'rejections'), 'peakDemandPerMinute') || 90_000)} a minute) and ${int(concurrent)} (${share(concurrent, a.arrived)})\n` +
        `by the concurrency limit, which is where the backlog surfaces once 30,000 activations are in flight. Completed\n` +
        `activations take ${sec(s.latencyMs.p50)} at the median and ${sec(s.latencyMs.p99)} at p99 (the 2-minute forced timeout caps it). The diagnosis\n` +
        `says why, in this order:\n\n` +
        `1. cold-start thrash: ${(s.coldStarts.ratio * 100).toFixed(1)} % of starts are cold; the invokers evicted ${int(num(thrash, 'evictions'))} idle containers to make room for\n` +
        `   another action's (${num(thrash, 'evictionsPerActivation').toFixed(2)} per activation started), most on ${names.map((m) => m[1]).join(', ').replace(/, ([^,]*)$/, ' and $1')} (${wrapLast(names.map((m) => m[2]!).join(', '))}) — the home invokers the hash gives most actions. Every cold start adds ~0.5 s to a 0.33 s mean run,\n` +
        `   so the invokers serve a fraction of what they could;\n` +
        `2. the namespace concurrency and rate limits, with the shares above and the peak demand (${int(num(evidence(s, 'rejections'), 'peakDemandPerMinute') || 90_000)}/min);\n` +
        `3. unstable queues: ${['no', 'one', 'two', 'three', 'four', 'five'][num(queue, 'topics')] ?? int(num(queue, 'topics'))} invoker topics grow through the whole load (${String(queue.deepest)} from ${int(num(queue, 'depthAtLoadStart'))} to ${int(num(queue, 'depthAtLoadEnd'))} messages);\n` +
        `4. the forced timeouts, caused by that backlog.\n`
      );
    },
  },
  {
    id: 'thrash-knobs',
    cheap: false,
    runs: [{ scenario, set: ['invokers.userMemory=15GB', 'controllers.limits.invocationsPerMinute=90000'] }],
    render([out]) {
      const s = out!.summary;
      const a = s.activations;
      return (
        `Following two of the\n` +
        `knobs (\`--set invokers.userMemory=15GB --set controllers.limits.invocationsPerMinute=90000\`) raises\n` +
        `throughput to ${int(s.throughputPerSec)}/s and completions to ${int(a.completed)}, cuts forced timeouts to ${int(a.timedOut)} (${share(a.timedOut, a.arrived)}) and rate rejections to\n` +
        `${int(a.rejectedBy.throttledRate ?? 0)}, but cold starts stay at ${(s.coldStarts.ratio * 100).toFixed(1)} % and the concurrency limit still rejects ${share(a.rejectedBy.throttledConcurrent ?? 0, a.arrived)}: the legacy balancer's home\n` +
        `invokers (invoker0: ${int(s.invokers.invoker0?.evictions ?? 0)} evictions) still take more distinct actions than their pools keep warm, and at the\n` +
        `1,500/s burst about ${Math.round(num(evidence(s, 'cold-start-thrash'), 'busyContainersAtPeak') / 10) * 10} containers are busy at once against 9 × 60.\n`
      );
    },
  },
];

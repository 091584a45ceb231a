/** docs/findings.md "Overflow balancer vs legacy under a burst" (scenarios/overflow-burst.yaml). */
import type { Summary } from '../report/types.js';
import { labelledRows, type FindingsBlock } from './block.js';
import { int, sec, table } from './format.js';

const scenario = 'scenarios/overflow-burst.yaml';

/** The deepest invoker topic as "invoker1: 274", or its depth alone when no invoker topic held more than one. */
function deepestInvokerTopic(s: Summary): string {
  let name = '';
  let depth = 0;
  for (const [topic, t] of Object.entries(s.topics)) if (/^invoker\d+$/.test(topic) && t.maxDepth > depth) [name, depth] = [topic, t.maxDepth];
  return depth <= 1 ? String(depth) : `${name}: ${depth}`;
}

export const overflowBlocks: FindingsBlock[] = [
  {
    id: 'overflow-burst',
    cheap: true,
    runs: [
      { scenario, label: '`overflow` (PR #2932, quirks as shipped)' },
      { scenario, set: ['controllers.loadBalancer=legacy'], label: '`legacy`' },
      { scenario, set: ['controllers.fixes=[max-offset-on-empty-poll, overflow-respects-capacity]'], label: '`overflow` + fixes `max-offset-on-empty-poll`, `overflow-respects-capacity`' },
      { scenario, set: ['controllers.count=2'], label: '`overflow`, 2 controllers' },
    ],
    render(outs, runs) {
      const rows = labelledRows(runs, outs, (o) => {
        const s = o.summary;
        const time = s.overflow.timeInOverflowMs;
        return [
          `${s.activations.completed} / ${s.activations.arrived}`,
          `${sec(s.latencyMs.p50)} / ${sec(s.latencyMs.p99)}`,
          String(s.overflow.episodes),
          time === 0 ? '0' : `${(time / 1000).toFixed(1)} s`,
          int(s.topics.overflow?.produced ?? 0),
          deepestInvokerTopic(s),
        ];
      });
      return table(['variant', 'completed', 'p50 / p99 latency', 'overflow episodes', 'time in overflow', 'overflow messages', 'deepest invoker topic'], rows);
    },
  },
];

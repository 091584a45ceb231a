/** docs/findings.md "Overflow balancer vs legacy under a burst" (scenarios/overflow-burst.yaml). */
import type { Summary } from '../report/types.js';
import { labelledRows, type FindingRun, type FindingsBlock } from './block.js';
import { int, sec, table } from './format.js';

const scenario = 'scenarios/overflow-burst.yaml';

/** The deepest invoker topic as "invoker1: 274", or its depth alone when no invoker topic held more than one. */
function deepestInvokerTopic(s: Summary): string {
  let name = '';
  let depth = 0;
  for (const [topic, t] of Object.entries(s.topics)) if (/^invoker\d+$/.test(topic) && t.maxDepth > depth) [name, depth] = [topic, t.maxDepth];
  return depth <= 1 ? String(depth) : `${name}: ${depth}`;
}

const runs: FindingRun[] = [
  { scenario, label: '`overflow` (PR #2932, quirks as shipped)' },
  { scenario, set: ['controllers.loadBalancer=legacy'], label: '`legacy`' },
  { scenario, set: ['controllers.fixes=[max-offset-on-empty-poll, overflow-respects-capacity]'], label: '`overflow` + fixes `max-offset-on-empty-poll`, `overflow-respects-capacity`' },
  { scenario, set: ['controllers.count=2'], label: '`overflow`, 2 controllers' },
];
const [SHIPPED, LEGACY, FIXED, TWO] = [0, 1, 2, 3] as const;
const maxInvokerDepth = (s: Summary) => Math.max(0, ...Object.entries(s.topics).filter(([t]) => /^invoker\d+$/.test(t)).map(([, t]) => t.maxDepth));
/** An episode's mean length: "≈ 2 ms", "≈ 120 ms" (two significant digits). */
const episodeLength = (o: Summary['overflow']) => `≈ ${Number((o.timeInOverflowMs / o.episodes).toPrecision(2))} ms`;

export const overflowBlocks: FindingsBlock[] = [
  {
    id: 'overflow-burst',
    cheap: true,
    runs,
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
  {
    id: 'overflow-burst-notes',
    cheap: true,
    runs,
    render(outs) {
      const s = outs.map((o) => o.summary);
      const shipped = s[SHIPPED]!;
      const legacy = s[LEGACY]!;
      const fixed = s[FIXED]!;
      const two = s[TWO]!;
      const c0 = two.controllers.controller0!;
      const c1 = two.controllers.controller1!;
      const samePercentile = shipped.latencyMs.p99 === legacy.latencyMs.p99;
      return [
        `- As shipped, PR #2932's overflow topic is a short detour. MaxOffset fires after every overflow poll (§18.2), so ` +
          `each episode ends at the next overflow poll (${shipped.overflow.episodes} episodes, ${sec(shipped.overflow.timeInOverflowMs)} in all, ${episodeLength(shipped.overflow)} each), and \`processOverflow\` places messages with the 1×/2×/3× cascade and ` +
          `the home-invoker fallback regardless of capacity (§18.3). The backlog ends up in the home invoker's topic as ` +
          `under \`legacy\`: ${samePercentile ? 'the same' : 'about the same'} p99 (${sec(shipped.latencyMs.p99)} against ${sec(legacy.latencyMs.p99)}) and a ${maxInvokerDepth(shipped)}-deep topic against ${maxInvokerDepth(legacy)}.`,
        `- With both fixes, the backlog stays in the overflow topic instead of piling onto one invoker (every invoker topic ` +
          `stays at depth ≤ ${maxInvokerDepth(fixed)}), but the requeue-per-poll costs ${int(fixed.topics.overflow?.produced ?? 0)} overflow messages for ${int(fixed.overflow.activations)} overflowed activations, ` +
          `and the tail latency ${fixed.latencyMs.p99 < 0.9 * legacy.latencyMs.p99 ? 'improves' : 'does not improve'} (p99 ${sec(fixed.latencyMs.p99)}): the work still waits, only elsewhere.`,
        `- With two controllers, the single \`overflow\` partition is owned by controller0: it places controller1's overflowed ` +
          `activations and forwards their completions (\`completed0\` carries ${int(two.topics.completed0?.produced ?? 0)} messages: controller0's ${int(c0.activations)} plus controller1's ${int(c1.overflowActivations)} ` +
          `overflowed; \`completed1\` carries ${int(two.topics.completed1?.produced ?? 0)}). Overflow episodes last very differently on the two: controller0's ` +
          `overflow feed receives the message it has just sent a few milliseconds later, and that poll's MaxOffset ends the ` +
          `episode (${c0.overflow.episodes} episodes, ${(c0.overflow.timeInOverflowMs / 1000).toFixed(1)} s in all, ${episodeLength(c0.overflow)} each); controller1 is a member of the \`overflow\` group with no ` +
          `partition, so its polls come back empty only when the 200 ms long poll expires, and only then does MaxOffset end ` +
          `its episode (${c1.overflow.episodes} episodes, ${(c1.overflow.timeInOverflowMs / 1000).toFixed(1)} s in all, ${episodeLength(c1.overflow)} each). During those episodes every activation controller1 ` +
          `receives takes the detour through the topic.`,
      ].join('\n') + '\n';
    },
  },
];

/**
 * The summary.md sections of issue 17: "What happened" (the diagnosis, right under the title) and the
 * breakdowns (top actions by p99 latency and by cold starts, namespaces, windows). Plain Markdown of the subset
 * index.html converts (headings, paragraphs, `- ` lists, tables): no emphasis or code spans.
 */
import { formatCount, formatDuration, formatPercent, markdownTable } from './format.js';
import type { Breakdown, Finding, Summary } from './types.js';

/** Actions listed in each top table. */
export const TOP_ACTIONS = 5;

const SEVERITY_LABEL: Record<Finding['severity'], string> = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' };

export function findingLine(f: Finding): string {
  return `${SEVERITY_LABEL[f.severity]} ${f.message} Try: ${f.knobs.join('; ')}.`;
}

export function whatHappened(s: Summary): string {
  const d = s.diagnosis;
  if (d === undefined) return '';
  if (d.length === 0) {
    return [
      '## What happened',
      '',
      'Nothing is wrong: no diagnosis rule fired (cold-start thrash, rejections, unstable queues, forced timeouts, ' +
        'out of memory, dropped records, overflow churn, bookkeeping error, unreachable latency targets).',
    ].join('\n');
  }
  return ['## What happened', '', ...d.map((f) => `- ${findingLine(f)}`)].join('\n');
}

function row(name: string, b: Breakdown): string[] {
  const a = b.activations;
  return [
    name,
    formatCount(a.arrived),
    formatCount(a.rejected),
    formatCount(a.timedOut),
    b.latencyMs.count > 0 ? formatDuration(b.latencyMs.p50) : '–',
    b.latencyMs.count > 0 ? formatDuration(b.latencyMs.p99) : '–',
    b.executionMs.count > 0 ? formatDuration(b.executionMs.p99) : '–',
    formatCount(b.coldStarts.count),
    formatPercent(b.coldStarts.ratio),
  ];
}

const HEADER = ['arrived', 'rejected', 'timed out', 'latency p50', 'latency p99', 'run time p99', 'cold starts', 'cold ratio'];
const ALIGN = ['left', ...HEADER.map(() => 'right')] as ('left' | 'right')[];

function table(first: string, entries: [string, Breakdown][]): string {
  return markdownTable([first, ...HEADER], entries.map(([n, b]) => row(n, b)), ALIGN);
}

export function breakdowns(s: Summary): string {
  const out: string[] = [];
  const actions = Object.entries(s.actions ?? {});
  if (actions.length > 1) {
    const byP99 = [...actions].sort((a, b) => b[1].latencyMs.p99 - a[1].latencyMs.p99 || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_ACTIONS);
    const byCold = [...actions].sort((a, b) => b[1].coldStarts.count - a[1].coldStarts.count || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_ACTIONS);
    const more = actions.length > TOP_ACTIONS ? ` (top ${TOP_ACTIONS} of ${formatCount(actions.length)}; every action is in summary.json)` : '';
    out.push('## Actions', '', `By p99 latency${more}:`, '', table('action', byP99));
    if (actions.length > TOP_ACTIONS) out.push('', `By cold starts${more}:`, '', table('action', byCold));
  }
  const namespaces = Object.entries(s.namespaces ?? {});
  if (namespaces.length > 1) out.push(...(out.length > 0 ? [''] : []), '## Namespaces', '', table('namespace', namespaces));
  const windows = Object.entries(s.windows ?? {});
  if (windows.length > 0) {
    // Windows over the same interval (thirty actions bursting together) hold the same figures: one row.
    const groups = new Map<string, [string, Breakdown & { fromMs: number; toMs: number }][]>();
    for (const entry of windows) {
      const key = `${entry[1].fromMs}:${entry[1].toMs}`;
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const rows = [...groups.values()].map((group) => {
      const [name, w] = group[0]!;
      const names = group.length === 1 ? name : `${name} and ${group.length - 1} more`;
      return [`${names} (${formatDuration(w.fromMs)} – ${formatDuration(w.toMs)})`, ...row(name, w).slice(1)];
    });
    out.push(...(out.length > 0 ? [''] : []), '## Windows', '', 'Activations that arrived inside each window.', '', markdownTable(['window', ...HEADER], rows, ALIGN));
  }
  return out.join('\n');
}

/**
 * summary.md: what a person reads first, and what CI pastes into a job summary. It is rendered from the
 * `Summary` alone (never from run-info), so it is as deterministic as summary.json. Sections, in order:
 * outcomes, latency, cold starts and throughput, Little's law, thresholds (when the scenario has any), OOM risk
 * and the activation store (when the scenario models the store),
 * overflow (when any controller had an episode), controller bookkeeping (with two or more controllers), health,
 * topic peaks (top 10 by max depth), invokers.
 */
import type { LatencySummary } from '../sim/LatencyHistogram.js';
import {
  formatCount,
  formatDuration,
  formatPercent,
  formatQuantity,
  markdownTable,
} from './format.js';
import type { Reporter } from './Reporter.js';
import { breakdowns, whatHappened } from './breakdownMarkdown.js';
import type { RunOutput, Summary } from './types.js';
import { writeReportFile } from './writeFile.js';

export const SUMMARY_MD_FILE = 'summary.md';
/** Topics listed in the peaks table. */
export const TOP_TOPICS = 10;

export function renderSummaryMarkdown(summary: Summary): string {
  const sections = [
    header(summary),
    whatHappened(summary),
    outcomes(summary),
    latency(summary),
    coldStartsAndThroughput(summary),
    thresholds(summary),
    faults(summary),
    oomRisk(summary),
    overflow(summary),
    bookkeeping(summary),
    health(summary),
    topics(summary),
    invokers(summary),
    breakdowns(summary),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function header(s: Summary): string {
  return [
    `# owsim: ${s.scenario} (seed ${s.seed})`,
    '',
    `Simulated ${formatDuration(s.simulatedMs)}, measured from ${formatDuration(s.measuredFromMs)}; ` +
      `${formatCount(s.events)} kernel events.`,
  ].join('\n');
}

function outcomes(s: Summary): string {
  const a = s.activations;
  const share = (n: number): string => (a.arrived > 0 ? formatPercent(n / a.arrived) : '–');
  const reasons = Object.entries(a.rejectedBy)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${formatCount(n)}`)
    .join(', ');
  const rows: string[][] = [
    ['arrived', formatCount(a.arrived), share(a.arrived)],
    ['completed', formatCount(a.completed), share(a.completed)],
    ['timed out', formatCount(a.timedOut), share(a.timedOut)],
    [reasons ? `rejected (${reasons})` : 'rejected', formatCount(a.rejected), share(a.rejected)],
    ['lost', formatCount(a.lost), share(a.lost)],
    ['in flight at end', formatCount(a.inFlight), share(a.inFlight)],
  ];
  return ['## Outcomes', '', markdownTable(['outcome', 'activations', 'share'], rows)].join('\n');
}

function latencyRow(label: string, l: LatencySummary): string[] {
  return [
    label,
    formatCount(l.count),
    formatQuantity(l.mean),
    formatQuantity(l.p50),
    formatQuantity(l.p90),
    formatQuantity(l.p99),
    formatQuantity(l.p999),
    formatQuantity(l.max),
  ];
}

function latency(s: Summary): string {
  const rows = [
    latencyRow('latency (arrival → completion)', s.latencyMs),
    latencyRow('wait (arrival → start)', s.waitMs),
    latencyRow('execution (start → end)', s.executionMs),
  ];
  return [
    '## Latency (ms)',
    '',
    'Completed activations that arrived after warm-up.',
    '',
    markdownTable(['', 'count', 'mean', 'p50', 'p90', 'p99', 'p99.9', 'max'], rows),
  ].join('\n');
}

function coldStartsAndThroughput(s: Summary): string {
  const l = s.littlesLaw;
  return [
    '## Cold starts, throughput, Little\'s law',
    '',
    `- Cold starts: ${formatCount(s.coldStarts.count)} (${formatPercent(s.coldStarts.ratio)} of completed)`,
    `- Throughput: ${formatQuantity(s.throughputPerSec)} completed activations/s`,
    `- Little's law: mean in flight ${formatQuantity(l.meanInFlight)} vs throughput × mean latency ` +
      `${formatQuantity(l.throughputTimesLatency)} (relative error ${formatPercent(Math.abs(l.relativeError))})`,
  ].join('\n');
}

/** The scheduled faults (when the scenario has any): when, what, and what happened meanwhile. */
function faults(s: Summary): string {
  if (s.faults === undefined || s.faults.length === 0) return '';
  const rows = s.faults.map((f) => {
    const what = f.target ?? (f.between ? f.between.join(' ↔ ') : '');
    const d = f.during;
    return [
      f.kind,
      what,
      formatDuration(f.atMs),
      f.healedAtMs === null ? `${formatDuration(f.forMs)} (not healed)` : formatDuration(f.forMs),
      formatCount(d.arrived),
      formatCount(d.completed),
      formatCount(d.timedOut),
      formatCount(d.rejected),
      formatCount(d.lost),
    ];
  });
  return [
    '## Faults',
    '',
    markdownTable(['fault', 'target', 'at', 'for', 'arrived', 'completed', 'timed out', 'rejected', 'lost'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']),
    '',
    ...s.faults.map((f) => `- ${f.kind}${f.target ? ` ${f.target}` : ''}: ${f.description}`),
  ].join('\n');
}

function thresholds(s: Summary): string {
  if (!s.thresholds || s.thresholds.length === 0) return '';
  const failed = s.thresholds.filter((t) => !t.ok).length;
  const rows = s.thresholds.map((t) => [
    t.metric,
    t.expression,
    t.actual === null ? 'missing' : formatQuantity(t.actual),
    t.ok ? 'ok' : 'FAILED',
  ]);
  return [
    '## Thresholds',
    '',
    failed === 0 ? `All ${s.thresholds.length} thresholds hold.` : `${failed} of ${s.thresholds.length} thresholds failed.`,
    '',
    markdownTable(['metric', 'threshold', 'actual', 'verdict'], rows, ['left', 'left', 'right', 'left']),
  ].join('\n');
}

/** A projected out-of-memory further away than this is not called a risk (slow drift over a short run). */
export const AT_RISK_HORIZON_MS = 3_600_000;

/**
 * One verdict a person reads in ten seconds, then the store's figures: crashed (any out-of-memory crash),
 * at risk (heap above 90 % of its limit, or projected to reach it within an hour), else safe.
 */
function oomRisk(s: Summary): string {
  const o = s.oom;
  const st = s.store;
  if (o === undefined || st === undefined) return '';
  const peak = formatPercent(o.peakHeapFraction);
  let verdict: string;
  if (o.crashes > 0) {
    verdict =
      `**Crashed.** ${formatCount(o.crashes)} out-of-memory crash${o.crashes === 1 ? '' : 'es'}, the first at ` +
      `${formatDuration(o.firstCrashMs ?? 0)}; ${formatCount(st.lostRecords)} activation records and ` +
      `${formatCount(o.activationsLost)} activations lost.`;
  } else if ((o.projectedTimeToOomMs !== null && o.projectedTimeToOomMs <= AT_RISK_HORIZON_MS) || o.peakHeapFraction > 0.9) {
    const when = o.projectedTimeToOomMs !== null ? `; at its growth rate when the load ended, an invoker runs out of memory ${formatDuration(o.projectedTimeToOomMs)} later` : '';
    verdict = `**At risk.** No crash, but the heap reached ${peak} of its limit${when}.`;
  } else {
    const drift = o.projectedTimeToOomMs !== null ? ` (at its growth rate it would take ${formatDuration(o.projectedTimeToOomMs)} to fill)` : ' and was not growing when the load ended';
    verdict = `**Safe.** No crash; the heap peaked at ${peak} of its limit${drift}.`;
  }
  const w = st.writeLatencyMs;
  const facts = [
    `- Heap: peak ${peak} of the limit; ${formatDuration(o.timeAboveNinetyPercentMs)} above 90 % (summed over invokers).`,
    `- Records: ${formatCount(st.produced)} produced, ${formatCount(st.written)} written, ${formatCount(st.lostRecords)} lost, ` +
      `${formatCount(st.pending)} still pending at the end.`,
    `- Batcher: largest queue ${formatCount(st.maxQueue)} records; database backlog up to ${formatCount(st.maxDatabaseBacklog)} documents.`,
    `- Write latency (ack → written): p50 ${formatQuantity(w.p50)} ms, p99 ${formatQuantity(w.p99)} ms, max ${formatQuantity(w.max)} ms.`,
  ];
  if (st.overflowed > 0) {
    facts.push(`- Kafka overflow: ${formatCount(st.overflowed)} records sent to \`activations\`, backlog up to ${formatCount(st.maxKafkaBacklog)}.`);
  }
  return ['## OOM risk', '', verdict, '', ...facts].join('\n');
}

function overflow(s: Summary): string {
  const controllers = Object.entries(s.controllers);
  if (s.overflow.episodes === 0 && controllers.every(([, c]) => c.overflow.episodes === 0)) return '';
  const rows = controllers.map(([name, c]) => [
    name,
    formatCount(c.overflow.episodes),
    formatDuration(c.overflow.timeInOverflowMs),
    formatCount(c.overflow.activations),
    formatCount(c.overflow.dropped),
  ]);
  rows.push([
    'all',
    formatCount(s.overflow.episodes),
    formatDuration(s.overflow.timeInOverflowMs),
    formatCount(s.overflow.activations),
    formatCount(s.overflow.dropped),
  ]);
  return [
    '## Overflow',
    '',
    markdownTable(['controller', 'episodes', 'time in overflow', 'overflow activations', 'dropped'], rows),
  ].join('\n');
}

function bookkeeping(s: Summary): string {
  const b = s.bookkeeping;
  const controllers = Object.entries(s.controllers);
  if (b === undefined || controllers.length < 2) return '';
  const rows = controllers.map(([name, c]) => [
    name,
    formatQuantity(c.believedVsTrueError ?? 0),
    c.forcedPlacements === undefined ? '–' : formatCount(c.forcedPlacements),
  ]);
  rows.push(['all', formatQuantity(b.meanError), '']);
  const lines = [
    '## Controller bookkeeping',
    '',
    `Mean |believed − true| activations per invoker: ${formatQuantity(b.meanError)} (largest ${formatCount(b.maxError)}); ` +
      `left in the books at the end: ${formatCount(b.residualAtEnd)}; gossip messages: ${formatCount(b.gossipMessages)}` +
      (b.controllerCrashes > 0 ? `; controller crashes: ${formatCount(b.controllerCrashes)}.` : '.'),
    '',
    markdownTable(['controller', 'mean error', 'forced placements'], rows),
  ];
  return lines.join('\n');
}

function health(s: Summary): string {
  const kinds = Object.entries(s.health.byKind);
  const lines = ['## Invoker health', '', `${formatCount(s.health.transitions)} health transitions.`];
  if (kinds.length > 0) {
    lines.push('', markdownTable(['transition', 'count'], kinds.map(([kind, n]) => [kind, formatCount(n)])));
  }
  return lines.join('\n');
}

function topics(s: Summary): string {
  const all = Object.entries(s.topics);
  if (all.length === 0) return '';
  // Largest peak first; the name breaks ties so the order never depends on how the record was built.
  const top = all
    .slice()
    .sort(([na, a], [nb, b]) => b.maxDepth - a.maxDepth || (na < nb ? -1 : na > nb ? 1 : 0))
    .slice(0, TOP_TOPICS);
  const rows = top.map(([name, t]) => [name, formatCount(t.maxDepth), formatQuantity(t.meanDepth), formatCount(t.produced)]);
  const title = all.length > TOP_TOPICS ? `## Topic peaks (top ${TOP_TOPICS} of ${all.length} by max depth)` : '## Topic peaks';
  return [title, '', markdownTable(['topic', 'max depth', 'mean depth', 'produced'], rows)].join('\n');
}

function invokers(s: Summary): string {
  const all = Object.entries(s.invokers);
  if (all.length === 0) return '';
  const rows = all.map(([name, inv]) => [
    name,
    formatCount(inv.activations),
    formatCount(inv.coldStarts),
    formatCount(inv.maxInFlight),
  ]);
  return ['## Invokers', '', markdownTable(['invoker', 'activations', 'cold starts', 'max in flight'], rows)].join('\n');
}

export const MarkdownReporter: Reporter = {
  name: 'md',
  write(output: RunOutput, dir: string): string[] {
    return [writeReportFile(dir, SUMMARY_MD_FILE, renderSummaryMarkdown(output.summary))];
  },
};

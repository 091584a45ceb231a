/**
 * summary.json's `actions`, `namespaces` and `windows` from a run's BreakdownMetrics. Actions and namespaces
 * are listed only when they had arrivals (in workload order, `(other)` last); every window is listed.
 * Quantiles come from CompactHistograms (exact to 0.8%); counts, means and maxima are exact.
 */
import type { BreakdownMetrics } from '../model/metrics/BreakdownMetrics.js';
import type { OutcomeTable } from '../model/metrics/OutcomeTable.js';
import type { WindowConfig } from '../scenario/types.js';
import type { ActionBreakdown, Breakdown, WindowBreakdown } from './types.js';

function entry(table: OutcomeTable, slot: number): Breakdown {
  const rejectedBy: Record<string, number> = {};
  for (const reason of [...table.rejectedBy.keys()].sort()) {
    const n = table.rejectedBy.get(reason)![slot]!;
    if (n > 0) rejectedBy[reason] = n;
  }
  const arrived = table.arrived[slot]!;
  const completed = table.completed[slot]!;
  const timedOut = table.timedOut[slot]!;
  const rejected = table.rejected[slot]!;
  const lost = table.lost[slot]!;
  const started = table.started[slot]!;
  const cold = table.coldStarts[slot]!;
  return {
    activations: { arrived, completed, timedOut, rejected, lost, inFlight: arrived - completed - timedOut - rejected - lost, rejectedBy },
    latencyMs: table.latency(slot).summary(),
    waitMs: table.wait(slot).summary(),
    executionMs: table.execution(slot).summary(),
    coldStarts: { count: cold, ratio: started > 0 ? Math.round((cold / started) * 1e6) / 1e6 : 0 },
  };
}

export function breakdownSummaries(b: BreakdownMetrics, windows: readonly WindowConfig[]) {
  const actions: Record<string, ActionBreakdown> = {};
  b.actionKeys.forEach((name, slot) => {
    if (b.actions.arrived[slot]! > 0) actions[name] = { namespace: b.actionNamespaces[slot]!, ...entry(b.actions, slot) };
  });
  const namespaces: Record<string, Breakdown> = {};
  b.namespaceKeys.forEach((name, slot) => {
    if (b.namespaces.arrived[slot]! > 0) namespaces[name] = entry(b.namespaces, slot);
  });
  const windowSummaries: Record<string, WindowBreakdown> = {};
  windows.forEach((w, slot) => {
    windowSummaries[w.name] = { fromMs: w.fromMs, toMs: w.toMs, ...entry(b.windows, b.windowSlots[slot]!) };
  });
  return { actions, namespaces, windows: windowSummaries };
}

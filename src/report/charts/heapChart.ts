/**
 * Invoker heap over time (`heapMb.<invoker>` columns, written when the scenario models the activation store),
 * with the heap limit as a dashed line: a heap that climbs towards the line is an invoker heading for an
 * out-of-memory crash; a drop to the base is a crash and restart. The invokers with the highest peaks only.
 */
import type { RunOutput } from '../types.js';
import { seriesWithPrefix, topByMax } from './seriesColumns.js';
import { renderTimeChart, topNote } from './timeChart.js';

export const HEAP_TOP_N = 10;

export function heapChart(output: RunOutput): Buffer | null {
  const all = seriesWithPrefix(output.timeseries, 'heapMb');
  if (all.length === 0) return null;
  const shown = topByMax(all, HEAP_TOP_N);
  const heap = (output.resolvedScenario as { invokers?: { heap?: { limitMb?: number } } } | null)?.invokers?.heap;
  const oom = output.summary.oom;
  const facts = oom
    ? `${oom.crashes} OOM crash${oom.crashes === 1 ? '' : 'es'}, peak ${(oom.peakHeapFraction * 100).toFixed(0)} % of the limit`
    : undefined;
  const note = topNote(shown.length, all.length, 'invokers', 'peak');
  const subtitle = [facts, note].filter((x) => x !== undefined).join(' · ');
  return renderTimeChart(output, {
    title: 'Invoker heap (MB)',
    ...(subtitle !== '' ? { subtitle } : {}),
    yTitle: 'heap used (MB)',
    series: shown,
    ...(typeof heap?.limitMb === 'number' ? { referenceLines: [{ label: `heap limit ${heap.limitMb} MB`, y: heap.limitMb }] } : {}),
  });
}

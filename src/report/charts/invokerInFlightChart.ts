/**
 * Activations in flight on each invoker over time (`inFlight.<invoker>` columns): how evenly the balancer
 * spreads work. Only the busiest invokers are drawn when there are many.
 */
import type { RunOutput } from '../types.js';
import { seriesWithPrefix, topByMax } from './seriesColumns.js';
import { renderTimeChart, topNote } from './timeChart.js';

export const IN_FLIGHT_TOP_N = 10;

export function invokerInFlightChart(output: RunOutput): Buffer | null {
  const all = seriesWithPrefix(output.timeseries, 'inFlight');
  if (all.length === 0) return null;
  const shown = topByMax(all, IN_FLIGHT_TOP_N);
  return renderTimeChart(output, {
    title: 'Activations in flight per invoker',
    subtitle: topNote(shown.length, all.length, 'invokers', 'peak'),
    yTitle: 'in flight (activations)',
    series: shown,
    integerY: true,
  });
}

/**
 * Healthy invokers as each controller's InvokerPool sees them (`healthy.<controller>` columns), drawn as steps
 * because health changes at instants and holds until the next transition.
 */
import type { RunOutput } from '../types.js';
import { seriesWithPrefix } from './seriesColumns.js';
import { renderTimeChart } from './timeChart.js';

export function healthyInvokersChart(output: RunOutput): Buffer | null {
  const series = seriesWithPrefix(output.timeseries, 'healthy');
  if (series.length === 0) return null;
  return renderTimeChart(output, {
    title: 'Healthy invokers per controller',
    subtitle: `${output.summary.health.transitions} health transitions · time-weighted mean over each sample interval`,
    yTitle: 'healthy invokers',
    series,
    stepped: true,
    integerY: false,
  });
}

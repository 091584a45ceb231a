/**
 * The cluster size each controller's sharding balancer is told by HEAD's monitor in that controller's own
 * membership view (`clusterSize.<controller>` columns; 0 while the controller is down), drawn as steps. Where
 * the lines disagree, or stay below the number of live controllers, the controllers' shares of every invoker
 * no longer add up to one invoker.
 */
import type { RunOutput } from '../types.js';
import { seriesWithPrefix } from './seriesColumns.js';
import { renderTimeChart } from './timeChart.js';

export function clusterSizeChart(output: RunOutput): Buffer | null {
  const series = seriesWithPrefix(output.timeseries, 'clusterSize');
  const m = output.summary.membership;
  if (series.length === 0 || m === undefined) return null;
  return renderTimeChart(output, {
    title: 'Cluster size as each controller sees it',
    subtitle: `equal counts overlap · capacity share sum ${m.capacityShareSumMin}–${m.capacityShareSumMax} (1 is exact); garbage members at most ${m.garbageMembersMax}; split brain ${Math.round(m.splitBrainMs / 1000)} s`,
    yTitle: 'controllers counted',
    series,
    stepped: true,
    integerY: true,
  });
}

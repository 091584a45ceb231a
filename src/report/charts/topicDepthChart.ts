/**
 * Kafka topic depth over time: the produced − committed backlog of each topic (`depth.<topic>` columns), the
 * topics with the highest peaks only, so a 100-invoker cluster still yields a readable chart.
 */
import type { RunOutput } from '../types.js';
import { seriesWithPrefix, topByMax } from './seriesColumns.js';
import { renderTimeChart, topNote } from './timeChart.js';

export const TOPIC_DEPTH_TOP_N = 8;

export function topicDepthChart(output: RunOutput): Buffer | null {
  const all = seriesWithPrefix(output.timeseries, 'depth');
  if (all.length === 0) return null;
  const shown = topByMax(all, TOPIC_DEPTH_TOP_N);
  return renderTimeChart(output, {
    title: 'Kafka topic depth (messages waiting)',
    subtitle: topNote(shown.length, all.length, 'topics', 'peak depth'),
    yTitle: 'backlog (messages)',
    series: shown,
    integerY: true,
  });
}

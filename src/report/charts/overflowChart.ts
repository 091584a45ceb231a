/**
 * Overflow state per controller over time (`overflow.<controller>` columns: the share of each sample interval the
 * controller spent in overflow, 0 … 1). Each controller gets its
 * own lane so states that overlap in time stay visible: lane i spans [i, i + 1), the line sits at the lane's
 * floor when the controller is normal and rises (filled) while it is in overflow (in proportion, when the
 * column holds the share of each sample interval spent in overflow). Drawn only when some
 * controller was in overflow at a sample instant or the summary counts an episode.
 */
import type { ChartConfiguration } from 'chart.js';
import type { RunOutput } from '../types.js';
import { axisTitle, baseOptions, colour, renderChart } from './renderChart.js';
import { seriesWithPrefix, timeRangeSec } from './seriesColumns.js';
import { faultIntervals, footerOf, warmupDecoration } from './timeChart.js';

/** Height of the raised state within a lane, leaving a gap below the next lane. */
const RAISED = 0.7;

/**
 * 0 → floor, 1 → raised. A column may also hold the share of the sample interval spent in overflow (0 … 1),
 * which shows short episodes that a 0/1 state sampled at instants would miss; it draws proportionally.
 */
export function laneHeight(value: number): number {
  if (!(value > 0)) return 0;
  return Math.min(1, value);
}

export function overflowChart(output: RunOutput): Buffer | null {
  const series = seriesWithPrefix(output.timeseries, 'overflow');
  if (series.length === 0) return null;
  const anySampled = series.some((s) => s.max > 0);
  if (!anySampled && output.summary.overflow.episodes === 0) return null;
  const [firstSec, lastSec] = timeRangeSec(series);
  const lanes = series.length;
  const o = output.summary.overflow;
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: s.name,
        data: s.points.map((p) => ({ x: p.x, y: i + RAISED * laneHeight(p.y) })),
        borderColor: colour(i),
        backgroundColor: `${colour(i)}66`,
        fill: { value: i },
        stepped: 'before' as const,
      })),
    },
    options: {
      ...baseOptions(
        'Overflow state per controller',
        `${o.episodes} episodes, ${(o.timeInOverflowMs / 1000).toFixed(1)} s in overflow, ` +
          `${o.activations} activations sent to the overflow topic, ${o.dropped} dropped · height = share of each sample interval in overflow`,
      ),
      parsing: false,
      scales: {
        x: { type: 'linear', min: firstSec, max: lastSec, title: axisTitle('simulated time (s)'), ticks: { font: { size: 13 } } },
        y: {
          type: 'linear',
          min: -0.15,
          max: lanes - 1 + RAISED + 0.15,
          title: axisTitle('controller'),
          afterBuildTicks: (axis) => {
            axis.ticks = series.map((_, i) => ({ value: i + RAISED / 2 }));
          },
          ticks: {
            font: { size: 13 },
            callback: (value) => series[Math.floor(Number(value))]?.name ?? '',
          },
          grid: { display: false },
        },
      },
    },
  };
  const shade = warmupDecoration(output, series);
  const intervals = faultIntervals(output, lastSec);
  return renderChart(config, { footer: footerOf(output), ...(shade ? { shadeBefore: shade } : {}), ...(intervals.length > 0 ? { intervals } : {}) });
}

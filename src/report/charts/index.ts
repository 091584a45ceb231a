/**
 * The charts a run gets, in the order the page shows them. Each is a pure function of the run output that
 * returns PNG bytes, or null when its data is absent (a chart is skipped, never drawn empty).
 *
 * `renderCharts` draws them once per output object: the PNG and HTML reporters both need them, so the result
 * is kept in a WeakMap keyed by the output and dropped with it.
 */
import type { RunOutput } from '../types.js';
import { healthyInvokersChart } from './healthyInvokersChart.js';
import { heapChart } from './heapChart.js';
import { throughputChart } from './throughputChart.js';
import { invokerInFlightChart } from './invokerInFlightChart.js';
import { latencyChart } from './latencyChart.js';
import { overflowChart } from './overflowChart.js';
import { topicDepthChart } from './topicDepthChart.js';

export interface ChartSpec {
  /** File name under charts/. */
  file: string;
  /** What the chart shows, for alt text and the page's caption. */
  caption: string;
  render(output: RunOutput): Buffer | null;
}

export const CHARTS: readonly ChartSpec[] = [
  {
    file: 'latency-cdf.png',
    caption: 'Latency distribution: the share of completed activations at or below each latency, with wait and execution.',
    render: latencyChart,
  },
  {
    file: 'arrivals-completions.png',
    caption: 'Arrivals and completions per second over time: a gap between them is a backlog building or draining.',
    render: throughputChart,
  },
  { file: 'topic-depth.png', caption: 'Kafka topic backlog over time (topics with the highest peaks).', render: topicDepthChart },
  { file: 'invoker-inflight.png', caption: 'Activations in flight on each invoker over time.', render: invokerInFlightChart },
  { file: 'overflow-state.png', caption: 'When each controller was in overflow state.', render: overflowChart },
  { file: 'healthy-invokers.png', caption: 'Healthy invokers as each controller sees them.', render: healthyInvokersChart },
  { file: 'invoker-heap.png', caption: 'Invoker heap against its limit over time (with a store).', render: heapChart },
];

export interface RenderedChart {
  file: string;
  caption: string;
  png: Buffer;
}

const rendered = new WeakMap<RunOutput, RenderedChart[]>();

/** Every chart with data, rendered to PNG, in CHARTS order. */
export function renderCharts(output: RunOutput): RenderedChart[] {
  const cached = rendered.get(output);
  if (cached) return cached;
  const out: RenderedChart[] = [];
  for (const spec of CHARTS) {
    const png = spec.render(output);
    if (png !== null) out.push({ file: spec.file, caption: spec.caption, png });
  }
  rendered.set(output, out);
  return out;
}

export { healthyInvokersChart, heapChart, invokerInFlightChart, latencyChart, overflowChart, throughputChart, topicDepthChart };

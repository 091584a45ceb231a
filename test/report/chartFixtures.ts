/** A RunOutput with a time series in the run's column naming (t_ms, depth.*, inFlight.*, overflow.*, healthy.*). */
import type { RunOutput, TimeSeries } from '../../src/report/types.js';
import { fakeRunOutput } from './fixtures.js';

/** A deterministic wiggle in [0, 1) without Math.random. */
function wave(i: number, k: number): number {
  const x = Math.sin(i * 0.37 + k * 1.7) * 0.5 + 0.5;
  return Math.abs(x) % 1;
}

export function chartTimeSeries(samples = 70): TimeSeries {
  const topics = ['invoker0', 'invoker1', 'invoker2', 'overflow', 'completed0', 'completed1', 'health', 'cacheInvalidation', 'events', 'invoker3'];
  const invokers = ['invoker0', 'invoker1', 'invoker2', 'invoker3'];
  const controllers = ['controller0', 'controller1'];
  const columns = [
    't_ms',
    'inFlight',
    ...topics.map((t) => `depth.${t}`),
    ...invokers.map((n) => `inFlight.${n}`),
    ...controllers.map((c) => `overflow.${c}`),
    ...controllers.map((c) => `healthy.${c}`),
    'arrived',
    'completed',
    'heapMb.invoker0',
    'heapMb.invoker1',
  ];
  const rows: number[][] = [];
  for (let i = 0; i < samples; i++) {
    const burst = i >= 25 && i < 40 ? 1 : 0;
    const row = [i * 1000];
    const perInvoker = invokers.map((_, k) => Math.round(2 + 2 * wave(i, k) + burst * 4));
    row.push(perInvoker.reduce((a, b) => a + b, 0));
    topics.forEach((t, k) => row.push(t === 'overflow' ? burst * Math.round(30 * wave(i, 9)) : Math.round((k + 1) * wave(i, k) * (1 + burst * 3))));
    row.push(...perInvoker);
    row.push(i >= 27 && i < 33 ? 1 : 0, i >= 30 && i < 38 ? 1 : 0);
    row.push(i >= 45 && i < 50 ? 3 : 4, i >= 46 && i < 52 ? 3 : 4);
    row.push(i * 20 + burst * (i - 25) * 10, Math.max(0, i * 20 - 15), 300 + i * 5, i < 40 ? 300 + i * 15 : 300);
    rows.push(row);
  }
  return { columns, rows };
}

/** Points of a lognormal-looking CDF, [valueMs, fraction]. */
export function fakeCdf(scaleMs: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i <= 60; i++) {
    const q = 1 - Math.pow(10, -i / 15);
    out.push([scaleMs * Math.exp(1.2 * Math.sqrt(-2 * Math.log(1 - q)) - 1), q]);
  }
  out.push([scaleMs * 40, 1]);
  return out;
}

export function chartRunOutput(opts: { cdf?: boolean } = {}): RunOutput {
  const base = fakeRunOutput(7);
  return {
    ...base,
    timeseries: chartTimeSeries(),
    ...(opts.cdf === true ? { charts: { latencyCdf: fakeCdf(10), waitCdf: fakeCdf(1), executionCdf: fakeCdf(5) } } : {}),
  };
}

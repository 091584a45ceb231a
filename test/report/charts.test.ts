import { describe, expect, it } from 'vitest';
import { CHARTS, renderCharts } from '../../src/report/charts/index.js';
import { logTickLabel } from '../../src/report/charts/latencyChart.js';
import { seriesWithPrefix, topByMax } from '../../src/report/charts/seriesColumns.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX } from '../../src/report/charts/renderChart.js';
import { markdownToHtml, renderIndexHtml } from '../../src/report/HtmlReporter.js';
import { renderSummaryMarkdown } from '../../src/report/MarkdownReporter.js';
import type { RunOutput } from '../../src/report/types.js';
import { chartRunOutput } from './chartFixtures.js';
import { fakeRunOutput, fakeSummary } from './fixtures.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  // The first chunk is IHDR: length (4), type (4), then width and height as big-endian 32-bit integers.
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Output whose time series and summary hold no data for any chart. */
function emptyOutput(): RunOutput {
  const summary = fakeSummary(1, {
    latencyMs: { count: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 },
    overflow: { episodes: 0, timeInOverflowMs: 0, activations: 0, dropped: 0 },
  });
  return { summary, timeseries: { columns: ['t_ms', 'inFlight'], rows: [[0, 0], [1000, 1]] }, resolvedScenario: {} };
}

describe('charts', () => {
  // Render every chart once, with exact CDF points, and share the result.
  const output = chartRunOutput({ cdf: true });
  const rendered = renderCharts(output);

  it('renders every chart as a PNG of 1200×600 px when its data is present', () => {
    expect(rendered.map((c) => c.file)).toEqual(CHARTS.map((c) => c.file));
    for (const chart of rendered) {
      expect(pngSize(chart.png)).toEqual({ width: CHART_WIDTH_PX, height: CHART_HEIGHT_PX });
      // A blank canvas compresses to a few kilobytes; lines and text make it far larger.
      expect(chart.png.length).toBeGreaterThan(10_000);
    }
  });

  it('renders each output once, however many reporters ask', () => {
    expect(renderCharts(output)).toBe(rendered);
  });

  it('returns null from every chart when its data is absent', () => {
    const empty = emptyOutput();
    for (const spec of CHARTS) expect(spec.render(empty), spec.file).toBeNull();
  });

  it('skips the overflow chart when no controller was ever in overflow', () => {
    const base = chartRunOutput();
    const overflowColumns = base.timeseries.columns.flatMap((c, i) => (c.startsWith('overflow.') ? [i] : []));
    const calm: RunOutput = {
      ...base,
      summary: { ...base.summary, overflow: { episodes: 0, timeInOverflowMs: 0, activations: 0, dropped: 0 } },
      timeseries: { columns: base.timeseries.columns, rows: base.timeseries.rows.map((r) => r.map((v, i) => (overflowColumns.includes(i) ? 0 : v))) },
    };
    expect(CHARTS.find((c) => c.file === 'overflow-state.png')!.render(calm)).toBeNull();
  });

  it('reads the time series by dotted prefix, x in seconds, and keeps the top N by peak in column order', () => {
    const ts = { columns: ['t_ms', 'depth.a', 'inFlight', 'depth.b.c', 'depth.z'], rows: [[0, 1, 9, 5, 0], [2000, 3, 9, 2, 7]] };
    const series = seriesWithPrefix(ts, 'depth');
    expect(series.map((s) => [s.name, s.max])).toEqual([['a', 3], ['b.c', 5], ['z', 7]]);
    expect(series[0]!.points).toEqual([{ x: 0, y: 1 }, { x: 2, y: 3 }]);
    expect(topByMax(series, 2).map((s) => s.name)).toEqual(['b.c', 'z']);
    expect(seriesWithPrefix({ columns: ['depth.a'], rows: [[1]] }, 'depth')).toEqual([]);
  });

  it('labels a log axis at 1, 2 and 5 times powers of ten only', () => {
    expect([1, 2, 3, 5, 10, 20, 50, 70, 100, 2000].map(logTickLabel)).toEqual(['1.00', '2.00', '', '5.00', '10.0', '20.0', '50.0', '', '100', '2,000']);
  });
});

describe('index.html', () => {
  const output = chartRunOutput();
  output.summary.thresholds = [
    { metric: 'latencyMs.p99', expression: '< 1500', actual: 40.875, ok: true },
    { metric: 'activations.lost', expression: '== 0', actual: 1, ok: false },
  ];
  const html = renderIndexHtml(output);

  it('is self-contained: no external src or href, charts as data URIs, no script', () => {
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    const images = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!);
    expect(images).toHaveLength(CHARTS.length);
    for (const src of images) expect(src.startsWith('data:image/png;base64,')).toBe(true);
    for (const href of [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!)) expect(href.startsWith('#')).toBe(true);
  });

  it('shows the threshold verdicts, the summary tables and the scenario as run', () => {
    expect(html).toContain('1 of 2 thresholds failed.');
    expect(html).toContain('<tr class="failed"><td><code>activations.lost</code></td>');
    expect(html).toContain('<h3>Outcomes</h3>');
    expect(html).toContain('<td class="num">1,000</td>');
    expect(html).toContain('<details>');
    expect(html).toContain('&quot;name&quot;: &quot;fake-scenario&quot;');
  });

  it('is the same text for the same output', () => {
    expect(renderIndexHtml(output)).toBe(html);
  });

  it('says so when the scenario declares no thresholds', () => {
    const page = renderIndexHtml(fakeRunOutput());
    expect(page).toContain('The scenario declares no thresholds.');
  });

  it('turns summary.md into HTML tables, lists and headings, undoing table escapes', () => {
    const body = markdownToHtml(renderSummaryMarkdown(fakeSummary()), ['Thresholds']);
    expect(body).not.toContain('<h2>owsim');
    expect(body).toContain('<h3>Latency (ms)</h3>');
    expect(body).toContain('<li>Cold starts: 12 (1.2% of completed)</li>');
    expect(markdownToHtml('## T\n\n| a | b |\n| --- | ---: |\n| x \\| y | 1 |')).toBe(
      '<h3>T</h3>\n<table>\n<thead><tr><th>a</th><th class="num">b</th></tr></thead>\n<tbody>\n<tr><td>x | y</td><td class="num">1</td></tr>\n</tbody>\n</table>',
    );
  });

  it('renders inline Markdown (bold, emphasis, code) instead of showing its marks (issue 16 item 9)', () => {
    expect(markdownToHtml('**Safe.** No crash; `oom.crashes` is *0* & 2 * 3 < 7.')).toBe(
      '<p><strong>Safe.</strong> No crash; <code>oom.crashes</code> is <em>0</em> &amp; 2 * 3 &lt; 7.</p>',
    );
    expect(markdownToHtml('- `a*b` and **x**')).toBe('<ul>\n<li><code>a*b</code> and <strong>x</strong></li>\n</ul>');
    const page = renderIndexHtml(fakeRunOutput());
    expect(page).not.toMatch(/\*\*[A-Z]/);
  });
});

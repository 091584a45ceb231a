import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors.js';
import { renderSummaryMarkdown } from '../../src/report/MarkdownReporter.js';
import { ReportersMap, isReporterName, reporterNames, type ReporterName } from '../../src/report/reporters.js';
import { makeRunInfo, RunInfoReporter } from '../../src/report/RunInfoReporter.js';
import { renderSummaryJson } from '../../src/report/SummaryJsonReporter.js';
import { renderTimeSeriesCsv } from '../../src/report/TimeSeriesCsvReporter.js';
import { writeReports, writeResolvedScenario } from '../../src/report/writeReports.js';
import { AssertionError } from '../../src/sim/assert.js';
import { fakeRunOutput, fakeSummary } from './fixtures.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'owsim-report-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('summary.json', () => {
  it('is two-space JSON with a final newline, keys in the order produced', () => {
    const text = renderSummaryJson(fakeSummary());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "scenario": "fake-scenario",');
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(fakeSummary()));
  });

  it('is byte-identical for equal summaries built separately', () => {
    expect(renderSummaryJson(fakeSummary(7))).toBe(renderSummaryJson(fakeSummary(7)));
    expect(renderSummaryJson(fakeSummary(7))).not.toBe(renderSummaryJson(fakeSummary(8)));
  });
});

describe('timeseries.csv', () => {
  it('has a header row and one row per sample, numbers fixed and without exponents', () => {
    const text = renderTimeSeriesCsv(fakeRunOutput().timeseries);
    expect(text).toBe(
      [
        'timeMs,topic.invoker0.depth,controller0.believedLoad',
        '0,0,0',
        '1000,3,0.3',
        '2000,12,0.333333',
        '3000,0,123456789.123457',
        '',
      ].join('\n'),
    );
  });

  it('is byte-identical for the same time series', () => {
    expect(renderTimeSeriesCsv(fakeRunOutput().timeseries)).toBe(renderTimeSeriesCsv(fakeRunOutput().timeseries));
  });

  it('quotes column names that contain commas', () => {
    const text = renderTimeSeriesCsv({ columns: ['a,b', 'c'], rows: [[1, 2]] });
    expect(text).toBe('"a,b",c\n1,2\n');
  });

  it('rejects a row whose width differs from the header as a programmer error', () => {
    expect(() => renderTimeSeriesCsv({ columns: ['a', 'b'], rows: [[1]] })).toThrow(AssertionError);
  });
});

describe('summary.md', () => {
  const md = renderSummaryMarkdown(fakeSummary());

  it('is titled with the scenario and seed', () => {
    expect(md.startsWith('# owsim: fake-scenario (seed 42)\n')).toBe(true);
  });

  it('has an outcome table with rejection reasons', () => {
    expect(md).toContain('## Outcomes');
    expect(md).toMatch(/\| arrived +\| +1,000 \| +100\.0% \|/);
    expect(md).toMatch(/\| rejected \(throttledRate 4, noInvokers 3\) +\| +7 \|/);
    expect(md).toMatch(/\| in flight at end +\| +7 \|/);
  });

  it('has a latency table with count, mean and quantiles for latency, wait and execution', () => {
    expect(md).toContain('## Latency (ms)');
    expect(md).toMatch(/\| +\| count \| +mean \| +p50 \| +p90 \| +p99 \| +p99\.9 \| +max \|/);
    expect(md).toMatch(/\| latency \(arrival → completion\) \| +980 \| +12\.3 \| +10\.3 \| +20\.5 \| +40\.9 \| +99\.5 \| +1,235 \|/);
    expect(md).toContain('| wait (arrival → start)');
    expect(md).toContain('| execution (start → end)');
  });

  it("reports cold starts, throughput and the Little's law check", () => {
    expect(md).toContain('- Cold starts: 12 after warm-up (1.2% of completed)');
    expect(md).toContain('- Throughput: 16.3 completed activations/s');
    expect(md).toContain("- Little's law: mean in flight 0.202 vs throughput × mean latency 0.202 (relative error <0.1%)");
  });

  it('lists overflow per controller when a controller had an episode, and omits it otherwise', () => {
    expect(md).toContain('## Overflow');
    expect(md).toMatch(/\| controller0 \| +2 \| +1\.50 s \|/);
    const calm = fakeSummary(42, {
      overflow: { episodes: 0, timeInOverflowMs: 0, activations: 0, dropped: 0 },
      controllers: {},
    });
    expect(renderSummaryMarkdown(calm)).not.toContain('## Overflow');
  });

  it('lists health transitions by kind', () => {
    expect(md).toContain('3 health transitions.');
    expect(md).toMatch(/\| Healthy→Unresponsive +\| +2 \|/);
  });

  it('lists the top 10 topics by max depth, ties broken by name', () => {
    const section = md.slice(md.indexOf('## Topic peaks'), md.indexOf('## Invokers'));
    expect(section).toContain('top 10 of 12 by max depth');
    const names = [...section.matchAll(/^\| (invoker\d+) /gm)].map((m) => m[1]);
    expect(names).toHaveLength(10);
    // maxDepth = (i * 7) % 12: 11 (i=5), 10 (i=10), 9 (i=3), 8 (i=8), 7 (i=1), 6 (i=6), 5 (i=11), 4 (i=4), 3 (i=9), 2 (i=2)
    expect(names).toEqual(['invoker5', 'invoker10', 'invoker3', 'invoker8', 'invoker1', 'invoker6', 'invoker11', 'invoker4', 'invoker9', 'invoker2']);
  });

  it('has a per-invoker table', () => {
    expect(md).toContain('| invoker  | activations | cold starts | max in flight |');
    expect(md).toMatch(/\| invoker0 \| +600 \| +7 \| +4 \|/);
  });

  it('shows threshold verdicts when the summary carries them', () => {
    const withThresholds = renderSummaryMarkdown(
      fakeSummary(42, {
        thresholds: [
          { metric: 'latencyMs.p99', expression: '< 30', actual: 40.875, ok: false },
          { metric: 'activations.lost', expression: '== 0', actual: null, ok: false },
        ],
      }),
    );
    expect(withThresholds).toContain('2 of 2 thresholds failed.');
    expect(withThresholds).toMatch(/\| latencyMs\.p99 +\| < 30 +\| +40\.9 \| FAILED +\|/);
    expect(withThresholds).toMatch(/\| activations\.lost +\| == 0 +\| +missing \| FAILED +\|/);
    expect(md).not.toContain('## Thresholds');
  });

  it('is byte-identical for equal summaries', () => {
    expect(renderSummaryMarkdown(fakeSummary())).toBe(md);
  });
});

describe('ReportersMap', () => {
  it('offers json, csv, md, png and html, which are the --report names', () => {
    expect(reporterNames).toEqual(['json', 'csv', 'md', 'png', 'html']);
    for (const name of reporterNames) expect(ReportersMap[name].name).toBe(name);
    expect(isReporterName('json')).toBe(true);
    expect(isReporterName('toString')).toBe(false);
  });
});

describe('writeReports', () => {
  it('writes every report and run-info.json by default', () => {
    const dir = join(tempDir(), 'nested', 'out');
    const output = {
      ...fakeRunOutput(),
      runInfo: makeRunInfo({ owsimVersion: '0.1.0', wallMs: 2000, startedAt: new Date(0), summary: fakeSummary() }),
    };
    const files = writeReports(output, dir);
    expect(files).toEqual(
      ['summary.json', 'timeseries.csv', 'summary.md', join('charts', 'latency-cdf.png'), 'index.html', 'run-info.json'].map((f) => join(dir, f)),
    );
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(renderSummaryJson(output.summary));
    const info = JSON.parse(readFileSync(join(dir, 'run-info.json'), 'utf8'));
    expect(info).toMatchObject({ owsimVersion: '0.1.0', wallMs: 2000, eventsPerSec: 617284, activationsPerSec: 500, startedAt: '1970-01-01T00:00:00.000Z' });
  });

  it('writes only the selected reporters, and no run-info.json without run info', () => {
    const dir = tempDir();
    const selected: ReporterName[] = ['md'];
    expect(writeReports(fakeRunOutput(), dir, selected)).toEqual([join(dir, 'summary.md')]);
    expect(readdirSync(dir)).toEqual(['summary.md']);
  });

  it('produces the same bytes on a second write of the same output', () => {
    const a = tempDir();
    const b = tempDir();
    writeReports(fakeRunOutput(), a);
    writeReports(fakeRunOutput(), b);
    const files = (readdirSync(a, { recursive: true }) as string[]).filter((f) => statSync(join(a, f)).isFile());
    expect(files).toContain(join('charts', 'latency-cdf.png'));
    for (const f of files) expect(readFileSync(join(b, f))).toEqual(readFileSync(join(a, f)));
  });

  it('turns an unwritable folder into a FileError', () => {
    const dir = tempDir();
    writeResolvedScenario(dir, { a: 1 });
    // A file where the folder should be.
    expect(() => writeReports(fakeRunOutput(), join(dir, 'scenario.resolved.json', 'x'))).toThrow(FileError);
  });

  it('run-info reporter writes nothing when the output has no run info', () => {
    expect(RunInfoReporter.write(fakeRunOutput(), tempDir())).toEqual([]);
  });
});

describe('cold starts in summary.md (issue 16 item 18)', () => {
  it('shows the measured count and, when the invoker table counts warm-up too, both, labelled', async () => {
    const { coldStartsLine } = await import('../../src/report/MarkdownReporter.js');
    const { fakeSummary: summary } = await import('./fixtures.js');
    const s = summary(1, {
      coldStarts: { count: 0, ratio: 0 },
      invokers: { invoker0: { activations: 10, coldStarts: 6, maxInFlight: 2 }, invoker1: { activations: 10, coldStarts: 4, maxInFlight: 2 } },
    });
    expect(coldStartsLine(s)).toBe("- Cold starts: 0 after warm-up (0.0% of completed); 10 over the whole run, warm-up included (the invoker table's count)");
  });
});

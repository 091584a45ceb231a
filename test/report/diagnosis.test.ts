/**
 * The diagnosis (summary.json `diagnosis`, "What happened" in summary.md and index.html): each rule fires on
 * a scenario that shows what it looks for and stays silent on the quick-start. The shipped scenarios' findings
 * are read from their committed baselines (reports/baselines, which the shipped-scenario test keeps equal to a
 * fresh run); thrash runs whole because its burst comes after the baselines' two-minute cut.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderIndexHtml } from '../../src/report/HtmlReporter.js';
import { renderSummaryMarkdown } from '../../src/report/MarkdownReporter.js';
import { diagnose } from '../../src/report/diagnosis/diagnose.js';
import type { Finding, Summary } from '../../src/report/types.js';
import { runScenario } from '../../src/runScenario.js';
import { loadScenarioFile, parseScenarioText } from '../../src/scenario/load.js';

const root = join(import.meta.dirname, '..', '..');

function baseline(name: string): Summary {
  return JSON.parse(readFileSync(join(root, 'reports', 'baselines', name, 'summary.json'), 'utf8')) as Summary;
}

const rules = (findings: readonly Finding[]) => findings.map((f) => f.rule);

describe('the diagnosis', () => {
  it('says nothing is wrong on the quick-start', () => {
    const output = runScenario(loadScenarioFile(join(root, 'scenarios', 'quickstart.yaml')));
    expect(output.summary.diagnosis).toEqual([]);
    const md = renderSummaryMarkdown(output.summary);
    expect(md).toMatch(/^# owsim: quickstart \(seed 1\)\n\nSimulated [^\n]*\n\n## What happened\n\nNothing is wrong: no diagnosis rule fired/);
    expect(renderIndexHtml({ ...output, charts: {} })).toContain('<p class="nothing-wrong">Nothing is wrong: no diagnosis rule fired.</p>');
    expect(baseline('quickstart').diagnosis).toEqual([]);
  });

  describe('on scenarios/thrash.yaml', () => {
    const output = runScenario(loadScenarioFile(join(root, 'scenarios', 'thrash.yaml')));
    const d = output.summary.diagnosis!;

    it('opens summary.md with the thrash and the namespace-limit rejections, with their figures', () => {
      expect(rules(d).slice(0, 3)).toEqual(['cold-start-thrash', 'rejections', 'rejections']);
      const [thrash, ...rejections] = d;
      expect(thrash!.severity).toBe('critical');
      expect(thrash!.evidence['evictionsPerActivation']).toBeGreaterThan(0.5);
      expect(thrash!.knobs.join(' ')).toMatch(/invokers\.userMemory: \d+ GB/);
      expect(thrash!.knobs.join(' ')).toMatch(/invokers\.count: \d+/);
      const rate = rejections.find((f) => f.evidence['reason'] === 'throttledRate')!;
      expect(rate.evidence).toMatchObject({ namespace: 'shop', limit: 60_000, peakDemandPerMinute: 90_000 });
      expect(rate.evidence['rejected']).toBe(output.summary.activations.rejectedBy['throttledRate']);
      expect(rate.message).toContain('controllers.limits.invocationsPerMinute = 60,000');

      const md = renderSummaryMarkdown(output.summary);
      const opening = md.slice(md.indexOf('## What happened'), md.indexOf('## Outcomes'));
      const lines = opening.split('\n').filter((l) => l.startsWith('- '));
      expect(lines[0]).toMatch(/^- CRITICAL Cold-start thrash: \d+\.\d% of measured starts were cold, and the invokers evicted [\d,]+ idle containers/);
      expect(lines.slice(1, 3).join('\n')).toMatch(/Namespace rate limit: [\d,]+ of [\d,]+ arrivals \(\d+\.\d%\) were rejected \(throttledRate\)/);
      expect(lines.slice(1, 3).join('\n')).toMatch(/Namespace concurrency limit: [\d,]+ of [\d,]+ arrivals/);
      expect(md.indexOf('## What happened')).toBeLessThan(md.indexOf('## Outcomes'));
    });

    it('also finds the unstable queues and the forced timeouts they cause', () => {
      const queue = d.find((f) => f.rule === 'unstable-queue')!;
      expect(queue.evidence['depthAtLoadEnd']).toBeGreaterThan(queue.evidence['depthAtLoadStart'] as number);
      const timeouts = d.find((f) => f.rule === 'forced-timeouts')!;
      expect(timeouts.evidence['timedOut']).toBe(output.summary.activations.timedOut);
      expect(timeouts.message).toContain('Cause: a backlog');
    });

    it('shows the findings at the top of index.html', () => {
      const html = renderIndexHtml({ ...output, charts: {} });
      expect(html.indexOf('<section id="diagnosis">')).toBeLessThan(html.indexOf('<section id="summary">'));
      expect(html).toContain('<div class="finding critical"><p><span class="severity">CRITICAL</span>Cold-start thrash');
    });

    it('lists every action in the JSON and the top ones in summary.md', () => {
      expect(Object.keys(output.summary.actions!)).toHaveLength(30);
      const md = renderSummaryMarkdown(output.summary);
      expect(md).toContain('By p99 latency (top 5 of 30; every action is in summary.json):');
      expect(md).toContain('By cold starts (top 5 of 30; every action is in summary.json):');
      expect(md).toMatch(/burst\.shop\/api and 29 more \(2 min – 4 min\)/);
    });
  });

  it('finds OOM crashes with their backlog source, and the dropped records (slow-store-oom)', () => {
    const d = baseline('slow-store-oom').diagnosis!;
    const oom = d.find((f) => f.rule === 'oom')!;
    expect(oom.severity).toBe('critical');
    expect(oom.message).toMatch(/Out of memory: invokers crashed \d+ times .* the store writes 600\/s while the run produced/);
    expect(rules(d)).toContain('records-dropped');
    const timeouts = d.find((f) => f.rule === 'forced-timeouts');
    if (timeouts) expect(timeouts.message).toMatch(/out of memory/);
  });

  it('finds overflow churn (overflow-burst: MaxOffset after every poll)', () => {
    const churn = baseline('overflow-burst').diagnosis!.find((f) => f.rule === 'overflow-churn')!;
    expect(churn.evidence['episodesPerMinute']).toBeGreaterThan(1);
    expect(churn.knobs.join(' ')).toContain('max-offset-on-empty-poll');
  });

  it('finds the bookkeeping error and the forced timeouts of a crash (faults-tour)', () => {
    const d = baseline('faults-tour').diagnosis!;
    expect(rules(d)).toContain('bookkeeping-error');
    const timeouts = d.find((f) => f.rule === 'forced-timeouts');
    if (timeouts) expect(timeouts.message).toMatch(/invoker crashes|Offline/);
  });

  it('finds a latency target below the run time (the p99 floor), and one below the slowest action', () => {
    const text = (threshold: string) => `
name: floor
duration: 60s
invokers: { count: 2 }
workload:
  actions:
    - { name: guest/fast, memory: 128MB, duration: 20ms, arrivals: 50/s }
    - { name: guest/slow, memory: 128MB, duration: 800ms, arrivals: 0.2/s }
thresholds:
  ${threshold}
`;
    const never = runScenario(parseScenarioText(text(`'actions["guest/slow"].latencyMs.p99': '< 500'`), 'floor.yaml')).summary.diagnosis!;
    expect(never).toHaveLength(1);
    expect(never[0]).toMatchObject({ rule: 'p99-floor', severity: 'critical' });
    expect(never[0]!.message).toMatch(/can never be met: guest\/slow's own run time has a p99 of 800 ms/);
    const slowest = runScenario(parseScenarioText(text(`latencyMs.p99: '< 500'`), 'floor.yaml')).summary.diagnosis!;
    expect(slowest.map((f) => [f.rule, f.severity])).toEqual([['p99-floor', 'warning']]);
    expect(slowest[0]!.evidence['slowestAction']).toBe('guest/slow');
    const fine = runScenario(parseScenarioText(text(`latencyMs.p99: '< 1s'`), 'floor.yaml')).summary.diagnosis!;
    expect(fine).toEqual([]);
  });

  it('reports the system overload limit as a share of arrivals', () => {
    const d = runScenario(
      parseScenarioText(
        `
name: overload
duration: 20s
invokers: { count: 2 }
controllers: { limits: { systemConcurrent: 4 } }
workload:
  actions:
    - { name: guest/a, memory: 128MB, duration: 500ms, arrivals: 30/s }
`,
        'overload.yaml',
      ),
    ).summary.diagnosis!;
    const overload = d.find((f) => f.rule === 'rejections')!;
    expect(overload.evidence).toMatchObject({ reason: 'systemOverload', limit: 4 });
    expect(overload.message).toMatch(/^System overload limit: [\d,]+ of [\d,]+ arrivals \([\d.]+%\) were rejected \(systemOverload\)/);
  });

  it('reports membership disagreement when the summary carries it', () => {
    const s = { ...baseline('quickstart'), membership: { disagreementMs: 1500 } } as unknown as Summary;
    const findings = diagnose({ summary: s, scenario: loadScenarioFile(join(root, 'scenarios', 'quickstart.yaml')), timeseries: { columns: ['t_ms'], rows: [] }, overflowRequeues: 0 });
    expect(findings.map((f) => f.rule)).toEqual(['membership-disagreement']);
    expect(findings[0]!.message).toContain('disagreementMs 1,500');
  });
});

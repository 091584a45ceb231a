/**
 * index.html: one self-contained page per run, readable offline and attachable to a CI job. It holds, in
 * order: a verdict banner (thresholds), the threshold table, the summary tables, every chart (PNG embedded as
 * a base64 data URI), and the scenario as run in a collapsed block. Plain CSS in a <style> element; no
 * script, no external asset, no link off the page.
 *
 * The summary tables are summary.md's content (MarkdownReporter) turned into HTML by a converter for exactly
 * the Markdown subset that reporter writes (headings, paragraphs, `- ` lists, pipe tables), so the page and
 * summary.md can never disagree. Like summary.md, the page is built from the summary, time series and
 * resolved scenario only, never from run-info, so it is deterministic on one machine.
 */
import { renderCharts, type RenderedChart } from './charts/index.js';
import { formatCount, formatDuration, formatQuantity } from './format.js';
import { renderSummaryMarkdown } from './MarkdownReporter.js';
import type { Reporter } from './Reporter.js';
import type { RunOutput, Summary } from './types.js';
import { writeReportFile } from './writeFile.js';
import { DIAGNOSIS_STYLE, diagnosisHtml } from './diagnosisHtml.js';
import { escapeHtml } from './escapeHtml.js';

export const INDEX_HTML_FILE = 'index.html';

/**
 * Inline Markdown as summary.md writes it: `**bold**`, `*emphasis*` and `` `code` ``, escaped first. Code spans
 * are cut out before emphasis so a `*` inside one stays literal.
 */
export function inlineHtml(text: string): string {
  const parts = text.split(/(`[^`]+`)/);
  return parts
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/(^|[^*\w])\*([^*\s][^*]*?)\*(?![*\w])/g, '$1<em>$2</em>');
    })
    .join('');
}

/** Splits a Markdown table row on unescaped pipes and undoes markdownTable's escapes. */
function tableCells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      cell += inner[++i];
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function tableHtml(lines: string[]): string {
  const header = tableCells(lines[0]!);
  const aligns = tableCells(lines[1]!).map((rule) => (rule.endsWith(':') ? 'num' : ''));
  const cls = (i: number): string => (aligns[i] ? ` class="${aligns[i]}"` : '');
  const head = header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const body = lines
    .slice(2)
    .map((line) => `<tr>${tableCells(line).map((c, i) => `<td${cls(i)}>${inlineHtml(c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/**
 * HTML for the Markdown subset summary.md uses. `skipSections` drops `##` sections by title (the page shows
 * thresholds its own way). Headings move down one level: the page has its own h1.
 */
export function markdownToHtml(markdown: string, skipSections: readonly string[] = []): string {
  const blocks = markdown.trim().split(/\n\s*\n/);
  const out: string[] = [];
  let skipping = false;
  for (const block of blocks) {
    const lines = block.split('\n');
    const first = lines[0]!;
    const heading = /^(#{1,6})\s+(.*)$/.exec(first);
    if (heading && lines.length === 1) {
      const level = heading[1]!.length;
      // The h1 and its intro paragraph repeat what the page's own header says.
      skipping = level === 1 || skipSections.includes(heading[2]!);
      if (!skipping) out.push(`<h${Math.min(6, level + 1)}>${escapeHtml(heading[2]!)}</h${Math.min(6, level + 1)}>`);
      continue;
    }
    if (skipping) continue;
    if (lines.every((l) => l.trim().startsWith('|')) && lines.length >= 2) {
      out.push(tableHtml(lines));
    } else if (lines.every((l) => l.startsWith('- '))) {
      out.push(`<ul>\n${lines.map((l) => `<li>${inlineHtml(l.slice(2))}</li>`).join('\n')}\n</ul>`);
    } else {
      out.push(`<p>${inlineHtml(lines.join(' '))}</p>`);
    }
  }
  return out.join('\n');
}

function banner(s: Summary): string {
  const t = s.thresholds;
  if (!t || t.length === 0) return '<p class="banner neutral">The scenario declares no thresholds.</p>';
  const failed = t.filter((v) => !v.ok).length;
  return failed === 0
    ? `<p class="banner ok">All ${t.length} thresholds hold.</p>`
    : `<p class="banner failed">${failed} of ${t.length} thresholds failed.</p>`;
}

function thresholdTable(s: Summary): string {
  const t = s.thresholds;
  if (!t || t.length === 0) return '';
  const rows = t
    .map(
      (v) =>
        `<tr class="${v.ok ? 'ok' : 'failed'}"><td><code>${escapeHtml(v.metric)}</code></td><td><code>${escapeHtml(v.expression)}</code></td>` +
        `<td class="num">${v.actual === null ? 'missing' : escapeHtml(Number.isInteger(v.actual) ? formatCount(v.actual) : formatQuantity(v.actual))}</td>` +
        `<td>${v.ok ? 'ok' : 'FAILED'}</td></tr>`,
    )
    .join('\n');
  return [
    '<section id="thresholds">',
    '<h2>Thresholds</h2>',
    '<table>',
    '<thead><tr><th>metric</th><th>threshold</th><th class="num">actual</th><th>verdict</th></tr></thead>',
    `<tbody>\n${rows}\n</tbody>`,
    '</table>',
    '</section>',
  ].join('\n');
}

function chartFigure(c: RenderedChart): string {
  const src = `data:image/png;base64,${c.png.toString('base64')}`;
  return `<figure>\n<img src="${src}" alt="${escapeHtml(c.caption)}" width="1200" height="600">\n<figcaption>${escapeHtml(c.caption)}</figcaption>\n</figure>`;
}

export const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f9; line-height: 1.45; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 10px; border-bottom: 1px solid #d8dbe0; padding-bottom: 4px; }
h3 { font-size: 1.1rem; margin: 22px 0 8px; }
.meta { color: #555; margin: 0 0 14px; }
nav { font-size: 0.95rem; margin: 6px 0 0; }
nav a { margin-right: 14px; color: #2b5d9b; }
.banner { font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.banner.ok { background: #e3f4e6; color: #1d6b2f; border: 1px solid #b5dfbe; }
.banner.failed { background: #fbe4e4; color: #9b1c1c; border: 1px solid #efb9b9; }
.banner.neutral { background: #eceef2; color: #444; border: 1px solid #d8dbe0; }
table { border-collapse: collapse; background: #fff; margin: 8px 0 12px; font-size: 0.95rem; }
th, td { border: 1px solid #d8dbe0; padding: 5px 10px; text-align: left; }
th { background: #eef0f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fdeeee; color: #9b1c1c; font-weight: 600; }
tr.ok td:last-child { color: #1d6b2f; }
figure { margin: 16px 0 28px; background: #fff; border: 1px solid #d8dbe0; border-radius: 6px; padding: 8px; }
figure img { display: block; width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.92rem; margin-top: 6px; }
details { background: #fff; border: 1px solid #d8dbe0; border-radius: 6px; padding: 8px 12px; }
summary { cursor: pointer; font-weight: 600; }
pre { overflow-x: auto; font-size: 0.85rem; }
footer { color: #777; font-size: 0.85rem; margin-top: 36px; }
`.trim();

export function renderIndexHtml(output: RunOutput): string {
  const s = output.summary;
  const charts = renderCharts(output);
  const title = `owsim: ${s.scenario} (seed ${s.seed})`;
  const nav = [
    s.diagnosis !== undefined ? '<a href="#diagnosis">What happened</a>' : '',
    s.thresholds && s.thresholds.length > 0 ? '<a href="#thresholds">Thresholds</a>' : '',
    '<a href="#summary">Summary</a>',
    charts.length > 0 ? '<a href="#charts">Charts</a>' : '',
    '<a href="#scenario">Scenario</a>',
  ].filter((x) => x !== '');
  const body = [
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">Simulated ${escapeHtml(formatDuration(s.simulatedMs))}, measured from ${escapeHtml(formatDuration(s.measuredFromMs))}; ` +
      `${escapeHtml(formatCount(s.events))} kernel events; ${escapeHtml(formatCount(s.activations.arrived))} activations arrived.</p>`,
    banner(s),
    `<nav>${nav.join('')}</nav>`,
    '</header>',
    diagnosisHtml(s),
    thresholdTable(s),
    '<section id="summary">',
    '<h2>Summary</h2>',
    markdownToHtml(renderSummaryMarkdown(s), ['Thresholds', 'What happened']),
    '</section>',
    charts.length > 0 ? ['<section id="charts">', '<h2>Charts</h2>', ...charts.map(chartFigure), '</section>'].join('\n') : '',
    '<section id="scenario">',
    '<h2>Scenario as run</h2>',
    '<details>',
    '<summary>The fully resolved scenario (defaults and overrides applied), as JSON</summary>',
    `<pre>${escapeHtml(JSON.stringify(output.resolvedScenario, null, 2) ?? 'null')}</pre>`,
    '</details>',
    '</section>',
    `<footer>Written by owsim from summary.json, timeseries.csv and the resolved scenario. ` +
      `Same scenario and seed, same page.</footer>`,
  ].filter((x) => x !== '');
  return htmlPage(title, `${STYLE}\n${DIAGNOSIS_STYLE}`, body);
}

/** A self-contained page: the title, the style sheet inline, the body lines inside `<main>`. */
export function htmlPage(title: string, style: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${style}\n</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const HtmlReporter: Reporter = {
  name: 'html',
  write(output: RunOutput, dir: string): string[] {
    return [writeReportFile(dir, INDEX_HTML_FILE, renderIndexHtml(output))];
  },
};

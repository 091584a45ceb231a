/**
 * A sweep's index.html: what was swept, one row per point (the parameter values, the mean over seeds of the
 * metrics an operator reads first, whether every seed met the thresholds, and links to each run's own
 * index.html when the sweep kept its points), then the capacity charts. The charts are the PNG files beside
 * the page (charts/…), so the folder is the unit to copy; no script, nothing loaded from elsewhere.
 */
import { HEADLINE_METRICS } from '../report/summaryPaths.js';
import { formatQuantity } from '../report/format.js';
import { escapeHtml } from '../report/escapeHtml.js';
import { htmlPage, STYLE } from '../report/HtmlReporter.js';
import { pointFolder, resultValue, SWEEP_CSV_FILE, type SweepOutcome } from './runSweep.js';

export const SWEEP_INDEX_FILE = 'index.html';

/** The columns of the points table, when the runs have them. */
const TABLE_METRICS = [
  'latencyMs.p99',
  'latencyMs.mean',
  'throughputPerSec',
  'activations.timedOut',
  'activations.lost',
  'coldStarts.count',
  'overflow.timeInOverflowMs',
  'oom.crashes',
  'oom.peakHeapFraction',
  'store.lostRecords',
  'store.writeLatencyMs.p99',
] as const;

const SWEEP_STYLE = `
.scroll { overflow-x: auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 0 16px; }
.grid figure { margin: 8px 0; }
`.trim();

const HEADLINE = new Set(HEADLINE_METRICS.map(([m]) => m));

export function renderSweepIndexHtml(outcome: SweepOutcome, charts: readonly { file: string; metric: string }[]): string {
  const metrics = TABLE_METRICS.filter((m) => HEADLINE.has(m) || outcome.results.some((r) => resultValue(r, m) !== undefined));
  const byPoint = outcome.points.map((p) => outcome.results.filter((r) => r.point === p.index).sort((a, b) => a.seed - b.seed));
  const mean = (point: number, metric: string): string => {
    const values = byPoint[point]!.map((r) => resultValue(r, metric)).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length === 0 ? '–' : formatQuantity(values.reduce((a, b) => a + b, 0) / values.length);
  };
  const head = [
    '<th class="num">point</th>',
    ...outcome.parameters.map((p) => `<th><code>${escapeHtml(p)}</code></th>`),
    ...metrics.map((m) => `<th class="num"><code>${escapeHtml(m)}</code></th>`),
    '<th>thresholds</th>',
    ...(outcome.keptPoints ? ['<th>reports</th>'] : []),
  ].join('');
  const rows = outcome.points
    .filter((p) => byPoint[p.index]!.length > 0)
    .map((p) => {
      const runs = byPoint[p.index]!;
      const failed = runs.filter((r) => !r.thresholdsOk).length;
      const links = runs.map((r) => `<a href="${escapeHtml(pointFolder(p.index, r.seed))}/index.html">seed ${r.seed}</a>`).join(' ');
      return (
        `<tr class="${failed === 0 ? 'ok' : 'failed'}"><td class="num">${p.index}</td>` +
        p.values.map((v) => `<td>${escapeHtml(v)}</td>`).join('') +
        metrics.map((m) => `<td class="num">${escapeHtml(mean(p.index, m))}</td>`).join('') +
        `<td>${failed === 0 ? 'ok' : `${failed} of ${runs.length} seeds failed`}</td>` +
        (outcome.keptPoints ? `<td>${links}</td>` : '') +
        '</tr>'
      );
    })
    .join('\n');
  const seedsText = `${outcome.seeds.length} seed${outcome.seeds.length === 1 ? '' : 's'} (${outcome.seeds.join(', ')})`;
  const title = `owsim sweep: ${outcome.scenario}`;
  const body = [
    '<header>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${outcome.points.length} points × ${escapeHtml(seedsText)}; swept ${outcome.parameters.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')}. ` +
      `Every metric of every run: <a href="${SWEEP_CSV_FILE}">${SWEEP_CSV_FILE}</a>.` +
      (outcome.keptPoints ? ' Each run\'s own report is linked in the last column.' : ' Run with <code>--keep-points</code> to keep each run\'s report folder.') +
      '</p>',
    '<nav><a href="#points">Points</a><a href="#charts">Charts</a></nav>',
    '</header>',
    '<section id="points">',
    '<h2>Points</h2>',
    `<p>Means over the seeds of each point.</p>`,
    `<div class="scroll"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>`,
    '</section>',
    '<section id="charts">',
    '<h2>Capacity charts</h2>',
    '<div class="grid">',
    ...charts.map(
      (c) =>
        `<figure>\n<img src="charts/${escapeHtml(c.file)}" alt="${escapeHtml(c.metric)} against ${escapeHtml(outcome.parameters[0] ?? '')}" width="1200" height="600">\n` +
        `<figcaption><code>${escapeHtml(c.metric)}</code> against <code>${escapeHtml(outcome.parameters[0] ?? '')}</code></figcaption>\n</figure>`,
    ),
    '</div>',
    '</section>',
    '<footer>Written by owsim sweep. Same sweep and seeds, same page.</footer>',
  ];
  return htmlPage(title, `${STYLE}\n${SWEEP_STYLE}`, body);
}

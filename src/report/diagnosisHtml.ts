/**
 * index.html's "What happened" section: the diagnosis (summary.json `diagnosis`) at the top of the page, one
 * coloured box per finding with its message and the settings to try; a green line when nothing fired.
 */
import { escapeHtml } from './escapeHtml.js';
import type { Summary } from './types.js';

export const DIAGNOSIS_STYLE = `
.finding { border-radius: 6px; padding: 8px 12px; margin: 8px 0; border: 1px solid #d8dbe0; background: #fff; }
.finding.critical { border-left: 6px solid #b42318; background: #fdf1f0; }
.finding.warning { border-left: 6px solid #c47f00; background: #fdf7e8; }
.finding.info { border-left: 6px solid #2b5d9b; background: #eef3fa; }
.finding .severity { font-weight: 700; margin-right: 6px; }
.finding .knobs { color: #444; font-size: 0.92rem; margin: 4px 0 0; }
.nothing-wrong { color: #1d6b2f; font-weight: 600; }
`.trim();

export function diagnosisHtml(s: Summary): string {
  const d = s.diagnosis;
  if (d === undefined) return '';
  const body =
    d.length === 0
      ? '<p class="nothing-wrong">Nothing is wrong: no diagnosis rule fired.</p>'
      : d
          .map(
            (f) =>
              `<div class="finding ${f.severity}"><p><span class="severity">${f.severity.toUpperCase()}</span>${escapeHtml(f.message)}</p>` +
              `<p class="knobs">Try: ${f.knobs.map((k) => escapeHtml(k)).join('; ')}</p></div>`,
          )
          .join('\n');
  return ['<section id="diagnosis">', '<h2>What happened</h2>', body, '</section>'].join('\n');
}

/**
 * Number and table formatting shared by the reporters. Everything here is locale-free (no toLocaleString) so
 * the bytes of a report never depend on the machine that wrote it.
 */

/**
 * A number for a CSV cell: integers as they are, other values rounded to `decimals` places with trailing zeros
 * trimmed, never in exponent notation, `-0` as `0`, non-finite values as an empty cell.
 */
export function formatCsvNumber(x: number, decimals = 6): string {
  if (!Number.isFinite(x)) return '';
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x === 0 ? '0' : String(x);
  let text = x.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  if (text === '-0') text = '0';
  return text;
}

/** Groups the integer part of a decimal string in threes with commas: `1234567.5` → `1,234,567.5`. */
function groupThousands(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const intPart = dot === -1 ? body : body.slice(0, dot);
  const frac = dot === -1 ? '' : body.slice(dot);
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + grouped + frac;
}

/** A count for people: `1,234,567`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return groupThousands(Math.round(n).toFixed(0));
}

/**
 * A measured quantity with precision that follows its size: three significant-ish digits below 100, whole
 * numbers (grouped) above. `0.1234` → `0.123`, `4.56` → `4.56`, `45.67` → `45.7`, `4567.8` → `4,568`.
 */
export function formatQuantity(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  let text: string;
  if (abs >= 100) text = x.toFixed(0);
  else if (abs >= 10) text = x.toFixed(1);
  else if (abs >= 1) text = x.toFixed(2);
  else text = x.toFixed(3);
  if (text === '-0' || /^-0\.0*$/.test(text)) text = text.slice(1);
  return groupThousands(text);
}

/** A fraction as a percentage with one decimal; a non-zero value that would print as 0.0% prints `<0.1%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const pct = fraction * 100;
  if (pct > 0 && pct < 0.05) return '<0.1%';
  return `${pct.toFixed(1)}%`;
}

/** A duration for people: `850 ms`, `12.5 s`, `3 min 20 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 1000) return `${formatQuantity(ms)} ms`;
  const seconds = ms / 1000;
  if (Math.abs(seconds) < 120) return `${formatQuantity(seconds)} s`;
  const wholeSeconds = Math.round(seconds);
  const minutes = Math.floor(wholeSeconds / 60);
  const rest = wholeSeconds - minutes * 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

export type Align = 'left' | 'right';

/** Escapes the characters that would break a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A GitHub-flavoured Markdown table. Columns after the first are right-aligned by default (they hold numbers);
 * cells are padded so the source text is readable too.
 */
export function markdownTable(header: string[], rows: string[][], align?: Align[]): string {
  const aligns = align ?? header.map((_, i) => (i === 0 ? 'left' : 'right'));
  const cells = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string =>
    '| ' +
    widths
      .map((w, i) => {
        const cell = row[i] ?? '';
        return aligns[i] === 'right' ? cell.padStart(w) : cell.padEnd(w);
      })
      .join(' | ') +
    ' |';
  const rule =
    '|' + widths.map((w, i) => (aligns[i] === 'right' ? ` ${'-'.repeat(w - 1)}: ` : ` ${'-'.repeat(w)} `)).join('|') + '|';
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

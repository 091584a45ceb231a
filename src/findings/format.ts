/** Number formats of docs/findings.md's tables. */

/** 1234567 → "1,234,567" (rounded to an integer). */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds as seconds: three significant digits under 100 s ("1.19 s", "1.00 s", "33.4 s", "115 s"). */
export function sec(ms: number): string {
  const s = ms / 1000;
  return `${s >= 100 ? Math.round(s) : s.toPrecision(3)} s`;
}

/** A fraction as a percentage with `digits` decimals, or two significant digits under 10% ("38%", "9.3%"). */
export function pct(fraction: number, digits?: number): string {
  const p = fraction * 100;
  if (digits !== undefined) return `${p.toFixed(digits)}%`;
  return `${p >= 9.95 ? Math.round(p) : Number(p.toPrecision(2)).toString()}%`;
}

/** A markdown table from a header and rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = `|${header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n') + '\n';
}

/**
 * `owsim compare BASE CANDIDATE [--fail-on RULE …] [--out FILE.md]`: prints a Markdown table comparing two runs
 * (run folders or summary.json files) and exits 1 when a `--fail-on` rule fails. The grammar of rules and the
 * verdicts are in src/report/compare.ts and docs/reports.md.
 *
 * 1. Parse every rule before reading anything, so a typo in a rule fails fast (exit 2).
 * 2. Load both summaries (a missing or malformed file exits 2).
 * 3. Compare, print, write --out, and turn failed rules into exit 1.
 */
import { exitCodes, UsageError } from '../../errors.js';
import { compareSummaries, DEFAULT_TOLERANCE_PCT, loadSummary, parseRule, renderComparisonMarkdown } from '../../report/compare.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import { basename, dirname } from 'node:path';
import type { CliContext } from '../main.js';
import { toStringList } from './scenarioArg.js';

export interface CompareArgs {
  base?: string;
  candidate?: string;
  failOn?: unknown;
  'fail-on'?: unknown;
  out?: string;
  tolerance?: unknown;
}

/** `--tolerance 1%` (or `1`): a relative change in percent, ≥ 0. */
export function parseTolerance(raw: unknown): number {
  if (raw === undefined) return DEFAULT_TOLERANCE_PCT;
  const text = String(raw).trim();
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  if (!m || Array.isArray(raw)) throw new UsageError('not a tolerance', { path: '--tolerance', expected: 'a percentage ≥ 0, e.g. 1% or 0.5%', got: text });
  return Number(m[1]);
}

export async function compareCommand(args: CompareArgs, ctx: CliContext): Promise<number> {
  // 1.
  const raw = args['fail-on'] ?? args.failOn;
  const rules = raw === undefined ? [] : toStringList(raw).map(parseRule);
  const tolerancePct = parseTolerance(args.tolerance);

  // 2.
  const basePath = String(args.base);
  const candidatePath = String(args.candidate);
  const base = loadSummary(basePath);
  const candidate = loadSummary(candidatePath);

  // 3.
  const comparison = compareSummaries(base, candidate, rules, { tolerancePct });
  const markdown = renderComparisonMarkdown(comparison, { base: basePath, candidate: candidatePath });
  ctx.io.stdout.write(markdown);
  if (args.out !== undefined) {
    ensureDir(dirname(args.out));
    writeReportFile(dirname(args.out), basename(args.out), markdown);
  }
  for (const r of comparison.rules) {
    if (r.failed) ctx.io.stderr.write(`rule failed: ${r.rule.text}\n`);
  }
  return comparison.failed ? exitCodes.failed : exitCodes.ok;
}

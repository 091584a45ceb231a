/**
 * `owsim plan SCENARIO --vary PATH --target 'METRIC OP BOUND' [--min 1] [--max 64] [--seeds N] [--seed S]`:
 * the smallest whole value of PATH meeting the target, by bisection (src/sweep/plan.ts; assumes the target is
 * monotone in the value). Prints a Markdown report (also written to --out FILE). Exit 0 when a value was found,
 * 1 when even --max misses the target.
 */
import { basename, dirname } from 'node:path';
import { exitCodes, UsageError } from '../../errors.js';
import { formatQuantity } from '../../report/format.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import { parseTarget, plan, renderPlanMarkdown } from '../../sweep/plan.js';
import type { CliContext } from '../main.js';
import { parseSeed } from './run.js';
import { parseSeedCount, seedList } from './runSeeds.js';
import { loadScenarioArg, parseOverrides } from './scenarioArg.js';
import { scenarioPath } from './sweep.js';

export interface PlanArgs {
  scenario?: string;
  vary?: string;
  target?: string;
  min?: unknown;
  max?: unknown;
  seeds?: unknown;
  seed?: unknown;
  set?: unknown;
  out?: string;
  quiet?: boolean;
  debug?: boolean;
}

function parseBound(raw: unknown, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const text = String(raw).trim();
  if (!/^\d+$/.test(text)) throw new UsageError('not a whole number', { path: flag, expected: 'a whole number ≥ 0', got: text });
  return Number(text);
}

export async function planCommand(args: PlanArgs, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const target = parseTarget(String(args.target));
  const min = parseBound(args.min, '--min', 1);
  const max = parseBound(args.max, '--max', 64);
  if (min > max) throw new UsageError('--min is above --max', { path: '--min', expected: `at most --max (${max})`, got: String(min) });
  const overrides = parseOverrides(args.set);
  const seedFlag = parseSeed(args.seed);
  const seedCount = parseSeedCount(args.seeds) ?? 1;
  const file = await scenarioPath(args.scenario, deps);
  const vary = String(args.vary);
  // Load once with the first value, so a bad path or scenario fails before any run.
  const { scenario } = await loadScenarioArg(file, [...overrides, `${vary}=${max}`], deps);
  const seeds = seedList(seedFlag ?? scenario.seed, seedCount);
  const result = await plan({
    file,
    overrides,
    vary,
    target,
    min,
    max,
    seeds,
    runner: deps,
    onEvaluation: (e) => {
      if (args.quiet !== true) io.stderr.write(`${vary}=${e.value}: ${target.metric} ${formatQuantity(e.metric)} ${e.ok ? 'meets' : 'misses'} the target\n`);
    },
  });
  const markdown = renderPlanMarkdown(result);
  io.stdout.write(markdown);
  if (args.out !== undefined) {
    ensureDir(dirname(args.out));
    writeReportFile(dirname(args.out), basename(args.out), markdown);
  }
  return result.found === null ? exitCodes.failed : exitCodes.ok;
}

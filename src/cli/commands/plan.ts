/**
 * `owsim plan SCENARIO --vary PATH --target 'METRIC OP BOUND' [--min 1] [--max 64] [--seeds N] [--seed S]`:
 * the smallest whole value of PATH meeting the target, by bisection (src/sweep/plan.ts; assumes the target is
 * monotone in the value). Prints a Markdown report (also written to --out FILE). Exit 0 when a value was found,
 * 1 when even --max misses the target.
 */
import { basename, dirname } from 'node:path';
import { exitCodes, OwsimError, UsageError } from '../../errors.js';
import { formatQuantity } from '../../report/format.js';
import { ensureDir, writeReportFile } from '../../report/writeFile.js';
import { parseTarget, plan, renderPlanMarkdown } from '../../sweep/plan.js';
import type { CliContext } from '../main.js';
import { parseSeed, parseSeedCount, seedList } from '../seeds.js';
import { loadScenarioArg, parseOverrides } from './scenarioArg.js';
import { scenarioPath } from './sweep.js';

export interface PlanArgs {
  scenario?: string;
  vary?: string;
  target?: unknown;
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

/**
 * A load error caused by the varied field, as a --vary error: the loader blames the override it was given
 * (`--set invokers.cout=64`), which the user never typed.
 */
function varyError(err: unknown, vary: string, value: number): unknown {
  if (!(err instanceof OwsimError)) return err;
  const setText = `--set ${vary}=${value}`;
  const d = err.details as { problems?: { path?: string; message: string; expected?: string; got?: string }[]; expected?: string; got?: string; path?: string };
  const first = d.problems?.[0];
  const message = (first?.message ?? err.message).replace(` (value from ${setText})`, '').replace(`${setText}: `, '');
  return new UsageError(`--vary ${vary}: ${message}`, {
    path: '--vary',
    expected: first?.expected ?? d.expected ?? 'a scenario field that takes a whole number, e.g. invokers.count',
    got: `${vary} (tried with ${value})`,
  });
}

export async function planCommand(args: PlanArgs, ctx: CliContext): Promise<number> {
  const { io, deps } = ctx;
  const rawTargets = args.target === undefined ? [] : Array.isArray(args.target) ? args.target.map(String) : [String(args.target)];
  if (rawTargets.length === 0) throw new UsageError('a target is required', { path: '--target', expected: "METRIC OP BOUND, e.g. 'latencyMs.p99<500' (repeatable: all must hold)" });
  const targets = rawTargets.map(parseTarget);
  const target = targets[0]!;
  const min = parseBound(args.min, '--min', 1);
  const max = parseBound(args.max, '--max', 64);
  if (min > max) throw new UsageError('--min is above --max', { path: '--min', expected: `at most --max (${max})`, got: String(min) });
  const overrides = parseOverrides(args.set);
  const seedFlag = parseSeed(args.seed);
  const seedCount = parseSeedCount(args.seeds) ?? 1;
  const file = await scenarioPath(args.scenario, deps);
  const vary = String(args.vary);
  // Load once without and once with the varied value, so a bad scenario or --set fails as itself and a bad
  // --vary path fails naming --vary, before any run.
  await loadScenarioArg(file, overrides, deps);
  let scenario;
  try {
    ({ scenario } = await loadScenarioArg(file, [...overrides, `${vary}=${max}`], deps));
  } catch (err) {
    throw varyError(err, vary, max);
  }
  const seeds = seedList(seedFlag ?? scenario.seed, seedCount);
  const result = await plan({
    file,
    overrides,
    vary,
    target,
    targets,
    min,
    max,
    seeds,
    runner: deps,
    onEvaluation: (e) => {
      if (args.quiet !== true) {
        const values = targets.map((t, i) => `${t.metric} ${formatQuantity(e.metrics[i]!)}`).join(', ');
        io.stderr.write(`${vary}=${e.value}: ${values} ${e.ok ? 'meets' : 'misses'} the target${targets.length > 1 ? 's' : ''}\n`);
      }
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

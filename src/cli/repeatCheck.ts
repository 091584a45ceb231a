/**
 * `owsim run --check` with a user's module: the module must be as deterministic as owsim itself.
 *
 * 1. Both runs go through the ambient guard (ambientGuard.ts): a module that calls `Math.random`, `Date.now`
 *    or `performance.now` while owsim calls into it is named with its line and the activation at once.
 * 2. The run is repeated and must give the same summary.json and timeseries.csv content; if not, something
 *    else in the module is not repeatable (module-level state, `new Date()`), and the message names the module,
 *    the first field that differs and, when the source shows one, a suspicious line.
 * Either way the run ends with a `ModuleError` (exit 2).
 */
import type { RunOutput } from '../report/types.js';
import type { Scenario } from '../scenario/types.js';
import { withAmbientGuard, type AmbientUse } from '../extend/ambientGuard.js';
import { displayPath, failureLine, firstMention, ModuleError } from '../extend/moduleLoader.js';

/** The user's modules a scenario runs, with the field that names each. */
export function scenarioModules(scenario: Scenario): { file: string; field: string }[] {
  const modules: { file: string; field: string }[] = [];
  const balancer = scenario.controllers.loadBalancerModule;
  if (balancer !== null) modules.push({ file: balancer.file, field: 'controllers.loadBalancer.module' });
  const containerPolicy = scenario.invokers.containerPolicy;
  if (containerPolicy) modules.push({ file: containerPolicy.file, field: 'invokers.containerPolicy.module' });
  return modules;
}

const SUSPECTS = ['Math.random', 'Date.now', 'new Date', 'performance.now', 'crypto.', 'process.hrtime'];

/**
 * Runs `run` once, or, when `check` is on and the scenario names a module, twice under the ambient guard,
 * and returns the first run's output. Throws a ModuleError when the module is not repeatable.
 */
export async function runRepeatable(
  scenario: Scenario,
  check: boolean,
  run: () => RunOutput | Promise<RunOutput>,
): Promise<RunOutput> {
  const modules = scenarioModules(scenario);
  if (!check || modules.length === 0) return run();
  const first = await withAmbientGuard(run);
  if (first.firstUse !== null) throw ambientUseError(first.firstUse, scenario, modules);
  const second = await withAmbientGuard(run);
  if (second.firstUse !== null) throw ambientUseError(second.firstUse, scenario, modules);
  const difference = firstDifference(first.result, second.result);
  if (difference !== null) throw notRepeatableError(difference, scenario, modules);
  return first.result;
}

function ambientUseError(use: AmbientUse, scenario: Scenario, modules: { file: string; field: string }[]): ModuleError {
  const line = failureLine(use.stack, use.file);
  const where = line !== undefined ? `${displayPath(use.file)}:${line}` : displayPath(use.file);
  const during = use.activationId !== null ? ` while placing activation ${use.activationId}` : '';
  const field = modules.find((m) => m.file === use.file)?.field ?? modules[0]!.field;
  return new ModuleError(`module ${where}: uses ${use.what}${during}; two runs of the same seed would differ`, {
    file: scenario.source,
    path: field,
    expected: 'randomness from ctx.rng() and time from ctx.now() only',
  });
}

function notRepeatableError(difference: string, scenario: Scenario, modules: { file: string; field: string }[]): ModuleError {
  const suspects = modules
    .map((m) => {
      const mention = firstMention(m.file, SUSPECTS);
      return mention !== undefined ? `${displayPath(m.file)}:${mention.line} uses ${mention.word}` : displayPath(m.file);
    })
    .join('; ');
  return new ModuleError(`two runs of the same seed differ (${difference}): the module is not repeatable (${suspects})`, {
    file: scenario.source,
    path: modules[0]!.field,
    expected: 'state kept inside what create() returns, randomness from ctx.rng(), time from ctx.now()',
  });
}

/** Where two outputs of the same run differ: `summary.json <path>` or `timeseries.csv row N`; null if equal. */
export function firstDifference(a: RunOutput, b: RunOutput): string | null {
  const path = firstDifferentPath(a.summary, b.summary, '');
  if (path !== null) return `summary.json ${path || '(whole)'}`;
  const rowsA = a.timeseries.rows;
  const rowsB = b.timeseries.rows;
  const n = Math.max(rowsA.length, rowsB.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(rowsA[i]) !== JSON.stringify(rowsB[i])) return `timeseries.csv row ${i + 1}`;
  }
  return null;
}

function firstDifferentPath(a: unknown, b: unknown, path: string): string | null {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? null : path;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifferentPath((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Shared by `run` and `validate`: turns the SCENARIO argument and the `--set` flags into a loaded scenario.
 * The argument may be a file path or the name of a shipped scenario (`owsim run quickstart`); none means the
 * built-in quick start.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import type { Scenario } from '../../scenario/types.js';
import type { ScenarioLoad } from '../../sweep/seedTask.js';
import type { CliDeps } from '../deps.js';

export const BUILTIN_SCENARIO = 'quickstart';

export interface LoadedScenario {
  scenario: Scenario;
  /** The file to name in a reproduce line; undefined for the built-in quick start. */
  file: string | undefined;
  /** How it was loaded, for a worker thread to do the same (`owsim run --seeds N --workers W`). */
  load: ScenarioLoad;
}

/** The raw `--set` values (one string or several) as a list, each checked to look like `path=value`. */
export function parseOverrides(raw: unknown): string[] {
  const list = toStringList(raw);
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError('not an override of the form path=value', { path: '--set', expected: 'path=value', got: item });
  }
  return list;
}

export function toStringList(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  return values.map((v) => String(v));
}

export async function loadScenarioArg(
  arg: string | undefined,
  overrides: string[],
  deps: CliDeps,
): Promise<LoadedScenario> {
  if (arg === undefined || arg === '') {
    if (overrides.length === 0) {
      return { scenario: await deps.loadBuiltinScenario(BUILTIN_SCENARIO), file: undefined, load: { builtin: BUILTIN_SCENARIO } };
    }
    const shipped = (await deps.listShippedScenarios()).find((s) => s.name === BUILTIN_SCENARIO);
    if (shipped === undefined) {
      throw new UsageError('--set needs a scenario file here', { path: '--set', expected: 'owsim run FILE --set path=value' });
    }
    return { scenario: await deps.loadScenarioFile(shipped.file, overrides), file: undefined, load: { file: shipped.file } };
  }
  if (!existsSync(arg)) {
    const shipped = (await deps.listShippedScenarios()).find((s) => s.name === arg);
    if (shipped !== undefined) return { scenario: await deps.loadScenarioFile(shipped.file, overrides), file: arg, load: { file: shipped.file } };
  }
  return { scenario: await deps.loadScenarioFile(arg, overrides), file: arg, load: { file: arg } };
}

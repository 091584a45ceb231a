/**
 * From a scenario file (or text) to a validated, resolved `Scenario`. The steps:
 *   1. read the file (FileError when it is missing, a directory or unreadable);
 *   2. parse YAML (JSON is YAML): syntax errors become problems with their line;
 *   3. apply `--set` overrides to the raw document (overrides.ts);
 *   4. refuse absurd sizes up front (more than 10 000 actions), before validating each item;
 *   5. validate with the zod schema (schema.ts), collecting every issue with its path, expected and got, and
 *      "did you mean" for unknown keys;
 *   6. if the structure is valid, run the cross-field checks (checks.ts);
 *   7. throw one ScenarioProblemsError listing every problem, or resolve into a `Scenario` (resolve.ts).
 * Every failure is an OwsimError; nothing from zod or yaml escapes.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { FileError } from '../errors.js';
import type { Scenario } from './types.js';
import { findShippedScenario, listShippedScenarios } from './builtin.js';
import { checkScenario } from './checks.js';
import { validateThresholds } from '../report/thresholds.js';
import { scenarioLimits } from './defaults.js';
import { applyOverridesTracked } from './overrides.js';
import { formatGot, formatPath, ScenarioProblemsError, type PathSegment, type ScenarioProblem } from './problems.js';
import { resolveScenario } from './resolve.js';
import { resolveContainerPolicy } from './containerPolicyModule.js';
import { attachTrace } from './traceCatalog.js';
import { attachBalancerModule } from './balancerModule.js';
import { applyActionDefaults } from './actionDefaults.js';
import { actionDefaultsSchema, scenarioFileSchema } from './schema.js';
import { lineOf } from './sourceLines.js';
import { didYouMean } from './suggest.js';

export { applyOverrides } from './overrides.js';
export { listShippedScenarios } from './builtin.js';
export { scenarioToPlain } from './plain.js';
export { ScenarioProblemsError, type ScenarioProblem } from './problems.js';

/** At most this many problems are spelled out in the message (all are in `problems`). */
const MAX_LISTED_PROBLEMS = 50;

interface RawProblem {
  path: PathSegment[];
  message: string;
  expected?: string;
  got?: string;
  /** A line already known (YAML syntax errors). */
  line?: number;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (a section of keys)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
};

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const segment of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

function sectionExpected(keys: readonly string[]): string {
  return `one of the keys ${keys.join(', ')}`;
}

/** zod issues → problems; `knownKeys` holds each strict section's keys, captured while parsing. */
function issuesToProblems(issues: readonly z.core.$ZodIssue[], raw: unknown, knownKeys: Map<string, string[]>): RawProblem[] {
  const out: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    const params = (issue as { params?: { expected?: string; got?: string } }).params;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const keys = knownKeys.get(formatPath(path)) ?? [];
        for (const key of issue.keys) {
          const where = path.length ? `in ${formatPath(path)}` : 'at the top level';
          out.push({ path: [...path, key], message: `unknown key \`${key}\` ${where}${didYouMean(key, keys)}`, expected: sectionExpected(keys), got: key });
        }
        break;
      }
      case 'invalid_type': {
        const got = valueAt(raw, path);
        const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
        out.push({ path, message: got === undefined ? 'missing required field' : `expected ${expected}`, expected, got: formatGot(got) });
        break;
      }
      case 'too_small': {
        const what = issue.origin === 'array' ? `at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}` : `at least ${String(issue.minimum)}`;
        out.push({ path, message: issue.origin === 'array' ? 'the list is empty' : 'too small', expected: what, got: formatGot(valueAt(raw, path)) });
        break;
      }
      default: {
        const problem: RawProblem = { path, message: issue.message, got: params?.got ?? formatGot(valueAt(raw, path)) };
        if (params?.expected !== undefined) problem.expected = params.expected;
        out.push(problem);
      }
    }
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(file: string, problems: ScenarioProblem[]): never {
  if (problems.length > MAX_LISTED_PROBLEMS) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    listed.push({ path: '', message: `… and ${problems.length - MAX_LISTED_PROBLEMS} more problems` });
    const error = new ScenarioProblemsError(file, listed);
    Object.defineProperty(error, 'problems', { value: problems });
    throw error;
  }
  throw new ScenarioProblemsError(file, problems);
}

/** Parse, override, validate and resolve scenario text. `file` names it in errors and becomes `source`. */
export function parseScenarioText(text: string, file: string, overrides: string[] = []): Scenario {
  return parseWithSource(text, file, overrides, file);
}

function parseWithSource(text: string, file: string, overrides: readonly string[], source: string): Scenario {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const emptyExpected = 'a scenario: a mapping with at least `name` and `workload.actions`';
  if (content.trim() === '') fail(file, [{ path: '', message: 'the file is empty', expected: emptyExpected, got: 'an empty file' }]);

  // 2. YAML (JSON is a subset). Aliases are capped so a "billion laughs" file fails instead of hanging.
  const lineCounter = new LineCounter();
  // `merge`: YAML merge keys (`<<: *defaults`) so similar actions share one anchored block.
  const doc = parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const lines = content.split(/\r?\n/);
    fail(
      file,
      doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
        const problem: ScenarioProblem = {
          path: '',
          message: `invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
          expected: 'valid YAML or JSON',
          line,
        };
        const source = lines[line - 1];
        if (source !== undefined && source.trim() !== '') problem.got = JSON.stringify(source.trim().slice(0, 77));
        return problem;
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    fail(file, [{ path: '', message: `invalid YAML: ${(e as Error).message}`, expected: 'valid YAML or JSON without excessive aliases' }]);
  }
  if (raw === null || raw === undefined) fail(file, [{ path: '', message: 'the file has no content (only comments?)', expected: emptyExpected, got: 'nothing' }]);
  if (!isPlainObject(raw)) fail(file, [{ path: '', message: 'a scenario must be a mapping of keys at the top level', expected: emptyExpected, got: formatGot(raw), line: 1 }]);
  // Top-level `x-…` keys hold anchors for merge keys (as docker-compose's extension fields do); not scenario fields.
  raw = withoutExtensionKeys(raw);

  // 3. Overrides.
  const applied = applyOverridesTracked(raw, overrides, file);
  raw = applied.document;

  const finish = (rawProblems: RawProblem[]): never => {
    const problems = rawProblems.map((p): ScenarioProblem => {
      const path = formatPath(p.path);
      const problem: ScenarioProblem = { path, message: p.message };
      if (p.expected !== undefined) problem.expected = p.expected;
      if (p.got !== undefined) problem.got = p.got;
      const override = [...applied.paths].reverse().find((o) => path === o.path || path.startsWith(`${o.path}.`) || path.startsWith(`${o.path}[`));
      if (override) problem.message += ` (value from --set ${override.text})`;
      else {
        const line = p.line ?? lineOf(doc, lineCounter, p.path);
        if (line !== undefined) problem.line = line;
      }
      return problem;
    });
    // Top to bottom through the file; problems without a line (from --set) last. The sort is stable.
    problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    return fail(file, problems);
  };

  // 4. Absurd sizes before per-item validation.
  const actions = valueAt(raw, ['workload', 'actions']);
  if (Array.isArray(actions) && actions.length > scenarioLimits.actions) {
    finish([{ path: ['workload', 'actions'], message: `${actions.length} actions is more than owsim's limit of ${scenarioLimits.actions}`, expected: `at most ${scenarioLimits.actions} actions`, got: `${actions.length} actions` }]);
  }

  // 4b. workload.defaults into each listed action (actionDefaults.ts).
  const defaultsProblems = applyActionDefaults(raw, actionDefaultsSchema);
  if (defaultsProblems.length > 0) finish(defaultsProblems);

  // 5. Structure.
  const knownKeys = new Map<string, string[]>();
  const result = scenarioFileSchema.safeParse(raw, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const shape = (issue.inst?._zod.def as { shape?: Record<string, unknown> } | undefined)?.shape;
        if (shape) knownKeys.set(formatPath((issue.path ?? []).filter((s): s is string | number => typeof s !== 'symbol')), Object.keys(shape));
      }
      return undefined;
    },
  });
  if (!result.success) finish(issuesToProblems(result.error.issues, raw, knownKeys));
  const parsed = result.data!;

  // 6. Cross-field checks.
  const semantic = checkScenario(parsed);
  if (semantic.length > 0) finish(semantic);

  // 7. Resolve, then check threshold expressions and metric names before anything runs.
  let scenario = resolveScenario(parsed, source);
  validateThresholds(scenario.thresholds, file);
  // 7b. A container-policy module: found, shaped like one, its options valid (containerPolicyModule.ts).
  if (scenario.invokers.containerPolicy) resolveContainerPolicy(scenario.invokers.containerPolicy, file);
  // 8. A trace: read it once (streamed) to list its functions as actions (src/scenario/traceCatalog.ts).
  if (parsed.workload.trace !== undefined) scenario = attachTrace(scenario, parsed.workload.trace, file);
  // 9. A user's balancer module: load it, check its kind and validate its options (balancerModule.ts).
  scenario = attachBalancerModule(scenario, file);
  return scenario;
}

function readScenarioFile(path: string): string {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // The message leaves the path out: `file` puts it in front once (`my.yaml: no such file`).
    throw new FileError(code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (e as Error).message})`, { file: path, expected: 'an existing scenario file (.yaml, .yml or .json)' });
  }
  if (isDirectory) {
    let hint = '';
    try {
      if (statSync(join(path, 'scenario.yaml')).isFile()) hint = `; did you mean ${join(path, 'scenario.yaml')}?`;
    } catch {
      // No scenario.yaml inside: no hint.
    }
    throw new FileError(`is a directory, not a scenario file${hint}`, { file: path, expected: 'a scenario file (.yaml, .yml or .json)', got: 'a directory' });
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new FileError(`cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: path });
  }
}

/** Read and load a scenario file. FileError if it cannot be read; ScenarioError if it is not a valid scenario. */
export function loadScenarioFile(path: string, overrides: string[] = []): Scenario {
  return parseWithSource(readScenarioFile(path), path, overrides, path);
}

/** A shipped scenario by name (default `quickstart`); its `source` is `builtin:<name>`. */
export function loadBuiltinScenario(name = 'quickstart', overrides: string[] = []): Scenario {
  const file = findShippedScenario(name);
  if (!file) {
    const names = listShippedScenarios().map((s) => s.name);
    throw new FileError(`no shipped scenario named \`${name}\`${didYouMean(name, names)}`, { expected: `one of ${names.join(', ')}`, got: name });
  }
  return parseWithSource(readScenarioFile(file), file, overrides, `builtin:${name}`);
}

/** The top-level mapping without `x-…` keys, which only hold YAML anchors for `<<: *name` merges. */
function withoutExtensionKeys(raw: Record<string, unknown>): Record<string, unknown> {
  if (!Object.keys(raw).some((k) => k.startsWith('x-'))) return raw;
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith('x-')));
}

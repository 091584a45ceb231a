/**
 * Pass 1 of a trace, when the scenario loads: read the trace once (streamed), check every row, list its
 * functions in order of first appearance, and append one action per function to `workload.actions`. The
 * replay itself (src/trace/openTrace.ts) reads the file again while the simulation runs.
 *
 * Action names: `<app>/<func>` shortened to their first 8 characters (azure2021, azure2019: app and function
 * hashes), `aws/<file name>` for awslambda; characters outside OpenWhisk's names become `_`. When two functions
 * shorten to the same name, 16 characters are used, then the action index is appended.
 *
 * Defaults for what a trace lacks: memory `trace.memory` (azure2019: the app's average allocated memory from
 * the memory file, rounded up to 128 MB and capped at the invoker's user memory), kind `trace.kind`, time limit
 * `trace.timeout`, record size 16 KB, no application errors, blocking.
 */
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { ScenarioError } from '../errors.js';
import { traceDefaults } from './traceSchema.js';
import { unlistedActionFields } from './resolve.js';
import type { ActionConfig, Scenario, TraceConfig, TraceFormat } from './types.js';
import { constant, type DistributionSpec } from '../sim/distributions.js';
import { AZURE2019_DEFAULT_DURATION_MS, readAzure2019Durations, readAzure2019Memory, scanAzure2019Invocations } from '../trace/azure2019.js';
import { openRows } from '../trace/rows.js';

/** `workload.trace` as the schema outputs it (base units). */
export interface TraceFileSection {
  file: string;
  format: TraceFormat;
  memory: number;
  kind: string;
  timeout: number;
  durations?: string | undefined;
  memories?: string | undefined;
  reorderWindow: number;
}

const MEMORY_STEP_MB = 128;

function sanitize(segment: string): string {
  const s = segment.replace(/[^A-Za-z0-9_@.-]/g, '_');
  return /^[A-Za-z0-9_]/.test(s) ? s : `_${s}`;
}

/** Short action names for the trace's function keys, unique among themselves and `taken`. */
export function traceActionNames(format: TraceFormat, keys: readonly string[], taken: ReadonlySet<string> = new Set()): string[] {
  const used = new Set(taken);
  return keys.map((key, index) => {
    const parts = key.split('/');
    const candidates =
      format === 'awslambda'
        ? [`aws/${sanitize(key)}`]
        : [8, 16].map((n) => `${sanitize(parts[parts.length - 2]!.slice(0, n))}/${sanitize(parts[parts.length - 1]!.slice(0, n))}`);
    let name = candidates.find((c) => !used.has(c)) ?? `${candidates[candidates.length - 1]}-${index}`;
    while (used.has(name)) name = `${name}-${index}`;
    used.add(name);
    return name;
  });
}

/** Every function key of the trace in order of first appearance; every row is checked on the way. */
export function scanTraceFunctions(format: TraceFormat, file: string): string[] {
  const seen = new Set<string>();
  if (format === 'azure2019') {
    scanAzure2019Invocations(file, (key) => seen.add(key));
    return [...seen];
  }
  const rows = openRows(format, file);
  try {
    for (let row = rows.next(); row !== null; row = rows.next()) seen.add(row.key);
  } finally {
    rows.close();
  }
  return [...seen];
}

function resolveFile(path: string, scenarioFile: string): string {
  return isAbsolute(path) ? path : resolvePath(dirname(scenarioFile), path);
}

function roundUpMemory(mb: number, capMb: number): number {
  return Math.min(capMb, Math.max(MEMORY_STEP_MB, Math.ceil(mb / MEMORY_STEP_MB) * MEMORY_STEP_MB));
}

/** The scenario with the trace's functions appended as actions and `workload.trace` filled in. */
export function attachTrace(scenario: Scenario, section: TraceFileSection, scenarioFile: string): Scenario {
  const file = resolveFile(section.file, scenarioFile);
  const userMemoryMb = scenario.invokers.userMemoryMb;
  if (scenario.invokers.poolMode === 'memory' && section.memory > userMemoryMb) {
    throw new ScenarioError(`traced functions' memory ${section.memory}MB can never fit an invoker`, {
      file: scenarioFile,
      path: 'workload.trace.memory',
      expected: `at most ${userMemoryMb}MB (invokers.userMemory)`,
      got: `${section.memory}MB`,
    });
  }
  const keys = scanTraceFunctions(section.format, file);
  const names = traceActionNames(section.format, keys, new Set(scenario.workload.actions.map((a) => a.name)));
  const durationsFile = section.durations !== undefined ? resolveFile(section.durations, scenarioFile) : null;
  const memoriesFile = section.memories !== undefined ? resolveFile(section.memories, scenarioFile) : null;

  let durations = new Map<string, DistributionSpec>();
  let memories = new Map<string, number>();
  if (section.format === 'azure2019') {
    if (durationsFile !== null) durations = readAzure2019Durations(durationsFile, new Set(keys));
    if (memoriesFile !== null) memories = readAzure2019Memory(memoriesFile);
  }
  const fields = unlistedActionFields();
  const traced: ActionConfig[] = keys.map((key, i) => {
    const name = names[i]!;
    const appKey = key.split('/').slice(0, 2).join('/');
    const fileMemory = memories.get(appKey);
    return {
      name,
      namespace: name.split('/')[0]!,
      kind: section.kind,
      memoryMb: fileMemory !== undefined ? roundUpMemory(fileMemory, userMemoryMb) : section.memory,
      timeoutMs: section.timeout,
      concurrency: fields.concurrency,
      // Row formats carry each invocation's run time; azure2019 draws it from the function's percentiles.
      durationMs: section.format === 'azure2019' ? (durations.get(key) ?? constant(AZURE2019_DEFAULT_DURATION_MS)) : constant(0),
      // The trace drives arrivals; the synthetic process of a traced action never fires.
      arrivals: { process: 'constant', ratePerSec: 0 },
      errorProbability: fields.errorProbability,
      recordSizeBytes: fields.recordSizeBytes,
      blocking: fields.blocking,
      pull: false,
      clients: null,
    };
  });
  const trace: TraceConfig = {
    file,
    format: section.format,
    memoryMb: section.memory,
    kind: section.kind,
    timeoutMs: section.timeout,
    durationsFile,
    memoriesFile,
    reorderWindowMs: section.reorderWindow,
    firstAction: scenario.workload.actions.length,
    functions: keys,
  };
  // The schema refuses a population or a timeScale other than 1 beside a trace (schema.ts), so these are the values given.
  return { ...scenario, workload: { actions: [...scenario.workload.actions, ...traced], trace, timeScale: 1, population: null } };
}

export { traceDefaults };

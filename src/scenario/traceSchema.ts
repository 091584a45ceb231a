/**
 * `workload.trace:` replays a recorded trace instead of (or besides) synthetic arrivals. Each function in the
 * trace becomes an action (src/scenario/traceCatalog.ts names them); its arrivals and run times come from the
 * trace rows. Fields (docs/scenarios.md#workloadtrace):
 *
 *   file           the trace file, relative to the scenario file
 *   format         azure2021 | azure2019 | awslambda
 *   memory         memory of traced functions when the trace has none (default 256MB)
 *   kind           runtime kind of traced functions (default nodejs:6)
 *   timeout        action time limit of traced functions (default 5m, OpenWhisk's largest)
 *   durations      azure2019 only: the function_durations_percentiles file (default: run time 1s)
 *   memories       azure2019 only: the app_memory_percentiles file (default: `memory`)
 *   reorderWindow  azure2021: rows are ordered by end time; a start may precede earlier rows' starts by at
 *                  most this much (default 10m, Azure Functions' longest run)
 */
import { z } from 'zod';
import { TRACE_FORMATS } from '../trace/TraceCursor.js';
import { durationMs, oneOf, sizeMb, text } from './leaves.js';
import { scenarioDefaults } from './defaults.js';

export const traceDefaults = scenarioDefaults.workload.trace;

export const traceSchema = z.strictObject({
  file: text(/\S/, 'a trace file path, relative to the scenario file'),
  format: oneOf(TRACE_FORMATS),
  memory: sizeMb({ allowZero: false }).prefault(traceDefaults.memory),
  kind: text(/^\S+$/, 'a runtime kind like nodejs:6').prefault(traceDefaults.kind),
  timeout: durationMs({ allowZero: false }).prefault(traceDefaults.timeout),
  durations: text(/\S/, 'a file path').optional(),
  memories: text(/\S/, 'a file path').optional(),
  reorderWindow: durationMs().prefault(traceDefaults.reorderWindow),
});

/**
 * What a trace reader hands the model: invocations in non-decreasing arrival time, one at a time. The model's
 * `TraceArrivals` replays a cursor; openTrace.ts opens one over a file. The readers own the file work, so the
 * model stays free of I/O.
 */

/** The trace formats owsim reads (`workload.trace.format`). */
export const TRACE_FORMATS = ['azure2021', 'azure2019', 'awslambda'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceInvocation {
  /** Index of the traced function's action in the catalog. */
  actionIndex: number;
  /** Simulated arrival time. */
  arrivalMs: number;
  /** Run time from the trace; NaN means "draw from the action's duration distribution". */
  durationMs: number;
}

export interface TraceCursor {
  /** The next invocation (arrival ≥ the previous one's), or null when the trace is exhausted. */
  next(): TraceInvocation | null;
  close(): void;
}

/**
 * One scheduled fault and its effect, as summary.json's `faults` lists it (issue 7). Built by the
 * FaultInjector; src/report/types.ts re-exports it as part of the Summary contract.
 */
export interface FaultSummary {
  kind: string;
  /** The entity it hit (`invoker3`, `controller1`), for kinds that have one. */
  target?: string;
  /** Partition: the two controllers cut off from each other. */
  between?: string[];
  atMs: number;
  forMs: number;
  /** When it healed, or null if the run ended first. */
  healedAtMs: number | null;
  /** Kind parameters as resolved: `latencyMs`, `throughputPerSec`, `probability`. */
  parameters: Record<string, number>;
  /** Activation outcomes between its start and its heal (or the end of the run). */
  during: { arrived: number; completed: number; timedOut: number; rejected: number; lost: number };
  /** Kind-specific counts, e.g. `activationsLost` at an invoker crash, `recordsRefused` in a Kafka outage. */
  effect: Record<string, number>;
  /** One sentence saying what it did. */
  description: string;
}

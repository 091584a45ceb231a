/**
 * What a run will cost, before it starts: activations (the mean arrival rate of each action, and of a population,
 * over `duration`),
 * kernel events (EVENTS_PER_ACTIVATION per activation plus the invokers' health pings) and wall time at
 * CALIBRATION_EVENTS_PER_SEC. Calibration: the whole-model benchmark (`npm run bench`, mid-cluster: 5.2 events
 * per activation, 1.1 M events/s on one core of the reference machine). It is an order of magnitude, not a
 * promise: overload (timeouts, overflow detours) adds events per activation, a slower machine takes longer.
 *
 * `owsim run` refuses a run above MAX_ESTIMATED_EVENTS unless `--force`: a typo such as `9000000/s` for an hour
 * (tens of billions of activations) should not start a run of weeks. The bound, a billion events (about a
 * quarter of an hour), leaves every shipped and benchmark scenario — a few million activations — far below it.
 */
import { meanRatePerSec } from './checks.js';
import type { Scenario } from './types.js';

export const EVENTS_PER_ACTIVATION = 5.2;
export const CALIBRATION_EVENTS_PER_SEC = 1_000_000;
export const MAX_ESTIMATED_EVENTS = 1e9;
/** Events per health ping: the invoker's send, the Kafka delivery, each controller's handling. */
const EVENTS_PER_PING = 3;

export interface RunEstimate {
  /** Null when arrivals come from a trace (its length is not known before reading it). */
  activations: number | null;
  events: number;
  wallMs: number;
}

export function estimateRun(s: Scenario): RunEstimate {
  const fromTrace = s.workload.trace !== null;
  let activations = 0;
  if (!fromTrace) for (const a of s.workload.actions) activations += (meanRatePerSec(a.arrivals, s.durationMs) * s.durationMs) / 1000;
  // A population's rate is its total mean over the run (a daily cycle modulates it around that mean).
  if (!fromTrace && s.workload.population !== null) activations += (s.workload.population.ratePerSec * s.durationMs) / 1000;
  const horizonMs = s.durationMs + s.drainMs;
  const pings = s.invokers.count * (horizonMs / Math.max(1, s.invokers.pingIntervalMs)) * EVENTS_PER_PING * s.controllers.count;
  const events = activations * EVENTS_PER_ACTIVATION + pings;
  return { activations: fromTrace ? null : activations, events, wallMs: (events / CALIBRATION_EVENTS_PER_SEC) * 1000 };
}

function approx(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return String(Math.round(n));
}

function wall(ms: number): string {
  const s = ms / 1000;
  if (s < 1) return 'under a second';
  if (s < 120) return `~${Math.round(s)} s`;
  if (s < 7200) return `~${Math.round(s / 60)} min`;
  if (s < 172_800) return `~${Math.round(s / 3600)} h`;
  return `~${Math.round(s / 86_400)} days`;
}

/** `estimate: ~5.2 k activations, ~31 k kernel events, under a second of wall time (at ~1 M events/s)`. */
export function describeEstimate(e: RunEstimate): string {
  const activations = e.activations === null ? 'activations from the trace' : `~${approx(e.activations)} activations`;
  return `estimate: ${activations}, ~${approx(e.events)} kernel events, ${wall(e.wallMs)} of wall time (at ~${approx(CALIBRATION_EVENTS_PER_SEC)} events/s)`;
}

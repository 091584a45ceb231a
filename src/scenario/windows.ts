/**
 * Time windows of a run (`windows:`): the activations that arrived inside [from, to) get their own outcome
 * counts and latency figures in summary.json (`windows.<name>.latencyMs.p99`).
 *
 *   windows:
 *     burst: { from: 2m, to: 4m }
 *
 * Besides the declared ones, every run has automatic windows: `fault<N>` for the N-th scheduled fault (1-based,
 * in file order: [at, at + for)) and `burst.<action>` for an action whose arrivals are a burst ([at, at + for)).
 * A declared name that clashes with an automatic one is a scenario error.
 */
import { z } from 'zod';
import type { CheckProblem } from './checks.js';
import { durationMs } from './leaves.js';
import type { ScenarioFile } from './schema.js';
import type { Scenario, WindowConfig } from './types.js';
import { formatDuration } from './units.js';

export const WINDOW_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export const windowSchema = z.strictObject({
  from: durationMs(),
  to: durationMs({ allowZero: false }),
});

export const windowsSchema = z.record(z.string(), windowSchema);

/** The automatic windows' names: what a declared window may not be called. */
function automaticNames(s: ScenarioFile): Set<string> {
  const names = new Set<string>();
  s.faults.forEach((_, i) => names.add(`fault${i + 1}`));
  for (const a of s.workload.actions) {
    const arrivals = a.arrivals as { process?: string };
    if (arrivals.process === 'burst') names.add(`burst.${a.name}`);
  }
  return names;
}

export function checkWindows(s: ScenarioFile): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const declared = (s as { windows?: Record<string, { from: number; to: number }> }).windows;
  if (declared === undefined) return problems;
  const automatic = automaticNames(s);
  for (const [name, w] of Object.entries(declared)) {
    if (!WINDOW_NAME.test(name)) {
      problems.push({ path: ['windows', name], message: `\`${name}\` is not a window name`, expected: 'letters, digits, `_`, `.` and `-`, like burst', got: name });
    } else if (automatic.has(name) || /^fault\d+$/.test(name) || name.startsWith('burst.')) {
      problems.push({
        path: ['windows', name],
        message: `\`${name}\` clashes with an automatic window (fault<N> for the N-th fault, burst.<action> for an action's burst)`,
        expected: 'another name, like burst or peak',
        got: name,
      });
    }
    if (w.to <= w.from) {
      problems.push({ path: ['windows', name, 'to'], message: `the window ends (${formatDuration(w.to)}) before it starts (${formatDuration(w.from)})`, expected: `a time after ${formatDuration(w.from)}`, got: formatDuration(w.to) });
    }
  }
  return problems;
}

/** Declared windows in file order, then `fault<N>`, then `burst.<action>`. */
export function windowsOf(scenario: Scenario): WindowConfig[] {
  const out: WindowConfig[] = [...scenario.windows];
  scenario.faults.forEach((f, i) => out.push({ name: `fault${i + 1}`, fromMs: f.atMs, toMs: f.atMs + f.forMs }));
  for (const a of scenario.workload.actions) {
    if (a.arrivals.process === 'burst') out.push({ name: `burst.${a.name}`, fromMs: a.arrivals.atMs, toMs: a.arrivals.atMs + a.arrivals.forMs });
  }
  return out;
}

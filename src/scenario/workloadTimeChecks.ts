/**
 * Workload features that can never act within `duration`: a burst that starts at or after the end of the
 * arrivals, a piecewise step that would take over only after it. Arrivals stop at `duration` (the drain only
 * finishes what arrived), so such a feature is silently ignored by the run; it is almost always a unit slip
 * (`at: 5m` in a 1-minute run) and is refused here, naming the field.
 */
import type { CheckProblem } from './checks.js';
import type { ScenarioFile } from './schema.js';
import { formatDuration } from './units.js';

export function checkWorkloadTimes(s: ScenarioFile): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const end = formatDuration(s.duration);
  // workload.timeScale divides the processes' times: compare them as they will run.
  const scale = s.workload.timeScale;
  s.workload.actions.forEach((action, i) => {
    const a = action.arrivals;
    if (a.process === 'burst' && a.atMs / scale >= s.duration) {
      problems.push({
        path: ['workload', 'actions', i, 'arrivals', 'at'],
        message: `the burst starts at ${formatDuration(a.atMs)}, at or after the end of arrivals (duration ${end}), so it would never happen`,
        expected: `a time before ${end}, or a longer duration`,
        got: formatDuration(a.atMs),
      });
    }
    if (a.process === 'piecewise') {
      a.steps.forEach((step, j) => {
        if (j > 0 && step.atMs / scale >= s.duration) {
          problems.push({
            path: ['workload', 'actions', i, 'arrivals', 'steps', j, 'at'],
            message: `this step starts at ${formatDuration(step.atMs)}, at or after the end of arrivals (duration ${end}), so its rate would never apply`,
            expected: `a time before ${end}, or a longer duration`,
            got: formatDuration(step.atMs),
          });
        }
      });
    }
  });
  return problems;
}

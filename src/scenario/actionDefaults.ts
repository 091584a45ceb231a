/**
 * `workload.defaults`: fields shared by every listed action. Applied to the file's raw document before
 * validation, so an action is checked exactly as if it had written the fields itself; an action's own value
 * wins. The defaults are first checked on their own (problems are reported at `workload.defaults.…`, once,
 * not once per action); when they have a problem nothing is merged.
 *
 * `arrivals` and `clients` exclude each other: an action that writes one does not inherit the other, and an
 * action that writes both is refused here (the schema cannot see which keys a default filled in).
 */
import { z } from 'zod';
import type { PathSegment } from './problems.js';

export interface DefaultsProblem {
  path: PathSegment[];
  message: string;
  expected: string;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Merges `workload.defaults` into each listed action of `raw` (in place); returns problems found on the way. */
export function applyActionDefaults(raw: unknown, defaultsSchema: z.ZodType): DefaultsProblem[] {
  const problems: DefaultsProblem[] = [];
  const workload = isPlainObject(raw) ? raw['workload'] : undefined;
  if (!isPlainObject(workload)) return problems;
  const actions = workload['actions'];
  if (!Array.isArray(actions)) return problems;
  actions.forEach((action, i) => {
    if (isPlainObject(action) && action['arrivals'] !== undefined && action['clients'] !== undefined) {
      problems.push({
        path: ['workload', 'actions', i, 'clients'],
        message: 'an action has either open `arrivals` or closed-loop `clients`, not both',
        expected: 'one of arrivals or clients',
      });
    }
  });
  const defaults = workload['defaults'];
  if (isPlainObject(defaults) && defaults['arrivals'] !== undefined && defaults['clients'] !== undefined) {
    problems.push({ path: ['workload', 'defaults', 'clients'], message: 'defaults give either open `arrivals` or closed-loop `clients`, not both', expected: 'one of arrivals or clients' });
    return problems;
  }
  if (!isPlainObject(defaults) || !defaultsSchema.safeParse(defaults).success) return problems;
  workload['actions'] = actions.map((action) => {
    if (!isPlainObject(action)) return action;
    const inherited: Record<string, unknown> = { ...defaults };
    if (action['clients'] !== undefined) delete inherited['arrivals'];
    if (action['arrivals'] !== undefined) delete inherited['clients'];
    return { ...inherited, ...action };
  });
  return problems;
}

/**
 * `testScenario(overrides)`: a complete resolved `Scenario` for tests and library users who build a world in
 * code. It parses a minimal scenario file through the same loader as a real file (parseScenarioText), so
 * every default comes from defaults.ts and nowhere else, and then applies `overrides`, written in the
 * resolved form (milliseconds, MB, `DistributionSpec`s; docs/scenarios.md names both forms).
 *
 * Overrides are deep-partial: a section (`controllers`, `controllers.limits`, `invokers.heap`, …) is merged key
 * by key; a list, a distribution, an arrival process and a feature that is null by default (`population`,
 * `trace`, `invokers.containerPolicy`, an action's `clients`, …) are replaced as a whole. Two cases go
 * through the loader instead, because their defaults depend on them:
 *   - `store: { … }` turns the activation store on with its defaults (`store: {}` in a file), then merges;
 *   - each of `workload.actions` is a file action with the given `name` (and `namespace`, `kind`), so its
 *     derived fields (namespace, `pull`) and defaults are the loader's; the other fields are then merged.
 * The overrides themselves are not validated: a test that needs the checks writes scenario text instead.
 */
import type { ArrivalSpec, ActionConfig, Scenario, StoreConfig, WorkloadConfig } from './types.js';
import type { DistributionSpec } from '../sim/distributions.js';
import { parseScenarioText } from './load.js';

type Whole = string | number | boolean | null | undefined | readonly unknown[] | DistributionSpec | ArrivalSpec;

/** A deep-partial override of a resolved value: sections merge, everything else is replaced whole. */
export type Override<T> = null extends T ? T : T extends Whole ? T : { [K in keyof T]?: Override<T[K]> };

/** An action of `workload.actions`: its name, then any resolved field. */
export type ActionOverride = { name: string } & Override<ActionConfig>;

export type ScenarioOverrides = Omit<Override<Scenario>, 'store' | 'workload'> & {
  store?: Override<StoreConfig> | null;
  workload?: Omit<Override<WorkloadConfig>, 'actions'> & { actions?: ActionOverride[] };
};

/** The action a scenario without `workload.actions` overrides has. */
const DEFAULT_ACTION = 'guest/hello';

const parsed = new Map<string, Scenario>();

export function testScenario(overrides: ScenarioOverrides = {}): Scenario {
  const actions = overrides.workload?.actions;
  const file = {
    name: 'test-scenario',
    workload: {
      actions: actions === undefined || actions.length === 0 ? [{ name: DEFAULT_ACTION }] : actions.map(fileAction),
    },
    ...(overrides.store !== undefined && overrides.store !== null ? { store: {} } : {}),
  };
  const text = JSON.stringify(file);
  let base = parsed.get(text);
  if (base === undefined) {
    base = parseScenarioText(text, 'testScenario');
    parsed.set(text, base);
  }
  // A copy: a test may change what it gets without changing the next test's scenario.
  const scenario = merge(structuredClone(base), { ...overrides, workload: { ...overrides.workload, actions: undefined } }) as Scenario;
  if (actions !== undefined) scenario.workload.actions = actions.map((a, i) => merge(scenario.workload.actions[i], a) as ActionConfig);
  return scenario;
}

/** The fields of an action override that the loader derives other fields from. */
function fileAction(a: ActionOverride): Record<string, string> {
  return { name: a.name, ...(a.namespace !== undefined ? { namespace: a.namespace } : {}), ...(a.kind !== undefined ? { kind: a.kind } : {}) };
}

/** A section merges key by key; a distribution (`dist`) or an arrival process (`process`) is one value. */
function isSection(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('dist' in v) && !('process' in v);
}

function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isSection(base) || !isSection(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value);
  return out;
}

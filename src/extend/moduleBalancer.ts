/**
 * `controllers.loadBalancer: { module, options }`: the user's module as a balancer.
 *
 * A module's default export is one of two kinds (docs/extending.md):
 * - a placement policy `{ name, create(ctx, options) }`, run inside `PlacementPolicyBalancer`;
 * - a full balancer `{ name, balancer }`, where `balancer` is a class extending `CommonLoadBalancer` (or any
 *   `LoadBalancer`), constructed as `new balancer(context, options)`.
 *
 * `attachBalancerModule` runs when a scenario is loaded (so `validate`, every worker thread and `plan` see
 * the same errors before anything runs): it resolves the path, loads the module, checks its kind and
 * validates the options. `createModuleBalancer` runs per controller incarnation.
 */
import type { LoadBalancer, LoadBalancerContext } from '../model/controller/LoadBalancer.js';
import type { ModuleRef, Scenario } from '../scenario/types.js';
import { displayPath, loadUserModule, ModuleError, moduleFailure, validateModuleOptions, type UserModule } from './moduleLoader.js';
import type { BalancerModule, PlacementPolicyModule } from './PlacementPolicy.js';
import { PlacementPolicyBalancer } from './PlacementPolicyBalancer.js';
import { enterModule, exitModule } from './ambientGuard.js';

const FIELD = 'controllers.loadBalancer.module';
const OPTIONS_FIELD = 'controllers.loadBalancer.options';

type Kind = { policy: PlacementPolicyModule } | { balancer: BalancerModule };

/** The module's kind from its default export; a ModuleError naming what is missing otherwise. */
export function balancerModuleKind(mod: UserModule, sourceFile?: string, field = FIELD): Kind {
  const value = mod.value as Partial<PlacementPolicyModule & BalancerModule>;
  const details = { ...(sourceFile !== undefined ? { file: sourceFile } : {}), path: field };
  const expected = 'export default { name, create(ctx, options) } (a placement policy) or { name, balancer: class extends CommonLoadBalancer }';
  if (typeof value !== 'object' || value === null) {
    throw new ModuleError(`module ${displayPath(mod.file)}: its default export is not a policy or balancer`, { ...details, expected, got: typeof value });
  }
  if (typeof value.name !== 'string' || value.name === '') {
    throw new ModuleError(`module ${displayPath(mod.file)}: its default export has no name`, { ...details, expected, got: `keys ${Object.keys(value).join(', ')}` });
  }
  if (typeof value.create === 'function') return { policy: value as PlacementPolicyModule };
  if (typeof value.balancer === 'function') return { balancer: value as BalancerModule };
  throw new ModuleError(`module ${displayPath(mod.file)}: its default export has neither create nor balancer`, {
    ...details,
    expected,
    got: `keys ${Object.keys(value).join(', ')}`,
  });
}

/** Loads and checks `scenario.controllers.loadBalancerModule`; returns the scenario with its path resolved. */
export function attachBalancerModule(scenario: Scenario, scenarioFile: string): Scenario {
  const ref = scenario.controllers.loadBalancerModule;
  if (ref === null) return scenario;
  const mod = loadUserModule(ref.module, { sourceFile: scenarioFile, field: FIELD });
  balancerModuleKind(mod, scenarioFile);
  const options = validateModuleOptions(mod, ref.options, { sourceFile: scenarioFile, optionsField: OPTIONS_FIELD });
  const resolved: ModuleRef = { module: ref.module, file: mod.file, options };
  return { ...scenario, controllers: { ...scenario.controllers, loadBalancerModule: resolved } };
}

/** This controller's balancer from the module (loaded once per process; the loader caches it). */
export function createModuleBalancer(ref: ModuleRef, context: LoadBalancerContext, scenarioFile?: string): LoadBalancer {
  const mod = loadUserModule(ref.file, { ...(scenarioFile !== undefined ? { sourceFile: scenarioFile } : {}), field: FIELD });
  const kind = balancerModuleKind(mod, scenarioFile);
  if ('policy' in kind) {
    return new PlacementPolicyBalancer(context, kind.policy, ref.options, { file: mod.file, ...(scenarioFile !== undefined ? { scenarioFile } : {}) });
  }
  enterModule(mod.file, null);
  try {
    return new kind.balancer.balancer(context, ref.options);
  } catch (err) {
    throw moduleFailure(mod.file, { field: FIELD, ...(scenarioFile !== undefined ? { sourceFile: scenarioFile } : {}) }, 'the balancer constructor threw', err);
  } finally {
    exitModule();
  }
}

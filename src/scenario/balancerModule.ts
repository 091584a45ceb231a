/**
 * Loading `controllers.loadBalancer: { module, options }` when the scenario loads (so `validate`, every worker
 * thread and `plan` see the same errors before anything runs): resolve the path against the scenario file,
 * load the module, check its kind (src/extend/moduleKinds.ts) and validate its options. Each controller
 * incarnation later builds its balancer from the resolved reference (src/model/controller/moduleBalancer.ts).
 */
import { loadUserModule, validateModuleOptions } from '../extend/moduleLoader.js';
import { balancerModuleKind } from '../extend/moduleKinds.js';
import type { ModuleRef, Scenario } from './types.js';

const FIELD = 'controllers.loadBalancer.module';
const OPTIONS_FIELD = 'controllers.loadBalancer.options';

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

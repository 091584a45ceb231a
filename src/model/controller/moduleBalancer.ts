/**
 * `controllers.loadBalancer: { module, options }`: the user's module as this controller's balancer, built
 * once per controller incarnation. The scenario loader has already found the module, checked its kind and
 * validated its options (src/scenario/balancerModule.ts); the module loader caches the module, so this reads
 * it again at no cost.
 *
 * A placement policy `{ name, create(ctx, options) }` runs inside `PlacementPolicyBalancer`; a full balancer
 * `{ name, balancer }` is constructed as `new balancer(context, options)` (docs/extending.md).
 */
import type { LoadBalancer, LoadBalancerContext } from './LoadBalancer.js';
import type { ModuleRef } from '../../scenario/types.js';
import { loadUserModule, moduleFailure } from '../../extend/moduleLoader.js';
import { balancerModuleKind } from '../../extend/moduleKinds.js';
import type { BalancerModule, PlacementPolicyModule } from './PlacementPolicy.js';
import { PlacementPolicyBalancer } from './PlacementPolicyBalancer.js';
import { enterModule, exitModule } from '../../extend/ambientGuard.js';

const FIELD = 'controllers.loadBalancer.module';

/** This controller's balancer from the module (loaded once per process; the loader caches it). */
export function createModuleBalancer(ref: ModuleRef, context: LoadBalancerContext, scenarioFile?: string): LoadBalancer {
  const mod = loadUserModule(ref.file, { ...(scenarioFile !== undefined ? { sourceFile: scenarioFile } : {}), field: FIELD });
  if (balancerModuleKind(mod, scenarioFile) === 'policy') {
    return new PlacementPolicyBalancer(context, mod.value as PlacementPolicyModule, ref.options, {
      file: mod.file,
      ...(scenarioFile !== undefined ? { scenarioFile } : {}),
    });
  }
  enterModule(mod.file, null);
  try {
    return new (mod.value as BalancerModule).balancer(context, ref.options);
  } catch (err) {
    throw moduleFailure(mod.file, { field: FIELD, ...(scenarioFile !== undefined ? { sourceFile: scenarioFile } : {}) }, 'the balancer constructor threw', err);
  } finally {
    exitModule();
  }
}

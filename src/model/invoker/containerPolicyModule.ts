/**
 * The module of a resolved scenario's `invokers.containerPolicy`, for each invoker's pool. The scenario loader
 * has already found it, checked its shape and validated its options (src/scenario/containerPolicyModule.ts);
 * the module loader caches modules by absolute path, so a run on a worker thread (seeds, sweep, plan) loads the
 * same module the same way and each further pool reads it at no cost.
 */
import { loadUserModule } from '../../extend/moduleLoader.js';
import { checkContainerPolicyModule } from '../../extend/moduleKinds.js';
import type { ContainerPolicyConfig } from '../../scenario/types.js';
import type { ContainerPolicyModule } from './ContainerPolicy.js';
import type { LoadedContainerPolicy } from './ContainerPolicySeam.js';

const MODULE_FIELD = 'invokers.containerPolicy.module';

/** The module of a resolved scenario's `invokers.containerPolicy` (checked when the scenario loaded). */
export function loadContainerPolicy(config: ContainerPolicyConfig): LoadedContainerPolicy {
  const mod = loadUserModule(config.file, { field: MODULE_FIELD });
  checkContainerPolicyModule(mod, undefined);
  return { file: config.file, module: mod.value as ContainerPolicyModule<unknown>, options: config.options };
}

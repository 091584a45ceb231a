/**
 * Loading `invokers.containerPolicy: { module, options }` with the module loader (src/extend/moduleLoader.ts):
 * the path is relative to the scenario file; the default export must be `{ name, create(ctx, options) }`
 * (ContainerPolicy.ts); options are validated with the module's zod `optionsSchema` when it exports one.
 * Problems are ModuleErrors (exit 2) naming the scenario file, the field and the module.
 *
 * The scenario keeps the module as written, its absolute path and the checked options as plain data, so a
 * run on a worker thread (seeds, sweep, plan) loads the same module the same way; loaded modules are cached
 * by absolute path.
 */
import { displayPath, loadUserModule, ModuleError, validateModuleOptions, type UserModule } from '../extend/moduleLoader.js';
import type { ContainerPolicyModule } from '../model/invoker/ContainerPolicy.js';
import type { LoadedContainerPolicy } from '../model/invoker/ContainerPolicySeam.js';
import type { ContainerPolicyConfig } from './types.js';

const MODULE_FIELD = 'invokers.containerPolicy.module';
const OPTIONS_FIELD = 'invokers.containerPolicy.options';
const cache = new Map<string, ContainerPolicyModule<unknown>>();

function asContainerPolicy(mod: UserModule, sourceFile: string | undefined): ContainerPolicyModule<unknown> {
  const value = mod.value as Partial<ContainerPolicyModule<unknown>>;
  if (typeof value !== 'object' || typeof value.name !== 'string' || value.name === '' || typeof value.create !== 'function') {
    throw new ModuleError(`module ${displayPath(mod.file)}: the default export is not a container policy`, {
      ...(sourceFile !== undefined ? { file: sourceFile } : {}),
      path: MODULE_FIELD,
      expected: 'export default { name: string, create(ctx, options) }',
      got: typeof value === 'object' ? `name: ${typeof value.name}, create: ${typeof value.create}` : typeof value,
    });
  }
  return value as ContainerPolicyModule<unknown>;
}

/**
 * At load time: makes `config.file` absolute (relative to the scenario file), loads the module, checks its
 * shape and validates its options in place. Throws ModuleError.
 */
export function resolveContainerPolicy(config: ContainerPolicyConfig, scenarioFile: string): void {
  const mod = loadUserModule(config.module, { sourceFile: scenarioFile, field: MODULE_FIELD });
  cache.set(mod.file, asContainerPolicy(mod, scenarioFile));
  config.file = mod.file;
  config.options = validateModuleOptions(mod, config.options, { sourceFile: scenarioFile, optionsField: OPTIONS_FIELD });
}

/** The module of a resolved scenario's `invokers.containerPolicy` (checked when the scenario loaded). */
export function loadContainerPolicy(config: ContainerPolicyConfig): LoadedContainerPolicy {
  let module = cache.get(config.file);
  if (module === undefined) {
    module = asContainerPolicy(loadUserModule(config.file, { field: MODULE_FIELD }), undefined);
    cache.set(config.file, module);
  }
  return { file: config.file, module, options: config.options };
}

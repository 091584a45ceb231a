/**
 * Loading `invokers.containerPolicy: { module, options }` with the module loader (src/extend/moduleLoader.ts):
 * the path is relative to the scenario file; the default export must be `{ name, create(ctx, options) }`
 * (src/extend/moduleKinds.ts); options are validated with the module's zod `optionsSchema` when it exports one.
 * Problems are ModuleErrors (exit 2) naming the scenario file, the field and the module.
 *
 * The scenario keeps the module as written, its absolute path and the checked options as plain data, so a
 * run on a worker thread (seeds, sweep, plan) loads the same module the same way
 * (src/model/invoker/containerPolicyModule.ts); loaded modules are cached by absolute path.
 */
import { loadUserModule, validateModuleOptions } from '../extend/moduleLoader.js';
import { checkContainerPolicyModule } from '../extend/moduleKinds.js';
import type { ContainerPolicyConfig } from './types.js';

const MODULE_FIELD = 'invokers.containerPolicy.module';
const OPTIONS_FIELD = 'invokers.containerPolicy.options';

/**
 * At load time: makes `config.file` absolute (relative to the scenario file), loads the module, checks its
 * shape and validates its options in place. Throws ModuleError.
 */
export function resolveContainerPolicy(config: ContainerPolicyConfig, scenarioFile: string): void {
  const mod = loadUserModule(config.module, { sourceFile: scenarioFile, field: MODULE_FIELD });
  checkContainerPolicyModule(mod, scenarioFile);
  config.file = mod.file;
  config.options = validateModuleOptions(mod, config.options, { sourceFile: scenarioFile, optionsField: OPTIONS_FIELD });
}

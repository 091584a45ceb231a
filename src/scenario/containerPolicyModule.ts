/**
 * Loading `invokers.containerPolicy: { module, options }`: the module path is relative to the scenario file;
 * the default export must be `{ name, create(ctx, options), optionsSchema? }` (ContainerPolicy.ts); options are
 * validated with the module's zod `optionsSchema` when it has one. Problems become scenario problems (exit 2)
 * naming the scenario file, the field and the module path.
 *
 * Modules load synchronously (Node ≥ 20.19 `require` of ES modules), so a run stays a synchronous function of
 * its scenario, on the main thread and on sweep workers alike; a loaded module is cached by absolute path.
 */
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { ContainerPolicyModule } from '../model/invoker/ContainerPolicy.js';
import type { LoadedContainerPolicy } from '../model/invoker/ContainerPolicySeam.js';
import type { ContainerPolicyConfig } from './types.js';
import type { PathSegment } from './problems.js';
import { ScenarioError } from '../errors.js';

const requireModule = createRequire(import.meta.url);
const cache = new Map<string, ContainerPolicyModule<unknown>>();

/** One problem with the module or its options, as a path under `invokers.containerPolicy` and a message. */
export interface ModuleProblem {
  path: PathSegment[];
  message: string;
  expected?: string;
  got?: string;
}

export const CONTAINER_POLICY_EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/** The module's absolute path: relative paths are relative to the scenario file's folder. */
export function containerPolicyFile(modulePath: string, scenarioFile: string): string {
  return isAbsolute(modulePath) ? modulePath : resolve(dirname(scenarioFile), modulePath);
}

/** Loads and checks the module; returns it or the problems (no exception for the user's mistakes). */
export function importContainerPolicy(file: string): { module: ContainerPolicyModule<unknown> } | { problem: ModuleProblem } {
  const cached = cache.get(file);
  if (cached !== undefined) return { module: cached };
  const at: PathSegment[] = ['invokers', 'containerPolicy', 'module'];
  const ext = extname(file);
  if (!(CONTAINER_POLICY_EXTENSIONS as readonly string[]).includes(ext)) {
    return { problem: { path: at, message: `${file}: a container-policy module must be JavaScript`, expected: 'a .js, .mjs or .cjs file', got: ext || 'no extension' } };
  }
  if (!existsSync(file)) return { problem: { path: at, message: `${file}: no such file`, expected: 'the path of a container-policy module, relative to the scenario file' } };
  let loaded: { default?: unknown } | undefined;
  try {
    loaded = requireModule(file) as { default?: unknown };
  } catch (e) {
    return { problem: { path: at, message: `${file}: the module failed to load: ${(e as Error).message.split('\n')[0]}` } };
  }
  const mod = (loaded !== null && typeof loaded === 'object' && 'default' in loaded ? loaded.default : undefined) as Partial<ContainerPolicyModule<unknown>> | undefined;
  if (mod === undefined || mod === null || typeof mod !== 'object') {
    return { problem: { path: at, message: `${file}: the module has no default export`, expected: 'export default { name, create(ctx, options) }' } };
  }
  if (typeof mod.name !== 'string' || mod.name === '' || typeof mod.create !== 'function') {
    return { problem: { path: at, message: `${file}: the default export is not a container policy`, expected: 'export default { name: string, create(ctx, options) }', got: `name: ${typeof mod.name}, create: ${typeof mod.create}` } };
  }
  const module = mod as ContainerPolicyModule<unknown>;
  cache.set(file, module);
  return { module };
}

/** Validates `options` with the module's `optionsSchema` (a zod schema), if it has one. */
export function checkContainerPolicyOptions(module: ContainerPolicyModule<unknown>, options: unknown): { options: unknown } | { problems: ModuleProblem[] } {
  const schema = module.optionsSchema as { safeParse?: (v: unknown) => { success: boolean; data?: unknown; error?: { issues: { path: PropertyKey[]; message: string }[] } } } | undefined;
  if (schema === undefined) return { options };
  if (typeof schema.safeParse !== 'function') {
    return { problems: [{ path: ['invokers', 'containerPolicy', 'module'], message: `${module.name}: optionsSchema is not a zod schema` }] };
  }
  const result = schema.safeParse(options);
  if (result.success) return { options: result.data };
  return {
    problems: (result.error?.issues ?? []).map((issue) => ({
      path: ['invokers', 'containerPolicy', 'options', ...issue.path.filter((s): s is string | number => typeof s !== 'symbol')],
      message: `${issue.message} (checked by ${module.name}'s optionsSchema)`,
    })),
  };
}

/** The module of a resolved scenario's `invokers.containerPolicy` (already checked when the scenario loaded). */
export function loadContainerPolicy(config: ContainerPolicyConfig): LoadedContainerPolicy {
  const result = importContainerPolicy(config.file);
  if ('problem' in result) throw new ScenarioError(result.problem.message, { path: 'invokers.containerPolicy.module', file: config.file });
  return { file: config.file, module: result.module, options: config.options };
}

/**
 * At load time: makes `config.file` absolute (relative to the scenario file), imports the module and
 * validates its options in place; returns the problems for the scenario error.
 */
export function resolveContainerPolicy(config: ContainerPolicyConfig, scenarioFile: string): ModuleProblem[] {
  config.file = containerPolicyFile(config.module, scenarioFile);
  const imported = importContainerPolicy(config.file);
  if ('problem' in imported) return [imported.problem];
  const checked = checkContainerPolicyOptions(imported.module, config.options);
  if ('problems' in checked) return checked.problems;
  config.options = checked.options;
  return [];
}

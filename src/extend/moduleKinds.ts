/**
 * The shapes a user module's default export may take, checked when the scenario loads (so `validate`, every
 * worker thread and `plan` see the same errors before anything runs) and again where the model builds from
 * the module. Only the shape is checked here; the model gives the value its type (moduleBalancer.ts,
 * containerPolicyModule.ts under src/model).
 *
 * A balancer module (`controllers.loadBalancer.module`, docs/extending.md) is one of two kinds:
 * - a placement policy `{ name, create(ctx, options) }`;
 * - a full balancer `{ name, balancer }`, where `balancer` is a class extending `CommonLoadBalancer` (or any
 *   `LoadBalancer`).
 * A container policy (`invokers.containerPolicy.module`) is `{ name, create(ctx, options) }`.
 */
import { displayPath, ModuleError, type UserModule } from './moduleLoader.js';

const BALANCER_FIELD = 'controllers.loadBalancer.module';
const CONTAINER_POLICY_FIELD = 'invokers.containerPolicy.module';

/** What a balancer module's default export is; a ModuleError naming what is missing otherwise. */
export function balancerModuleKind(mod: UserModule, sourceFile?: string, field = BALANCER_FIELD): 'policy' | 'balancer' {
  const value = mod.value as { name?: unknown; create?: unknown; balancer?: unknown } | null;
  const details = { ...(sourceFile !== undefined ? { file: sourceFile } : {}), path: field };
  const expected = 'export default { name, create(ctx, options) } (a placement policy) or { name, balancer: class extends CommonLoadBalancer }';
  if (typeof value !== 'object' || value === null) {
    throw new ModuleError(`module ${displayPath(mod.file)}: its default export is not a policy or balancer`, { ...details, expected, got: typeof value });
  }
  if (typeof value.name !== 'string' || value.name === '') {
    throw new ModuleError(`module ${displayPath(mod.file)}: its default export has no name`, { ...details, expected, got: `keys ${Object.keys(value).join(', ')}` });
  }
  if (typeof value.create === 'function') return 'policy';
  if (typeof value.balancer === 'function') return 'balancer';
  throw new ModuleError(`module ${displayPath(mod.file)}: its default export has neither create nor balancer`, {
    ...details,
    expected,
    got: `keys ${Object.keys(value).join(', ')}`,
  });
}

/** Checks that a container-policy module's default export is `{ name, create }`; a ModuleError otherwise. */
export function checkContainerPolicyModule(mod: UserModule, sourceFile: string | undefined): void {
  const value = mod.value as { name?: unknown; create?: unknown };
  if (typeof value !== 'object' || typeof value.name !== 'string' || value.name === '' || typeof value.create !== 'function') {
    throw new ModuleError(`module ${displayPath(mod.file)}: the default export is not a container policy`, {
      ...(sourceFile !== undefined ? { file: sourceFile } : {}),
      path: CONTAINER_POLICY_FIELD,
      expected: 'export default { name: string, create(ctx, options) }',
      got: typeof value === 'object' ? `name: ${typeof value.name}, create: ${typeof value.create}` : typeof value,
    });
  }
}

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModuleError, loadUserModule, resolveModuleFile, validateModuleOptions } from '../../src/extend/moduleLoader.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'modules');
const scenario = join(fixtures, 'scenario.yaml');
const site = { sourceFile: scenario, field: 'controllers.loadBalancer.module' };

function thrown(f: () => unknown): ModuleError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(ModuleError);
    return err as ModuleError;
  }
  throw new Error('expected a ModuleError');
}

describe('moduleLoader', () => {
  it('resolves a relative path against the file that names it', () => {
    expect(resolveModuleFile('./x.mjs', scenario)).toBe(join(fixtures, 'x.mjs'));
    expect(resolveModuleFile('/abs/x.mjs', scenario)).toBe('/abs/x.mjs');
  });

  it('loads an ES module as it is and a TypeScript module without a build step', () => {
    const mjs = loadUserModule('./firstInvoker.mjs', site);
    expect((mjs.value as { name: string }).name).toBe('fixture-first-healthy');
    expect(mjs.optionsSchema).toBeUndefined();
    const ts = loadUserModule('./typed.ts', site);
    expect((ts.value as { name: string }).name).toBe('fixture-typed');
    expect(validateModuleOptions(ts, undefined, { sourceFile: scenario, optionsField: 'controllers.loadBalancer.options' })).toEqual({ spread: 2 });
  });

  it('names the file and the field of every option the schema refuses', () => {
    const ts = loadUserModule('./typed.ts', site);
    const err = thrown(() => validateModuleOptions(ts, { spread: -1 }, { sourceFile: scenario, optionsField: 'controllers.loadBalancer.options' }));
    expect(err.exitCode).toBe(2);
    expect(err.format()).toContain(scenario);
    expect(err.format()).toContain('controllers.loadBalancer.options.spread');
  });

  it('a missing module, a wrong extension, no default export: exit 2 with the path', () => {
    const missing = thrown(() => loadUserModule('./nowhere.mjs', site));
    expect(missing.exitCode).toBe(2);
    expect(missing.format()).toContain('nowhere.mjs');
    expect(missing.format()).toContain('controllers.loadBalancer.module');
    expect(thrown(() => loadUserModule('./notAModule.txt', site)).format()).toContain('unsupported extension');
    const noDefault = thrown(() => loadUserModule('./noDefault.mjs', site));
    expect(noDefault.format()).toContain('noDefault.mjs has no default export');
  });

  it('a module that throws while loading: its file and line, the original error as the cause', () => {
    const err = thrown(() => loadUserModule('./throwsOnLoad.mjs', site));
    expect(err.message).toMatch(/throwsOnLoad\.mjs:3: failed to load: Error: cannot start: table has 3 rows/);
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(Error);
  });
});

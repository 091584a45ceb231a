/**
 * `owsim init balancer|container-policy NAME [--dir DIR]`: writes a starting point for a user's module (the files of
 * src/cli/templates), refusing to overwrite anything. Each kind of module has one entry in `TEMPLATES`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodes, UsageError } from '../../errors.js';
import type { CliContext } from '../main.js';
import { balancerTemplate, type TemplateFile } from '../templates/balancerTemplate.js';
import { containerPolicyTemplate } from '../templates/containerPolicyTemplate.js';
import type { InitKind } from '../initKinds.js';

export interface InitArgs {
  kind?: string;
  name?: string;
  dir?: string;
}

/** The kinds `owsim init` knows, with what each writes and how to run it. */
export const TEMPLATES: Record<InitKind, { files: (name: string) => TemplateFile[]; next: (name: string) => string }> = {
  balancer: {
    files: balancerTemplate,
    next: (name) => `owsim run ${name}.scenario.yaml --check     # and: node --test ${name}.test.mjs`,
  },
  'container-policy': {
    files: containerPolicyTemplate,
    next: (name) => `owsim run ${name}.scenario.yaml --check     # and: node --test ${name}.test.mjs`,
  },
};

export async function initCommand(args: InitArgs, ctx: CliContext): Promise<number> {
  const kinds = Object.keys(TEMPLATES);
  const template = args.kind !== undefined && Object.hasOwn(TEMPLATES, args.kind) ? TEMPLATES[args.kind as InitKind] : undefined;
  if (template === undefined) {
    throw new UsageError('unknown kind of module', { path: 'init', expected: `one of ${kinds.join(', ')}`, got: args.kind ?? '(none)' });
  }
  const name = args.name ?? '';
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw new UsageError('not a usable module name', { path: 'NAME', expected: 'a letter, then letters, digits, - or _ (it names the files)', got: name || '(empty)' });
  }
  const dir = args.dir ?? '.';
  const files = template.files(name);
  for (const file of files) {
    const path = join(dir, file.name);
    if (existsSync(path)) throw new UsageError('refusing to overwrite a file', { path: '--dir', expected: 'a folder without these files', got: path });
  }
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    writeFileSync(join(dir, file.name), file.text);
    ctx.io.stdout.write(`wrote ${join(dir, file.name)}\n`);
  }
  ctx.io.stdout.write(`next: ${template.next(name)}\n`);
  return exitCodes.ok;
}

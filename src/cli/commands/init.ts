/**
 * `owsim init KIND NAME [--dir DIR] [--force]`: writes a typed skeleton of a user module with a scenario
 * and a test into DIR (default: the working directory). Kinds: src/cli/init/skeletons.ts. It never
 * overwrites a file unless `--force`; a bad kind, name or an existing file exits 2.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FileError, UsageError } from '../../errors.js';
import { skeletonKinds, skeletons } from '../init/skeletons.js';
import type { CliContext } from '../main.js';

export interface InitArgs {
  kind?: string;
  name?: string;
  dir?: string;
  force?: boolean;
}

const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export async function initCommand(args: InitArgs, ctx: CliContext): Promise<number> {
  const kinds = skeletonKinds();
  const write = args.kind !== undefined ? skeletons[args.kind] : undefined;
  if (write === undefined) throw new UsageError(`init: unknown kind \`${args.kind ?? ''}\``, { expected: `one of ${kinds.join(', ')}`, got: String(args.kind) });
  const name = args.name ?? '';
  if (!NAME.test(name)) {
    throw new UsageError(`init ${args.kind}: \`${name}\` is not a usable name`, { expected: 'lower-case words joined by dashes, e.g. my-keepalive', got: JSON.stringify(name) });
  }
  const dir = resolve(args.dir ?? '.');
  const files = write(name);
  if (!args.force) {
    const existing = files.map((f) => join(dir, f.path)).filter((p) => existsSync(p));
    if (existing.length > 0) throw new FileError(`init: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} (--force overwrites)`, { file: existing[0]! });
  }
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    writeFileSync(join(dir, f.path), f.text);
    ctx.io.stdout.write(`wrote ${join(args.dir ?? '.', f.path)}\n`);
  }
  return 0;
}

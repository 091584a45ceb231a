/**
 * Loads a user's module named in a scenario (`controllers.loadBalancer.module`, and any other `{ module,
 * options }` field): resolves the path against the scenario file, loads `.js`, `.mjs`, `.cjs` and `.ts`
 * files without a build step, checks that there is a default export, and validates the module's options with
 * the zod `optionsSchema` it may export.
 *
 * Loading is synchronous on purpose: scenarios are loaded synchronously everywhere (the CLI, the seed and
 * sweep workers, `plan`, `fuzz`), so a module path can travel as plain data into a worker thread and be loaded
 * there the same way. The loader is jiti (one dependency-free package): it compiles TypeScript and ES modules
 * on the fly and keeps line numbers, so a failure can name the line in the user's file.
 *
 * A module gets this process's own `owsim` and `zod` when it imports them (whatever is or is not installed
 * next to the module), so a balancer extends the very `CommonLoadBalancer` that runs it and an options schema
 * is built with the zod that validates it.
 *
 * Every failure is a `ModuleError` (exit 2, the user's input is at fault): the message names the module file,
 * the scenario field and, when the module threw, the line in the module; the original error stays in `cause`
 * for `--debug`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import * as zod from 'zod';
import { OwsimError, type OwsimErrorDetails } from '../errors.js';
import * as owsimApi from '../index.js';

/** The extensions a module may have. */
export const MODULE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;

/** A user's module that misbehaved or could not be loaded (exit 2). */
export class ModuleError extends OwsimError {
  constructor(message: string, details: OwsimErrorDetails = {}, cause?: unknown) {
    super('E_MODULE', message, details);
    this.name = 'ModuleError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** A loaded module: its absolute path, its default export and its optional options schema. */
export interface UserModule {
  /** Absolute path of the module file. */
  readonly file: string;
  /** The module's default export (checked to exist, not checked for shape: that is the caller's job). */
  readonly value: unknown;
  /** The module's `optionsSchema` export, when it has one. */
  readonly optionsSchema: unknown;
}

/** Where the module reference was written, for messages. */
export interface ModuleSite {
  /** The scenario file (or another file) that names the module; absent for a command-line flag. */
  readonly sourceFile?: string;
  /** The field that names it, e.g. `controllers.loadBalancer.module` or `--balancer`. */
  readonly field: string;
}

type Jiti = ReturnType<typeof createJiti>;
let jiti: Jiti | null = null;

function loader(): Jiti {
  // Created on first use: `owsimApi` is complete only once every module of the library has been evaluated.
  jiti ??= createJiti(import.meta.url, {
    // No cache written into the user's node_modules or /tmp: compiling one small module is cheap.
    fsCache: false,
    interopDefault: false,
    sourceMaps: true,
    virtualModules: { owsim: owsimApi, zod },
  });
  return jiti;
}

/**
 * The absolute path of `spec`: an absolute path as is, a relative one against the directory of the file that
 * names it (or the working directory for a command-line flag).
 */
export function resolveModuleFile(spec: string, sourceFile?: string): string {
  if (isAbsolute(spec)) return spec;
  const base = sourceFile !== undefined ? dirname(resolve(sourceFile)) : process.cwd();
  return resolve(base, spec);
}

/** `file` as the user knows it: relative to the working directory when it is below it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function siteDetails(site: ModuleSite, got?: string): OwsimErrorDetails {
  const details: OwsimErrorDetails = { path: site.field };
  if (site.sourceFile !== undefined) details.file = site.sourceFile;
  if (got !== undefined) details.got = got;
  return details;
}

/**
 * Loads the module `spec` names. Throws `ModuleError` when the file is missing, has an unsupported extension,
 * throws while loading, or has no default export.
 */
export function loadUserModule(spec: string, site: ModuleSite): UserModule {
  const file = resolveModuleFile(spec, site.sourceFile);
  const ext = extname(file);
  if (!(MODULE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new ModuleError(`module ${displayPath(file)} has an unsupported extension`, {
      ...siteDetails(site, spec),
      expected: `a file ending in ${MODULE_EXTENSIONS.join(', ')}`,
    });
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ModuleError(`module not found: ${displayPath(file)}`, {
      ...siteDetails(site, spec),
      expected: 'a path to a module file, relative to the file that names it',
    });
  }
  let exports: Record<string, unknown>;
  try {
    exports = loader()(file) as Record<string, unknown>;
  } catch (err) {
    throw moduleFailure(file, site, 'failed to load', err);
  }
  const value = exports !== null && typeof exports === 'object' ? exports.default : undefined;
  if (value === undefined || value === null) {
    throw new ModuleError(`module ${displayPath(file)} has no default export`, {
      ...siteDetails(site, spec),
      expected: 'a module whose default export is the policy or balancer (export default { name, create })',
      got: `exports ${Object.keys(exports ?? {}).join(', ') || 'nothing'}`,
    });
  }
  return { file, value, optionsSchema: exports.optionsSchema };
}

/** The subset of a zod schema the loader uses, so a module may bring any zod 3 or 4 schema. */
interface SafeParser {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

function isSafeParser(schema: unknown): schema is SafeParser {
  return typeof schema === 'object' && schema !== null && typeof (schema as { safeParse?: unknown }).safeParse === 'function';
}

/**
 * The module's options, validated by its `optionsSchema` when it exports one (the parsed value, with the
 * schema's defaults, is returned); without a schema the options are returned as given. A mismatch throws one
 * `ModuleError` naming the scenario file and the field of every issue (`<optionsField>.<key>`).
 */
export function validateModuleOptions(mod: UserModule, options: unknown, site: { sourceFile?: string; optionsField: string }): unknown {
  const schema = mod.optionsSchema;
  if (schema === undefined) return options;
  if (!isSafeParser(schema)) {
    throw new ModuleError(`module ${displayPath(mod.file)}: its optionsSchema export is not a zod schema`, {
      ...(site.sourceFile !== undefined ? { file: site.sourceFile } : {}),
      expected: 'export const optionsSchema = z.object({ ... })',
    });
  }
  let result: ReturnType<SafeParser['safeParse']>;
  try {
    result = schema.safeParse(options ?? {});
  } catch (err) {
    throw moduleFailure(mod.file, { ...site, field: site.optionsField }, 'optionsSchema threw', err);
  }
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = [site.optionsField, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  const first = result.error.issues[0];
  const details: OwsimErrorDetails = {
    path: [site.optionsField, ...(first?.path.map(String) ?? [])].join('.'),
    expected: `options accepted by the optionsSchema of ${displayPath(mod.file)}`,
  };
  if (site.sourceFile !== undefined) details.file = site.sourceFile;
  throw new ModuleError(`invalid module options:\n  ${lines.join('\n  ')}`, details);
}

/**
 * The line (1-based) in `file` where `err` (an error, or a stack as text) was thrown or passed through, from
 * its stack; undefined when the stack does not mention the file.
 */
export function failureLine(err: unknown, file: string): number | undefined {
  const stack = typeof err === 'string' ? err : err instanceof Error ? err.stack : undefined;
  if (stack === undefined) return undefined;
  for (const frame of stack.split('\n')) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/.exec(frame.trim());
    if (match === null) continue;
    let frameFile = match[1]!;
    if (frameFile.startsWith('file://')) {
      try {
        frameFile = fileURLToPath(frameFile);
      } catch {
        continue;
      }
    }
    if (frameFile === file) return Number(match[2]);
  }
  return undefined;
}

/**
 * A `ModuleError` for a module that threw: `what` says when (e.g. `schedule threw for activation 17`), the
 * message carries the module's own message and the line where it failed.
 */
export function moduleFailure(file: string, site: Partial<ModuleSite>, what: string, err: unknown): ModuleError {
  const line = failureLine(err, file);
  const where = line !== undefined ? `${displayPath(file)}:${line}` : displayPath(file);
  const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const details: OwsimErrorDetails = {};
  if (site.sourceFile !== undefined) details.file = site.sourceFile;
  if (site.field !== undefined) details.path = site.field;
  return new ModuleError(`module ${where}: ${what}: ${reason}`, details, err);
}

/**
 * The line (1-based) where `file` first defines `name` (`name(`, `name:`, `name =`), for pointing at a method
 * whose return value was wrong; undefined when the text does not show it.
 */
export function definitionLine(file: string, name: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pattern = new RegExp(`\\b${name}\\s*(\\(|:|=)`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (pattern.test(lines[i]!)) return i + 1;
  return undefined;
}

/** The first line (1-based) of `file` that mentions one of `words`, with the word; for hints in messages. */
export function firstMention(file: string, words: readonly string[]): { line: number; word: string } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const code = lines[i]!.replace(/\/\/.*$/, '');
    for (const word of words) if (code.includes(word)) return { line: i + 1, word };
  }
  return undefined;
}

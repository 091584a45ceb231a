/**
 * The scenarios shipped with owsim: `scenarios/` at the package root, found from this module's URL by walking
 * up to the folder holding package.json (works from src/ under vitest and from dist/ after a build).
 * A shipped scenario's name is its `name` field (else its file name); it can also be named by its path
 * under scenarios/ without the extension (`validation/mmc`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export interface ShippedScenario {
  name: string;
  /** Absolute path of the file. */
  file: string;
  description: string;
}

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('owsim: cannot find the package root (no package.json above the module)');
    dir = parent;
  }
}

export function scenariosDir(): string {
  return join(packageRoot(), 'scenarios');
}

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && SCENARIO_EXTENSIONS.has(extname(entry.name))) out.push(full);
  }
}

/** Name and description without full validation: listing must not fail because one file is broken. */
function peek(file: string): { name?: string; description?: string } {
  try {
    const doc: unknown = parseYaml(readFileSync(file, 'utf8'));
    if (typeof doc !== 'object' || doc === null) return {};
    const { name, description } = doc as Record<string, unknown>;
    return { ...(typeof name === 'string' ? { name } : {}), ...(typeof description === 'string' ? { description } : {}) };
  } catch {
    return {};
  }
}

/** Every shipped scenario, sorted by its path under scenarios/. */
export function listShippedScenarios(): ShippedScenario[] {
  const root = scenariosDir();
  const files: string[] = [];
  walk(root, files);
  return files.map((file) => {
    const meta = peek(file);
    const stem = relative(root, file).slice(0, -extname(file).length).split(sep).join('/');
    return { name: meta.name ?? stem.split('/').pop()!, file, description: meta.description?.trim() ?? '' };
  });
}

/** The file of a shipped scenario by name or by path under scenarios/ (without extension). */
export function findShippedScenario(name: string): string | undefined {
  const root = scenariosDir();
  const all = listShippedScenarios();
  const byName = all.find((s) => s.name === name);
  if (byName) return byName.file;
  const byPath = all.find((s) => relative(root, s.file).slice(0, -extname(s.file).length).split(sep).join('/') === name);
  return byPath?.file;
}
